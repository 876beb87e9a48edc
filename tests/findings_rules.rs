//! Each findings rule on real git changes: for every rule in `rules.toml` and every language
//! it claims, a positive and a negative fixture (a near miss) committed to a real repository
//! and checked by the real `redline check HEAD --format json`. The expected lines are marked
//! in the fixtures with `«` (removed before writing): a mark in the change is a finding on the
//! new side, a mark in the base on the old side (a deleted test). Exact: a finding on another
//! line, or a missing one, fails. Also: pre-existing code is never flagged, `.redline.toml`,
//! `--fail-on`, and SARIF from the CLI against the official schema.

// helpers outside `#[test]` functions panic on purpose: a failed setup is a failed test
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::collections::BTreeSet;

use serde_json::Value;
use support::{text, TestRepo};

/// The mark for an expected finding's line.
const MARK: char = '«';

struct Case {
    rule: &'static str,
    /// The language id from `rules.toml`, or for `any` rules `any:` and the file kind.
    lang: &'static str,
    positive: bool,
    /// Files committed first: `=== path` then the text, for each file.
    base: String,
    /// Files written (or, with the text `!deleted`, removed) and committed as the change.
    change: String,
}

fn pos(rule: &'static str, lang: &'static str, base: &str, change: &str) -> Case {
    Case {
        rule,
        lang,
        positive: true,
        base: base.to_owned(),
        change: change.to_owned(),
    }
}

fn neg(rule: &'static str, lang: &'static str, base: &str, change: &str) -> Case {
    Case {
        rule,
        lang,
        positive: false,
        base: base.to_owned(),
        change: change.to_owned(),
    }
}

/// `=== path` sections: (path, text with marks).
fn files(spec: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for line in spec.split_inclusive('\n') {
        if let Some(path) = line.strip_prefix("=== ") {
            out.push((path.trim().to_owned(), String::new()));
        } else {
            let (_, text) = out
                .last_mut()
                .unwrap_or_else(|| panic!("text before the first `=== path`: {line:?}"));
            text.push_str(line);
        }
    }
    out
}

/// Writes `spec`'s files into `repo` (the text without marks) and returns the marked lines.
fn apply(repo: &TestRepo, spec: &str, side: &str) -> BTreeSet<(String, String, u64)> {
    let mut marked = BTreeSet::new();
    for (path, text) in files(spec) {
        if text.trim() == "!deleted" {
            std::fs::remove_file(repo.path().join(&path)).unwrap();
            continue;
        }
        for (i, line) in text.lines().enumerate() {
            if line.contains(MARK) {
                marked.insert((path.clone(), side.to_owned(), i as u64 + 1));
            }
        }
        repo.write(&path, text.replace(MARK, ""));
    }
    marked
}

/// `redline check HEAD --format json` in `repo`, parsed; panics unless it exits 0.
fn check_json(repo: &TestRepo) -> Value {
    let out = repo.redline(&["check", "HEAD", "--format", "json"]);
    assert!(
        out.status.success(),
        "redline check failed: {}",
        text(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("check's stdout is JSON")
}

/// (path, side, line) of each finding of `rule`.
fn lines_of(report: &Value, rule: &str) -> BTreeSet<(String, String, u64)> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == rule)
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_owned(),
                f["side"].as_str().unwrap().to_owned(),
                f["line"].as_u64().unwrap(),
            )
        })
        .collect()
}

/// Runs one case; `Err` describes a mismatch.
fn run(case: &Case) -> Result<(), String> {
    let repo = TestRepo::new();
    repo.write("README.md", "A fixture repository.\n");
    let old = apply(&repo, &case.base, "old");
    repo.commit("base");
    let new = apply(&repo, &case.change, "new");
    repo.commit("change");
    let expected: BTreeSet<_> = old.into_iter().chain(new).collect();
    let kind = if case.positive {
        "positive"
    } else {
        "negative"
    };
    assert_eq!(
        case.positive,
        !expected.is_empty(),
        "{} {} {kind}: a positive case marks its lines, a negative none",
        case.rule,
        case.lang
    );
    let report = check_json(&repo);
    let actual = lines_of(&report, case.rule);
    if actual == expected {
        Ok(())
    } else {
        Err(format!(
            "{} / {} ({kind}): expected {expected:?}, got {actual:?}",
            case.rule, case.lang
        ))
    }
}

/// A function of `lines` lines in `lang` (the signature marked when `mark`), with the file
/// name it goes in. Its body is `lines - 2` distinct statements between the braces/header.
fn long_fn(lang: &str, lines: usize, mark: bool) -> (String, String) {
    let m = if mark { "«" } else { "" };
    let body = lines.saturating_sub(3);
    let stmts = |indent: &str, f: &dyn Fn(usize) -> String| -> String {
        (0..body).map(|i| format!("{indent}{}\n", f(i))).collect()
    };
    match lang {
        "rust" => (
            "src/lib.rs".into(),
            format!(
                "pub fn total(a: u32) -> u32 {{{m}\n{}    let r = a;\n    r\n}}\n",
                stmts("    ", &|i| format!("let x{i} = a + {i};"))
            ),
        ),
        "python" => (
            "app/total.py".into(),
            format!(
                "def total(a):{m}\n{}    r = a\n    return r\n",
                stmts("    ", &|i| format!("x{i} = a + {i}"))
            ),
        ),
        "javascript" | "typescript" | "tsx" => {
            let ext = match lang {
                "javascript" => "js",
                "typescript" => "ts",
                _ => "tsx",
            };
            (
                format!("src/total.{ext}"),
                format!(
                    "export function total(a) {{{m}\n{}  const r = a;\n  return r;\n}}\n",
                    stmts("  ", &|i| format!("const x{i} = a + {i};"))
                ),
            )
        }
        "go" => (
            "total.go".into(),
            format!(
                "package total\n\nfunc Total(a int) int {{{m}\n{}\tr := a\n\treturn r\n}}\n",
                stmts("\t", &|i| format!("a += {i}"))
            ),
        ),
        "java" | "csharp" => (
            if lang == "java" {
                "src/Total.java".into()
            } else {
                "src/Total.cs".into()
            },
            format!(
                "class Total {{\n    int total(int a) {{{m}\n{}        int r = a;\n        return r;\n    }}\n}}\n",
                stmts("        ", &|i| format!("int x{i} = a + {i};"))
            ),
        ),
        "c" | "cpp" => (
            format!("src/total.{}", if lang == "c" { "c" } else { "cpp" }),
            format!(
                "int total(int a) {{{m}\n{}    int r = a;\n    return r;\n}}\n",
                stmts("    ", &|i| format!("int x{i} = a + {i};"))
            ),
        ),
        other => panic!("no long function for {other}"),
    }
}

fn spec((path, text): (String, String)) -> String {
    format!("=== {path}\n{text}")
}

const LONG_LANGS: [&str; 10] = [
    "rust",
    "python",
    "javascript",
    "typescript",
    "tsx",
    "go",
    "java",
    "c",
    "cpp",
    "csharp",
];

/// long-function and long-function-grew in each language: generated.
fn length_cases() -> Vec<Case> {
    let mut cases = Vec::new();
    for lang in LONG_LANGS {
        // new and over the threshold (60) / new and short
        cases.push(pos(
            "long-function",
            lang,
            "",
            &spec(long_fn(lang, 70, true)),
        ));
        cases.push(neg(
            "long-function",
            lang,
            "",
            &spec(long_fn(lang, 30, false)),
        ));
        // crossed the threshold / already long and grew a little (neither rule)
        cases.push(pos(
            "long-function",
            lang,
            &spec(long_fn(lang, 50, false)),
            &spec(long_fn(lang, 66, true)),
        ));
        cases.push(neg(
            "long-function",
            lang,
            &spec(long_fn(lang, 70, false)),
            &spec(long_fn(lang, 72, false)),
        ));
        // already long, grew by more than 5 lines / by 3
        cases.push(pos(
            "long-function-grew",
            lang,
            &spec(long_fn(lang, 70, false)),
            &spec(long_fn(lang, 80, true)),
        ));
        cases.push(neg(
            "long-function-grew",
            lang,
            &spec(long_fn(lang, 70, false)),
            &spec(long_fn(lang, 73, false)),
        ));
    }
    cases
}

/// The code rules, per language.
fn code_cases() -> Vec<Case> {
    vec![
        // ---- rust-unwrap
        pos(
            "rust-unwrap",
            "rust",
            "",
            r##"=== src/lib.rs
pub fn port(text: &str) -> u16 {
    let n: u16 = text.parse().unwrap();«
    n.checked_add(1).expect("port overflow")«
}
"##,
        ),
        neg(
            "rust-unwrap",
            "rust",
            "",
            r##"=== src/lib.rs
/// Never `text.parse().unwrap()`: a bad port is the default.
pub fn port(text: &str) -> u16 {
    // text.parse().unwrap() would panic
    let _hint = "call .unwrap() here";
    text.parse().unwrap_or(80)
}
=== src/main.rs
fn main() {
    let n: u16 = "8".parse().unwrap();
    std::process::exit(i32::from(n));
}
=== tests/port.rs
#[test]
fn parses() {
    let n: u16 = "8".parse().unwrap();
    assert_eq!(n, 8);
}
"##,
        ),
        // ---- rust-panic
        pos(
            "rust-panic",
            "rust",
            "",
            r##"=== src/lib.rs
pub fn digit(x: u8) -> u8 {
    if x > 9 {
        panic!("not a digit: {x}");«
    }
    match x {
        0..=9 => x,
        _ => unreachable!(),«
    }
}
"##,
        ),
        neg(
            "rust-panic",
            "rust",
            "",
            r##"=== src/lib.rs
pub fn digit(x: u8) -> Option<u8> {
    let _why = "panic!(\"never\")";
    // panic!("not here")
    (x <= 9).then_some(x)
}

#[cfg(test)]
mod tests {
    #[test]
    fn big() {
        if super::digit(10).is_some() {
            panic!("10 is not a digit");
        }
    }
}
"##,
        ),
        // ---- rust-unsafe
        pos(
            "rust-unsafe",
            "rust",
            "",
            r##"=== src/lib.rs
pub fn first(p: *const u8) -> u8 {
    unsafe { *p }«
}
"##,
        ),
        neg(
            "rust-unsafe",
            "rust",
            "",
            r##"=== src/lib.rs
/// Safe: no unsafe code here.
pub fn first(bytes: &[u8]) -> u8 {
    let unsafe_count = 0;
    let _label = "unsafe { *p }";
    bytes.first().copied().unwrap_or(unsafe_count)
}
"##,
        ),
        // ---- swallowed-error
        pos(
            "swallowed-error",
            "rust",
            "",
            r##"=== src/lib.rs
pub fn save(text: &str) {
    let _ = std::fs::write("out.txt", text);«
    std::fs::write("copy.txt", text).ok();«
}
"##,
        ),
        neg(
            "swallowed-error",
            "rust",
            "",
            r##"=== src/lib.rs
pub fn save(text: &str) -> std::io::Result<()> {
    // let _ = std::fs::write("out.txt", text);
    let _ = 5;
    let _unused = "let _ = f();";
    std::fs::write("out.txt", text)?;
    Ok(())
}
"##,
        ),
        pos(
            "swallowed-error",
            "python",
            "",
            r##"=== app/save.py
def save(text):
    try:
        write(text)
    except OSError:«
        pass
"##,
        ),
        neg(
            "swallowed-error",
            "python",
            "",
            r##"=== app/save.py
def save(text):
    note = "except OSError: pass"
    try:
        write(text)
    except OSError:
        log.warning("could not save %s", note)
        raise
"##,
        ),
        pos(
            "swallowed-error",
            "javascript",
            "",
            r##"=== src/save.js
export function save(text) {
  try {
    write(text);
  } catch (e) {}«
  load().catch(() => {});«
}
"##,
        ),
        neg(
            "swallowed-error",
            "javascript",
            "",
            r##"=== src/save.js
export function save(text) {
  const hint = "catch (e) {}";
  try {
    write(text);
  } catch (e) {
    throw new Error(`could not save ${hint}`, { cause: e });
  }
}
"##,
        ),
        pos(
            "swallowed-error",
            "typescript",
            "",
            r##"=== src/save.ts
export function save(text: string): void {
  try {
    write(text);
  } catch {}«
}
"##,
        ),
        neg(
            "swallowed-error",
            "typescript",
            "",
            r##"=== src/save.ts
export function save(text: string): void {
  try {
    write(text);
  } catch (e: unknown) {
    report(e);
  }
}
"##,
        ),
        pos(
            "swallowed-error",
            "tsx",
            "",
            r##"=== src/Save.tsx
export function Save({ text }: { text: string }) {
  try {
    write(text);
  } catch (e) {}«
  return <div>{text}</div>;
}
"##,
        ),
        neg(
            "swallowed-error",
            "tsx",
            "",
            r##"=== src/Save.tsx
export function Save({ text }: { text: string }) {
  try {
    write(text);
  } catch (e) {
    report(e);
  }
  return <div>catch (e) {"{}"}</div>;
}
"##,
        ),
        pos(
            "swallowed-error",
            "go",
            "",
            r##"=== save/save.go
package save

import (
	"os"
	"strconv"
)

func Save(text string) int {
	n, _ := strconv.Atoi(text)«
	_ = os.WriteFile("out.txt", []byte(text), 0o644)«
	return n
}
"##,
        ),
        neg(
            "swallowed-error",
            "go",
            "",
            r##"=== save/save.go
package save

import "os"

func Save(texts []string) error {
	for _, text := range texts {
		_, err := os.Stdout.WriteString(text)
		if err != nil {
			return err
		}
	}
	// _ = os.WriteFile("out.txt", nil, 0o644)
	return nil
}
"##,
        ),
        pos(
            "swallowed-error",
            "java",
            "",
            r##"=== src/Save.java
class Save {
    void save(String text) {
        try {
            write(text);
        } catch (IOException e) {}«
    }
}
"##,
        ),
        neg(
            "swallowed-error",
            "java",
            "",
            r##"=== src/Save.java
class Save {
    void save(String text) {
        try {
            write(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
"##,
        ),
        pos(
            "swallowed-error",
            "csharp",
            "",
            r##"=== src/Save.cs
class Save {
    void Write(string text) {
        try {
            File.WriteAllText("out.txt", text);
        } catch (IOException e) {}«
    }
}
"##,
        ),
        neg(
            "swallowed-error",
            "csharp",
            "",
            r##"=== src/Save.cs
class Save {
    void Write(string text) {
        try {
            File.WriteAllText("out.txt", text);
        } catch (IOException e) {
            logger.LogError(e, "could not save");
            throw;
        }
    }
}
"##,
        ),
        pos(
            "swallowed-error",
            "zig",
            "",
            r##"=== src/save.zig
fn save(text: []const u8) void {
    write(text) catch {};«
}
"##,
        ),
        neg(
            "swallowed-error",
            "zig",
            "",
            r##"=== src/save.zig
fn save(text: []const u8) !void {
    // write(text) catch {};
    write(text) catch |err| return err;
}
"##,
        ),
        // ---- broad-catch
        pos(
            "broad-catch",
            "python",
            "",
            r##"=== app/load.py
def load(path):
    try:
        return read(path)
    except Exception:«
        log.warning("could not read %s", path)
        return None
"##,
        ),
        neg(
            "broad-catch",
            "python",
            "",
            r##"=== app/load.py
def load(path):
    try:
        return read(path)
    except FileNotFoundError:
        return None
    except Exception:
        log.warning("could not read %s", path)
        raise
"##,
        ),
        pos(
            "broad-catch",
            "javascript",
            "",
            r##"=== src/load.js
export function load(path) {
  try {
    return read(path);
  } catch (e) {«
    report(e);
    return null;
  }
}
"##,
        ),
        neg(
            "broad-catch",
            "javascript",
            "",
            r##"=== src/load.js
export function load(path) {
  try {
    return read(path);
  } catch (e) {
    if (e.code === "ENOENT") return null;
    throw e;
  }
}
"##,
        ),
        pos(
            "broad-catch",
            "typescript",
            "",
            r##"=== src/load.ts
export function load(path: string): string | null {
  try {
    return read(path);
  } catch (e) {«
    report(e);
    return null;
  }
}
"##,
        ),
        neg(
            "broad-catch",
            "typescript",
            "",
            r##"=== src/load.ts
export function load(path: string): string | null {
  try {
    return read(path);
  } catch (e) {
    if (e instanceof NotFoundError) return null;
    throw e;
  }
}
"##,
        ),
        pos(
            "broad-catch",
            "tsx",
            "",
            r##"=== src/Load.tsx
export function Load({ path }: { path: string }) {
  let text = "";
  try {
    text = read(path);
  } catch (e) {«
    report(e);
  }
  return <pre>{text}</pre>;
}
"##,
        ),
        neg(
            "broad-catch",
            "tsx",
            "",
            r##"=== src/Load.test.tsx
it("renders", () => {
  try {
    render(<Load path="a" />);
  } catch (e) {
    report(e);
  }
  expect(screen.getByText("a")).toBeTruthy();
});
"##,
        ),
        // ---- sql-formatting
        pos(
            "sql-formatting",
            "rust",
            "",
            r##"=== src/db.rs
pub fn query(name: &str) -> String {
    format!("SELECT id FROM users WHERE name = '{name}'")«
}
"##,
        ),
        neg(
            "sql-formatting",
            "rust",
            "",
            r##"=== src/db.rs
pub fn query(n: usize) -> (String, &'static str) {
    let _q = "SELECT id FROM users WHERE name = $1";
    (format!("Selected {n} rows"), "SELECT id FROM users WHERE name = ?")
}
"##,
        ),
        pos(
            "sql-formatting",
            "python",
            "",
            r##"=== app/db.py
def find(cur, name):
    cur.execute(f"SELECT id FROM users WHERE name = '{name}'")«
    cur.execute("DELETE FROM users WHERE name = '%s'" % name)«
"##,
        ),
        neg(
            "sql-formatting",
            "python",
            "",
            r##"=== app/db.py
def find(cur, name):
    cur.execute("SELECT id FROM users WHERE name = %s", (name,))
    print(f"Selected users named {name}")
"##,
        ),
        pos(
            "sql-formatting",
            "javascript",
            "",
            r##"=== src/db.js
export function find(db, name) {
  return db.query(`SELECT id FROM users WHERE name = '${name}'`);«
}
"##,
        ),
        neg(
            "sql-formatting",
            "javascript",
            "",
            r##"=== src/db.js
export function find(db, name) {
  log(`selected from users: ${name}`);
  return db.query("SELECT id FROM users WHERE name = $1", [name]);
}
"##,
        ),
        pos(
            "sql-formatting",
            "typescript",
            "",
            r##"=== src/db.ts
export function find(db: Db, name: string) {
  return db.query("SELECT id FROM users WHERE name = '" + name + "'");«
}
"##,
        ),
        neg(
            "sql-formatting",
            "typescript",
            "",
            r##"=== src/db.ts
export function find(db: Db, name: string) {
  return db.query("SELECT id FROM users WHERE name = $1", [name]);
}
"##,
        ),
        pos(
            "sql-formatting",
            "tsx",
            "",
            r##"=== src/Users.tsx
export function Users({ db, name }: Props) {
  const rows = db.query(`SELECT id FROM users WHERE name = '${name}'`);«
  return <ul>{rows.length}</ul>;
}
"##,
        ),
        neg(
            "sql-formatting",
            "tsx",
            "",
            r##"=== src/Users.tsx
export function Users({ db, name }: Props) {
  const rows = db.query("SELECT id FROM users WHERE name = $1", [name]);
  return <ul title={`select ${name}`}>{rows.length}</ul>;
}
"##,
        ),
        pos(
            "sql-formatting",
            "go",
            "",
            r##"=== db/db.go
package db

import "fmt"

func Find(db *sql.DB, name string) {
	db.Query(fmt.Sprintf("SELECT id FROM users WHERE name = '%s'", name))«
}
"##,
        ),
        neg(
            "sql-formatting",
            "go",
            "",
            r##"=== db/db.go
package db

import "fmt"

func Find(db *sql.DB, name string) {
	db.Query("SELECT id FROM users WHERE name = $1", name)
	fmt.Println(fmt.Sprintf("selected %s", name))
}
"##,
        ),
        pos(
            "sql-formatting",
            "java",
            "",
            r##"=== src/Db.java
class Db {
    ResultSet find(Statement st, String name) {
        return st.executeQuery("SELECT id FROM users WHERE name = '" + name + "'");«
    }
}
"##,
        ),
        neg(
            "sql-formatting",
            "java",
            "",
            r##"=== src/Db.java
class Db {
    ResultSet find(Connection c, String name) {
        PreparedStatement st = c.prepareStatement("SELECT id FROM users WHERE name = ?");
        st.setString(1, name);
        return st.executeQuery();
    }
}
"##,
        ),
        pos(
            "sql-formatting",
            "csharp",
            "",
            r##"=== src/Db.cs
class Db {
    void Find(SqlConnection c, string name) {
        var cmd = new SqlCommand($"SELECT id FROM users WHERE name = '{name}'", c);«
    }
}
"##,
        ),
        neg(
            "sql-formatting",
            "csharp",
            "",
            r##"=== src/Db.cs
class Db {
    void Find(SqlConnection c, string name) {
        var cmd = new SqlCommand("SELECT id FROM users WHERE name = @name", c);
        cmd.Parameters.AddWithValue("@name", name);
    }
}
"##,
        ),
        // ---- shell-formatting
        pos(
            "shell-formatting",
            "rust",
            "",
            r##"=== src/run.rs
use std::process::Command;

pub fn list(dir: &str) {
    Command::new("sh").arg("-c").arg(format!("ls {dir}")).status().ok();«
}
"##,
        ),
        neg(
            "shell-formatting",
            "rust",
            "",
            r##"=== src/run.rs
use std::process::Command;

pub fn list(dir: &str) {
    Command::new("ls").arg(dir).status().ok();
    Command::new("sh").arg("-c").arg("ls -la").status().ok();
}
"##,
        ),
        pos(
            "shell-formatting",
            "python",
            "",
            r##"=== app/run.py
import os
import subprocess

def listing(d):
    subprocess.run(f"ls {d}", shell=True)«
    os.system("ls " + d)«
"##,
        ),
        neg(
            "shell-formatting",
            "python",
            "",
            r##"=== app/run.py
import subprocess

def listing(d):
    subprocess.run(["ls", d])
    subprocess.run("ls -la", shell=True)
"##,
        ),
        pos(
            "shell-formatting",
            "javascript",
            "",
            r##"=== src/run.js
import { execSync } from "node:child_process";

export function list(dir) {
  return execSync(`ls ${dir}`);«
}
"##,
        ),
        neg(
            "shell-formatting",
            "javascript",
            "",
            r##"=== src/run.js
import { execFileSync } from "node:child_process";

export function list(dir) {
  return execFileSync("ls", [dir]);
}
"##,
        ),
        pos(
            "shell-formatting",
            "typescript",
            "",
            r##"=== src/run.ts
import { exec } from "node:child_process";

export function list(dir: string): void {
  exec("ls " + dir);«
}
"##,
        ),
        neg(
            "shell-formatting",
            "typescript",
            "",
            r##"=== src/run.ts
import { execFile } from "node:child_process";

export function list(dir: string): void {
  execFile("ls", [dir]);
  // exec(`ls ${dir}`) would run a shell
}
"##,
        ),
        pos(
            "shell-formatting",
            "tsx",
            "",
            r##"=== src/Run.tsx
import { execSync } from "node:child_process";

export function Run({ dir }: { dir: string }) {
  const out = execSync(`ls ${dir}`);«
  return <pre>{String(out)}</pre>;
}
"##,
        ),
        neg(
            "shell-formatting",
            "tsx",
            "",
            r##"=== src/Run.tsx
import { execFileSync } from "node:child_process";

export function Run({ dir }: { dir: string }) {
  const out = execFileSync("ls", [dir]);
  return <pre title={`ls ${dir}`}>{String(out)}</pre>;
}
"##,
        ),
        pos(
            "shell-formatting",
            "go",
            "",
            r##"=== run/run.go
package run

import (
	"fmt"
	"os/exec"
)

func List(dir string) {
	exec.Command("sh", "-c", fmt.Sprintf("ls %s", dir)).Run()«
}
"##,
        ),
        neg(
            "shell-formatting",
            "go",
            "",
            r##"=== run/run.go
package run

import "os/exec"

func List(dir string) {
	exec.Command("ls", dir).Run()
}
"##,
        ),
        pos(
            "shell-formatting",
            "java",
            "",
            r##"=== src/Run.java
class Run {
    void list(String dir) throws Exception {
        Runtime.getRuntime().exec("ls " + dir);«
    }
}
"##,
        ),
        neg(
            "shell-formatting",
            "java",
            "",
            r##"=== src/Run.java
class Run {
    void list(String dir) throws Exception {
        new ProcessBuilder("ls", dir).start();
    }
}
"##,
        ),
        // ---- dynamic-eval
        pos(
            "dynamic-eval",
            "python",
            "",
            r##"=== app/calc.py
def calc(expr, code):
    exec(code)«
    return eval(expr)«
"##,
        ),
        neg(
            "dynamic-eval",
            "python",
            "",
            r##"=== app/calc.py
import ast

def calc(expr, model):
    model.eval()
    # eval(expr) is unsafe
    return ast.literal_eval(expr) + eval("1 + 1")
"##,
        ),
        pos(
            "dynamic-eval",
            "javascript",
            "",
            r##"=== src/calc.js
export function calc(expr, body) {
  const f = new Function("a", body);«
  return eval(expr) + f(1);«
}
"##,
        ),
        neg(
            "dynamic-eval",
            "javascript",
            "",
            r##"=== src/calc.js
export function calc(expr) {
  // eval(expr) is unsafe
  return JSON.parse(expr) + eval("2") + model.eval(expr);
}
"##,
        ),
        pos(
            "dynamic-eval",
            "typescript",
            "",
            r##"=== src/calc.ts
export function calc(expr: string): number {
  return eval(expr);«
}
"##,
        ),
        neg(
            "dynamic-eval",
            "typescript",
            "",
            r##"=== src/calc.ts
export function calc(expr: string): number {
  const hint = "eval(expr)";
  return JSON.parse(expr) + hint.length;
}
"##,
        ),
        pos(
            "dynamic-eval",
            "tsx",
            "",
            r##"=== src/Calc.tsx
export function Calc({ expr }: { expr: string }) {
  return <span>{eval(expr)}</span>;«
}
"##,
        ),
        neg(
            "dynamic-eval",
            "tsx",
            "",
            r##"=== src/Calc.tsx
export function Calc({ expr }: { expr: string }) {
  return <span title="eval(expr)">{JSON.parse(expr)}</span>;
}
"##,
        ),
        // ---- ts-any
        pos(
            "ts-any",
            "typescript",
            "",
            r##"=== src/parse.ts
export function parse(text: string): any {«
  const list = JSON.parse(text) as any[];«
  return list;
}
"##,
        ),
        neg(
            "ts-any",
            "typescript",
            "",
            r##"=== src/parse.ts
// Returns any value the JSON holds.
export function parse(text: string): unknown {
  const anyValue: unknown = JSON.parse(text);
  return anyValue ?? "any";
}
=== src/globals.d.ts
declare const legacy: any;
=== src/parse.test.ts
it("parses", () => {
  const v = parse("1") as any;
  expect(v).toBe(1);
});
"##,
        ),
        pos(
            "ts-any",
            "tsx",
            "",
            r##"=== src/View.tsx
export function View(props: Record<string, any>) {«
  return <div>{props.title}</div>;
}
"##,
        ),
        neg(
            "ts-any",
            "tsx",
            "",
            r##"=== src/View.tsx
export function View(props: { title: string }) {
  return <div title="any">{props.title} or any other</div>;
}
"##,
        ),
    ]
}

/// The test rules, per language.
fn test_cases() -> Vec<Case> {
    vec![
        // ---- test-disabled
        pos(
            "test-disabled",
            "rust",
            "",
            r##"=== src/lib.rs
pub fn one() -> u8 {
    1
}

#[cfg(test)]
mod tests {
    #[test]
    #[ignore]«
    fn one_is_one() {
        assert_eq!(super::one(), 1);
    }
}
"##,
        ),
        neg(
            "test-disabled",
            "rust",
            r##"=== src/lib.rs
pub fn one() -> u8 {
    1
}

#[cfg(test)]
mod tests {
    #[test]
    #[ignore]
    fn one_is_one() {
        assert_eq!(super::one(), 1);
    }
}
"##,
            r##"=== src/lib.rs
pub fn one() -> u8 {
    1
}

#[cfg(test)]
mod tests {
    // was #[ignore] until the fix
    #[test]
    fn one_is_one() {
        assert_eq!(super::one(), 1);
    }
}
"##,
        ),
        pos(
            "test-disabled",
            "python",
            "",
            r##"=== tests/test_one.py
import pytest


@pytest.mark.skip(reason="flaky")«
def test_one():
    assert one() == 1


def test_two():
    pytest.skip("later")«
    assert two() == 2
"##,
        ),
        neg(
            "test-disabled",
            "python",
            "",
            r##"=== tests/test_one.py
import pytest


@pytest.mark.parametrize("x", [1])
def test_one(x):
    assert skip(x) == 1, "pytest.skip( is not called"
"##,
        ),
        pos(
            "test-disabled",
            "javascript",
            "",
            r##"=== src/one.test.js
it.skip("is one", () => {«
  expect(one()).toBe(1);
});
xit("is two", () => {«
  expect(two()).toBe(2);
});
"##,
        ),
        neg(
            "test-disabled",
            "javascript",
            "",
            r##"=== src/one.test.js
it("skips nothing: it.skip is not used", () => {
  expect(skip(1)).toBe(1);
});
"##,
        ),
        pos(
            "test-disabled",
            "typescript",
            "",
            r##"=== src/one.test.ts
describe.skip("one", () => {«
  it("is one", () => {
    expect(one()).toBe(1);
  });
});
"##,
        ),
        neg(
            "test-disabled",
            "typescript",
            "",
            r##"=== src/one.test.ts
describe("one", () => {
  it("is one", () => {
    expect(one()).toBe(1);
  });
});
"##,
        ),
        pos(
            "test-disabled",
            "tsx",
            "",
            r##"=== src/One.test.tsx
test.skip("renders one", () => {«
  render(<One />);
  expect(screen.getByText("1")).toBeTruthy();
});
"##,
        ),
        neg(
            "test-disabled",
            "tsx",
            "",
            r##"=== src/One.test.tsx
test("renders one", () => {
  render(<One label="test.skip" />);
  expect(screen.getByText("1")).toBeTruthy();
});
"##,
        ),
        pos(
            "test-disabled",
            "go",
            "",
            r##"=== one/one_test.go
package one

import "testing"

func TestOne(t *testing.T) {
	t.Skip("later")«
	if One() != 1 {
		t.Fatal("not one")
	}
}
"##,
        ),
        neg(
            "test-disabled",
            "go",
            "",
            r##"=== one/one_test.go
package one

import "testing"

func TestOne(t *testing.T) {
	// t.Skip("later")
	if One() != 1 {
		t.Fatal("t.Skip is not called")
	}
}
"##,
        ),
        pos(
            "test-disabled",
            "java",
            "",
            r##"=== src/test/java/OneTest.java
class OneTest {
    @Disabled«
    @Test
    void one() {
        assertEquals(1, One.one());
    }
}
"##,
        ),
        neg(
            "test-disabled",
            "java",
            "",
            r##"=== src/test/java/OneTest.java
class OneTest {
    @Test
    @DisplayName("Disabled users are counted")
    void one() {
        assertEquals(1, One.one());
    }
}
"##,
        ),
        pos(
            "test-disabled",
            "csharp",
            "",
            r##"=== tests/OneTests.cs
public class OneTests {
    [Fact(Skip = "later")]«
    public void One() {
        Assert.Equal(1, Numbers.One());
    }
}
"##,
        ),
        neg(
            "test-disabled",
            "csharp",
            "",
            r##"=== tests/OneTests.cs
public class OneTests {
    [Fact]
    public void One() {
        Assert.Equal("Skip = later", Numbers.Label());
    }
}
"##,
        ),
        // ---- test-deleted: the base's two tests, one removed (marked on the old side);
        // the negative renames a test without changing its body and edits another's body
        pos(
            "test-deleted",
            "rust",
            r##"=== src/lib.rs
pub fn one() -> u8 {
    1
}

#[cfg(test)]
mod tests {
    #[test]
    fn one_is_one() {
        assert_eq!(super::one(), 1);
    }

    #[test]«
    fn one_is_odd() {
        assert_eq!(super::one() % 2, 1);
    }
}
"##,
            r##"=== src/lib.rs
pub fn one() -> u8 {
    1
}

#[cfg(test)]
mod tests {
    #[test]
    fn one_is_one() {
        assert_eq!(super::one(), 1);
    }
}
"##,
        ),
        neg(
            "test-deleted",
            "rust",
            r##"=== src/lib.rs
#[cfg(test)]
mod tests {
    #[test]
    fn one_is_one() {
        assert_eq!(1, 1);
    }

    #[test]
    fn two() {
        assert_eq!(2, 2);
    }
}
"##,
            r##"=== src/lib.rs
#[cfg(test)]
mod tests {
    #[test]
    fn one_equals_one() {
        assert_eq!(1, 1);
    }

    #[test]
    fn two() {
        assert_eq!(2, 1 + 1);
    }
}
"##,
        ),
        pos(
            "test-deleted",
            "python",
            r##"=== tests/test_one.py
def test_one():
    assert one() == 1


def test_odd():«
    assert one() % 2 == 1
"##,
            r##"=== tests/test_one.py
def test_one():
    assert one() == 1
"##,
        ),
        neg(
            "test-deleted",
            "python",
            r##"=== tests/test_one.py
def test_one():
    assert one() == 1
"##,
            r##"=== tests/test_one.py
def test_one():
    assert one() == 1


def test_two():
    assert two() == 2
"##,
        ),
        pos(
            "test-deleted",
            "javascript",
            r##"=== src/one.test.js
it("is one", () => {
  expect(one()).toBe(1);
});
it("is odd", () => {«
  expect(one() % 2).toBe(1);
});
"##,
            r##"=== src/one.test.js
it("is one", () => {
  expect(one()).toBe(1);
});
"##,
        ),
        neg(
            "test-deleted",
            "javascript",
            r##"=== src/one.test.js
it("is one", () => {
  expect(one()).toBe(1);
});
"##,
            r##"=== src/one.test.js
it("is one", () => {
  expect(one()).toEqual(1);
});
"##,
        ),
        pos(
            "test-deleted",
            "typescript",
            r##"=== src/one.test.ts
test("is one", () => {
  expect(one()).toBe(1);
});
test("is odd", () => {«
  expect(one() % 2).toBe(1);
});
"##,
            r##"=== src/one.test.ts
test("is one", () => {
  expect(one()).toBe(1);
});
"##,
        ),
        neg(
            "test-deleted",
            "typescript",
            r##"=== src/one.test.ts
test("is one", () => {
  expect(one()).toBe(1);
});
"##,
            r##"=== src/one.test.ts
test("is one", () => {
  expect(one()).toBe(1);
});
test("is odd", () => {
  expect(one() % 2).toBe(1);
});
"##,
        ),
        pos(
            "test-deleted",
            "tsx",
            r##"=== src/One.test.tsx
it("renders one", () => {
  render(<One />);
  expect(screen.getByText("1")).toBeTruthy();
});
it("renders odd", () => {«
  render(<One odd />);
  expect(screen.getByText("odd")).toBeTruthy();
});
"##,
            r##"=== src/One.test.tsx
it("renders one", () => {
  render(<One />);
  expect(screen.getByText("1")).toBeTruthy();
});
"##,
        ),
        neg(
            "test-deleted",
            "tsx",
            r##"=== src/One.test.tsx
it("renders one", () => {
  render(<One />);
  expect(screen.getByText("1")).toBeTruthy();
});
"##,
            r##"=== src/One.test.tsx
it("renders one", () => {
  render(<One big />);
  expect(screen.getByText("1")).toBeTruthy();
});
"##,
        ),
        pos(
            "test-deleted",
            "go",
            r##"=== one/one_test.go
package one

import "testing"

func TestOne(t *testing.T) {
	if One() != 1 {
		t.Fatal("not one")
	}
}

func TestOdd(t *testing.T) {«
	if One()%2 != 1 {
		t.Fatal("not odd")
	}
}
"##,
            r##"=== one/one_test.go
package one

import "testing"

func TestOne(t *testing.T) {
	if One() != 1 {
		t.Fatal("not one")
	}
}
"##,
        ),
        neg(
            "test-deleted",
            "go",
            r##"=== one/one_test.go
package one

import "testing"

func TestOne(t *testing.T) {
	if One() != 1 {
		t.Fatal("not one")
	}
}
"##,
            r##"=== one/one_test.go
package one

import "testing"

func TestOne(t *testing.T) {
	if got := One(); got != 1 {
		t.Fatalf("got %d", got)
	}
}
"##,
        ),
        pos(
            "test-deleted",
            "java",
            r##"=== src/test/java/OneTest.java
class OneTest {
    @Test
    void one() {
        assertEquals(1, One.one());
    }

    @Test«
    void odd() {
        assertEquals(1, One.one() % 2);
    }
}
"##,
            r##"=== src/test/java/OneTest.java
class OneTest {
    @Test
    void one() {
        assertEquals(1, One.one());
    }
}
"##,
        ),
        neg(
            "test-deleted",
            "java",
            r##"=== src/test/java/OneTest.java
class OneTest {
    @Test
    void one() {
        assertEquals(1, One.one());
    }
}
"##,
            r##"=== src/test/java/OneTest.java
class OneTest {
    @Test
    void one() {
        assertEquals(1, One.one(), "one");
    }
}
"##,
        ),
        pos(
            "test-deleted",
            "csharp",
            r##"=== tests/OneTests.cs
public class OneTests {
    [Fact]
    public void One() {
        Assert.Equal(1, Numbers.One());
    }

    [Fact]«
    public void Odd() {
        Assert.Equal(1, Numbers.One() % 2);
    }
}
"##,
            r##"=== tests/OneTests.cs
public class OneTests {
    [Fact]
    public void One() {
        Assert.Equal(1, Numbers.One());
    }
}
"##,
        ),
        neg(
            "test-deleted",
            "csharp",
            r##"=== tests/OneTests.cs
public class OneTests {
    [Fact]
    public void One() {
        Assert.Equal(1, Numbers.One());
    }
}
"##,
            r##"=== tests/OneTests.cs
public class OneTests {
    [Fact]
    public void One() {
        Assert.Equal(1, Numbers.One(), "one");
    }
}
"##,
        ),
        // ---- test-without-assertion
        pos(
            "test-without-assertion",
            "rust",
            "",
            r##"=== tests/one.rs
#[test]«
fn one_runs() {
    let _ = one::one();
}
"##,
        ),
        neg(
            "test-without-assertion",
            "rust",
            "",
            r##"=== tests/one.rs
#[test]
fn one_is_one() {
    assert_eq!(one::one(), 1);
}

#[test]
fn one_parses() {
    one::parse("1").unwrap();
}
"##,
        ),
        pos(
            "test-without-assertion",
            "python",
            "",
            r##"=== tests/test_one.py
def test_one_runs():«
    one()
"##,
        ),
        neg(
            "test-without-assertion",
            "python",
            "",
            r##"=== tests/test_one.py
import pytest


def test_one():
    assert one() == 1


def test_bad():
    with pytest.raises(ValueError):
        one("x")
"##,
        ),
        pos(
            "test-without-assertion",
            "javascript",
            "",
            r##"=== src/one.test.js
it("runs one", () => {«
  one();
});
"##,
        ),
        neg(
            "test-without-assertion",
            "javascript",
            "",
            r##"=== src/one.test.js
it("runs one", () => {
  expect(one()).toBe(1);
});
"##,
        ),
        pos(
            "test-without-assertion",
            "typescript",
            "",
            r##"=== src/one.test.ts
test("runs one", () => {«
  one();
});
"##,
        ),
        neg(
            "test-without-assertion",
            "typescript",
            "",
            r##"=== src/one.test.ts
test("runs one", () => {
  checkOne(one());
});
"##,
        ),
        pos(
            "test-without-assertion",
            "tsx",
            "",
            r##"=== src/One.test.tsx
it("renders one", () => {«
  render(<One />);
});
"##,
        ),
        neg(
            "test-without-assertion",
            "tsx",
            "",
            r##"=== src/One.test.tsx
it("renders one", () => {
  render(<One />);
  expect(screen.getByText("1")).toBeTruthy();
});
"##,
        ),
        pos(
            "test-without-assertion",
            "go",
            "",
            r##"=== one/one_test.go
package one

import "testing"

func TestOneRuns(t *testing.T) {«
	One()
}
"##,
        ),
        neg(
            "test-without-assertion",
            "go",
            "",
            r##"=== one/one_test.go
package one

import "testing"

func TestOne(t *testing.T) {
	if One() != 1 {
		t.Errorf("not one")
	}
}
"##,
        ),
        pos(
            "test-without-assertion",
            "java",
            "",
            r##"=== src/test/java/OneTest.java
class OneTest {
    @Test«
    void runs() {
        One.one();
    }
}
"##,
        ),
        neg(
            "test-without-assertion",
            "java",
            "",
            r##"=== src/test/java/OneTest.java
class OneTest {
    @Test
    void one() {
        assertEquals(1, One.one());
    }
}
"##,
        ),
        pos(
            "test-without-assertion",
            "csharp",
            "",
            r##"=== tests/OneTests.cs
public class OneTests {
    [Fact]«
    public void Runs() {
        Numbers.One();
    }
}
"##,
        ),
        neg(
            "test-without-assertion",
            "csharp",
            "",
            r##"=== tests/OneTests.cs
public class OneTests {
    [Fact]
    public void One() {
        Assert.Equal(1, Numbers.One());
    }
}
"##,
        ),
        // ---- test-sleep (library code that waits is the near miss)
        pos(
            "test-sleep",
            "rust",
            "",
            r##"=== tests/wait.rs
#[test]
fn waits() {
    start();
    std::thread::sleep(std::time::Duration::from_millis(50));«
    assert!(done());
}
"##,
        ),
        neg(
            "test-sleep",
            "rust",
            "",
            r##"=== src/lib.rs
pub fn backoff() {
    std::thread::sleep(std::time::Duration::from_millis(50));
}
"##,
        ),
        pos(
            "test-sleep",
            "python",
            "",
            r##"=== tests/test_wait.py
import time


def test_waits():
    start()
    time.sleep(0.5)«
    assert done()
"##,
        ),
        neg(
            "test-sleep",
            "python",
            "",
            r##"=== app/retry.py
import time


def backoff():
    time.sleep(0.5)
"##,
        ),
        pos(
            "test-sleep",
            "javascript",
            "",
            r##"=== src/wait.test.js
it("waits", async () => {
  start();
  await new Promise((r) => setTimeout(r, 500));«
  expect(done()).toBe(true);
});
"##,
        ),
        neg(
            "test-sleep",
            "javascript",
            "",
            r##"=== src/wait.js
export function later(f) {
  setTimeout(f, 500);
}
"##,
        ),
        pos(
            "test-sleep",
            "typescript",
            "",
            r##"=== e2e/wait.spec.ts
test("waits", async ({ page }) => {
  await page.waitForTimeout(1000);«
  await expect(page.getByText("done")).toBeVisible();
});
"##,
        ),
        neg(
            "test-sleep",
            "typescript",
            "",
            r##"=== e2e/wait.spec.ts
test("waits", async ({ page }) => {
  await expect(page.getByText("done")).toBeVisible({ timeout: 1000 });
});
"##,
        ),
        pos(
            "test-sleep",
            "tsx",
            "",
            r##"=== src/Wait.test.tsx
it("shows done", async () => {
  render(<Wait />);
  await new Promise((r) => setTimeout(r, 500));«
  expect(screen.getByText("done")).toBeTruthy();
});
"##,
        ),
        neg(
            "test-sleep",
            "tsx",
            "",
            r##"=== src/Wait.test.tsx
it("shows done", async () => {
  render(<Wait />);
  await waitFor(() => expect(screen.getByText("done")).toBeTruthy());
});
"##,
        ),
        pos(
            "test-sleep",
            "go",
            "",
            r##"=== wait/wait_test.go
package wait

import (
	"testing"
	"time"
)

func TestWaits(t *testing.T) {
	Start()
	time.Sleep(100 * time.Millisecond)«
	if !Done() {
		t.Fatal("not done")
	}
}
"##,
        ),
        neg(
            "test-sleep",
            "go",
            "",
            r##"=== wait/wait.go
package wait

import "time"

func Backoff() {
	time.Sleep(100 * time.Millisecond)
}
"##,
        ),
        pos(
            "test-sleep",
            "java",
            "",
            r##"=== src/test/java/WaitTest.java
class WaitTest {
    @Test
    void waits() throws Exception {
        Wait.start();
        Thread.sleep(500);«
        assertTrue(Wait.done());
    }
}
"##,
        ),
        neg(
            "test-sleep",
            "java",
            "",
            r##"=== src/main/java/Wait.java
class Wait {
    static void backoff() throws Exception {
        Thread.sleep(500);
    }
}
"##,
        ),
        pos(
            "test-sleep",
            "csharp",
            "",
            r##"=== tests/WaitTests.cs
public class WaitTests {
    [Fact]
    public async Task Waits() {
        Wait.Start();
        await Task.Delay(500);«
        Assert.True(Wait.Done());
    }
}
"##,
        ),
        neg(
            "test-sleep",
            "csharp",
            "",
            r##"=== src/Wait.cs
public class Wait {
    public static void Backoff() {
        Thread.Sleep(500);
    }
}
"##,
        ),
    ]
}

/// Debug output, commented-out code, stubs and parse errors, per language.
fn shape_cases() -> Vec<Case> {
    vec![
        // ---- debug-leftover
        pos(
            "debug-leftover",
            "rust",
            "",
            r##"=== src/lib.rs
pub fn total(a: u32) -> u32 {
    dbg!(a);«
    a + 1
}
"##,
        ),
        neg(
            "debug-leftover",
            "rust",
            "",
            r##"=== src/lib.rs
pub fn total(a: u32) -> u32 {
    tracing::debug!(a, "dbg!(a) is gone");
    a + 1
}

#[cfg(test)]
mod tests {
    #[test]
    fn adds() {
        assert_eq!(dbg!(super::total(1)), 2);
    }
}
"##,
        ),
        pos(
            "debug-leftover",
            "python",
            "",
            r##"=== app/total.py
def total(a):
    print("total", a)«
    return a + 1
"##,
        ),
        neg(
            "debug-leftover",
            "python",
            "",
            r##"=== app/total.py
def total(a):
    log.debug("print(a) was here")
    return a + 1


if __name__ == "__main__":
    print(total(1))
=== app/__main__.py
print("usage: app N")
"##,
        ),
        pos(
            "debug-leftover",
            "javascript",
            "",
            r##"=== src/total.js
export function total(a) {
  console.log("total", a);«
  return a + 1;
}
"##,
        ),
        neg(
            "debug-leftover",
            "javascript",
            "",
            r##"=== src/total.js
export function total(a) {
  logger.debug("console.log was here");
  return a + 1;
}
=== src/cli.js
console.log(total(1));
"##,
        ),
        pos(
            "debug-leftover",
            "typescript",
            "",
            r##"=== src/total.ts
export function total(a: number): number {
  console.debug("total", a);«
  return a + 1;
}
"##,
        ),
        neg(
            "debug-leftover",
            "typescript",
            "",
            r##"=== src/total.test.ts
it("adds", () => {
  console.log(total(1));
  expect(total(1)).toBe(2);
});
"##,
        ),
        pos(
            "debug-leftover",
            "tsx",
            "",
            r##"=== src/Total.tsx
export function Total({ a }: { a: number }) {
  console.log("render", a);«
  return <b>{a + 1}</b>;
}
"##,
        ),
        neg(
            "debug-leftover",
            "tsx",
            "",
            r##"=== src/Total.tsx
export function Total({ a }: { a: number }) {
  return <b title="console.log(a)">{a + 1}</b>;
}
"##,
        ),
        pos(
            "debug-leftover",
            "go",
            "",
            r##"=== total/total.go
package total

import "fmt"

func Total(a int) int {
	fmt.Println("total", a)«
	return a + 1
}
"##,
        ),
        neg(
            "debug-leftover",
            "go",
            "",
            r##"=== cmd/total/main.go
package main

import "fmt"

func main() {
	fmt.Println("total", 1)
}
"##,
        ),
        pos(
            "debug-leftover",
            "java",
            "",
            r##"=== src/Total.java
class Total {
    int total(int a) {
        System.out.println("total " + a);«
        return a + 1;
    }
}
"##,
        ),
        neg(
            "debug-leftover",
            "java",
            "",
            r##"=== src/Total.java
class Total {
    public static void main(String[] args) {
        System.out.println("total " + args.length);
    }
}
"##,
        ),
        pos(
            "debug-leftover",
            "csharp",
            "",
            r##"=== src/Total.cs
class Total {
    int Sum(int a) {
        Console.WriteLine("total " + a);«
        return a + 1;
    }
}
"##,
        ),
        neg(
            "debug-leftover",
            "csharp",
            "",
            r##"=== tests/TotalTests.cs
public class TotalTests {
    [Fact]
    public void Sums() {
        Console.WriteLine("checking");
        Assert.Equal(2, Total.Sum(1));
    }
}
"##,
        ),
        // ---- commented-out-code (prose and doc comments are the near misses)
        pos(
            "commented-out-code",
            "rust",
            "",
            r##"=== src/lib.rs
pub fn total(a: u32) -> u32 {
    // let b = a * 2;«
    a + 1
}
"##,
        ),
        neg(
            "commented-out-code",
            "rust",
            "",
            r##"=== src/lib.rs
/// let b = total(2);
pub fn total(a: u32) -> u32 {
    // Add one because the count starts at zero.
    a + 1
}
"##,
        ),
        pos(
            "commented-out-code",
            "python",
            "",
            r##"=== app/total.py
def total(a):
    # b = compute(a)«
    return a + 1
"##,
        ),
        neg(
            "commented-out-code",
            "python",
            "",
            r##"=== app/total.py
def total(a):
    # Add one because the count starts at zero.
    return a + 1
"##,
        ),
        pos(
            "commented-out-code",
            "javascript",
            "",
            r##"=== src/total.js
export function total(a) {
  // const b = compute(a);«
  return a + 1;
}
"##,
        ),
        neg(
            "commented-out-code",
            "javascript",
            "",
            r##"=== src/total.js
export function total(a) {
  // Add one because the count starts at zero.
  return a + 1;
}
"##,
        ),
        pos(
            "commented-out-code",
            "typescript",
            "",
            r##"=== src/total.ts
export function total(a: number): number {
  // return compute(a);«
  return a + 1;
}
"##,
        ),
        neg(
            "commented-out-code",
            "typescript",
            "",
            r##"=== src/total.ts
export function total(a: number): number {
  // The total is one more than the count, see the spec.
  return a + 1;
}
"##,
        ),
        pos(
            "commented-out-code",
            "tsx",
            "",
            r##"=== src/Total.tsx
export function Total({ a }: { a: number }) {
  // const b = compute(a);«
  return <b>{a + 1}</b>;
}
"##,
        ),
        neg(
            "commented-out-code",
            "tsx",
            "",
            r##"=== src/Total.tsx
export function Total({ a }: { a: number }) {
  // Show one more than the count.
  return <b>{a + 1}</b>;
}
"##,
        ),
        pos(
            "commented-out-code",
            "go",
            "",
            r##"=== total/total.go
package total

func Total(a int) int {
	// b := compute(a)«
	return a + 1
}
"##,
        ),
        neg(
            "commented-out-code",
            "go",
            "",
            r##"=== total/total.go
package total

// Total adds one because the count starts at zero.
func Total(a int) int {
	return a + 1
}
"##,
        ),
        pos(
            "commented-out-code",
            "java",
            "",
            r##"=== src/Total.java
class Total {
    int total(int a) {
        // int b = compute(a);«
        return a + 1;
    }
}
"##,
        ),
        neg(
            "commented-out-code",
            "java",
            "",
            r##"=== src/Total.java
class Total {
    /** Returns one more than the count. */
    int total(int a) {
        // Add one because the count starts at zero.
        return a + 1;
    }
}
"##,
        ),
        pos(
            "commented-out-code",
            "c",
            "",
            r##"=== src/total.c
int total(int a) {
    // int b = compute(a);«
    return a + 1;
}
"##,
        ),
        neg(
            "commented-out-code",
            "c",
            "",
            r##"=== src/total.c
/* Adds one because the count starts at zero. */
int total(int a) {
    return a + 1;
}
"##,
        ),
        pos(
            "commented-out-code",
            "cpp",
            "",
            r##"=== src/total.cpp
int total(int a) {
    // int b = compute(a);«
    return a + 1;
}
"##,
        ),
        neg(
            "commented-out-code",
            "cpp",
            "",
            r##"=== src/total.cpp
// Adds one because the count starts at zero.
int total(int a) {
    return a + 1;
}
"##,
        ),
        pos(
            "commented-out-code",
            "csharp",
            "",
            r##"=== src/Total.cs
class Total {
    int Sum(int a) {
        // var b = Compute(a);«
        return a + 1;
    }
}
"##,
        ),
        neg(
            "commented-out-code",
            "csharp",
            "",
            r##"=== src/Total.cs
class Total {
    /// <summary>One more than the count.</summary>
    int Sum(int a) {
        // Add one because the count starts at zero.
        return a + 1;
    }
}
"##,
        ),
        // ---- stub
        pos(
            "stub",
            "rust",
            "",
            r##"=== src/lib.rs
pub fn total(a: u32) -> u32 {«
    todo!()
}
"##,
        ),
        neg(
            "stub",
            "rust",
            "",
            r##"=== src/lib.rs
pub trait Total {
    fn total(&self) -> u32;
}

pub fn total(a: u32) -> u32 {
    if a > 9 {
        todo!("big totals")
    }
    a + 1
}
"##,
        ),
        pos(
            "stub",
            "python",
            "",
            r##"=== app/total.py
def total(a):«
    raise NotImplementedError
"##,
        ),
        neg(
            "stub",
            "python",
            "",
            r##"=== app/total.py
from abc import ABC, abstractmethod


class Base(ABC):
    @abstractmethod
    def total(self, a):
        raise NotImplementedError
"##,
        ),
        pos(
            "stub",
            "javascript",
            "",
            r##"=== src/total.js
export function total(a) {«
  throw new Error("not implemented");
}
"##,
        ),
        neg(
            "stub",
            "javascript",
            "",
            r##"=== src/total.js
export function total(a) {
  throw new Error("invalid input");
}
"##,
        ),
        pos(
            "stub",
            "typescript",
            "",
            r##"=== src/total.ts
export function total(a: number): number {«
  throw new Error("Not implemented");
}
"##,
        ),
        neg(
            "stub",
            "typescript",
            "",
            r##"=== src/total.ts
export interface Totals {
  total(a: number): number;
}

export abstract class Base {
  abstract total(a: number): number;
}
"##,
        ),
        pos(
            "stub",
            "tsx",
            "",
            r##"=== src/Total.tsx
export function Total(): JSX.Element {«
  throw new Error("not implemented");
}
"##,
        ),
        neg(
            "stub",
            "tsx",
            "",
            r##"=== src/Total.tsx
export function Total() {
  return <p>not implemented</p>;
}
"##,
        ),
        pos(
            "stub",
            "go",
            "",
            r##"=== total/total.go
package total

func Total(a int) int {«
	panic("not implemented")
}
"##,
        ),
        neg(
            "stub",
            "go",
            "",
            r##"=== total/total.go
package total

type Totaler interface {
	Total(a int) int
}

func Total(a int) int {
	if a < 0 {
		panic("negative")
	}
	return a + 1
}
"##,
        ),
        pos(
            "stub",
            "java",
            "",
            r##"=== src/Total.java
class Total {
    int total(int a) {«
        throw new UnsupportedOperationException();
    }
}
"##,
        ),
        neg(
            "stub",
            "java",
            "",
            r##"=== src/Total.java
abstract class Total {
    abstract int total(int a);

    int checked(int a) {
        throw new IllegalArgumentException("negative");
    }
}
"##,
        ),
        pos(
            "stub",
            "csharp",
            "",
            r##"=== src/Total.cs
class Total {
    int Sum(int a) {«
        throw new NotImplementedException();
    }
}
"##,
        ),
        neg(
            "stub",
            "csharp",
            "",
            r##"=== src/Total.cs
interface ITotal {
    int Sum(int a);
}

class Total {
    int Sum(int a) {
        throw new ArgumentException("negative");
    }
}
"##,
        ),
        // ---- does-not-parse: base parses; the change breaks it (the error may span the next
        // line: "on or next to an added line") / adds valid code
        pos(
            "does-not-parse",
            "rust",
            "=== src/lib.rs\npub fn one() -> u8 {\n    1\n}\n",
            r##"=== src/lib.rs
pub fn one() -> u8 {
    let x = (1 + ;«
    x
}
"##,
        ),
        neg(
            "does-not-parse",
            "rust",
            "=== src/lib.rs\npub fn one() -> u8 {\n    1\n}\n",
            r##"=== src/lib.rs
pub fn one() -> u8 {
    let _raw = "fn broken( {";
    1
}
"##,
        ),
        pos(
            "does-not-parse",
            "python",
            "=== app/one.py\ndef one():\n    return 1\n",
            r##"=== app/one.py
def one():
    x = (1 +«
    return 1
"##,
        ),
        neg(
            "does-not-parse",
            "python",
            "=== app/one.py\ndef one():\n    return 1\n",
            r##"=== app/one.py
def one():
    if (n := 1) > 0:
        return n
    return "def broken(:"
"##,
        ),
        pos(
            "does-not-parse",
            "javascript",
            "=== src/one.js\nexport function one() {\n  return 1;\n}\n",
            r##"=== src/one.js
export function one() {
  const x = (1 + ;«
  return 1;
}
"##,
        ),
        neg(
            "does-not-parse",
            "javascript",
            "=== src/one.js\nexport function one() {\n  return 1;\n}\n",
            r##"=== src/one.js
export function one() {
  const x = { a: 1, ...rest } ?? `(${"("}`;
  return x?.a;
}
"##,
        ),
        pos(
            "does-not-parse",
            "typescript",
            "=== src/one.ts\nexport function one(): number {\n  return 1;\n}\n",
            r##"=== src/one.ts
export function one(): number {
  const x: number = (1 + ;«
  return 1;
}
"##,
        ),
        neg(
            "does-not-parse",
            "typescript",
            "=== src/one.ts\nexport function one(): number {\n  return 1;\n}\n",
            r##"=== src/one.ts
export function one<T extends { a: number }>(t: T): number {
  return t.a satisfies number;
}
"##,
        ),
        pos(
            "does-not-parse",
            "tsx",
            "=== src/One.tsx\nexport function One() {\n  return <b>1</b>;\n}\n",
            r##"=== src/One.tsx
export function One() {
  const x = (1 + ;«
  return <b>1</b>;«
}
"##,
        ),
        neg(
            "does-not-parse",
            "tsx",
            "=== src/One.tsx\nexport function One() {\n  return <b>1</b>;\n}\n",
            r##"=== src/One.tsx
export function One() {
  return <>
    <b>1</b>
  </>;
}
"##,
        ),
        pos(
            "does-not-parse",
            "go",
            "=== one/one.go\npackage one\n\nfunc One() int {\n\treturn 1\n}\n",
            r##"=== one/one.go
package one

func One() int {
	x := (1 +«
	return 1
}
"##,
        ),
        neg(
            "does-not-parse",
            "go",
            "=== one/one.go\npackage one\n\nfunc One() int {\n\treturn 1\n}\n",
            r##"=== one/one.go
package one

func One[T ~int](t T) T {
	return t
}
"##,
        ),
        pos(
            "does-not-parse",
            "java",
            "=== src/One.java\nclass One {\n    int one() {\n        return 1;\n    }\n}\n",
            r##"=== src/One.java
class One {
    int one() {
        int x = (1 + ;«
        return 1;
    }
}
"##,
        ),
        neg(
            "does-not-parse",
            "java",
            "=== src/One.java\nclass One {\n    int one() {\n        return 1;\n    }\n}\n",
            r##"=== src/One.java
class One {
    int one() {
        var x = switch (1) { case 1 -> 1; default -> 0; };
        return x;
    }
}
"##,
        ),
        pos(
            "does-not-parse",
            "c",
            "=== src/one.c\nint one(void) {\n    return 1;\n}\n",
            r##"=== src/one.c
int one(void) {
    int x = (1 + ;«
    return 1;«
}
"##,
        ),
        neg(
            "does-not-parse",
            "c",
            "=== src/one.c\nint one(void) {\n    return 1;\n}\n",
            r##"=== src/one.c
int one(void) {
    int x[] = { [0] = 1 };
    return x[0];
}
"##,
        ),
        pos(
            "does-not-parse",
            "cpp",
            "=== src/one.cpp\nint one() {\n    return 1;\n}\n",
            r##"=== src/one.cpp
int one() {
    int x = (1 + ;«
    return 1;
}
"##,
        ),
        neg(
            "does-not-parse",
            "cpp",
            "=== src/one.cpp\nint one() {\n    return 1;\n}\n",
            r##"=== src/one.cpp
auto one() -> int {
    auto f = [](int a) { return a; };
    return f(1);
}
"##,
        ),
        pos(
            "does-not-parse",
            "csharp",
            "=== src/One.cs\nclass One {\n    int Get() {\n        return 1;\n    }\n}\n",
            r##"=== src/One.cs
class One {
    int Get() {
        int x = (1 + ;«
        return 1;
    }
}
"##,
        ),
        neg(
            "does-not-parse",
            "csharp",
            "=== src/One.cs\nclass One {\n    int Get() {\n        return 1;\n    }\n}\n",
            r##"=== src/One.cs
class One {
    int Get() {
        var x = 1 switch { 1 => 1, _ => 0 };
        return x;
    }
}
"##,
        ),
    ]
}

const CARGO_BASE: &str = r##"=== Cargo.toml
[package]
name = "app"
version = "0.1.0"
edition = "2021"

[dependencies]
serde = "1"
=== Cargo.lock
version = 4

[[package]]
name = "app"
version = "0.1.0"
dependencies = [
 "serde",
]

[[package]]
name = "serde"
version = "1.0.200"
"##;

const NPM_BASE: &str = r##"=== package.json
{
  "name": "app",
  "version": "1.0.0",
  "dependencies": {
    "left-pad": "^1.3.0"
  }
}
=== package-lock.json
{
  "name": "app",
  "version": "1.0.0",
  "lockfileVersion": 3,
  "packages": {
    "": {
      "name": "app",
      "version": "1.0.0",
      "dependencies": {
        "left-pad": "^1.3.0"
      }
    },
    "node_modules/left-pad": {
      "version": "1.3.0"
    }
  }
}
"##;

const GO_BASE: &str = r##"=== go.mod
module example.org/app

go 1.22

require github.com/pkg/errors v0.9.1
=== go.sum
github.com/pkg/errors v0.9.1 h1:FEBLx1zS214owpjy7qsBeixbURkuhQAwrK5UwLGTwt4=
github.com/pkg/errors v0.9.1/go.mod h1:bwawxfHBFNV+L2hUp1rHADufV3IMtnDRdf1r5NINEl0=
"##;

const PYPROJECT_BASE: &str = r##"=== pyproject.toml
[project]
name = "app"
version = "0.1.0"
dependencies = [
  "requests>=2.31",
]
"##;

/// The rules that read every file kind: each file kind the definition names.
fn any_cases() -> Vec<Case> {
    // secrets are assembled here so no scanner mistakes this file for a leak
    let aws = format!("AKIA{}", "Z7Q4N2K8R3T6W1PX");
    let github = format!("ghp_{}", "r8Kq2LmZ7xW4nB9vT3cY6pD1sF5gH0jA2eQw");
    let openai = format!("sk-proj-{}", "Tq7Wm2Xz9Lp4Rk8Vn3Bc6Hd1Jf5Gs0Ya7Ue2Io9P");
    let password = format!("{}{}", "q8Z!vR2#mK9$", "wL4@pX7&tN3");
    vec![
        // ---- lint-suppression
        pos(
            "lint-suppression",
            "any:rust",
            "",
            r##"=== src/lib.rs
#[allow(clippy::too_many_arguments)]«
pub fn total(a: u32) -> u32 {
    a + 1
}
"##,
        ),
        neg(
            "lint-suppression",
            "any:rust",
            "",
            r##"=== src/lib.rs
/// Never `#[allow(unused)]` here.
pub fn total(a: u32) -> u32 {
    let _attr = "#[allow(unused)]";
    a + 1
}

#[cfg(test)]
mod tests {
    #[allow(dead_code)]
    fn helper() {}
}
"##,
        ),
        pos(
            "lint-suppression",
            "any:python",
            "",
            r##"=== app/total.py
import os  # noqa: F401«


def total(a):
    return a + "1"  # type: ignore«
"##,
        ),
        neg(
            "lint-suppression",
            "any:python",
            "",
            r##"=== app/total.py
def total(a):
    note = "# noqa"
    return a + note
"##,
        ),
        pos(
            "lint-suppression",
            "any:typescript",
            "",
            r##"=== src/total.ts
// @ts-ignore«
export const total: number = "1";
// eslint-disable-next-line no-console«
console.info(total);
"##,
        ),
        neg(
            "lint-suppression",
            "any:typescript",
            "",
            r##"=== src/total.ts
// prettier-ignore
export const matrix = [1,0,
                       0,1];
export const hint = "// @ts-ignore";
"##,
        ),
        pos(
            "lint-suppression",
            "any:go",
            "",
            r##"=== total/total.go
package total

func Total(a int) int { //nolint:gocyclo«
	return a + 1
}
"##,
        ),
        neg(
            "lint-suppression",
            "any:go",
            "",
            r##"=== total/total.go
package total

// Total adds one; see the nolint policy in CONTRIBUTING.
func Total(a int) int {
	return a + 1
}
"##,
        ),
        pos(
            "lint-suppression",
            "any:java",
            "",
            r##"=== src/Total.java
class Total {
    @SuppressWarnings("unchecked")«
    List<String> names(Object o) {
        return (List<String>) o;
    }
}
"##,
        ),
        neg(
            "lint-suppression",
            "any:java",
            "",
            r##"=== src/Total.java
class Total {
    @Override
    public String toString() {
        return "@SuppressWarnings";
    }
}
"##,
        ),
        pos(
            "lint-suppression",
            "any:csharp",
            "",
            r##"=== src/Total.cs
class Total {
#pragma warning disable CS0168«
    int Sum(int a) {
        int unused;
        return a + 1;
    }
}
"##,
        ),
        neg(
            "lint-suppression",
            "any:csharp",
            "",
            r##"=== src/Total.cs
class Total {
    string Hint() {
        return "#pragma warning disable";
    }
}
"##,
        ),
        // ---- widened-permission
        pos(
            "widened-permission",
            "any:claude-settings",
            r##"=== .claude/settings.json
{
  "permissions": {
    "allow": [
      "Bash(npm test)"
    ]
  }
}
"##,
            r##"=== .claude/settings.json
{
  "permissions": {
    "allow": [
      "Bash(npm test)",
      "Bash(rm -rf:*)"«
    ]
  }
}
"##,
        ),
        neg(
            "widened-permission",
            "any:claude-settings",
            r##"=== .claude/settings.json
{
  "permissions": {
    "allow": [
      "Bash(npm test)"
    ],
    "deny": []
  }
}
"##,
            r##"=== .claude/settings.json
{
  "permissions": {
    "allow": [
      "Bash(npm test)"
    ],
    "deny": [
      "Bash(rm -rf:*)"
    ]
  }
}
"##,
        ),
        pos(
            "widened-permission",
            "any:tauri-capabilities",
            r##"=== src-tauri/capabilities/default.json
{
  "identifier": "default",
  "windows": ["main"],
  "permissions": [
    "core:default"
  ]
}
"##,
            r##"=== src-tauri/capabilities/default.json
{
  "identifier": "default",
  "windows": ["main"],
  "permissions": [
    "core:default",
    "shell:allow-execute"«
  ]
}
"##,
        ),
        neg(
            "widened-permission",
            "any:tauri-capabilities",
            r##"=== src-tauri/capabilities/default.json
{
  "identifier": "default",
  "windows": ["main"],
  "permissions": [
    "core:default",
    "shell:allow-execute"
  ]
}
"##,
            r##"=== src-tauri/capabilities/default.json
{
  "identifier": "default",
  "description": "the main window",
  "windows": ["main"],
  "permissions": [
    "core:default"
  ]
}
"##,
        ),
        pos(
            "widened-permission",
            "any:workflow",
            "",
            r##"=== .github/workflows/release.yml
on: push
permissions: write-all«
jobs:
  release:
    runs-on: ubuntu-latest
    steps:
      - run: make release
"##,
        ),
        neg(
            "widened-permission",
            "any:workflow",
            "",
            r##"=== .github/workflows/release.yml
on: push
permissions:
  contents: read
jobs:
  release:
    runs-on: ubuntu-latest
    steps:
      - run: make release
"##,
        ),
        pos(
            "widened-permission",
            "any:python",
            "",
            r##"=== app/fetch.py
import requests


def fetch(url):
    return requests.get(url, verify=False)«
"##,
        ),
        neg(
            "widened-permission",
            "any:python",
            "",
            r##"=== app/fetch.py
import requests


def fetch(url):
    # never verify=False
    return requests.get(url, verify=True)
"##,
        ),
        pos(
            "widened-permission",
            "any:javascript",
            "",
            r##"=== src/server.js
export const cors = { origin: "*" };«
export const agent = new https.Agent({ rejectUnauthorized: false });«
"##,
        ),
        neg(
            "widened-permission",
            "any:javascript",
            "",
            r##"=== src/server.js
export const cors = { origin: "https://app.example.org" };
export const agent = new https.Agent({ rejectUnauthorized: true });
"##,
        ),
        // ---- hardcoded-secret
        pos(
            "hardcoded-secret",
            "any:python",
            "",
            &format!(
                r##"=== app/aws.py
ACCESS_KEY_ID = "{aws}"«
"##
            ),
        ),
        neg(
            "hardcoded-secret",
            "any:python",
            "",
            r##"=== app/aws.py
import os

ACCESS_KEY_ID = os.environ["AWS_ACCESS_KEY_ID"]
API_KEY = "your-api-key-here"
"##,
        ),
        pos(
            "hardcoded-secret",
            "any:typescript",
            "",
            &format!(
                r##"=== src/github.ts
export const token = "{github}";«
"##
            ),
        ),
        neg(
            "hardcoded-secret",
            "any:typescript",
            "",
            r##"=== src/github.ts
export const token = process.env.GITHUB_TOKEN ?? "";
export const tokenName = "GITHUB_TOKEN_FOR_THE_RELEASE_JOB";
"##,
        ),
        pos(
            "hardcoded-secret",
            "any:env",
            "",
            &format!(
                r##"=== .env
OPENAI_API_KEY={openai}«
"##
            ),
        ),
        neg(
            "hardcoded-secret",
            "any:env",
            "",
            r##"=== .env
OPENAI_API_KEY=${OPENAI_API_KEY}
DATABASE_PASSWORD=changeme
"##,
        ),
        pos(
            "hardcoded-secret",
            "any:yaml",
            "",
            &format!(
                r##"=== config/db.yml
database:
  user: app
  password: "{password}"«
"##
            ),
        ),
        neg(
            "hardcoded-secret",
            "any:yaml",
            "",
            r##"=== config/db.yml
database:
  user: app
  password: "<set in the environment>"
"##,
        ),
        // ---- new-dependency
        pos(
            "new-dependency",
            "any:cargo",
            CARGO_BASE,
            r##"=== Cargo.toml
[package]
name = "app"
version = "0.1.0"
edition = "2021"

[dependencies]
serde = "1"
regex = "1.10"«
=== Cargo.lock
version = 4

[[package]]
name = "app"
version = "0.1.0"
dependencies = [
 "regex",
 "serde",
]

[[package]]
name = "regex"
version = "1.10.4"

[[package]]
name = "serde"
version = "1.0.200"
"##,
        ),
        neg(
            "new-dependency",
            "any:cargo",
            CARGO_BASE,
            r##"=== Cargo.toml
[package]
name = "app"
version = "0.1.1"
edition = "2021"

[dependencies]
serde = "1.0.200"
=== Cargo.lock
version = 4

[[package]]
name = "app"
version = "0.1.1"
dependencies = [
 "serde",
]

[[package]]
name = "serde"
version = "1.0.200"
"##,
        ),
        pos(
            "new-dependency",
            "any:npm",
            NPM_BASE,
            r##"=== package.json
{
  "name": "app",
  "version": "1.0.0",
  "dependencies": {
    "left-pad": "^1.3.0",
    "is-odd": "^3.0.1"«
  }
}
"##,
        ),
        neg(
            "new-dependency",
            "any:npm",
            NPM_BASE,
            r##"=== package.json
{
  "name": "app",
  "version": "1.0.1",
  "dependencies": {
    "left-pad": "^1.3.0"
  },
  "scripts": {
    "test": "node test.js"
  }
}
"##,
        ),
        pos(
            "new-dependency",
            "any:pyproject",
            PYPROJECT_BASE,
            r##"=== pyproject.toml
[project]
name = "app"
version = "0.1.0"
dependencies = [
  "requests>=2.31",
  "httpx>=0.27",«
]
"##,
        ),
        neg(
            "new-dependency",
            "any:pyproject",
            PYPROJECT_BASE,
            r##"=== pyproject.toml
[project]
name = "app"
version = "0.2.0"
dependencies = [
  "requests>=2.32",
]
"##,
        ),
        pos(
            "new-dependency",
            "any:requirements",
            "=== requirements.txt\nflask==3.0.0\n",
            r##"=== requirements.txt
flask==3.0.0
httpx==0.27.0«
"##,
        ),
        neg(
            "new-dependency",
            "any:requirements",
            "=== requirements.txt\nflask==3.0.0\n",
            r##"=== requirements.txt
# httpx==0.27.0 later
flask==3.0.3
"##,
        ),
        pos(
            "new-dependency",
            "any:go",
            GO_BASE,
            r##"=== go.mod
module example.org/app

go 1.22

require (
	github.com/pkg/errors v0.9.1
	golang.org/x/text v0.14.0«
)
=== go.sum
github.com/pkg/errors v0.9.1 h1:FEBLx1zS214owpjy7qsBeixbURkuhQAwrK5UwLGTwt4=
github.com/pkg/errors v0.9.1/go.mod h1:bwawxfHBFNV+L2hUp1rHADufV3IMtnDRdf1r5NINEl0=
golang.org/x/text v0.14.0 h1:ScX5w1eTa3QqT8oi6+ziP7dTV1S2+ALU0bI+0zXKWiQ=
golang.org/x/text v0.14.0/go.mod h1:18ZOQIKpY8NJVqYksKHtTdi31H5itFRjB5/qKTNYzSU=
"##,
        ),
        neg(
            "new-dependency",
            "any:go",
            GO_BASE,
            r##"=== go.mod
module example.org/app

go 1.23

require github.com/pkg/errors v0.9.1
"##,
        ),
        // ---- dependency-not-in-lockfile
        pos(
            "dependency-not-in-lockfile",
            "any:cargo",
            CARGO_BASE,
            r##"=== Cargo.toml
[package]
name = "app"
version = "0.1.0"
edition = "2021"

[dependencies]
serde = "1"
serde_jsonx = "1"«
"##,
        ),
        neg(
            "dependency-not-in-lockfile",
            "any:cargo",
            CARGO_BASE,
            r##"=== Cargo.toml
[package]
name = "app"
version = "0.1.0"
edition = "2021"

[dependencies]
serde = "1"
regex = "1.10"
=== Cargo.lock
version = 4

[[package]]
name = "app"
version = "0.1.0"
dependencies = [
 "regex",
 "serde",
]

[[package]]
name = "regex"
version = "1.10.4"

[[package]]
name = "serde"
version = "1.0.200"
"##,
        ),
        pos(
            "dependency-not-in-lockfile",
            "any:npm",
            NPM_BASE,
            r##"=== package.json
{
  "name": "app",
  "version": "1.0.0",
  "dependencies": {
    "left-pad": "^1.3.0",
    "react-quick-utilz": "^2.0.0"«
  }
}
"##,
        ),
        neg(
            "dependency-not-in-lockfile",
            "any:npm",
            NPM_BASE,
            r##"=== package.json
{
  "name": "app",
  "version": "1.0.0",
  "dependencies": {
    "left-pad": "^1.3.0",
    "is-odd": "^3.0.1"
  }
}
=== package-lock.json
{
  "name": "app",
  "version": "1.0.0",
  "lockfileVersion": 3,
  "packages": {
    "": {
      "name": "app",
      "version": "1.0.0",
      "dependencies": {
        "is-odd": "^3.0.1",
        "left-pad": "^1.3.0"
      }
    },
    "node_modules/is-odd": {
      "version": "3.0.1"
    },
    "node_modules/left-pad": {
      "version": "1.3.0"
    }
  }
}
"##,
        ),
        pos(
            "dependency-not-in-lockfile",
            "any:go",
            GO_BASE,
            r##"=== go.mod
module example.org/app

go 1.22

require (
	github.com/pkg/errors v0.9.1
	golang.org/x/text v0.14.0«
)
"##,
        ),
        // no lockfile at all: nothing to check against
        neg(
            "dependency-not-in-lockfile",
            "any:pyproject",
            PYPROJECT_BASE,
            r##"=== pyproject.toml
[project]
name = "app"
version = "0.1.0"
dependencies = [
  "requests>=2.31",
  "httpx>=0.27",
]
"##,
        ),
        // ---- unpinned-dependency
        pos(
            "unpinned-dependency",
            "any:cargo",
            CARGO_BASE,
            r##"=== Cargo.toml
[package]
name = "app"
version = "0.1.0"
edition = "2021"

[dependencies]
serde = "1"
regex = "*"«
"##,
        ),
        neg(
            "unpinned-dependency",
            "any:cargo",
            CARGO_BASE,
            r##"=== Cargo.toml
[package]
name = "app"
version = "0.1.0"
edition = "2021"

[dependencies]
serde = "1"
regex = "1.10"
local = { path = "../local" }
"##,
        ),
        pos(
            "unpinned-dependency",
            "any:npm",
            NPM_BASE,
            r##"=== package.json
{
  "name": "app",
  "version": "1.0.0",
  "dependencies": {
    "left-pad": "^1.3.0",
    "is-odd": "latest"«
  }
}
"##,
        ),
        neg(
            "unpinned-dependency",
            "any:npm",
            NPM_BASE,
            r##"=== package.json
{
  "name": "app",
  "version": "1.0.0",
  "dependencies": {
    "left-pad": "^1.3.0",
    "is-odd": "3.0.1"
  }
}
"##,
        ),
        pos(
            "unpinned-dependency",
            "any:requirements",
            "=== requirements.txt\nflask==3.0.0\n",
            r##"=== requirements.txt
flask==3.0.0
httpx«
"##,
        ),
        neg(
            "unpinned-dependency",
            "any:requirements",
            "=== requirements.txt\nflask==3.0.0\n",
            r##"=== requirements.txt
flask==3.0.0
httpx~=0.27
-e ./vendor/local
"##,
        ),
        // ---- plain-http
        pos(
            "plain-http",
            "any:python",
            "",
            r##"=== app/fetch.py
FEED = "http://feeds.acme-news.com/latest.xml"«
"##,
        ),
        neg(
            "plain-http",
            "any:python",
            "",
            r##"=== app/fetch.py
# see http://feeds.acme-news.com for the format
FEED = "https://feeds.acme-news.com/latest.xml"
LOCAL = "http://localhost:8080/feed"
DEV = "http://127.0.0.1:8000/"
"##,
        ),
        pos(
            "plain-http",
            "any:typescript",
            "",
            r##"=== src/api.ts
export const API = "http://api.acme-news.com/v1";«
"##,
        ),
        neg(
            "plain-http",
            "any:typescript",
            "",
            r##"=== src/api.ts
export const SVG_NS = "http://www.w3.org/2000/svg";
export const DOCS = "http://example.com/docs";
export const LAN = "http://192.168.1.20/";
"##,
        ),
        pos(
            "plain-http",
            "any:yaml",
            "",
            r##"=== config/app.yml
feed:
  url: http://feeds.acme-news.com/latest.xml«
"##,
        ),
        neg(
            "plain-http",
            "any:markdown",
            "",
            r##"=== docs/feeds.md
The old feed lived at http://feeds.acme-news.com/latest.xml.
"##,
        ),
        // ---- ci-workflow-changed
        pos(
            "ci-workflow-changed",
            "any:github",
            "",
            r##"=== .github/workflows/ci.yml
on: push«
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - run: make test
"##,
        ),
        neg(
            "ci-workflow-changed",
            "any:github",
            "",
            r##"=== .github/ISSUE_TEMPLATE/bug.yml
name: Bug report
description: Something is broken
=== docs/workflows/ci.yml
on: push
"##,
        ),
        pos(
            "ci-workflow-changed",
            "any:gitlab",
            "=== .gitlab-ci.yml\ntest:\n  script:\n    - make test\n",
            r##"=== .gitlab-ci.yml
test:
  script:
    - make test || true«
"##,
        ),
        neg(
            "ci-workflow-changed",
            "any:gitlab",
            "",
            r##"=== ci/gitlab-ci.yml.example
test:
  script:
    - make test
"##,
        ),
    ]
}

fn all_cases() -> Vec<Case> {
    let mut cases = code_cases();
    cases.extend(test_cases());
    cases.extend(shape_cases());
    cases.extend(any_cases());
    cases.extend(length_cases());
    cases
}

/// Every rule in `rules.toml`, every language it claims (for `any`: at least one file kind),
/// has a positive and a negative case here; and every case names a rule and a claimed language.
#[test]
fn every_rule_and_claimed_language_has_cases() {
    let cases = all_cases();
    let mut missing = Vec::new();
    for rule in redline::findings::rules() {
        let of_rule: Vec<&Case> = cases.iter().filter(|c| c.rule == rule.id).collect();
        for lang in &rule.languages {
            for positive in [true, false] {
                let found = of_rule.iter().any(|c| {
                    c.positive == positive
                        && if lang == "any" {
                            c.lang.starts_with("any:")
                        } else {
                            c.lang == lang
                        }
                });
                if !found {
                    missing.push(format!("{} {lang} positive={positive}", rule.id));
                }
            }
        }
    }
    assert!(missing.is_empty(), "cases missing: {missing:#?}");
    for case in &cases {
        let rule = redline::findings::rules()
            .iter()
            .find(|r| r.id == case.rule)
            .unwrap_or_else(|| panic!("no rule {}", case.rule));
        let claimed = if rule.languages.iter().any(|l| l == "any") {
            case.lang.starts_with("any:")
        } else {
            rule.languages.iter().any(|l| l == case.lang)
        };
        assert!(claimed, "{} does not claim {}", case.rule, case.lang);
    }
}

/// Every case: exactly the marked lines are flagged by its rule.
#[test]
fn each_rule_flags_exactly_its_fixtures() {
    let cases = all_cases();
    let next = std::sync::atomic::AtomicUsize::new(0);
    let failures = std::sync::Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..4 {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(case) = cases.get(i) else { break };
                if let Err(failure) = run(case) {
                    failures.lock().unwrap().push(failure);
                }
            });
        }
    });
    let mut failures = failures.into_inner().unwrap();
    failures.sort();
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

/// Risky code in several languages, committed before the change.
const RISKY_BASE: &str = r##"=== src/lib.rs
pub fn port(text: &str) -> u16 {
    let n: u16 = text.parse().unwrap();
    dbg!(n);
    let _ = std::fs::write("port.txt", text);
    n
}
=== app/load.py
import requests

TOKEN = "ghp_r8Kq2LmZ7xW4nB9vT3cY6pD1sF5gH0jA2eQw"


def load(expr):
    try:
        return eval(expr)
    except:
        pass
    print("loaded")
    return requests.get("http://feeds.acme-news.com/x", verify=False)
=== src/view.ts
export function view(x: any) {
  console.log(x);
  try {
    return eval(x);
  } catch (e) {}
}
"##;

/// Nothing that was there before the change is flagged: harmless lines added to risky files
/// give no finding; a changed line next to risky code gives findings on that line only.
#[test]
fn pre_existing_code_is_never_flagged() {
    let repo = TestRepo::new();
    apply(&repo, RISKY_BASE, "old");
    repo.commit("risky base");
    // the base itself is flagged: the fixture is risky indeed
    let base = check_json(&repo);
    let base_rules: BTreeSet<&str> = base["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    for rule in [
        "rust-unwrap",
        "debug-leftover",
        "swallowed-error",
        "dynamic-eval",
        "hardcoded-secret",
        "plain-http",
        "ts-any",
    ] {
        assert!(
            base_rules.contains(rule),
            "the base has no {rule}: {base_rules:?}"
        );
    }

    // harmless lines appended to each file
    let harmless = |path: &str, line: &str| {
        let old = std::fs::read_to_string(repo.path().join(path)).unwrap();
        repo.write(path, format!("{old}{line}"));
    };
    harmless("src/lib.rs", "\npub const PORT: u16 = 80;\n");
    harmless("app/load.py", "\n\nRETRIES = 3\n");
    harmless("src/view.ts", "\nexport const RETRIES = 3;\n");
    repo.commit("harmless additions");
    let report = check_json(&repo);
    assert_eq!(
        report["findings"],
        serde_json::json!([]),
        "only harmless lines were added"
    );

    // one line changed, right next to the unwrap and the dbg!: a new unwrap on that line
    let lib = std::fs::read_to_string(repo.path().join("src/lib.rs")).unwrap();
    repo.write(
        "src/lib.rs",
        lib.replace(
            "    dbg!(n);\n",
            "    let m = n.checked_mul(2).unwrap();\n    dbg!(m);\n",
        ),
    );
    repo.commit("a changed line");
    let report = check_json(&repo);
    let flagged: BTreeSet<(String, u64)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_owned(),
                f["line"].as_u64().unwrap(),
            )
        })
        .collect();
    let expected: BTreeSet<(String, u64)> = [
        ("rust-unwrap".to_owned(), 3),
        ("debug-leftover".to_owned(), 4),
    ]
    .into_iter()
    .collect();
    assert_eq!(
        flagged, expected,
        "only the changed lines 3 and 4 are flagged"
    );
}

fn rules_of(report: &Value) -> Vec<(String, String)> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_owned(),
                f["severity"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// `.redline.toml` turns rules off, changes severities, ignores paths and adds secret
/// patterns; each is seen in the JSON.
#[test]
fn redline_toml_is_obeyed() {
    let repo = TestRepo::new();
    repo.write("README.md", "A fixture repository.\n");
    repo.commit("base");
    repo.write(
        "src/lib.rs",
        "pub fn port(text: &str) -> u16 {\n    dbg!(text);\n    text.parse().unwrap()\n}\n",
    );
    repo.write(
        "vendor/lib.rs",
        "pub fn port(text: &str) -> u16 {\n    text.parse().unwrap()\n}\n",
    );
    repo.write(
        "src/acme.py",
        "ACME = \"acme_Zq8Rt5Wm2Xp9Lk4Vn7Bc3Hd6Jf1Gs0Ya\"\n",
    );
    repo.commit("change");

    let before = rules_of(&check_json(&repo));
    for expected in [("debug-leftover", "low"), ("rust-unwrap", "medium")] {
        let count = before
            .iter()
            .filter(|(r, s)| (r.as_str(), s.as_str()) == expected)
            .count();
        let want = if expected.0 == "rust-unwrap" { 2 } else { 1 };
        assert_eq!(
            count, want,
            "{expected:?} without configuration: {before:?}"
        );
    }
    assert!(
        !before.iter().any(|(r, _)| r == "hardcoded-secret"),
        "{before:?}"
    );

    repo.write(
        ".redline.toml",
        r##"[findings]
disable = ["debug-leftover"]
ignore = ["vendor/**"]

[findings.severity]
rust-unwrap = "critical"

[[findings.secret]]
name = "Acme token"
pattern = "acme_[A-Za-z0-9]{30}"
"##,
    );
    let report = check_json(&repo);
    let mut after: Vec<(String, String, String)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_owned(),
                f["rule"].as_str().unwrap().to_owned(),
                f["severity"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    after.sort();
    assert_eq!(
        after,
        vec![
            (
                "src/acme.py".to_owned(),
                "hardcoded-secret".to_owned(),
                "critical".to_owned()
            ),
            (
                "src/lib.rs".to_owned(),
                "rust-unwrap".to_owned(),
                "critical".to_owned()
            ),
        ]
    );
    assert_eq!(report["config"], ".redline.toml");
}

/// An invalid `.redline.toml` stops `check` with exit 1, a message naming the file, the line
/// and the key, and nothing on stdout.
#[test]
fn invalid_redline_toml_is_an_error_naming_file_line_and_key() {
    let repo = TestRepo::new();
    repo.write("src/lib.rs", "pub fn one() -> u8 {\n    1\n}\n");
    repo.commit("base");
    for (config, line, key) in [
        (
            "[findings]\n\n[findings.severity]\nrust-unwarp = \"high\"\n",
            "line 4",
            "rust-unwarp",
        ),
        (
            "[findings]\ndisable = [\"ts-any\"]\n\n[findings.severity]\nts-any = \"severe\"\n",
            "line 5",
            "ts-any",
        ),
    ] {
        repo.write(".redline.toml", config);
        let out = repo.redline(&["check", "HEAD", "--format", "json"]);
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{config}: {stderr}");
        assert!(
            out.stdout.is_empty(),
            "{config}: stdout {:?}",
            text(&out.stdout)
        );
        for part in [".redline.toml", line, key] {
            assert!(
                stderr.contains(part),
                "{config}: `{part}` not in {stderr:?}"
            );
        }
    }
}

/// A change with a medium finding (an unwrap) and a high one (unsafe).
fn medium_and_high() -> TestRepo {
    let repo = TestRepo::new();
    repo.write("README.md", "A fixture repository.\n");
    repo.commit("base");
    repo.write(
        "src/lib.rs",
        "pub fn first(p: *const u8, text: &str) -> u8 {\n    let n: u8 = text.parse().unwrap();\n    n + unsafe { *p }\n}\n",
    );
    repo.commit("change");
    repo
}

#[test]
fn fail_on_exits_1_at_or_above_the_threshold() {
    let repo = medium_and_high();
    let rules = rules_of(&check_json(&repo));
    let mut rules: Vec<&str> = rules.iter().map(|(_, s)| s.as_str()).collect();
    rules.sort();
    assert_eq!(rules, ["high", "medium"]);
    for (threshold, code) in [("low", 1), ("medium", 1), ("high", 1), ("critical", 0)] {
        let out = repo.redline(&["check", "HEAD", "--format", "json", "--fail-on", threshold]);
        assert_eq!(
            out.status.code(),
            Some(code),
            "--fail-on {threshold}: {}",
            text(&out.stderr)
        );
        let report: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(report["findings"].as_array().unwrap().len(), 2);
    }
    let out = repo.redline(&["check", "HEAD", "--fail-on", "severe"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("severe"),
        "{}",
        text(&out.stderr)
    );
    assert!(out.stdout.is_empty());
}

/// `check --format sarif` on a real change validates against the official schema.
#[test]
fn sarif_from_the_cli_validates_against_the_schema() {
    let repo = medium_and_high();
    let out = repo.redline(&["check", "HEAD", "--format", "sarif"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let log: Value = serde_json::from_slice(&out.stdout).unwrap();
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/sarif/sarif-schema-2.1.0.json"
        ))
        .unwrap(),
    )
    .unwrap();
    let validator = jsonschema::draft4::options()
        .should_validate_formats(true)
        .with_format("uri-reference", is_uri_reference)
        .build(&schema)
        .unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&log)
        .map(|e| format!("{}: {e}", e.instance_path))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let results = log["runs"][0]["results"].as_array().unwrap();
    let mut rules: Vec<&str> = results
        .iter()
        .map(|r| r["ruleId"].as_str().unwrap())
        .collect();
    rules.sort();
    assert_eq!(rules, ["rust-unsafe", "rust-unwrap"]);
}

/// RFC 3986 `URI-reference`, as `tests/sarif.rs` defines it for the schema's format.
fn is_uri_reference(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let byte = bytes[i];
        if byte == b'%' {
            let hex = |at: usize| bytes.get(at).is_some_and(u8::is_ascii_hexdigit);
            if !(hex(i + 1) && hex(i + 2)) {
                return false;
            }
            i += 3;
            continue;
        }
        if !(byte.is_ascii_alphanumeric() || b"-._~:/?#[]@!$&'()*+,;=".contains(&byte)) {
            return false;
        }
        i += 1;
    }
    let first_segment = text.split(['/', '?', '#']).next().unwrap_or("");
    let has_scheme = first_segment.split_once(':').is_some_and(|(scheme, _)| {
        scheme.starts_with(|c: char| c.is_ascii_alphabetic())
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    });
    text.matches('#').count() <= 1 && (has_scheme || !first_segment.contains(':'))
}
