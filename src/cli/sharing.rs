//! Output of `redline sync` and `redline gate`.

use std::io::{self, Write};

use redline::review::{GateReport, SyncReport};

pub fn write_sync(out: &mut impl Write, report: &SyncReport) -> io::Result<()> {
    let would = if report.dry_run { "would be " } else { "" };
    match &report.remote {
        Some(remote) if report.pushed => writeln!(out, "Synced with {remote}.")?,
        Some(remote) if report.dry_run => {
            writeln!(out, "Dry run against {remote}: nothing written.")?
        }
        Some(remote) => writeln!(
            out,
            "Nothing to exchange with {remote}: no review is shared on either side yet."
        )?,
        None if report.dry_run => writeln!(out, "Dry run: nothing written.")?,
        None => writeln!(
            out,
            "Wrote the local reviews to refs/notes/redline (no remote given)."
        )?,
    }
    writeln!(
        out,
        "{} commit review {} {would}written",
        report.commits_written,
        if report.commits_written == 1 {
            "note"
        } else {
            "notes"
        }
    )?;
    if report.dry_run {
        writeln!(
            out,
            "{} new threads would come from others",
            report.new_threads
        )?;
    } else {
        writeln!(
            out,
            "From others: {} new threads, {} replies, {} decisions; {} threads updated",
            report.new_threads, report.new_replies, report.new_decisions, report.updated_threads
        )?;
    }
    if report.retries > 0 {
        writeln!(
            out,
            "The remote moved during the sync: fetched and merged again ({} {})",
            report.retries,
            if report.retries == 1 {
                "retry"
            } else {
                "retries"
            }
        )?;
    }
    if !report.local_only.is_empty() {
        writeln!(
            out,
            "Kept local until committed: {}",
            report.local_only.join(", ")
        )?;
    }
    for problem in &report.problems {
        writeln!(out, "warning: {problem}")?;
    }
    Ok(())
}

pub fn write_gate(out: &mut impl Write, report: &GateReport, report_only: bool) -> io::Result<()> {
    let ai = report.commits.iter().filter(|c| c.agent.is_some()).count();
    writeln!(
        out,
        "Gate on {}: {} ({} commits, {ai} written by AI agents){}",
        report.spec,
        if report.passed { "PASSED" } else { "FAILED" },
        report.commits.len(),
        if report_only {
            " — report only, not enforced"
        } else {
            ""
        }
    )?;
    for reason in &report.reasons {
        writeln!(out, "  ✗ {reason}")?;
    }
    for commit in report.commits.iter().filter(|c| c.agent.is_some()) {
        if let (Some(by), Some(coverage)) = (&commit.approved_by, commit.coverage) {
            writeln!(
                out,
                "  ✓ {} ({}): approved by {by}, {coverage}% AI-review coverage",
                commit.short_id,
                commit.agent.as_deref().unwrap_or("")
            )?;
        }
    }
    for problem in &report.problems {
        writeln!(out, "  warning: {problem}")?;
    }
    Ok(())
}
