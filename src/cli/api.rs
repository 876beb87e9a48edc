//! Text output of `redline api`.

use std::io::{self, Write};

use redline::review::{ApiReport, RustFileApi};
use redline::syntax::rust_api::{ChangeKind, RiskKind};

/// Prints each changed Rust file's API changes, breaking first, then its risky sites.
pub fn write_api(out: &mut impl Write, report: &ApiReport) -> io::Result<()> {
    let files = report.files.len();
    writeln!(
        out,
        "Rust API of {}: {} breaking change{} in {files} Rust file{}",
        report.spec,
        report.breaking,
        plural(report.breaking as usize),
        plural(files)
    )?;
    for file in &report.files {
        write_file(out, file)?;
    }
    Ok(())
}

fn write_file(out: &mut impl Write, file: &RustFileApi) -> io::Result<()> {
    writeln!(out, "\n{} ({})", file.path, file.module)?;
    for (side, error) in [("old", &file.old_error), ("new", &file.new_error)] {
        if let Some(error) = error {
            writeln!(out, "  {side} side {error}")?;
        }
    }
    if let Some(api) = &file.api {
        if api.changes.is_empty() {
            writeln!(out, "  no public API change")?;
        }
        let mut changes: Vec<_> = api.changes.iter().collect();
        changes.sort_by_key(|c| !c.breaking);
        for change in changes {
            let verdict = if change.breaking { "BREAKING" } else { "ok" };
            let what = match change.change {
                ChangeKind::Added => "added",
                ChangeKind::Removed => "removed",
                ChangeKind::Changed => "changed",
            };
            writeln!(out, "  {verdict:<8}  {what:<7}  {}", change.path)?;
            match (&change.old, &change.new) {
                (Some(old), Some(new)) if old != new => {
                    writeln!(out, "            - {old}")?;
                    writeln!(out, "            + {new}")?;
                }
                (_, Some(signature)) | (Some(signature), None) => {
                    writeln!(out, "              {signature}")?;
                }
                (None, None) => {}
            }
            writeln!(out, "              {}", change.reason)?;
        }
    }
    if !file.risky.is_empty() {
        writeln!(out, "  risky sites:")?;
        for site in &file.risky {
            let place = site.enclosing.as_deref().unwrap_or("module level");
            let test = if site.in_test { " (test)" } else { "" };
            let position = format!("{}:{}", site.line, site.column);
            writeln!(
                out,
                "    {position:<8} {:<10} {} in {place}{test}",
                risk_name(site.kind),
                site.text
            )?;
        }
    }
    Ok(())
}

fn risk_name(kind: RiskKind) -> &'static str {
    match kind {
        RiskKind::UnsafeBlock
        | RiskKind::UnsafeFn
        | RiskKind::UnsafeImpl
        | RiskKind::UnsafeTrait => "unsafe",
        RiskKind::Unwrap | RiskKind::Expect => "may panic",
        RiskKind::Panic | RiskKind::Unreachable => "panics",
        RiskKind::Todo | RiskKind::Unimplemented => "stub",
        RiskKind::Assert => "assertion",
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}
