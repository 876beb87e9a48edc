//! Output of `redline notes`, `note`, `viewed`, `approve` and `status`: text for people,
//! Markdown for a pull request.

use std::io::{self, Write};

use redline::error::{ErrorKind, ErrorReport};
use redline::notes::{NoteKind, Placement};
use redline::progress::{DecisionState, ReviewStatus, ViewState};
use redline::review::{HunkChoice, NotesReport, PlacedThread, Review, ReviewProgress};

/// `12` or `12-14`.
pub fn line_range(start: u32, end: u32) -> String {
    if start == end {
        start.to_string()
    } else {
        format!("{start}-{end}")
    }
}

/// The full id of the thread whose id starts with `prefix`.
pub fn find_thread(report: &NotesReport, prefix: &str) -> Result<String, ErrorReport> {
    let prefix = prefix.trim();
    let found: Vec<&str> = report
        .threads
        .iter()
        .map(|t| t.thread.id.as_str())
        .filter(|id| !prefix.is_empty() && id.starts_with(prefix))
        .collect();
    match found.as_slice() {
        [one] => Ok((*one).to_owned()),
        [] => Err(ErrorReport {
            kind: ErrorKind::NoSuchNote,
            message: format!("no note '{prefix}' in the review of {}", report.spec),
        }),
        _ => Err(ErrorReport {
            kind: ErrorKind::NoSuchNote,
            message: format!(
                "'{prefix}' names {} notes in the review of {}: give more of the id",
                found.len(),
                report.spec
            ),
        }),
    }
}

/// Splits `PATH[:HUNK]`; a path of the review that itself contains `:` is taken whole.
pub fn split_file_hunk(review: &Review, spec: &str) -> (String, HunkChoice) {
    if review.files.iter().any(|f| f.display_path() == spec) {
        return (spec.to_owned(), HunkChoice::All);
    }
    match spec.rsplit_once(':') {
        Some((path, hunk)) if !path.is_empty() && !hunk.is_empty() => {
            (path.to_owned(), HunkChoice::parse(hunk))
        }
        _ => (spec.to_owned(), HunkChoice::All),
    }
}

fn kind_label(kind: NoteKind) -> &'static str {
    kind.as_str()
}

fn placement_label(placed: &PlacedThread) -> String {
    let anchor = &placed.thread.anchor;
    match &placed.placement {
        Placement::Current {
            path,
            start_line,
            end_line,
        } => {
            let here = format!("{path}:{}", line_range(*start_line, *end_line));
            if *path == anchor.path && *start_line == anchor.start_line {
                here
            } else {
                format!(
                    "{here} (moved with its code from {}:{})",
                    anchor.path,
                    line_range(anchor.start_line, anchor.end_line)
                )
            }
        }
        Placement::Changed {
            path,
            start_line,
            end_line,
        } => format!(
            "{path}:{} (the code changed since this note)",
            line_range(*start_line, *end_line)
        ),
        Placement::Outdated => format!(
            "outdated: written on {}:{}, code no longer found",
            anchor.path,
            line_range(anchor.start_line, anchor.end_line)
        ),
    }
}

/// A UTC date and time, `2026-12-06 05:10`, from milliseconds since the epoch.
pub fn format_time(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let (days, rest) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Howard Hinnant's civil-from-days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02} UTC",
        rest / 3600,
        rest % 3600 / 60
    )
}

pub fn write_notes(out: &mut impl Write, report: &NotesReport) -> io::Result<()> {
    let total = report.threads.len();
    if total == 0 {
        return writeln!(out, "No notes on {}.", report.spec);
    }
    writeln!(
        out,
        "{total} {} on {}: {} open ({} must-fix), {} resolved",
        if total == 1 { "note" } else { "notes" },
        report.spec,
        report.open,
        report.open_must_fix,
        report.resolved
    )?;
    for placed in &report.threads {
        let thread = &placed.thread;
        writeln!(out)?;
        writeln!(out, "{}", placement_label(placed))?;
        writeln!(
            out,
            "  {} · {} · id {}",
            kind_label(thread.kind),
            if thread.resolved { "resolved" } else { "open" },
            thread.id
        )?;
        if let Some(symbol) = &thread.anchor.symbol {
            writeln!(out, "  in {symbol}")?;
        }
        if matches!(
            placed.placement,
            Placement::Outdated | Placement::Changed { .. }
        ) {
            for line in &thread.anchor.lines {
                writeln!(out, "  | {line}")?;
            }
        }
        for (i, note) in thread.notes.iter().enumerate() {
            let lead = if i == 0 { "  " } else { "  ↳ " };
            writeln!(
                out,
                "{lead}{} · {}",
                note.author,
                format_time(note.created_at)
            )?;
            for line in note.body.lines() {
                writeln!(out, "{lead}  {line}")?;
            }
        }
    }
    Ok(())
}

/// Notes as Markdown, grouped by file: reads well pasted into a pull request.
pub fn write_notes_markdown(out: &mut impl Write, report: &NotesReport) -> io::Result<()> {
    writeln!(out, "## Review notes on `{}`", report.spec)?;
    writeln!(out)?;
    writeln!(
        out,
        "{} open ({} must-fix), {} resolved.",
        report.open, report.open_must_fix, report.resolved
    )?;
    let mut files: Vec<&str> = report
        .threads
        .iter()
        .map(|t| t.thread.anchor.path.as_str())
        .collect();
    files.dedup();
    files.sort_unstable();
    files.dedup();
    for file in files {
        writeln!(out)?;
        writeln!(out, "### `{file}`")?;
        for placed in report
            .threads
            .iter()
            .filter(|t| t.thread.anchor.path == file)
        {
            let thread = &placed.thread;
            writeln!(out)?;
            let state = if thread.resolved { "resolved" } else { "open" };
            writeln!(
                out,
                "- **{}** ({state}) at {}",
                kind_label(thread.kind),
                placement_label(placed)
            )?;
            writeln!(out)?;
            writeln!(out, "  ```")?;
            for line in &thread.anchor.lines {
                writeln!(out, "  {}", line.replace("```", "ʼʼʼ"))?;
            }
            writeln!(out, "  ```")?;
            for note in &thread.notes {
                writeln!(out)?;
                writeln!(out, "  {} wrote:", note.author.name)?;
                writeln!(out)?;
                for line in note.body.lines() {
                    writeln!(out, "  > {line}")?;
                }
            }
        }
    }
    Ok(())
}

pub fn write_viewed(
    out: &mut impl Write,
    progress: &ReviewProgress,
    path: &str,
    viewed: bool,
) -> io::Result<()> {
    if let Some(file) = progress.files.iter().find(|f| f.path == path) {
        writeln!(
            out,
            "{} {path}: {} of {} hunks viewed",
            if viewed { "Viewed" } else { "Unviewed" },
            file.viewed,
            file.hunks
        )?;
    }
    write_coverage(out, progress)
}

fn write_coverage(out: &mut impl Write, progress: &ReviewProgress) -> io::Result<()> {
    let c = progress.coverage;
    writeln!(
        out,
        "AI-review coverage: {} of {} AI-written hunks viewed ({}%); human-written: {} of {}",
        c.ai_viewed,
        c.ai_hunks,
        c.percent(),
        c.human_viewed,
        c.human_hunks
    )
}

fn decision_line(state: &DecisionState) -> String {
    let d = &state.decision;
    let mut line = format!(
        "{} by {} on {}",
        d.verdict.as_str(),
        d.reviewer,
        format_time(d.decided_at)
    );
    if state.stale {
        line.push_str(" — STALE: the code changed since");
    }
    if !d.confirmed_blockers.is_empty() {
        let reasons: Vec<String> = d
            .confirmed_blockers
            .iter()
            .map(ToString::to_string)
            .collect();
        line.push_str(&format!(" (confirmed although {})", reasons.join("; ")));
    }
    line
}

pub fn write_decided(out: &mut impl Write, progress: &ReviewProgress) -> io::Result<()> {
    if let Some(state) = &progress.decision {
        writeln!(out, "{}: {}", progress.spec, decision_line(state))?;
    }
    Ok(())
}

fn status_label(status: ReviewStatus) -> &'static str {
    match status {
        ReviewStatus::Open => "open",
        ReviewStatus::ChangesRequested => "changes requested",
        ReviewStatus::Approved => "approved",
    }
}

pub fn write_status(out: &mut impl Write, progress: &ReviewProgress) -> io::Result<()> {
    writeln!(
        out,
        "Review of {}: {}",
        progress.spec,
        status_label(progress.status)
    )?;
    match &progress.decision {
        Some(state) => writeln!(out, "Decision: {}", decision_line(state))?,
        None => writeln!(out, "Decision: none yet")?,
    }
    write_coverage(out, progress)?;
    let changed = progress
        .hunks
        .iter()
        .filter(|h| h.state == ViewState::ChangedSinceViewed)
        .count();
    if changed > 0 {
        writeln!(out, "Changed since viewed: {changed} hunks")?;
    }
    writeln!(out, "Open must-fix notes: {}", progress.open_must_fix)?;
    writeln!(out, "Revision: {}", progress.revision)
}

pub fn write_status_markdown(out: &mut impl Write, progress: &ReviewProgress) -> io::Result<()> {
    let c = progress.coverage;
    writeln!(
        out,
        "## Review of `{}`: {}",
        progress.spec,
        status_label(progress.status)
    )?;
    writeln!(out)?;
    match &progress.decision {
        Some(state) => writeln!(out, "- Decision: {}", decision_line(state))?,
        None => writeln!(out, "- Decision: none yet")?,
    }
    writeln!(
        out,
        "- AI-review coverage: {}/{} AI-written hunks viewed ({}%); human-written {}/{}",
        c.ai_viewed,
        c.ai_hunks,
        c.percent(),
        c.human_viewed,
        c.human_hunks
    )?;
    writeln!(out, "- Open must-fix notes: {}", progress.open_must_fix)?;
    if let Some(message) = progress
        .decision
        .as_ref()
        .and_then(|s| s.decision.message.as_deref())
    {
        writeln!(out)?;
        for line in message.lines() {
            writeln!(out, "> {line}")?;
        }
    }
    Ok(())
}
