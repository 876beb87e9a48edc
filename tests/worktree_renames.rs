//! Renames and copies in the working tree are paired as `git diff -M -C` pairs them: a real
//! release range is written into the working tree of its base (files moved with `mv`, new
//! files untracked, as an agent leaves them), and Redline's review of the working tree must
//! equal git's diff of the same content once staged (`git add -A`, then
//! `git diff --cached -M -C`): the same files, similarities and patch bytes, and the patch
//! applies on the base (`git apply --check`).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::process::{Command, Stdio};

use support::{assert_applies, isolate_git, rename_parity_repo, status_letter, text, TestRepo};

/// The fixture's repository at `base`, its working tree holding `head`'s files: moved,
/// changed and new files unstaged, as an agent leaves them.
fn head_in_worktree_of_base(name: &str) -> TestRepo {
    let repo = rename_parity_repo(name);
    let tracked = repo.git_output(&["ls-files", "-z"]);
    for path in text(&tracked.stdout).split('\0').filter(|p| !p.is_empty()) {
        std::fs::remove_file(repo.path().join(path)).unwrap();
    }
    let mut archive = Command::new("git");
    isolate_git(&mut archive);
    let mut archive = archive
        .args(["-C", repo.path().to_str().unwrap(), "archive", "head"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let untar = Command::new("tar")
        .args(["-x", "-C", repo.path().to_str().unwrap()])
        .stdin(archive.stdout.take().unwrap())
        .status()
        .unwrap();
    assert!(untar.success() && archive.wait().unwrap().success());
    repo
}

/// Redline's output for `args` on `repo`, which must succeed.
fn redline(repo: &TestRepo, args: &[&str]) -> Vec<u8> {
    let out = repo.redline(args);
    assert!(
        out.status.success(),
        "redline {args:?}: {}",
        text(&out.stderr)
    );
    out.stdout
}

/// Status, similarity and paths of each file, one line each, from Redline's JSON.
fn redline_files(json: &[u8]) -> Vec<String> {
    let review: serde_json::Value = serde_json::from_slice(json).unwrap();
    review["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let status = status_letter(f["status"].as_str().unwrap());
            let score = match status {
                'R' | 'C' => f["similarity"].as_u64().unwrap().to_string(),
                _ => String::new(),
            };
            let paths: Vec<&str> = [&f["oldPath"], &f["newPath"]]
                .into_iter()
                .filter_map(|p| p.as_str())
                .collect();
            let paths = match status {
                'R' | 'C' => paths.join(" "),
                _ => paths.last().copied().unwrap_or_default().to_owned(),
            };
            format!("{status}{score} {paths}")
        })
        .collect()
}

/// The same lines from git's `--raw -z` output.
fn git_files(raw: &[u8]) -> Vec<String> {
    let raw = text(raw);
    let mut fields = raw.split('\0').filter(|f| !f.is_empty());
    let mut files = Vec::new();
    while let Some(meta) = fields.next() {
        let status = meta.rsplit(' ').next().unwrap();
        let first = fields.next().unwrap();
        let line = match &status[..1] {
            "R" | "C" => format!(
                "{}{} {first} {}",
                &status[..1],
                status[1..].trim_start_matches('0'),
                fields.next().unwrap()
            ),
            letter => format!("{letter} {first}"),
        };
        files.push(line);
    }
    files
}

fn check(name: &str) {
    let repo = head_in_worktree_of_base(name);
    let renames = assert_paired_as_git(name, &repo);
    assert!(renames > 10, "{name}: the range has renames to pair");
}

/// Asserts that Redline's review of `repo`'s working tree equals git's diff of the same
/// content once staged, and applies on the base (`git apply --check`); returns how many files
/// git calls renamed. Stages everything and reads the base into the index.
fn assert_paired_as_git(name: &str, repo: &TestRepo) -> usize {
    let ours_json = redline(repo, &["review", "worktree", "--format", "json"]);
    let ours_patch = redline(repo, &["review", "worktree", "--format", "patch"]);
    // git's view of the same content: staged, then compared with the base
    repo.git(&["add", "-A"]);
    let raw = repo.git_output(&["diff", "--cached", "-M", "-C", "--raw", "-z", "base"]);
    let patch = repo.git_output(&[
        "diff",
        "--cached",
        "-M",
        "-C",
        "--no-color",
        "--no-ext-diff",
        "base",
    ]);
    let (ours, theirs) = (redline_files(&ours_json), git_files(&raw.stdout));
    let renames = theirs.iter().filter(|l| l.starts_with('R')).count();
    println!(
        "{name}: git {} files ({renames} renamed), Redline {}",
        theirs.len(),
        ours.len()
    );
    let missing: Vec<&String> = theirs
        .iter()
        .filter(|l| !ours.contains(l))
        .take(10)
        .collect();
    let extra: Vec<&String> = ours
        .iter()
        .filter(|l| !theirs.contains(l))
        .take(10)
        .collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "{name}: git's files Redline lacks: {missing:#?}\nRedline's files git lacks: {extra:#?}"
    );
    assert_eq!(ours, theirs, "{name}: in git's order");
    let first = ours_patch
        .iter()
        .zip(&patch.stdout)
        .position(|(a, b)| a != b)
        .unwrap_or(ours_patch.len().min(patch.stdout.len()));
    let around = |bytes: &[u8]| {
        let start = first.saturating_sub(300);
        String::from_utf8_lossy(&bytes[start..(first + 100).min(bytes.len())]).into_owned()
    };
    assert!(
        ours_patch == patch.stdout,
        "{name}: the patch differs from git's, first at byte {first}\nRedline's:\n{:?}\ngit's:\n{:?}",
        around(&ours_patch),
        around(&patch.stdout)
    );
    // the patch applies on the base, here its tree read into the index
    repo.git(&["read-tree", "base"]);
    assert_applies(repo, &ours_patch, name, true);
    renames
}

#[test]
fn pip_moved_into_src_internal_in_the_working_tree() {
    check("pip-9.0.3-10.0.0");
}

#[test]
fn werkzeug_split_into_packages_in_the_working_tree() {
    check("werkzeug-0.14.1-0.15.0");
}

/// Line endings, as `git add` converts them: every way the attributes and `core.autocrlf`
/// can declare a file, times contents git takes for text or for binary, each file moved and
/// changed in the working tree. Redline pairs the content git would store, so the scores, and
/// the patch bytes (CRs gone or kept), are git's.
#[test]
fn moved_files_are_paired_by_the_line_endings_git_would_store() {
    const DECLARED: [(&str, &str); 11] = [
        ("plain", ""),
        ("text", "text"),
        ("notext", "-text"),
        ("binary", "binary"),
        ("auto", "text=auto"),
        ("autolf", "text=auto eol=lf"),
        ("textcrlf", "text eol=crlf"),
        ("eollf", "eol=lf"),
        ("crlf", "crlf"),
        ("nocrlf", "-crlf"),
        ("crlfinput", "crlf=input"),
    ];
    let lines = |name: &str, ending: &str, change: bool| -> String {
        (0..24)
            .map(|n| match n {
                7 if change => format!("line seven of {name}{ending}"),
                12 => format!("line {n} of {name}\n"),
                _ => format!("line {n} of {name}{ending}"),
            })
            .collect()
    };
    // what each file holds, changed or not: endings git converts, and files it takes for binary
    type Shape = fn(String) -> String;
    let contents: [(&str, Shape); 8] = [
        ("lf", |text| text.replace("\r\n", "\n")),
        ("crlf", |text| text),
        ("lonecr", |text| text.replacen("\r\n", "\r", 1)),
        ("nul", |text| text + "\0\r\n"),
        // one unprintable byte in 128 or fewer is still text; more is binary
        ("someunprintable", |text| text + "\x01\x02\x03\x04\r\n"),
        ("unprintable", |text| {
            text + "\x01\x02\x03\x04\x05\x06\x07\x0e\r\n"
        }),
        // binary but for the final ^Z git forgives: the same file moved, text only if forgiven
        ("ctrlz", |_| "x\r\n\x1a".to_owned()),
        ("bare", |text| text.replace('\n', "")),
    ];
    for autocrlf in ["unset", "true", "input", "false"] {
        let repo = TestRepo::new();
        let attributes: String = DECLARED
            .iter()
            .filter(|(_, line)| !line.is_empty())
            .map(|(name, line)| format!("{name}-* {line}\n"))
            .collect();
        repo.write(".gitattributes", &attributes);
        for (declared, _) in DECLARED {
            for (content, shape) in contents {
                let name = format!("{declared}-{content}.txt");
                repo.write(&format!("old/{name}"), shape(lines(&name, "\r\n", false)));
            }
        }
        // stored with its CRLFs: under core.autocrlf, `git add` keeps them in the new file too
        repo.write("old/kept.txt", lines("kept", "\r\n", false));
        repo.commit("base");
        repo.git(&["tag", "base"]);
        std::fs::rename(
            repo.path().join("old/kept.txt"),
            repo.path().join("kept.txt"),
        )
        .unwrap();
        repo.git(&["add", "kept.txt"]);
        if autocrlf != "unset" {
            repo.git(&["config", "core.autocrlf", autocrlf]);
        }
        repo.write("kept.txt", lines("kept", "\r\n", true));
        for (declared, _) in DECLARED {
            for (content, shape) in contents {
                let name = format!("{declared}-{content}.txt");
                std::fs::remove_file(repo.path().join(format!("old/{name}"))).unwrap();
                repo.write(&format!("new/{name}"), shape(lines(&name, "\r\n", true)));
            }
        }
        let renames = assert_paired_as_git(&format!("core.autocrlf {autocrlf}"), &repo);
        // git pairs most of them (a file it takes for binary must be equal to be paired)
        let moved = DECLARED.len() * contents.len() + 1;
        assert!(renames * 4 > moved * 3, "{renames} of {moved} paired");
    }
}

/// `ident` is stored as git stores it (`$Id: … $` as `$Id$`), so a moved file holding an
/// expanded id is paired and diffed as git pairs and diffs it.
#[test]
fn a_moved_file_with_an_expanded_id_is_paired_as_git_pairs_it() {
    let repo = TestRepo::new();
    repo.write(".gitattributes", "*.txt ident\n");
    let body: String = (0..20).map(|n| format!("line {n} $Id$\n")).collect();
    repo.write("notes.txt", &body);
    repo.commit("base");
    repo.git(&["tag", "base"]);
    std::fs::remove_file(repo.path().join("notes.txt")).unwrap();
    let expanded = body.replace("$Id$", "$Id: 0123456789abcdef0123456789abcdef01234567 $");
    repo.write(
        "moved/notes.txt",
        expanded.replace("line 7 ", "line seven "),
    );
    assert_eq!(assert_paired_as_git("ident", &repo), 1);
}

/// A filter driver is never run: the review reads the bytes on disk (here the driver's output
/// would be the same bytes, so the pairing is git's too).
#[test]
fn a_filter_driver_is_never_run() {
    let repo = TestRepo::new();
    repo.write(".gitattributes", "*.txt filter=mark\n");
    repo.git(&["config", "filter.mark.clean", "touch .git/filter-ran; cat"]);
    let body: String = (0..20).map(|n| format!("line {n}\n")).collect();
    repo.write("notes.txt", &body);
    repo.commit("base");
    repo.git(&["tag", "base"]);
    let ran = repo.path().join(".git/filter-ran");
    std::fs::remove_file(&ran).unwrap();
    std::fs::remove_file(repo.path().join("notes.txt")).unwrap();
    repo.write("moved/notes.txt", body.replace("line 7\n", "line seven\n"));
    let files = redline_files(&redline(&repo, &["review", "worktree", "--format", "json"]));
    assert!(!ran.exists(), "the review ran the repository's filter");
    assert_eq!(files, ["R92 notes.txt moved/notes.txt"]);
    // git runs it when it stores the files, and pairs them the same way
    assert_eq!(assert_paired_as_git("filter", &repo), 1);
    assert!(ran.exists());
}

/// An attributes file the agent has just written, untracked, applies as `git add -A` applies
/// it: here it declares text, so the moved file's CRLFs are stored as LFs. It applies to the
/// window's single-file view too, which asks for the file alone.
#[test]
fn a_new_untracked_attributes_file_applies() {
    for attributes in [".gitattributes", "moved/.gitattributes"] {
        let repo = TestRepo::new();
        let body: String = (0..30).map(|n| format!("line {n}\r\n")).collect();
        repo.write("notes.txt", &body);
        repo.commit("base");
        repo.git(&["tag", "base"]);
        repo.write(attributes, "*.txt text\n");
        std::fs::remove_file(repo.path().join("notes.txt")).unwrap();
        repo.write(
            "moved/notes.txt",
            body.replace("line 7\r\n", "line seven\r\n"),
        );
        let alone = redline::review::file_diff(
            &repo.path(),
            &redline::repo::Target::Worktree,
            "moved/notes.txt",
            Some("notes.txt"),
        )
        .unwrap();
        let added: Vec<String> = alone
            .hunks
            .iter()
            .flat_map(|hunk| hunk.lines())
            .filter(|line| line.kind == redline::diff::LineKind::Added)
            .map(|line| line.text.to_owned())
            .collect();
        // every line changes: the base stored CRLFs, the moved file is stored with LFs
        let expected: Vec<String> = (0..30)
            .map(|n| match n {
                7 => "line seven".to_owned(),
                _ => format!("line {n}"),
            })
            .collect();
        assert_eq!(added, expected, "{attributes}");
        // the file alone is paired as in the whole review
        let review = redline_files(&redline(&repo, &["review", "worktree", "--format", "json"]));
        let pair = format!(
            "R{} notes.txt moved/notes.txt",
            alone.similarity.unwrap_or(0)
        );
        assert!(review.contains(&pair), "{attributes}: {pair} in {review:?}");
        let name = attributes.replace('/', "-");
        assert_eq!(assert_paired_as_git(&name, &repo), 1, "{attributes}");
    }
}

/// Changed and new files that are not paired are stored as git stores them too, not as
/// libgit2's own filters would: every expanded `$Id: … $` is emptied (libgit2 empties the
/// first), and CRLFs are converted beside an index copy git takes for binary (libgit2 keeps
/// them beside any CR).
#[test]
fn changed_and_new_files_are_stored_as_git_stores_them() {
    let repo = TestRepo::new();
    repo.write(".gitattributes", "*.id ident\n*.txt text=auto\n");
    repo.write("two.id", "a $Id$\nb\nc $Id$\n");
    // a lone CR: binary for git's guess, so stored as it is
    repo.write("cr.txt", "a\rb\nc\n");
    repo.commit("base");
    repo.git(&["tag", "base"]);
    repo.write("two.id", "a $Id: 1234 $\nB\nc $Id: 5678 $\n");
    repo.write("cr.txt", "a\r\nb\r\nc!\r\n");
    repo.write("new.id", "x $Id: 1 $\ny $Id: 2 $\n");
    assert_eq!(assert_paired_as_git("changed-and-new", &repo), 0);
}

/// A new file's `diff` attribute is honoured without a stored side to look it up from: `diff`
/// shows a file holding NULs as text, and a driver declared binary hides a text file's lines.
#[test]
fn a_new_files_diff_attribute_decides_text_or_binary_as_for_git() {
    let repo = TestRepo::new();
    repo.write(".gitattributes", "*.rc diff\n*.dat diff=hex\n");
    repo.write("kept.txt", "kept\n");
    repo.commit("base");
    repo.git(&["tag", "base"]);
    repo.git(&["config", "diff.hex.binary", "true"]);
    repo.write("res.rc", b"a\0b\0\n\0c\0\n");
    repo.write("table.dat", "one\ntwo\n");
    // a modified file, so that the new ones could be paired and are read
    repo.write("kept.txt", "kept!\n");
    assert_eq!(assert_paired_as_git("diff-attribute", &repo), 0);
}
