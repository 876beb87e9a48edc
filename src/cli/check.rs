//! Text output of `redline check`.

use std::io::{self, Write};

use redline::findings::{rules, FindingSide, RuleInfo};
use redline::review::FindingsReport;

/// Prints the findings file by file, riskiest file first, each with its rule, message, the
/// code it matched and (once per rule) the fix.
pub fn write_findings(out: &mut impl Write, report: &FindingsReport) -> io::Result<()> {
    let counts = report.counts;
    let total = report.findings.len();
    write!(out, "{}: {total} finding{}", report.spec, plural(total))?;
    if total > 0 {
        let parts: Vec<String> = [
            (counts.critical, "critical"),
            (counts.high, "high"),
            (counts.medium, "medium"),
            (counts.low, "low"),
        ]
        .into_iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, word)| format!("{n} {word}"))
        .collect();
        write!(out, " ({})", parts.join(", "))?;
    }
    writeln!(out, ", risk {}", report.score)?;
    if report.high_risk_ai_hunks > 0 {
        write!(
            out,
            "{} high-risk AI-written hunk{}",
            report.high_risk_ai_hunks,
            plural(report.high_risk_ai_hunks as usize)
        )?;
        match report.high_risk_ai_unviewed {
            Some(unviewed) => writeln!(out, ", {unviewed} not viewed")?,
            None => writeln!(out)?,
        }
    }
    if let Some(config) = &report.config {
        writeln!(out, "configured by {config}")?;
    }
    let mut files: Vec<_> = report
        .files
        .iter()
        .filter(|f| f.counts.at_least(redline::findings::Severity::Low) > 0)
        .collect();
    files.sort_by_key(|f| std::cmp::Reverse(f.score));
    let mut explained: Vec<&str> = Vec::new();
    for file in files {
        writeln!(out, "\n{}  (risk {})", file.path, file.score)?;
        for finding in report.findings.iter().filter(|f| f.path == file.path) {
            let place = match (finding.side, finding.column) {
                (FindingSide::Old, _) => format!("{} (old)", finding.line),
                (FindingSide::New, Some(column)) => format!("{}:{column}", finding.line),
                (FindingSide::New, None) => finding.line.to_string(),
            };
            writeln!(
                out,
                "  {place:<9} {:<8} {:<22} {}",
                finding.severity, finding.rule, finding.message
            )?;
            if !finding.excerpt.is_empty() {
                writeln!(out, "            {}", finding.excerpt)?;
            }
            if !explained.contains(&finding.rule.as_str()) {
                explained.push(&finding.rule);
                if let Some(rule) = report.rules.iter().find(|r| r.id == finding.rule) {
                    writeln!(out, "            fix: {}", rule.fix)?;
                }
            }
        }
    }
    Ok(())
}

/// Prints every rule: id, default severity, languages, and what it teaches.
pub fn write_rules(out: &mut impl Write) -> io::Result<()> {
    for rule in rules() {
        write_rule(out, rule)?;
    }
    Ok(())
}

fn write_rule(out: &mut impl Write, rule: &RuleInfo) -> io::Result<()> {
    writeln!(
        out,
        "{}  ({}; {})\n  {}\n  {}\n  fix: {}\n",
        rule.id,
        rule.severity,
        rule.languages.join(", "),
        rule.title,
        rule.teaching,
        rule.fix
    )
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}
