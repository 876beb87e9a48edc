//! Rules about whole files: a changed CI definition, and entries added to the permission
//! and auto-approve lists of configuration files (agents' settings, app capabilities, CI
//! token permissions).

use std::sync::LazyLock;

use regex::Regex;

use super::{pattern, Ctx, Report};
use crate::diff::FileStatus;
use crate::findings::FindingSide;

pub(super) fn check(ctx: &mut Ctx<'_>) {
    ci_workflow(ctx);
    if ctx.new_text.is_some() {
        permission_lists(ctx);
        workflow_permissions(ctx);
    }
}

/// Whether `path` defines CI.
pub(super) fn is_ci_definition(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    let name = lower.rsplit('/').next().unwrap_or(&lower);
    (lower.starts_with(".github/workflows/") && (name.ends_with(".yml") || name.ends_with(".yaml")))
        || matches!(
            lower.as_str(),
            ".gitlab-ci.yml"
                | ".circleci/config.yml"
                | "azure-pipelines.yml"
                | ".travis.yml"
                | "bitbucket-pipelines.yml"
                | "jenkinsfile"
                | ".drone.yml"
                | "appveyor.yml"
        )
        || lower.starts_with(".buildkite/")
        || lower.starts_with(".woodpecker")
        || name == "jenkinsfile"
}

fn ci_workflow(ctx: &mut Ctx<'_>) {
    if !is_ci_definition(ctx.input.path) {
        return;
    }
    let (side, line, what) = match (ctx.input.status, ctx.added.first()) {
        (FileStatus::Deleted, _) => (FindingSide::Old, 1, "deleted"),
        (FileStatus::Added, Some(&line)) => (FindingSide::New, line, "added"),
        (_, Some(&line)) => (FindingSide::New, line, "changed"),
        (_, None) => match ctx.input.removed_lines().first() {
            Some(&line) => (FindingSide::Old, line, "changed"),
            None => return,
        },
    };
    let excerpt = if side == FindingSide::New {
        ctx.line(line).to_owned()
    } else {
        String::new()
    };
    ctx.push(Report {
        rule: "ci-workflow-changed",
        side,
        lines: (line, line),
        column: None,
        message: format!("CI definition {what}: check that no check was removed or weakened"),
        excerpt: &excerpt,
        lower: false,
    });
}

/// Keys of lists whose entries each grant something: agents' auto-approved tools and
/// commands, app capabilities, MCP auto-approval.
static GRANT_LIST_KEY: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r#"^\s*["']?(allow|allowed_?tools|allowedTools|allowedCommands|autoApprove|auto_approve|alwaysAllow|always_allow|permissions|trustedCommands|additionalDirectories)["']?\s*[:=]\s*\[?"#,
    )
});
/// An allow-list set to everything: `allowed_non_write_users: "*"`, `allow: all`.
static ALLOW_ALL: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r#"^\s*["']?[\w-]*(allow|trust)[\w-]*["']?\s*[:=]\s*["']?(\*|all|any)["']?\s*,?\s*$"#)
});

/// Files whose lists grant permissions: agents' settings, Tauri capabilities, MCP configs.
fn is_permission_file(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    let name = lower.rsplit('/').next().unwrap_or(&lower);
    let config = name.ends_with(".json")
        || name.ends_with(".toml")
        || name.ends_with(".yml")
        || name.ends_with(".yaml")
        || name.ends_with(".jsonc");
    config
        && (lower.contains(".claude/")
            || lower.contains(".cursor/")
            || lower.contains(".gemini/")
            || lower.contains(".codex/")
            || lower.contains(".vscode/")
            || lower.contains("capabilities/")
            || lower.contains("permissions")
            || name.starts_with("mcp")
            || name.contains("settings"))
}

/// What a line of a permission file grants.
enum Grant {
    /// An allow-list opened to everyone.
    All,
    /// A one-line list with entries.
    OneLineList,
    /// An entry of a multi-line granting list, as written (without a trailing comma).
    Entry(String),
}

/// The granting lines of `lines` (1-based line, what it grants).
fn grants<'t>(lines: impl Iterator<Item = &'t str>, ci: bool) -> Vec<(u32, Grant)> {
    let mut in_list: Option<usize> = None; // the list's indentation
    let mut out = Vec::new();
    for (index, text) in lines.enumerate() {
        let line = index as u32 + 1;
        let indent = text.len() - text.trim_start().len();
        if ALLOW_ALL.is_match(text) {
            out.push((line, Grant::All));
            continue;
        }
        if ci {
            continue;
        }
        if GRANT_LIST_KEY.is_match(text) {
            let opens = text.contains('[') && !text.contains(']');
            let yaml_list = text.trim_end().ends_with(':');
            if opens || yaml_list {
                in_list = Some(indent);
            }
            // a one-line list: every entry on this line grants
            if text.contains('[') && text.contains(']') && text.contains(['"', '\'']) {
                out.push((line, Grant::OneLineList));
            }
            continue;
        }
        if let Some(list_indent) = in_list {
            let trimmed = text.trim_start();
            let closes = trimmed.starts_with(']')
                || (!trimmed.is_empty() && indent <= list_indent && !trimmed.starts_with('-'));
            if closes {
                in_list = None;
                continue;
            }
            if trimmed.starts_with(['"', '\'', '-', '{']) {
                let entry = trimmed.trim_end().trim_end_matches(',').to_owned();
                out.push((line, Grant::Entry(entry)));
            }
        }
    }
    out
}

fn permission_lists(ctx: &mut Ctx<'_>) {
    let path = ctx.input.path;
    let ci = is_ci_definition(path);
    if !is_permission_file(path) && !ci {
        return;
    }
    // entries the old side already granted: a line changed around them (a comma added when
    // an entry is appended after them) grants nothing new
    let old_text = ctx
        .input
        .old
        .as_ref()
        .map(|side| String::from_utf8_lossy(side.bytes).into_owned())
        .unwrap_or_default();
    let old_entries: std::collections::HashSet<String> = grants(old_text.lines(), ci)
        .into_iter()
        .filter_map(|(_, grant)| match grant {
            Grant::Entry(entry) => Some(entry),
            _ => None,
        })
        .collect();
    let new_text = ctx.new_text.as_deref().unwrap_or("").to_owned();
    let mut reports = Vec::new();
    for (line, grant) in grants(new_text.lines(), ci) {
        if !ctx.is_added(line) {
            continue;
        }
        let message = match grant {
            Grant::All => "an allow-list opened to everyone".to_owned(),
            Grant::OneLineList => "entries added to a permission list".to_owned(),
            Grant::Entry(entry) if old_entries.contains(&entry) => continue,
            Grant::Entry(entry) => format!(
                "added to a permission list: {}",
                entry.chars().take(80).collect::<String>()
            ),
        };
        reports.push((line, message));
    }
    for (line, message) in reports {
        ctx.report("widened-permission", line, None, message);
    }
}

static WRITE_PERMISSION: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"^\s*(permissions\s*:\s*write-all|(contents|pull-requests|issues|actions|packages|id-token|deployments|checks|statuses|security-events|pages|discussions|repository-projects|attestations)\s*:\s*write)\s*(#.*)?$",
    )
});

/// A CI token given write access.
fn workflow_permissions(ctx: &mut Ctx<'_>) {
    if !is_ci_definition(ctx.input.path) {
        return;
    }
    for line in ctx.added.clone() {
        let text = ctx.line(line).to_owned();
        if WRITE_PERMISSION.is_match(&text) {
            ctx.report(
                "widened-permission",
                line,
                None,
                format!("the CI token gets write access: `{}`", text.trim()),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{found_added, lines_of};

    #[test]
    fn every_pattern_compiles() {
        let _ = (
            &*super::GRANT_LIST_KEY,
            &*super::ALLOW_ALL,
            &*super::WRITE_PERMISSION,
        );
    }

    #[test]
    fn a_changed_workflow_is_flagged_once() {
        let yml = "name: ci\non: push\npermissions:\n  contents: write\njobs:\n  t:\n    runs-on: ubuntu-latest\n";
        assert_eq!(
            lines_of("ci-workflow-changed", ".github/workflows/ci.yml", yml),
            vec![1]
        );
        assert_eq!(
            lines_of("widened-permission", ".github/workflows/ci.yml", yml),
            vec![4]
        );
        assert_eq!(found_added("ci/notes.yml", yml), vec![]);
    }

    #[test]
    fn entries_added_to_permission_lists() {
        let json = "{\n  \"permissions\": {\n    \"allow\": [\n      \"Bash(npm test)\",\n      \"Bash(rm:*)\"\n    ],\n    \"deny\": [\n      \"Bash(curl:*)\"\n    ]\n  }\n}\n";
        assert_eq!(
            lines_of("widened-permission", ".claude/settings.json", json),
            vec![4, 5]
        );
        // an entry that was there already is not flagged when a comma is added after it
        // (or removed) because another entry was appended (or removed)
        let old = "{\n  \"permissions\": [\n    \"core:default\",\n    \"fs:read\"\n  ]\n}\n";
        let new = "{\n  \"permissions\": [\n    \"core:default\",\n    \"fs:read\",\n    \"shell:allow-execute\"\n  ]\n}\n";
        let found = |old: &str, new: &str| -> Vec<u32> {
            super::super::testing::check_change(
                "src-tauri/capabilities/default.json",
                Some(old),
                Some(new),
                &crate::findings::Config::default(),
            )
            .into_iter()
            .filter(|f| f.rule == "widened-permission")
            .map(|f| f.line)
            .collect()
        };
        assert_eq!(found(old, new), vec![5]);
        assert_eq!(found(new, old), Vec::<u32>::new());
        let yml = "with:\n  allowed_non_write_users: \"*\"\n";
        assert_eq!(
            lines_of("widened-permission", ".github/workflows/claude.yml", yml),
            vec![2]
        );
    }
}
