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

fn permission_lists(ctx: &mut Ctx<'_>) {
    let path = ctx.input.path;
    let ci = is_ci_definition(path);
    if !is_permission_file(path) && !ci {
        return;
    }
    // walk the new side, tracking whether we are inside a granting list
    let mut in_list: Option<usize> = None; // the list's indentation
    let total = ctx.line_of_end();
    let mut reports = Vec::new();
    for line in 1..=total {
        let text = ctx.line(line);
        let indent = text.len() - text.trim_start().len();
        if ALLOW_ALL.is_match(text) && ctx.is_added(line) {
            reports.push((line, "an allow-list opened to everyone".to_owned()));
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
            // a one-line list: every entry on this added line grants
            if text.contains('[')
                && text.contains(']')
                && ctx.is_added(line)
                && text.contains(['"', '\''])
            {
                reports.push((line, "entries added to a permission list".to_owned()));
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
            let entry = trimmed.starts_with(['"', '\'', '-', '{']);
            if entry && ctx.is_added(line) {
                reports.push((
                    line,
                    format!(
                        "added to a permission list: {}",
                        trimmed
                            .trim_end_matches(',')
                            .chars()
                            .take(80)
                            .collect::<String>()
                    ),
                ));
            }
        }
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
        let yml = "with:\n  allowed_non_write_users: \"*\"\n";
        assert_eq!(
            lines_of("widened-permission", ".github/workflows/claude.yml", yml),
            vec![2]
        );
    }
}
