//! Text output of `redline provenance`: one row per commit with its agent and evidence.

use std::io::{self, Write};

use redline::review::ProvenanceReport;

pub fn write_provenance(out: &mut impl Write, report: &ProvenanceReport) -> io::Result<()> {
    writeln!(
        out,
        "Provenance of {} in {}: {} {}, {} by AI agents, {} by dependency bots{}",
        report.spec,
        report.repo.path,
        report.commits.len(),
        if report.commits.len() == 1 {
            "commit"
        } else {
            "commits"
        },
        report.ai_commits,
        report.bot_commits,
        if report.truncated {
            " (more not shown)"
        } else {
            ""
        }
    )?;
    if report.uncommitted {
        writeln!(
            out,
            "{} is not committed: no commit signature to read (uncommitted changes count as needing review, whoever wrote them).",
            report.spec
        )?;
    }
    let labels: Vec<String> = report.commits.iter().map(|c| c.label()).collect();
    let width = labels.iter().map(|l| l.chars().count()).max().unwrap_or(0);
    for (commit, label) in report.commits.iter().zip(&labels) {
        writeln!(
            out,
            "{}  {label:<width$}  {}",
            commit.short_id, commit.summary
        )?;
        if let Some(attribution) = &commit.attribution {
            for evidence in &attribution.evidence {
                writeln!(
                    out,
                    "{:7}  {:width$}    {:?}: {}",
                    "", "", evidence.kind, evidence.text
                )?;
            }
        }
        for error in &commit.note_errors {
            writeln!(out, "{:7}  {:width$}    warning: {error}", "", "")?;
        }
    }
    Ok(())
}
