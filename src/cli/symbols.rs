//! Text output of `redline symbols`: per file, which symbols were added, removed, modified,
//! changed signature, moved or renamed, and which sides do not parse.

use std::io::{self, Write};

use redline::review::{SideStructure, StructureReport};
use redline::syntax::{ChangeCounts, ChangeKind, Language, SymbolChange};

pub fn write_symbols(out: &mut impl Write, report: &StructureReport) -> io::Result<()> {
    writeln!(
        out,
        "Symbols changed in {}: {}",
        report.spec,
        counts(&report.counts)
    )?;
    for file in &report.files {
        let Some(language) = file.language else {
            continue;
        };
        let problems = side_problems("old", &file.old).chain(side_problems("new", &file.new));
        let problems: Vec<String> = problems.collect();
        if file.changes.is_empty() && problems.is_empty() {
            continue;
        }
        writeln!(out)?;
        writeln!(
            out,
            "{} ({}): {}",
            file.path,
            Language::of(language).name,
            counts(&file.counts)
        )?;
        for change in &file.changes {
            writeln!(out, "  {}", describe(change))?;
        }
        for problem in problems {
            writeln!(out, "  ! {problem}")?;
        }
    }
    Ok(())
}

fn counts(counts: &ChangeCounts) -> String {
    format!(
        "{} added, {} removed, {} modified, {} signature changed, {} moved, {} renamed",
        counts.added,
        counts.removed,
        counts.modified,
        counts.signature_changed,
        counts.moved,
        counts.renamed
    )
}

fn describe(change: &SymbolChange) -> String {
    let old = change.old_path.as_deref().unwrap_or("");
    let new = change.new_path.as_deref().unwrap_or("");
    let from = match &change.old_file {
        Some(file) => format!("{file}: {old}"),
        None => old.to_owned(),
    };
    match change.change {
        ChangeKind::Added => format!("+ {new}"),
        ChangeKind::Removed => format!("- {old}"),
        ChangeKind::Modified => format!("~ {new}"),
        ChangeKind::SignatureChanged => format!("~ {new} (signature changed)"),
        ChangeKind::Moved => format!("> {new} (moved from {from})"),
        ChangeKind::Renamed => format!("> {new} (renamed from {from})"),
    }
}

fn side_problems<'a>(
    side: &'a str,
    structure: &'a SideStructure,
) -> impl Iterator<Item = String> + 'a {
    let not_parsed = structure
        .not_parsed
        .as_ref()
        .map(|np| format!("{side} side {}", np.message));
    let errors = (!structure.errors.is_empty()).then(|| {
        let regions: Vec<String> = structure
            .errors
            .iter()
            .map(|e| match (&e.missing, e.start_line == e.end_line) {
                (Some(token), _) => format!("{} (missing `{token}`)", e.start_line),
                (None, true) => e.start_line.to_string(),
                (None, false) => format!("{}-{}", e.start_line, e.end_line),
            })
            .collect();
        format!("{side} side does not parse at line {}", regions.join(", "))
    });
    not_parsed.into_iter().chain(errors)
}
