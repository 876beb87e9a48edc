//! Matching one commit against the signature table: which agent signed it, and the evidence.

use serde::Serialize;
use specta::Type;

use super::signature::{AgentKind, Place, Signature, SignatureTable};
use super::trailer::{body_trailers, Identity};

/// What Redline knows of a commit's authorship, as git stores it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommitFacts<'a> {
    pub author: Identity,
    pub committer: Identity,
    pub message: &'a str,
}

/// Where a piece of evidence was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum EvidenceKind {
    /// The commit's author is the agent.
    Author,
    /// The commit's committer is the agent.
    Committer,
    /// The author's or committer's name carries the tool's suffix, e.g. `Tom (aider)`.
    NameSuffix,
    /// A trailer of the message, e.g. `Co-authored-by: Claude <noreply@anthropic.com>`.
    Trailer,
    /// A footer line the tool writes, e.g. `🤖 Generated with [Claude Code](…)`.
    Footer,
    /// The tool's subject prefix, e.g. `aider: `.
    Subject,
    /// An AI-authorship git note written by a provenance tool.
    Note,
}

/// One piece of evidence, quoted as found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Evidence {
    pub kind: EvidenceKind,
    /// The text that matched: the trailer line, `Name <address>`, the footer line, the note ref.
    pub text: String,
    /// The id of the agent this evidence names.
    pub agent_id: String,
}

/// Who signed a commit, and why Redline thinks so.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Attribution {
    /// Stable id of the main agent, e.g. `claude-code`.
    pub agent_id: String,
    /// Display name of the main agent, e.g. `Claude Code`.
    pub agent: String,
    pub kind: AgentKind,
    /// The model, when a note or trailer names it.
    pub model: Option<String>,
    /// Every piece of evidence found, the main agent's first. A commit can carry several
    /// agents' signatures (e.g. a Copilot commit co-authored with Claude).
    pub evidence: Vec<Evidence>,
}

impl Attribution {
    /// Whether an AI coding agent wrote or co-wrote the commit.
    pub fn is_ai(&self) -> bool {
        self.kind == AgentKind::CodingAgent
    }
}

/// Matches `commit` against `table`. `None` when no signature matches: a human commit.
///
/// The main agent is the coding agent with the strongest evidence (author, then committer,
/// name suffix, trailer, footer, subject); dependency bots are chosen only when no coding
/// agent signed the commit.
pub fn attribute(table: &SignatureTable, commit: &CommitFacts<'_>) -> Option<Attribution> {
    let trailers = body_trailers(commit.message);
    let mut found: Vec<(Evidence, &Signature)> = Vec::new();
    for signature in &table.signatures {
        for evidence in matches(signature, commit, &trailers) {
            let duplicate = found.iter().any(|(e, _)| e == &evidence);
            if !duplicate {
                found.push((evidence, signature));
            }
        }
    }
    let (main, main_signature) = found
        .iter()
        .min_by_key(|(e, s)| (s.kind != AgentKind::CodingAgent, e.kind))
        .map(|(e, s)| (e.agent_id.clone(), *s))?;
    found.sort_by_key(|(e, _)| (e.agent_id != main, e.kind));
    let model = found
        .iter()
        .filter(|(e, _)| e.agent_id == main && e.kind == EvidenceKind::Trailer)
        .find_map(|(e, _)| model_in(&e.text));
    Some(Attribution {
        agent_id: main,
        agent: main_signature.agent.clone(),
        kind: main_signature.kind,
        model,
        evidence: found.into_iter().map(|(e, _)| e).collect(),
    })
}

/// Adds what provenance notes say to a commit's attribution: a note that finds AI lines (or
/// AI-touched files) is evidence of its own, and names the agent when no signature did.
pub fn with_notes(
    attribution: Option<Attribution>,
    notes: &[super::notes::NoteAttribution],
) -> Option<Attribution> {
    let mut attribution = attribution;
    for note in notes.iter().filter(|n| n.any_ai()) {
        let agent_id = format!(
            "{}:{}",
            note.tool.label().to_lowercase().replace(' ', "-"),
            note.agent.as_deref().unwrap_or("agent")
        );
        let what = match (&note.agent, &note.model) {
            (Some(agent), Some(model)) => format!(" ({agent}, {model})"),
            (Some(agent), None) => format!(" ({agent})"),
            (None, Some(model)) => format!(" ({model})"),
            (None, None) => String::new(),
        };
        let evidence = Evidence {
            kind: EvidenceKind::Note,
            text: format!("{} {}{what}", note.tool.notes_ref(), note.version),
            agent_id: agent_id.clone(),
        };
        match attribution.as_mut() {
            Some(a) if a.is_ai() => {
                if a.model.is_none() {
                    a.model.clone_from(&note.model);
                }
                a.evidence.push(evidence);
            }
            _ => {
                let mut evidence = vec![evidence];
                if let Some(previous) = attribution.take() {
                    evidence.extend(previous.evidence);
                }
                attribution = Some(Attribution {
                    agent_id,
                    agent: note
                        .agent
                        .clone()
                        .unwrap_or_else(|| format!("AI agent ({})", note.tool.label())),
                    kind: AgentKind::CodingAgent,
                    model: note.model.clone(),
                    evidence,
                });
            }
        }
    }
    attribution
}

/// A model named in parentheses in a co-author name, as Aider writes it:
/// `aider (anthropic/claude-sonnet-4) <aider@aider.chat>`.
fn model_in(trailer_line: &str) -> Option<String> {
    let value = trailer_line.split_once(':')?.1;
    let name = Identity::parse(value).name;
    let open = name.find('(')?;
    let close = name.rfind(')')?;
    (open < close)
        .then(|| name[open + 1..close].trim().to_owned())
        .filter(|m| !m.is_empty())
}

fn matches(
    signature: &Signature,
    commit: &CommitFacts<'_>,
    trailers: &[super::trailer::Trailer],
) -> Vec<Evidence> {
    let evidence = |kind: EvidenceKind, text: String| Evidence {
        kind,
        text,
        agent_id: signature.agent_id(),
    };
    let identity = |kind: EvidenceKind, who: &Identity| {
        identity_matches(signature, who).then(|| {
            let kind = if signature.name_suffix.is_some() {
                EvidenceKind::NameSuffix
            } else {
                kind
            };
            evidence(kind, format!("{} <{}>", who.name, who.email))
        })
    };
    match signature.on {
        Place::Author => identity(EvidenceKind::Author, &commit.author)
            .into_iter()
            .collect(),
        Place::Committer => identity(EvidenceKind::Committer, &commit.committer)
            .into_iter()
            .collect(),
        Place::Identity => [
            identity(EvidenceKind::Author, &commit.author),
            identity(EvidenceKind::Committer, &commit.committer),
        ]
        .into_iter()
        .flatten()
        .collect(),
        Place::Trailer => trailers
            .iter()
            .filter(|t| trailer_matches(signature, t))
            .map(|t| evidence(EvidenceKind::Trailer, t.line()))
            .collect(),
        Place::Footer => {
            let Some(text) = signature.text.as_deref() else {
                return Vec::new();
            };
            commit
                .message
                .lines()
                .skip(1)
                .map(str::trim)
                .find(|line| footer_matches(line, text))
                .map(|line| evidence(EvidenceKind::Footer, line.to_owned()))
                .into_iter()
                .collect()
        }
        Place::Subject => {
            let subject = commit.message.lines().next().unwrap_or_default();
            match signature.text.as_deref() {
                Some(text) if subject.starts_with(text) => {
                    vec![evidence(EvidenceKind::Subject, subject.to_owned())]
                }
                _ => Vec::new(),
            }
        }
    }
}

/// A body line is the tool's footer when, after leading emoji and marks, it starts with `text`
/// and the text ends there: the line ends, a link or parenthesis follows, or `text` itself
/// ends in punctuation (`Generated with [Claude Code]`, a URL prefix). "Generated with Crush
/// line, including validation" is prose, not Crush's footer.
fn footer_matches(line: &str, text: &str) -> bool {
    let line = line.trim_start_matches(|c: char| !c.is_alphanumeric() && c != '[');
    let Some(rest) = line.strip_prefix(text) else {
        return false;
    };
    let open_end = text.ends_with(|c: char| !c.is_alphanumeric());
    open_end || rest.trim().is_empty() || rest.starts_with('(') || rest.starts_with(" (")
}

fn identity_matches(signature: &Signature, who: &Identity) -> bool {
    let email_ok = signature
        .email
        .as_deref()
        .is_none_or(|e| who.email.eq_ignore_ascii_case(e));
    let domain_ok = signature.email_domain.as_deref().is_none_or(|d| {
        who.email
            .rsplit_once('@')
            .is_some_and(|(_, domain)| domain.eq_ignore_ascii_case(d))
    });
    let name_ok = signature
        .name
        .as_deref()
        .is_none_or(|n| who.name.eq_ignore_ascii_case(n));
    let suffix_ok = signature.name_suffix.as_deref().is_none_or(|s| {
        let name = who.name.to_lowercase();
        name.len() > s.len() && name.ends_with(&s.to_lowercase())
    });
    email_ok && domain_ok && name_ok && suffix_ok
}

fn trailer_matches(signature: &Signature, trailer: &super::trailer::Trailer) -> bool {
    let key_ok = signature
        .key
        .as_deref()
        .is_some_and(|k| trailer.key.eq_ignore_ascii_case(k));
    if !key_ok {
        return false;
    }
    let prefix_ok = signature.value_prefix.as_deref().is_none_or(|p| {
        trailer
            .value
            .get(..p.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(p))
    });
    let contains_ok = signature
        .value_contains
        .as_deref()
        .is_none_or(|c| trailer.value.to_lowercase().contains(&c.to_lowercase()));
    let needs_identity = signature.email.is_some()
        || signature.email_domain.is_some()
        || signature.name.is_some()
        || signature.name_suffix.is_some();
    prefix_ok
        && contains_ok
        && (!needs_identity || identity_matches(signature, &Identity::parse(&trailer.value)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts<'a>(author: &str, message: &'a str) -> CommitFacts<'a> {
        CommitFacts {
            author: Identity::parse(author),
            committer: Identity::parse(author),
            message,
        }
    }

    fn table() -> SignatureTable {
        SignatureTable::built_in().unwrap()
    }

    #[test]
    fn claude_trailer_and_footer() {
        let message = "Add x\n\nBody.\n\n\u{1f916} Generated with [Claude Code](https://claude.com/claude-code)\n\nCo-Authored-By: Claude <noreply@anthropic.com>\n";
        let a = attribute(&table(), &facts("Maya <maya@x.dev>", message)).unwrap();
        assert_eq!(a.agent_id, "claude-code");
        let kinds: Vec<EvidenceKind> = a.evidence.iter().map(|e| e.kind).collect();
        assert_eq!(kinds, [EvidenceKind::Trailer, EvidenceKind::Footer]);
    }

    #[test]
    fn prose_mentions_are_not_evidence() {
        let message = "Revert formatting Claude suggested\n\nClaude, Copilot and Cursor said so. Co-authored-by: Claude <noreply@anthropic.com> in prose.\n";
        assert_eq!(
            attribute(&table(), &facts("Maya <maya@x.dev>", message)),
            None
        );
    }

    #[test]
    fn aider_model_comes_from_the_co_author_name() {
        let message =
            "Fix\n\nCo-authored-by: aider (anthropic/claude-sonnet-4) <aider@aider.chat>\n";
        let a = attribute(&table(), &facts("Tom <tom@x.dev>", message)).unwrap();
        assert_eq!(a.agent_id, "aider");
        assert_eq!(a.model.as_deref(), Some("anthropic/claude-sonnet-4"));
    }

    #[test]
    fn coding_agent_wins_over_dependency_bot() {
        let message = "Bump x\n\nCo-authored-by: Claude <noreply@anthropic.com>\n";
        let a = attribute(
            &table(),
            &facts(
                "dependabot[bot] <49699333+dependabot[bot]@users.noreply.github.com>",
                message,
            ),
        )
        .unwrap();
        assert_eq!(a.agent_id, "claude-code");
        assert_eq!(a.evidence.len(), 3, "{:?}", a.evidence);
    }

    #[test]
    fn aider_suffix_on_the_committer_alone_is_a_user_commit() {
        let commit = CommitFacts {
            author: Identity::parse("Paul <paul@x.dev>"),
            committer: Identity::parse("Paul (aider) <paul@x.dev>"),
            message: "fix: Update the FAQ",
        };
        assert_eq!(attribute(&table(), &commit), None);
    }

    #[test]
    fn the_tool_named_beside_a_model_is_the_agent() {
        let message = "Add x\n\n* first\n\nAssisted-by: Claude Sonnet 4.5 via Crush\n\n* second\n";
        let a = attribute(&table(), &facts("Maya <maya@x.dev>", message)).unwrap();
        assert_eq!(a.agent_id, "crush");
        let a = attribute(
            &table(),
            &facts("Maya <maya@x.dev>", "Fix\n\nAssisted-by: Claude Fable 5\n"),
        )
        .unwrap();
        assert_eq!(a.agent_id, "claude-code");
    }

    #[test]
    fn footers_must_end_where_the_tool_writes_them_end() {
        let footer = "Log\n\n\u{1f498} Generated with Crush\n";
        let a = attribute(&table(), &facts("Maya <maya@x.dev>", footer)).unwrap();
        assert_eq!(a.agent_id, "crush");
        let prose = "Docs\n\nGenerated with Crush line, including validation and defaults.\n";
        assert_eq!(
            attribute(&table(), &facts("Maya <maya@x.dev>", prose)),
            None
        );
    }

    #[test]
    fn mentioning_a_reviewer_bot_is_not_its_suggestion() {
        let mention = "Rules (#1)\n\n* feat: Changes as per ellipsis-dev feedback.\n";
        assert_eq!(
            attribute(&table(), &facts("Maya <maya@x.dev>", mention)),
            None
        );
        let applied = "Rules (#1)\n\nCo-authored-by: greptile-apps[bot] <165735046+greptile-apps[bot]@users.noreply.github.com>\n";
        let a = attribute(&table(), &facts("Maya <maya@x.dev>", applied)).unwrap();
        assert_eq!(a.agent_id, "greptile");
    }

    #[test]
    fn a_name_that_is_only_the_suffix_is_not_aider() {
        assert_eq!(attribute(&table(), &facts(" (aider) <x@y.z>", "x")), None);
    }
}
