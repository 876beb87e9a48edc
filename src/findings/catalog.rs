//! The rules' data, read from `rules.toml` (compiled in): id, languages, default severity,
//! the one-line message, the teaching text for a junior developer and the fix hint.

use std::sync::LazyLock;

use serde::{Deserialize, Serialize};
use specta::Type;

use super::Severity;

/// One rule, as the window's teaching panel, SARIF's rule descriptors and `redline check`
/// show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RuleInfo {
    /// Stable id, kebab-case: `rust-unwrap`. Used in `.redline.toml` and SARIF.
    pub id: String,
    /// A short name: "unwrap or expect in library code".
    pub title: String,
    /// Language ids it reads (`rust`, `python`, …), or `any`.
    pub languages: Vec<String>,
    /// The default severity.
    pub severity: Severity,
    /// One line: what the rule flags.
    pub message: String,
    /// Two to four sentences for a junior developer: why this matters.
    pub teaching: String,
    /// How to fix it.
    pub fix: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Table {
    rule: Vec<RuleInfo>,
}

static RULES: LazyLock<Vec<RuleInfo>> = LazyLock::new(|| {
    // The file is compiled in and a unit test parses it, so this cannot fail in a build
    // that passed its tests; an empty table is the safe answer if it ever did.
    toml::from_str::<Table>(include_str!("rules.toml"))
        .map(|table| table.rule)
        .unwrap_or_default()
});

/// Every rule, in the table's order.
pub fn rules() -> &'static [RuleInfo] {
    &RULES
}

/// The rule with this id.
pub fn rule(id: &str) -> Option<&'static RuleInfo> {
    RULES.iter().find(|rule| rule.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_parses_and_ids_are_unique_kebab_case() {
        let table: Table = toml::from_str(include_str!("rules.toml")).expect("rules.toml parses");
        assert_eq!(table.rule.len(), rules().len());
        let mut ids: Vec<&str> = rules().iter().map(|r| r.id.as_str()).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), rules().len(), "duplicate rule ids");
        for rule in rules() {
            assert!(
                rule.id
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
                "{}",
                rule.id
            );
            let sentences = rule.teaching.matches(". ").count() + 1;
            assert!(
                (2..=5).contains(&sentences),
                "{}: teaching text has {sentences} sentences",
                rule.id
            );
            assert!(
                !rule.fix.is_empty() && !rule.message.contains('\n'),
                "{}",
                rule.id
            );
        }
    }
}
