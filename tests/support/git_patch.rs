//! A parser for `git diff` patch output, so tests can compare Redline's model with git's
//! structurally (files, statuses, modes, hunk headers and lines).

/// One file section of a git patch.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct GitFile {
    pub old_path: Option<String>,
    pub new_path: Option<String>,
    /// A, D, M, R, C or T (T when a deletion and an addition of one path follow each other).
    pub status: char,
    pub old_mode: Option<String>,
    pub new_mode: Option<String>,
    pub similarity: Option<u32>,
    pub binary: bool,
    /// Each hunk: header line, then its lines as printed (sign + text, or the
    /// `\ No newline at end of file` marker).
    pub hunks: Vec<(String, Vec<String>)>,
}

/// Parses the output of `git diff` (no color, default prefixes, `core.quotepath=off`).
pub fn parse(patch: &str) -> Vec<GitFile> {
    let mut files: Vec<GitFile> = Vec::new();
    let mut in_hunk = false;
    for line in patch.split_inclusive('\n') {
        let line = line.strip_suffix('\n').unwrap_or(line);
        if let Some(rest) = line.strip_prefix("diff --git ") {
            in_hunk = false;
            // `a/X b/X` — for unrenamed files both halves are equal; renames fill in below.
            let half = rest.len() / 2;
            let guess = rest[half + 1..]
                .strip_prefix("b/")
                .unwrap_or(&rest[half + 1..]);
            files.push(GitFile {
                old_path: Some(guess.to_owned()),
                new_path: Some(guess.to_owned()),
                status: 'M',
                ..GitFile::default()
            });
            continue;
        }
        let file = files
            .last_mut()
            .expect("a line before the first diff --git");
        if in_hunk {
            if line.starts_with("@@") {
                file.hunks.push((line.to_owned(), Vec::new()));
            } else {
                file.hunks.last_mut().unwrap().1.push(line.to_owned());
            }
            continue;
        }
        if line.starts_with("@@") {
            in_hunk = true;
            file.hunks.push((line.to_owned(), Vec::new()));
        } else if let Some(mode) = line.strip_prefix("new file mode ") {
            file.status = 'A';
            file.old_path = None;
            file.new_mode = Some(mode.to_owned());
        } else if let Some(mode) = line.strip_prefix("deleted file mode ") {
            file.status = 'D';
            file.new_path = None;
            file.old_mode = Some(mode.to_owned());
        } else if let Some(mode) = line.strip_prefix("old mode ") {
            file.old_mode = Some(mode.to_owned());
        } else if let Some(mode) = line.strip_prefix("new mode ") {
            file.new_mode = Some(mode.to_owned());
        } else if let Some(score) = line.strip_prefix("similarity index ") {
            file.similarity = Some(score.trim_end_matches('%').parse().unwrap());
        } else if let Some(path) = line.strip_prefix("rename from ") {
            file.status = 'R';
            file.old_path = Some(path.to_owned());
        } else if let Some(path) = line.strip_prefix("rename to ") {
            file.new_path = Some(path.to_owned());
        } else if let Some(path) = line.strip_prefix("copy from ") {
            file.status = 'C';
            file.old_path = Some(path.to_owned());
        } else if let Some(path) = line.strip_prefix("copy to ") {
            file.new_path = Some(path.to_owned());
        } else if line.starts_with("Binary files ") {
            file.binary = true;
        } else if let Some(rest) = line.strip_prefix("index ") {
            // `index abc..def 100644`: the mode of an unchanged-mode file
            if let Some((_, mode)) = rest.split_once(' ') {
                file.old_mode.get_or_insert(mode.to_owned());
                file.new_mode.get_or_insert(mode.to_owned());
            }
        }
    }
    merge_type_changes(files)
}

fn merge_type_changes(files: Vec<GitFile>) -> Vec<GitFile> {
    let mut out: Vec<GitFile> = Vec::new();
    for file in files {
        if let Some(previous) = out.last_mut() {
            if previous.status == 'D' && file.status == 'A' && previous.old_path == file.new_path {
                previous.status = 'T';
                previous.new_path = file.new_path;
                previous.new_mode = file.new_mode;
                previous.binary |= file.binary;
                previous.hunks.extend(file.hunks);
                continue;
            }
        }
        out.push(file);
    }
    out
}
