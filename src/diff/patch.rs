//! Writes files of the diff model as a git-style unified patch, the text `git diff -M -C`
//! prints, so a review can be handed to `git apply`, an agent or a pager.

use std::io::{self, Write};

use super::file::{FileDiff, FileStatus};
use super::hunk::Hunk;

/// Writes `files` as a patch. Files whose hunks were omitted for size print a note instead
/// (load them with `DiffLimits::UNLIMITED` to get a complete patch).
pub fn write_patch(out: &mut impl Write, files: &[FileDiff]) -> io::Result<()> {
    for file in files {
        if file.status == FileStatus::TypeChanged {
            // git prints a type change as the deletion of the old entry, then the addition of
            // the new one; the hunks are stored in that order.
            let (removal, addition) = split_type_change(file);
            write_file(out, &removal)?;
            write_file(out, &addition)?;
        } else {
            write_file(out, file)?;
        }
    }
    Ok(())
}

fn split_type_change(file: &FileDiff) -> (FileDiff, FileDiff) {
    let split = file
        .hunks
        .iter()
        .position(|h| h.old_lines == 0)
        .unwrap_or(file.hunks.len());
    let removal = FileDiff {
        status: FileStatus::Deleted,
        new_path: None,
        new_kind: None,
        new_id: None,
        hunks: file.hunks[..split].to_vec(),
        ..file.clone()
    };
    let addition = FileDiff {
        status: FileStatus::Added,
        old_path: None,
        old_kind: None,
        old_id: None,
        hunks: file.hunks[split..].to_vec(),
        ..file.clone()
    };
    (removal, addition)
}

fn short(id: Option<&str>) -> &str {
    const ZERO: &str = "0000000";
    id.map_or(ZERO, |id| &id[..id.len().min(7)])
}

fn write_file(out: &mut impl Write, file: &FileDiff) -> io::Result<()> {
    let old = file
        .old_path
        .as_deref()
        .or(file.new_path.as_deref())
        .unwrap_or_default();
    let new = file
        .new_path
        .as_deref()
        .or(file.old_path.as_deref())
        .unwrap_or_default();
    writeln!(out, "diff --git a/{old} b/{new}")?;
    let old_mode = file.old_kind.map(|k| k.mode());
    let new_mode = file.new_kind.map(|k| k.mode());
    match file.status {
        FileStatus::Added => writeln!(out, "new file mode {}", new_mode.unwrap_or("100644"))?,
        FileStatus::Deleted => writeln!(out, "deleted file mode {}", old_mode.unwrap_or("100644"))?,
        _ => {
            if let (Some(o), Some(n)) = (old_mode, new_mode) {
                if o != n {
                    writeln!(out, "old mode {o}\nnew mode {n}")?;
                }
            }
        }
    }
    let (verb, is_move) = match file.status {
        FileStatus::Renamed => ("rename", true),
        FileStatus::Copied => ("copy", true),
        _ => ("", false),
    };
    if is_move {
        if let Some(similarity) = file.similarity {
            writeln!(out, "similarity index {similarity}%")?;
        }
        writeln!(out, "{verb} from {old}\n{verb} to {new}")?;
    }
    // git prints no index line when the content is the same (a pure rename, a mode change)
    let unchanged_content = file.old_id.is_some() && file.old_id == file.new_id;
    if !unchanged_content {
        let mode_suffix = match (file.status, old_mode, new_mode) {
            (FileStatus::Added | FileStatus::Deleted, _, _) => String::new(),
            (_, Some(o), Some(n)) if o == n => format!(" {o}"),
            _ => String::new(),
        };
        writeln!(
            out,
            "index {}..{}{mode_suffix}",
            short(file.old_id.as_deref()),
            short(file.new_id.as_deref())
        )?;
    }
    let old_label = match file.status {
        FileStatus::Added => "/dev/null".to_owned(),
        _ => format!("a/{old}"),
    };
    let new_label = match file.status {
        FileStatus::Deleted => "/dev/null".to_owned(),
        _ => format!("b/{new}"),
    };
    if file.binary {
        return writeln!(out, "Binary files {old_label} and {new_label} differ");
    }
    if file.hunks.is_empty() {
        if file.omitted.is_some() {
            writeln!(
                out,
                "# hunks omitted for size: {} +{} -{}",
                new, file.additions, file.deletions
            )?;
        }
        return Ok(());
    }
    writeln!(out, "--- {old_label}\n+++ {new_label}")?;
    for hunk in &file.hunks {
        write_hunk(out, hunk)?;
    }
    Ok(())
}

fn write_hunk(out: &mut impl Write, hunk: &Hunk) -> io::Result<()> {
    writeln!(out, "{}", hunk.header)?;
    for line in hunk.lines() {
        writeln!(out, "{}{}", line.kind.sign(), line.text)?;
        if line.no_newline {
            writeln!(out, "\\ No newline at end of file")?;
        }
    }
    Ok(())
}
