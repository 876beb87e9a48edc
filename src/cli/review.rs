//! Text output of `redline review` and `redline targets`.

use std::io::{self, Write};

use redline::diff::{DiffStats, FileDiff};
use redline::review::{Review, TargetList};

pub fn write_review(out: &mut impl Write, review: &Review) -> io::Result<()> {
    let on = review.repo.branch.as_deref().unwrap_or("detached HEAD");
    writeln!(
        out,
        "Review of {} in {} ({on})",
        review.spec, review.repo.path
    )?;
    write_files(out, &review.files, review.stats)
}

/// The file table and totals shared by `review` and `interdiff`: one line per file with its
/// status letter, path (old → new for renames and copies) and line counts.
pub fn write_files(out: &mut impl Write, files: &[FileDiff], stats: DiffStats) -> io::Result<()> {
    let width = files
        .iter()
        .map(|f| file_label(f).chars().count())
        .max()
        .unwrap_or(0);
    for file in files {
        let counts = if file.binary {
            "binary".to_owned()
        } else {
            format!("+{} -{}", file.additions, file.deletions)
        };
        writeln!(
            out,
            " {} {:<width$}  {counts}",
            file.status.letter(),
            file_label(file)
        )?;
    }
    writeln!(
        out,
        "{} {} changed, {} insertions(+), {} deletions(-)",
        stats.files,
        if stats.files == 1 { "file" } else { "files" },
        stats.additions,
        stats.deletions
    )
}

fn file_label(file: &FileDiff) -> String {
    match (&file.old_path, &file.new_path) {
        (Some(old), Some(new)) if old != new => format!("{old} → {new}"),
        _ => file.display_path().to_owned(),
    }
}

pub fn write_targets(out: &mut impl Write, list: &TargetList) -> io::Result<()> {
    let width = list
        .targets
        .iter()
        .map(|t| t.spec.chars().count())
        .max()
        .unwrap_or(0);
    for info in &list.targets {
        let marker = if info.target == list.default_target {
            '*'
        } else {
            ' '
        };
        writeln!(
            out,
            "{marker} {:<width$}  {} — {}",
            info.spec, info.title, info.detail
        )?;
    }
    Ok(())
}
