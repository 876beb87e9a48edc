//! Parity with git: for every kind of change, Redline's files, statuses, modes and hunk lines
//! equal what `git diff -M -C` prints for the same target, compared structurally.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use pretty_assertions::assert_eq;
use serde_json::Value;
use support::git_patch::{self, GitFile};
use support::{parse_numstat_z, status_letter, text, TestRepo};

fn mode_of(kind: &Value) -> Option<String> {
    kind.as_str().map(|k| {
        match k {
            "file" => "100644",
            "executable" => "100755",
            "symlink" => "120000",
            "submodule" => "160000",
            other => panic!("unknown kind {other}"),
        }
        .to_owned()
    })
}

/// Redline's review of `spec`, in the shape of a parsed git patch.
fn redline_files(repo: &TestRepo, spec: &str) -> (Value, Vec<GitFile>) {
    let out = repo.redline(&["review", spec, "--format", "json"]);
    assert!(out.status.success(), "{spec}: {}", text(&out.stderr));
    let review: Value = serde_json::from_slice(&out.stdout).unwrap();
    let files = review["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| GitFile {
            old_path: f["oldPath"].as_str().map(str::to_owned),
            new_path: f["newPath"].as_str().map(str::to_owned),
            status: status_letter(f["status"].as_str().unwrap()),
            old_mode: mode_of(&f["oldKind"]),
            new_mode: mode_of(&f["newKind"]),
            similarity: f["similarity"].as_u64().map(|s| s as u32),
            binary: f["binary"].as_bool().unwrap(),
            hunks: f["hunks"]
                .as_array()
                .unwrap()
                .iter()
                .map(|h| {
                    let mut lines = Vec::new();
                    for line in h["lines"].as_array().unwrap() {
                        let sign = match line["kind"].as_str().unwrap() {
                            "context" => ' ',
                            "added" => '+',
                            "removed" => '-',
                            other => panic!("unknown line kind {other}"),
                        };
                        lines.push(format!("{sign}{}", line["text"].as_str().unwrap()));
                        if line["noNewline"].as_bool().unwrap() {
                            lines.push("\\ No newline at end of file".to_owned());
                        }
                    }
                    (h["header"].as_str().unwrap().to_owned(), lines)
                })
                .collect(),
        })
        .collect();
    (review, files)
}

/// git's patch for `args`, parsed. Modes git leaves out (pure renames) are taken from ours.
fn git_files(repo: &TestRepo, args: &[&str]) -> Vec<GitFile> {
    let mut all = vec![
        "-c",
        "core.quotepath=off",
        "diff",
        "-M",
        "-C",
        "--no-color",
        "--no-ext-diff",
    ];
    all.extend(args);
    let out = repo.git_output(&all);
    assert!(out.status.success(), "git {all:?}: {}", text(&out.stderr));
    git_patch::parse(&text(&out.stdout))
}

/// Asserts that `redline review SPEC` equals `git diff -M -C ARGS`, file by file, and that the
/// line counts equal `git diff --numstat`. Returns Redline's JSON for further checks.
fn assert_parity(repo: &TestRepo, spec: &str, git_args: &[&str]) -> Value {
    let (review, ours) = redline_files(repo, spec);
    let theirs = git_files(repo, git_args);
    assert!(!theirs.is_empty(), "the scenario must change something");
    let ours_comparable: Vec<GitFile> = ours
        .iter()
        .zip(theirs.iter().chain(std::iter::repeat(&GitFile::default())))
        .map(|(o, t)| GitFile {
            // git omits modes where no content line shows them (pure renames); compare the
            // ones it prints
            old_mode: t.old_mode.as_ref().and(o.old_mode.clone()),
            new_mode: t.new_mode.as_ref().and(o.new_mode.clone()),
            // compared below, with the path in the message
            similarity: t.similarity,
            ..o.clone()
        })
        .collect();
    assert_eq!(ours_comparable, theirs, "files of {spec}");
    // Commits, ranges and the index are paired by git's own algorithm (diff::rewrites): the
    // very scores git prints.
    for (o, t) in ours.iter().zip(&theirs) {
        assert_eq!(o.similarity, t.similarity, "similarity of {:?}", o.new_path);
    }

    assert_patch_parity(repo, spec, git_args);

    let mut numstat_args = vec!["diff", "-M", "-C", "--numstat", "-z"];
    numstat_args.extend(git_args);
    let counts = parse_numstat_z(&repo.git(&numstat_args));
    for file in review["files"].as_array().unwrap() {
        let path = file["newPath"]
            .as_str()
            .or(file["oldPath"].as_str())
            .unwrap();
        let expected = counts
            .get(path)
            .unwrap_or_else(|| panic!("{path} in numstat"));
        let ours = if file["binary"].as_bool().unwrap() {
            None
        } else {
            Some((
                file["additions"].as_u64().unwrap() as u32,
                file["deletions"].as_u64().unwrap() as u32,
            ))
        };
        assert_eq!(&ours, expected, "numstat of {path}");
    }
    review
}

/// `redline review SPEC --format patch` prints what `git diff -M -C` prints, byte for byte,
/// similarity scores included.
fn assert_patch_parity(repo: &TestRepo, spec: &str, git_args: &[&str]) {
    let ours = repo.redline(&["review", spec, "--format", "patch"]);
    assert!(ours.status.success(), "{}", text(&ours.stderr));
    // git and Redline both follow the repository's core.quotePath (true when unset).
    let mut args = vec!["diff", "-M", "-C", "--no-color", "--no-ext-diff"];
    args.extend(git_args);
    let theirs = repo.git_output(&args);
    // Bytes, not decoded lines: a patch must hold the files' exact bytes to apply.
    assert_eq!(ours.stdout, theirs.stdout, "patch of {spec}");
}

/// The file of a review's JSON with this new path.
fn file_named<'a>(review: &'a Value, path: &str) -> &'a Value {
    review["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["newPath"] == path)
        .unwrap_or_else(|| panic!("{path} in the review"))
}

fn c_source(body: &str) -> String {
    format!("#include <stdio.h>\n\nint helper(int x)\n{{\n    return x * 2;\n}}\n\nint main(void)\n{{\n{body}    return 0;\n}}\n")
}

#[test]
fn modified_files_with_several_hunks_and_function_context() {
    let repo = TestRepo::new();
    let mut long = String::new();
    for i in 0..40 {
        long.push_str(&format!("line {i}\n"));
    }
    repo.write("main.c", c_source("    printf(\"hi\\n\");\n"))
        .write("long.txt", &long)
        .commit("base");
    repo.write(
        "main.c",
        c_source("    printf(\"hello\\n\");\n    helper(2);\n"),
    )
    .write(
        "long.txt",
        long.replace("line 3\n", "line three\n")
            .replace("line 30\n", "line thirty\nextra\n"),
    )
    .commit("edit");
    let review = assert_parity(&repo, "HEAD", &["HEAD~1", "HEAD"]);
    let long = &review["files"][0];
    assert_eq!(long["hunks"].as_array().unwrap().len(), 2);
    // the modified line pair carries word emphasis
    let removed = &long["hunks"][0]["lines"][3];
    assert_eq!(removed["text"], "line 3");
    assert_eq!(removed["emphasis"][0]["start"], 5);
}

#[test]
fn added_and_deleted_files() {
    let repo = TestRepo::new();
    repo.write("old.txt", "gone\nsoon\n")
        .write("keep.txt", "k\n")
        .commit("base");
    std::fs::remove_file(repo.path().join("old.txt")).unwrap();
    repo.write("new/dir/file.py", "print('hi')\n")
        .commit("add and delete");
    assert_parity(&repo, "HEAD", &["HEAD~1", "HEAD"]);
}

#[test]
fn renames_with_and_without_edits_and_copies() {
    let repo = TestRepo::new();
    let body: String = (0..30).map(|i| format!("fn f{i}() {{}}\n")).collect();
    let other: String = (0..30)
        .map(|i| format!("const C{i}: u32 = {i};\n"))
        .collect();
    repo.write("src/a.rs", &body)
        .write("src/b.rs", &other)
        .write("src/c.rs", "fn c() {}\n")
        .commit("base");
    repo.git(&["mv", "src/a.rs", "src/renamed.rs"]);
    repo.git(&["mv", "src/c.rs", "src/moved_as_is.rs"]);
    repo.write(
        "src/renamed.rs",
        body.replace("fn f3() {}", "fn f3() { todo!() }"),
    )
    // a copy: git -C finds copies of files modified in the same change
    .write("src/b_copy.rs", &other)
    .write("src/b.rs", other.replace("C0: u32 = 0", "C0: u32 = 100"))
    .commit("rename and copy");
    let review = assert_parity(&repo, "HEAD", &["HEAD~1", "HEAD"]);
    let statuses: Vec<&str> = review["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["status"].as_str().unwrap())
        .collect();
    assert!(
        statuses.contains(&"renamed") && statuses.contains(&"copied"),
        "{statuses:?}"
    );
}

#[test]
fn binary_files_and_diff_attributes() {
    let repo = TestRepo::new();
    repo.write("img.bin", b"\x89PNG\0\x01\x02")
        .write(".gitattributes", "*.dat -diff\n")
        .write("table.dat", "a,b\n1,2\n")
        .commit("base");
    repo.write("img.bin", b"\x89PNG\0\x01\x03\x04")
        .write("new.bin", b"\0\0\0")
        .write("table.dat", "a,b\n1,3\n")
        .commit("binary edits");
    let review = assert_parity(&repo, "HEAD", &["HEAD~1", "HEAD"]);
    let table = file_named(&review, "table.dat");
    assert_eq!(table["collapsed"]["kind"], "diffDisabled");
}

#[test]
fn mode_changes_with_and_without_content() {
    let repo = TestRepo::new();
    repo.write("run.sh", "echo a\n")
        .write("tool.sh", "echo b\n")
        .commit("base");
    repo.git(&["update-index", "--chmod=+x", "run.sh"]);
    repo.git(&["update-index", "--chmod=+x", "tool.sh"]);
    repo.git(&["commit", "-q", "-m", "chmod"]);
    repo.git(&["checkout", "-q", "--", "."]);
    repo.write("tool.sh", "echo c\n").commit("edit");
    assert_parity(&repo, "HEAD~1", &["HEAD~2", "HEAD~1"]);
    assert_parity(&repo, "HEAD~2..HEAD", &["HEAD~2", "HEAD"]);
}

#[cfg(unix)]
#[test]
fn symlinks_and_type_changes() {
    let repo = TestRepo::new();
    repo.write("target.txt", "t\n")
        .write("was_file", "plain\n")
        .commit("base");
    std::os::unix::fs::symlink("target.txt", repo.path().join("link")).unwrap();
    std::fs::remove_file(repo.path().join("was_file")).unwrap();
    std::os::unix::fs::symlink("target.txt", repo.path().join("was_file")).unwrap();
    repo.commit("links");
    let review = assert_parity(&repo, "HEAD", &["HEAD~1", "HEAD"]);
    let was_file = file_named(&review, "was_file");
    assert_eq!(was_file["status"], "typeChanged");
    assert_eq!(was_file["oldKind"], "file");
    assert_eq!(was_file["newKind"], "symlink");
    std::fs::remove_file(repo.path().join("link")).unwrap();
    std::os::unix::fs::symlink("elsewhere.txt", repo.path().join("link")).unwrap();
    repo.commit("retarget");
    assert_parity(&repo, "HEAD", &["HEAD~1", "HEAD"]);
}

#[test]
fn submodule_pointer_changes() {
    let repo = TestRepo::new();
    repo.write("a.txt", "a\n").commit("base");
    let first = "1111111111111111111111111111111111111111";
    let second = "2222222222222222222222222222222222222222";
    repo.git(&[
        "update-index",
        "--add",
        "--cacheinfo",
        &format!("160000,{first},deps/lib"),
    ]);
    repo.git(&["commit", "-q", "-m", "add submodule"]);
    repo.git(&[
        "update-index",
        "--cacheinfo",
        &format!("160000,{second},deps/lib"),
    ]);
    repo.git(&["commit", "-q", "-m", "bump submodule"]);
    let review = assert_parity(&repo, "HEAD", &["HEAD~1", "HEAD"]);
    assert_eq!(review["files"][0]["newKind"], "submodule");
    assert_parity(&repo, "HEAD~1", &["HEAD~2", "HEAD~1"]);
}

#[test]
fn crlf_and_missing_newline_at_end_of_file() {
    let repo = TestRepo::new();
    repo.write("win.txt", "one\r\ntwo\r\nthree\r\n")
        .write("no_eol.txt", "a\nb")
        .write("gains_eol.txt", "x")
        .write("loses_eol.txt", "y\n")
        .commit("base");
    repo.write("win.txt", "one\r\n2\r\nthree\r\n")
        .write("no_eol.txt", "a\nc")
        .write("gains_eol.txt", "x\n")
        .write("loses_eol.txt", "y")
        .commit("edit");
    let review = assert_parity(&repo, "HEAD", &["HEAD~1", "HEAD"]);
    let win = file_named(&review, "win.txt");
    assert_eq!(win["hunks"][0]["lines"][1]["text"], "two\r");
}

#[test]
fn invalid_utf8_is_shown_lossily_and_marked() {
    let repo = TestRepo::new();
    repo.write("latin1.txt", b"caf\xe9\nplain\n").commit("base");
    repo.write("latin1.txt", b"caf\xe9 cr\xe8me\nplain\n")
        .commit("edit");
    let review = assert_parity(&repo, "HEAD", &["HEAD~1", "HEAD"]);
    let removed = &review["files"][0]["hunks"][0]["lines"][0];
    assert_eq!(removed["text"], "caf\u{fffd}");
    assert_eq!(removed["lossy"], true);
    assert_eq!(review["files"][0]["hunks"][0]["lines"][2]["lossy"], false);
}

#[test]
fn a_root_commit_against_the_empty_tree() {
    let repo = TestRepo::new();
    repo.write("README.md", "# hi\n")
        .write("src/main.rs", "fn main() {}\n")
        .commit("root");
    let empty = repo.git(&["hash-object", "-t", "tree", "/dev/null"]);
    let review = assert_parity(&repo, "HEAD", &[empty.trim(), "HEAD"]);
    assert_eq!(review["base"], Value::Null);
}

#[test]
fn a_merge_commit_against_its_first_parent() {
    let repo = TestRepo::new();
    repo.write("a.txt", "1\n2\n3\n").commit("base");
    repo.git(&["checkout", "-q", "-b", "side"]);
    repo.write("b.txt", "side\n").commit("side work");
    repo.git(&["checkout", "-q", "main"]);
    repo.write("a.txt", "1\n2\n3\n4\n").commit("main work");
    repo.git(&["merge", "-q", "--no-ff", "-m", "merge side", "side"]);
    assert_parity(&repo, "HEAD", &["HEAD^1", "HEAD"]);
}

#[test]
fn branch_and_ranges() {
    let repo = TestRepo::new();
    repo.write("a.txt", "1\n2\n3\n").commit("base");
    repo.git(&["checkout", "-q", "-b", "agent/feature"]);
    repo.write("a.txt", "1\ntwo\n3\n")
        .write("f.txt", "feature\n")
        .commit("feature");
    repo.git(&["checkout", "-q", "main"]);
    repo.write("main.txt", "moved on\n").commit("main moves on");
    assert_parity(&repo, "branch:agent/feature", &["main...agent/feature"]);
    assert_parity(&repo, "main...agent/feature", &["main...agent/feature"]);
    assert_parity(&repo, "main..agent/feature", &["main", "agent/feature"]);
}

#[test]
fn staged_and_working_tree_changes() {
    let repo = TestRepo::new();
    repo.write("a.txt", "1\n2\n3\n")
        .write("b.txt", "b\n")
        .commit("base");
    repo.write("a.txt", "1\nstaged\n3\n");
    repo.git(&["add", "a.txt"]);
    repo.write("a.txt", "1\nstaged\n3\nunstaged\n")
        .write("b.txt", "b changed\n")
        .write("untracked/new.txt", "fresh\nfile\n");
    assert_parity(&repo, "staged", &["--cached"]);
    // git diff HEAD leaves untracked files out: compare the tracked ones, then the new file
    let (_, ours) = redline_files(&repo, "worktree");
    let theirs = git_files(&repo, &["HEAD"]);
    let tracked: Vec<GitFile> = ours.iter().filter(|f| f.status != 'A').cloned().collect();
    assert_eq!(tracked, theirs);
    let untracked = ours.iter().find(|f| f.status == 'A').unwrap();
    assert_eq!(untracked.new_path.as_deref(), Some("untracked/new.txt"));
    let no_index = repo.git_output(&["diff", "--no-index", "/dev/null", "untracked/new.txt"]);
    let expected = git_patch::parse(&text(&no_index.stdout));
    assert_eq!(untracked.hunks, expected[0].hunks);
}

#[test]
fn a_change_large_enough_to_be_diffed_on_several_threads_matches_git() {
    let repo = TestRepo::new();
    let module = |i: usize, edit: &str| -> String {
        (0..25)
            .map(|line| format!("fn item_{i}_{line}() -> u32 {{ {line} {edit} }}\n"))
            .collect()
    };
    for i in 0..80 {
        repo.write(&format!("src/m{i:02}.rs"), module(i, ""));
    }
    repo.write("gone.txt", "bye\n").commit("base");
    for i in 0..80 {
        let edited = module(i, "").replace(&format!("item_{i}_7()"), &format!("item_{i}_seven()"));
        repo.write(&format!("src/m{i:02}.rs"), edited);
    }
    // a copy of an edited file, a rename, an addition and a deletion among them
    repo.write(
        "src/copy_of_m03.rs",
        module(3, "").replace("item_3_0() -> u32 { 0  }", "item_3_0() -> u32 { 100 }"),
    );
    repo.git(&["mv", "src/m79.rs", "src/renamed.rs"]);
    std::fs::remove_file(repo.path().join("gone.txt")).unwrap();
    repo.write("new.txt", "hello\n").commit("large change");
    let review = assert_parity(&repo, "HEAD", &["HEAD~1", "HEAD"]);
    let copy = file_named(&review, "src/copy_of_m03.rs");
    assert_eq!(copy["status"], "copied");
    assert_eq!(copy["oldPath"], "src/m03.rs");
}

#[test]
fn file_names_are_quoted_as_git_quotes_them_and_the_patch_applies() {
    let repo = TestRepo::new();
    let names = [
        "plain.txt",
        "with space.txt",
        "tab\there.txt",
        "new\nline.txt",
        "quote\"d.txt",
        "back\\slash.txt",
        "caf\u{e9}.txt",
        "ctrl\u{1}\u{1b}[2J.txt",
        "del\u{7f}.txt",
    ];
    for name in names {
        repo.write(name, "one\n");
    }
    repo.commit("base");
    for name in names {
        repo.write(name, "one\ntwo\n");
    }
    repo.git(&["mv", "caf\u{e9}.txt", "d\u{e9}j\u{e0} vu\n.txt"]);
    repo.commit("edit and rename");
    for quote_path in ["true", "false"] {
        repo.git(&["config", "core.quotePath", quote_path]);
        assert_patch_parity(&repo, "HEAD", &["HEAD~1", "HEAD"]);
    }
    // What Redline prints applies where git's would, and touches exactly these files.
    let patch = repo.redline(&["review", "HEAD", "--format", "patch"]);
    assert!(patch.status.success(), "{}", text(&patch.stderr));
    repo.git(&["checkout", "-q", "HEAD~1"]);
    let file = repo.path().join("..").join("names.patch");
    std::fs::write(&file, &patch.stdout).unwrap();
    let check = repo.git_output(&["apply", "--check", "--numstat", file.to_str().unwrap()]);
    assert!(check.status.success(), "{}", text(&check.stderr));
    let touched: Vec<String> = text(&check.stdout)
        .lines()
        .map(|l| l.splitn(3, '\t').nth(2).unwrap().to_owned())
        .collect();
    assert_eq!(touched.len(), names.len(), "{touched:?}");
    assert!(
        touched.iter().any(|t| t.contains("new\\nline")),
        "the newline stays inside one quoted name: {touched:?}"
    );
}

/// Random hostile names and contents (seeded, so a failure repeats): Redline's patch applies
/// with `git apply --check` at the base and touches exactly the changed names.
#[test]
fn random_names_and_contents_make_patches_that_git_applies() {
    use support::XorShift;
    const PIECES: &[&str] = &[
        "a", "Z", "9", " ", "\t", "\n", "\"", "\\", "\u{1}", "\u{1b}", "\u{7f}", "é", "漢",
        "\u{202e}", "-", ".", "_", "@@",
    ];
    let mut rng = XorShift::new(0x005e_ed0f_9a7c);
    for round in 0..12 {
        let repo = TestRepo::new();
        let mut names = Vec::new();
        while names.len() < 4 {
            let len = 1 + rng.below(6) as usize;
            let name: String = (0..len)
                .map(|_| PIECES[rng.below(PIECES.len() as u64) as usize])
                .collect();
            // git refuses names that are empty after trimming or start with `-` in places;
            // keep names a filesystem and git both take.
            let name = format!("f{name}");
            if !names.contains(&name) {
                names.push(name);
            }
        }
        let content = |seed: u64| -> String {
            (0..3 + seed % 4)
                .map(|i| {
                    format!(
                        "line {} {}\n",
                        i,
                        PIECES[((seed + i) % PIECES.len() as u64) as usize].replace('\n', " ")
                    )
                })
                .collect()
        };
        for (i, name) in names.iter().enumerate() {
            repo.write(name, content(i as u64));
        }
        repo.commit("base");
        for name in &names[..2] {
            repo.write(name, content(rng.below(100)));
        }
        std::fs::remove_file(repo.path().join(&names[2])).unwrap();
        repo.write(&format!("{}x", names[3]), content(7));
        repo.commit("change");
        assert_patch_parity(&repo, "HEAD", &["HEAD~1", "HEAD"]);
        let patch = repo.redline(&["review", "HEAD", "--format", "patch"]);
        assert!(
            patch.status.success(),
            "round {round}: {}",
            text(&patch.stderr)
        );
        repo.git(&["checkout", "-q", "HEAD~1"]);
        let file = repo.path().join("..").join("random.patch");
        std::fs::write(&file, &patch.stdout).unwrap();
        let check = repo.git_output(&["apply", "--check", file.to_str().unwrap()]);
        assert!(
            check.status.success(),
            "round {round}, names {names:?}: {}",
            text(&check.stderr)
        );
    }
}
