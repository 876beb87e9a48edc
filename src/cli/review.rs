//! Text output of `redline review` and `redline targets`.

use std::io::{self, Write};

use redline::diff::FileDiff;
use redline::review::{Review, TargetList};

pub fn write_review(out: &mut impl Write, review: &Review) -> io::Result<()> {
    let on = review.repo.branch.as_deref().unwrap_or("detached HEAD");
    writeln!(
        out,
        "Review of {} in {} ({on})",
        review.spec, review.repo.path
    )?;
    let width = review
        .files
        .iter()
        .map(|f| file_label(f).chars().count())
        .max()
        .unwrap_or(0);
    for file in &review.files {
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
    let stats = review.stats;
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
