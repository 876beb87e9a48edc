//! Commit message trailers, found the way `git interpret-trailers` finds them, and the
//! `Name <address>` identities they carry.

/// One `Key: value` line of a message's trailer block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trailer {
    /// The key as written (compare case-insensitively).
    pub key: String,
    /// The value, with continuation lines joined by a space.
    pub value: String,
}

impl Trailer {
    /// The line as it appears in the message, e.g. `Co-authored-by: Claude <noreply@anthropic.com>`.
    pub fn line(&self) -> String {
        format!("{}: {}", self.key, self.value)
    }
}

/// Trailer keys git itself knows; one of them lets a block with some prose lines still count
/// as trailers (git's 25 % rule).
const KNOWN_KEYS: [&str; 3] = ["signed-off-by", "co-authored-by", "reviewed-by"];

/// The trailers of `message`: the lines of its last paragraph, when that paragraph is a trailer
/// block, like `git interpret-trailers --parse` sees it.
///
/// The subject (first paragraph) is never a trailer block. A block qualifies when every line is
/// a trailer (or a continuation line starting with whitespace), or when at least a quarter of
/// its lines are trailers and one of them has a key git knows (`Signed-off-by`,
/// `Co-authored-by`, …). Comment lines (`#`) are ignored, as `git commit` strips them.
pub fn parse_trailers(message: &str) -> Vec<Trailer> {
    let lines: Vec<&str> = message
        .lines()
        .map(|l| l.trim_end_matches('\r'))
        .filter(|l| !l.starts_with('#'))
        .collect();
    let Some(last) = lines.iter().rposition(|l| !l.trim().is_empty()) else {
        return Vec::new();
    };
    let start = lines[..=last]
        .iter()
        .rposition(|l| l.trim().is_empty())
        .map_or(0, |blank| blank + 1);
    if start == 0 {
        return Vec::new(); // the only paragraph is the subject
    }
    trailer_block(&lines[start..=last])
}

/// The trailers of every trailer block of `message`, not only the last paragraph's: squash
/// merges keep each squashed commit's trailers in their own paragraph in the middle of the
/// message, quoted messages indent theirs, and some tools write trailers directly under the
/// subject without a blank line. Each paragraph of the body (the message without its subject
/// line) is read like git reads the last one ([`parse_trailers`]), after removing the
/// indentation all its lines share; a `Key: value` inside a prose line is never a trailer.
pub fn body_trailers(message: &str) -> Vec<Trailer> {
    let lines: Vec<&str> = message
        .lines()
        .skip(1) // the subject is never a trailer
        .map(|l| l.trim_end_matches('\r'))
        .filter(|l| !l.starts_with('#'))
        .collect();
    let mut trailers = Vec::new();
    for paragraph in lines.split(|l| l.trim().is_empty()) {
        if paragraph.is_empty() {
            continue;
        }
        let indent = paragraph
            .iter()
            .map(|l| l.len() - l.trim_start().len())
            .min()
            .unwrap_or(0);
        let dedented: Vec<&str> = paragraph
            .iter()
            .map(|l| l.get(indent..).unwrap_or(l))
            .collect();
        trailers.extend(trailer_block(&dedented));
    }
    trailers
}

/// The trailers of one paragraph, when it is a trailer block by git's rules.
fn trailer_block(block: &[&str]) -> Vec<Trailer> {
    let mut trailers: Vec<Trailer> = Vec::new();
    let mut prose = 0usize;
    let mut last_was_trailer = false;
    for line in block {
        if line.starts_with([' ', '\t']) && last_was_trailer {
            if let Some(previous) = trailers.last_mut() {
                previous.value.push(' ');
                previous.value.push_str(line.trim());
            }
            continue;
        }
        match split_trailer(line) {
            Some(trailer) => {
                trailers.push(trailer);
                last_was_trailer = true;
            }
            None => {
                prose += 1;
                last_was_trailer = false;
            }
        }
    }
    if trailers.is_empty() {
        return Vec::new();
    }
    if prose > 0 {
        let known = trailers
            .iter()
            .any(|t| KNOWN_KEYS.contains(&t.key.to_ascii_lowercase().as_str()));
        let total = trailers.len() + prose;
        if !known || trailers.len() * 4 < total {
            return Vec::new();
        }
    }
    trailers
}

/// `Key: value`, where the key is a git token (letters, digits, `-`) directly followed by `:`.
fn split_trailer(line: &str) -> Option<Trailer> {
    let (key, value) = line.split_once(':')?;
    let token = !key.is_empty()
        && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        && !key.starts_with('-');
    token.then(|| Trailer {
        key: key.to_owned(),
        value: value.trim().to_owned(),
    })
}

/// A person or bot as git writes it: `Name <address>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    pub name: String,
    pub email: String,
}

impl Identity {
    /// Parses `Name <address>`; a value without `<…>` is all name.
    pub fn parse(value: &str) -> Identity {
        match (value.find('<'), value.rfind('>')) {
            (Some(open), Some(close)) if open < close => Identity {
                name: value[..open].trim().to_owned(),
                email: value[open + 1..close].trim().to_owned(),
            },
            _ => Identity {
                name: value.trim().to_owned(),
                email: String::new(),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(message: &str) -> Vec<String> {
        parse_trailers(message)
            .into_iter()
            .map(|t| t.line())
            .collect()
    }

    #[test]
    fn last_paragraph_of_key_value_lines() {
        let message = "Add discounts\n\nBody text: not a trailer here.\n\n\u{1f916} Generated with [Claude Code](https://claude.com/claude-code)\n\nCo-Authored-By: Claude <noreply@anthropic.com>\n";
        assert_eq!(
            keys(message),
            ["Co-Authored-By: Claude <noreply@anthropic.com>"]
        );
    }

    #[test]
    fn subject_alone_is_never_a_trailer_block() {
        assert!(keys("Co-authored-by: Claude <noreply@anthropic.com>").is_empty());
    }

    #[test]
    fn prose_paragraph_is_not_a_trailer_block() {
        let message = "Fix\n\nClaude suggested this: use a loop.\nIt reads better.\n";
        assert!(keys(message).is_empty());
    }

    #[test]
    fn git_25_percent_rule_with_a_known_key() {
        let message = "Fix\n\nSome prose line\nSigned-off-by: A <a@x.dev>\n";
        assert_eq!(keys(message), ["Signed-off-by: A <a@x.dev>"]);
        let unknown = "Fix\n\nSome prose line\nFoo: bar\n";
        assert!(keys(unknown).is_empty());
    }

    #[test]
    fn continuation_lines_join_the_value() {
        let message = "Fix\n\nNote: first\n  second\nCo-authored-by: B <b@x.dev>\n";
        assert_eq!(
            keys(message),
            ["Note: first second", "Co-authored-by: B <b@x.dev>"]
        );
    }

    fn body_keys(message: &str) -> Vec<String> {
        body_trailers(message)
            .into_iter()
            .map(|t| t.line())
            .collect()
    }

    #[test]
    fn squashed_trailers_in_middle_paragraphs_are_read() {
        let message = "Squash (#1)\n\n* first\n\nCo-Authored-By: Claude <noreply@anthropic.com>\nClaude-Steers: 2\n\n* second\n\nA closing prose paragraph.\n";
        assert!(keys(message).is_empty());
        assert_eq!(
            body_keys(message),
            [
                "Co-Authored-By: Claude <noreply@anthropic.com>",
                "Claude-Steers: 2"
            ]
        );
    }

    #[test]
    fn indented_and_subject_adjacent_trailers_are_read() {
        let quoted =
            "Revert x\n\n    Original message\n\n    Co-authored-by: Amp <amp@ampcode.com>\n";
        assert_eq!(body_keys(quoted), ["Co-authored-by: Amp <amp@ampcode.com>"]);
        let tight =
            "fix: y\nCo-authored-by: Claude Code <noreply@anthropic.com>\nAi-assisted: true\n";
        assert_eq!(
            body_keys(tight),
            [
                "Co-authored-by: Claude Code <noreply@anthropic.com>",
                "Ai-assisted: true"
            ]
        );
    }

    #[test]
    fn prose_paragraphs_of_the_body_stay_prose() {
        let message = "Docs\n\nWe credit co-authors with Co-authored-by: Claude <noreply@anthropic.com> lines\nwhen an agent helped; see CONTRIBUTING.\n\nThe subject line: it is short.\nAnd the body explains.\nMore prose here.\n";
        assert!(body_keys(message).is_empty());
        assert!(body_keys("Co-authored-by: Claude <noreply@anthropic.com>").is_empty());
    }

    #[test]
    fn identity_splits_name_and_address() {
        assert_eq!(
            Identity::parse("aider (gpt-4o) <aider@aider.chat>"),
            Identity {
                name: "aider (gpt-4o)".into(),
                email: "aider@aider.chat".into()
            }
        );
        assert_eq!(Identity::parse("Agent").email, "");
    }
}
