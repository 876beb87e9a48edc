//! A large synthetic history for benchmarks: two commits of a multi-language project whose
//! diff has ≥ 800 files and ≥ 90,000 changed lines, with the mix a big agent change has:
//! scattered edits inside functions, whole functions added and removed, renames, new and
//! deleted files.

use std::path::Path;
use std::process::Command;

/// `git` without the user's or the system's configuration, so a `~/.gitconfig` (diff
/// drivers, `diff.renames`, `core.autocrlf`, an excludes file) cannot change what is measured.
pub fn git_command() -> Command {
    let mut command = Command::new("git");
    isolate_git(&mut command);
    command
}

/// Sets `command`'s environment as [`git_command`] does; also for a process that runs git.
pub fn isolate_git(command: &mut Command) -> &mut Command {
    let home = std::env::temp_dir().join("redline-bench-home");
    std::fs::create_dir_all(&home).expect("create the benchmarks' HOME");
    command
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("HOME", home)
        .env_remove("XDG_CONFIG_HOME")
}

/// What the generated range holds, to print next to the figures.
pub struct SyntheticRange {
    pub base: String,
    pub head: String,
}

/// Deterministic pseudo-random numbers (xorshift): the same repository on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// File extensions of the benchmark's languages, in `FUNCTION_SYNTAX` order.
const EXTENSIONS: [&str; 4] = ["rs", "ts", "py", "go"];

/// How each language writes the benchmark's functions: the opening line (`{name}`), one body
/// line (`{i}` numbers it, `{k}` is its constant) and the closing lines.
const FUNCTION_SYNTAX: [(&str, &str, &str); 4] = [
    (
        "fn {name}(items: &[u64], limit: usize) -> u64 {",
        "    let total_{i}: u64 = items.iter().take(limit).map(|x| x * {k}).sum();",
        "    total_0\n}\n",
    ),
    (
        "export function {name}(items: number[], limit: number): number {",
        "  const total_{i} = items.slice(0, limit).map((x) => x * {k}).reduce((a, b) => a + b, 0);",
        "  return total_0;\n}\n",
    ),
    (
        "def {name}(items, limit):",
        "    total_{i} = sum(x * {k} for x in items[:limit])",
        "    return total_0\n",
    ),
    (
        "func {name}(items []int, limit int) int {",
        "\ttotal_{i} := scale(items[:limit], {k})",
        "\treturn total_0\n}\n",
    ),
];

/// One function in valid syntax for its language, so the structure benchmark parses real
/// code (a parser is several times slower on files full of errors).
fn function(lang: usize, name: &str, body_lines: usize, salt: u64) -> String {
    let (open, line, close) = FUNCTION_SYNTAX[lang];
    let mut out = open.replace("{name}", name) + "\n";
    for i in 0..body_lines {
        out.push_str(
            &line
                .replace("{i}", &i.to_string())
                .replace("{k}", &(salt + i as u64).to_string()),
        );
        out.push('\n');
    }
    out.push_str(close);
    out.push('\n');
    out
}

/// What a file of `lang` starts with.
fn header(lang: usize) -> &'static str {
    match lang {
        3 => "package synthetic\n\n",
        _ => "",
    }
}

fn source_file(rng: &mut Rng, lang: usize, file: usize, functions: usize) -> Vec<String> {
    (0..functions)
        .map(|f| {
            function(
                lang,
                &format!("compute_{file}_{f}"),
                8 + rng.below(6) as usize,
                rng.below(1000),
            )
        })
        .collect()
}

fn git(dir: &Path, args: &[&str]) -> String {
    let out = git_command()
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_DATE", "2026-01-01T00:00:00Z")
        .env("GIT_COMMITTER_DATE", "2026-01-01T00:00:00Z")
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

/// Builds the repository in `dir` (which must be empty) and returns its range.
pub fn build(dir: &Path, files: usize) -> SyntheticRange {
    git(dir, &["init", "-q", "-b", "main"]);
    git(dir, &["config", "user.name", "Bench"]);
    git(dir, &["config", "user.email", "bench@example.com"]);
    let mut rng = Rng(0x5eed_1234_abcd_ef01);
    let mut sources = Vec::with_capacity(files);
    for file in 0..files {
        let lang = file % EXTENSIONS.len();
        let functions = source_file(&mut rng, lang, file, 10);
        let path = format!(
            "src/module_{:02}/file_{file:04}.{}",
            file % 40,
            EXTENSIONS[lang]
        );
        std::fs::create_dir_all(dir.join(&path).parent().expect("has a parent")).expect("mkdir");
        std::fs::write(
            dir.join(&path),
            header(lang).to_owned() + &functions.concat(),
        )
        .expect("write");
        sources.push((path, lang, functions));
    }
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-q", "-m", "base"]);
    let base = git(dir, &["rev-parse", "HEAD"]);

    for (index, (path, lang, functions)) in sources.iter_mut().enumerate() {
        match index % 50 {
            // a few files deleted, a few renamed with small edits
            0 => {
                std::fs::remove_file(dir.join(&*path)).expect("rm");
                continue;
            }
            1 => {
                std::fs::remove_file(dir.join(&*path)).expect("rm");
                *path = path.replace("file_", "renamed_");
                functions[0] = functions[0].replace("* ", "+ ");
            }
            _ => {
                // rewrite some functions, edit lines inside others, add new ones
                for (f, function) in functions.iter_mut().enumerate() {
                    match (f + index) % 5 {
                        0 => {
                            *function = function
                                .replace("take(limit)", "take(limit + 1)")
                                .replace("slice(0, limit)", "slice(0, limit + 1)")
                                .replace("[:limit]", "[:limit + 1]")
                        }
                        1 => {
                            *function = self::function(
                                *lang,
                                &format!("rewritten_{index}_{f}"),
                                9,
                                rng.below(1000),
                            )
                        }
                        2 => function.push_str(&self::function(
                            *lang,
                            &format!("added_{index}_{f}"),
                            6,
                            rng.below(1000),
                        )),
                        _ => {}
                    }
                }
            }
        }
        std::fs::write(
            dir.join(&*path),
            header(*lang).to_owned() + &functions.concat(),
        )
        .expect("write");
    }
    for extra in 0..files / 20 {
        let lang = extra % EXTENSIONS.len();
        let path = format!("src/new/extra_{extra:03}.{}", EXTENSIONS[lang]);
        std::fs::create_dir_all(dir.join("src/new")).expect("mkdir");
        std::fs::write(
            dir.join(path),
            header(lang).to_owned() + &source_file(&mut rng, lang, 9000 + extra, 6).concat(),
        )
        .expect("write");
    }
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-q", "-m", "agent rewrite"]);
    let head = git(dir, &["rev-parse", "HEAD"]);
    SyntheticRange { base, head }
}
