//! Explain and teach: the composer. Gathers what a model is shown about a hunk, a file, the
//! whole change or a selection (the code, its enclosing symbol, imports, findings), redacts
//! it, fits it to the model's context, asks the model (or the cache), and pins answers as
//! notes. With no model configured it answers with the structural summary.

use std::path::Path;

use serde::{Deserialize, Serialize};
use specta::Type;
use tokio_util::sync::CancellationToken;
use tracing::instrument;

use super::findings::{file_findings, findings, FindingsError, FindingsOptions};
use super::structure::{self, StructureError};
use crate::diff::{FileDiff, LineKind};
use crate::error::{ErrorKind, ErrorReport};
use crate::explain::context::{self, CodeContext, Redaction, Truncation};
use crate::explain::prompt::{self, PromptMessage, PromptRole, PROMPT_OVERHEAD_TOKENS};
use crate::explain::summary::{self, SummaryFile};
use crate::explain::{ExplainAction, ExplainRequest};
use crate::findings::Config as FindingsConfig;
use crate::llm::{self, ChatRequest, Client, Endpoint, LlmError, Message, Provider, Role};
use crate::repo::blob::{path_content, Side, SideContent};
use crate::repo::{self, RepoError, Target};
use crate::store::{CachedAnswer, Store, StoreError};
use crate::syntax::{self, LineSpan, SyntaxLimits};

/// Why an explanation could not be given.
#[derive(Debug, thiserror::Error)]
pub enum ExplainError {
    #[error(transparent)]
    Repo(#[from] RepoError),
    #[error(transparent)]
    Structure(#[from] StructureError),
    #[error(transparent)]
    Findings(#[from] FindingsError),
    #[error(transparent)]
    Llm(#[from] LlmError),
    #[error(transparent)]
    Workflow(#[from] super::workflow::WorkflowError),
    #[error("{0}")]
    Settings(String),
    #[error("{what}")]
    NotFound { what: String },
}

impl From<&ExplainError> for ErrorReport {
    fn from(error: &ExplainError) -> Self {
        match error {
            ExplainError::Repo(e) => e.into(),
            ExplainError::Structure(e) => e.into(),
            ExplainError::Findings(e) => e.into(),
            ExplainError::Llm(e) => e.into(),
            ExplainError::Workflow(e) => e.into(),
            ExplainError::Settings(message) => ErrorReport {
                kind: ErrorKind::InvalidConfig,
                message: message.clone(),
            },
            ExplainError::NotFound { what } => ErrorReport {
                kind: ErrorKind::FileNotInTarget,
                message: what.clone(),
            },
        }
    }
}

impl From<StoreError> for ExplainError {
    fn from(error: StoreError) -> Self {
        ExplainError::Workflow(super::workflow::WorkflowError::Store(error))
    }
}

impl From<ExplainError> for ErrorReport {
    fn from(error: ExplainError) -> Self {
        ErrorReport::from(&error)
    }
}

/// The model settings of `[llm]` in the user's config file (`~/.config/redline/config.toml`).
/// Keys are never stored there: `api_key_env` names the environment variable holding one.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct LlmSettings {
    pub provider: Option<String>,
    pub base_url: Option<String>,
    pub model: Option<String>,
    pub api_key_env: Option<String>,
    /// The model's context window in tokens (default 8,192).
    pub context_tokens: Option<u32>,
    /// The most tokens an answer may take (default 1,024).
    pub answer_tokens: Option<u32>,
}

/// Where the model came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum ModelSource {
    /// `REDLINE_LLM_*` environment variables (they win: scripts and CI).
    Environment,
    /// `[llm]` in the config file.
    Settings,
    /// A server found on this machine's loopback.
    Detected,
}

/// The model explanations use, if any.
#[derive(Debug, Clone)]
pub struct ModelChoice {
    pub endpoint: Endpoint,
    pub source: ModelSource,
    pub context_tokens: u32,
    pub answer_tokens: u32,
}

impl ModelChoice {
    fn provider_name(&self) -> &'static str {
        match self.endpoint.provider {
            Provider::OpenAi => "openai",
            Provider::Anthropic => "anthropic",
        }
    }
}

const DEFAULT_CONTEXT_TOKENS: u32 = 8_192;
const DEFAULT_ANSWER_TOKENS: u32 = 1_024;

/// The model to use: the environment's, else the config file's, else one detected on
/// loopback; `None` when there is none (explanations are then structural summaries).
pub async fn choose_model(detect: bool) -> Result<Option<ModelChoice>, ExplainError> {
    let settings = load_settings()?;
    let sized = |endpoint: Endpoint, source| ModelChoice {
        endpoint,
        source,
        context_tokens: settings.context_tokens.unwrap_or(DEFAULT_CONTEXT_TOKENS),
        answer_tokens: settings.answer_tokens.unwrap_or(DEFAULT_ANSWER_TOKENS),
    };
    if let Some(mut endpoint) = llm::endpoint_from_env(|name| std::env::var(name).ok())? {
        if endpoint.api_key.is_none() {
            endpoint.api_key = llm::keys::stored_key(endpoint.provider, &endpoint.base_url);
        }
        return Ok(Some(sized(endpoint, ModelSource::Environment)));
    }
    if let (Some(base_url), Some(model)) = (&settings.base_url, &settings.model) {
        let provider = match settings.provider.as_deref().map(str::to_ascii_lowercase) {
            None => Provider::OpenAi,
            Some(p) if p == "openai" => Provider::OpenAi,
            Some(p) if p == "anthropic" => Provider::Anthropic,
            Some(other) => {
                return Err(ExplainError::Settings(format!(
                    "[llm] provider = \"{other}\" in the config file: expected \"openai\" or \"anthropic\""
                )))
            }
        };
        // the variable the settings name, else the OS keyring (`redline model-key set`)
        let api_key = settings
            .api_key_env
            .as_deref()
            .and_then(|name| std::env::var(name).ok())
            .map(llm::ApiKey::new)
            .or_else(|| llm::keys::stored_key(provider, base_url));
        let endpoint = Endpoint {
            provider,
            base_url: base_url.clone(),
            model: model.clone(),
            api_key,
        };
        return Ok(Some(sized(endpoint, ModelSource::Settings)));
    }
    if detect {
        if let Some(endpoint) = llm::detect_local(llm::LOCAL_SERVERS)
            .await
            .into_iter()
            .next()
        {
            return Ok(Some(sized(endpoint, ModelSource::Detected)));
        }
    }
    Ok(None)
}

fn load_settings() -> Result<LlmSettings, ExplainError> {
    #[derive(Deserialize, Default)]
    struct File {
        #[serde(default)]
        llm: LlmSettings,
    }
    let Some(path) = crate::provenance::user_config_path() else {
        return Ok(LlmSettings::default());
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(LlmSettings::default()),
        Err(e) => {
            return Err(ExplainError::Settings(format!(
                "cannot read {}: {e}",
                path.display()
            )))
        }
    };
    toml::from_str::<File>(&text)
        .map(|file| file.llm)
        .map_err(|e| ExplainError::Settings(format!("{}: {}", path.display(), e.message().trim())))
}

/// What will be sent for a request: the window shows it before anything leaves the machine.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct PreparedExplain {
    pub messages: Vec<PromptMessage>,
    /// Secrets replaced by placeholders, by kind and part.
    pub redactions: Vec<Redaction>,
    /// What was left out to fit the model's context.
    pub truncation: Truncation,
    /// Estimated tokens of `messages`.
    #[specta(type = f64)]
    pub tokens: u64,
}

/// Builds what `request` sends, for a model with a `context_tokens` window that may answer
/// with `answer_tokens`.
#[instrument(level = "debug")]
pub fn prepare_explain(
    path: &Path,
    target: &Target,
    request: &ExplainRequest,
    context_tokens: u32,
    answer_tokens: u32,
) -> Result<PreparedExplain, ExplainError> {
    let mut code = gather(path, target, &request.action)?;
    let config = findings_config(path)?;
    let redactions = context::redact(&mut code, &config.secrets);
    let budget = (context_tokens as usize)
        .saturating_sub(answer_tokens as usize)
        .saturating_sub(PROMPT_OVERHEAD_TOKENS);
    let truncation = context::fit(&mut code, budget);
    let messages = prompt::messages(request, &code);
    Ok(PreparedExplain {
        tokens: prompt::message_tokens(&messages) as u64,
        messages,
        redactions,
        truncation,
    })
}

/// The repository's `.redline.toml`, read as the findings read it: its secret patterns are
/// redacted too.
fn findings_config(path: &Path) -> Result<FindingsConfig, ExplainError> {
    let (repo, _) = repo::open(path)?;
    Ok(super::findings::load_config(&repo)?.0)
}

/// Where an explanation came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum AnswerSource {
    /// Asked of the model now.
    Model,
    /// The same question was answered before: from the store.
    Cache,
    /// No model is configured: Redline's structural summary.
    Structure,
}

/// An explanation.
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Explanation {
    /// Markdown.
    pub text: String,
    pub source: AnswerSource,
    /// `provider/model`, when a model answered.
    pub model: Option<String>,
    pub usage: Option<UsageFigures>,
    pub redactions: Vec<Redaction>,
    pub truncation: Truncation,
}

/// A request's figures, as the window shows them.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct UsageFigures {
    pub input_tokens: Option<u32>,
    pub output_tokens: Option<u32>,
    /// Milliseconds from sending to the first token.
    pub first_token_ms: Option<f64>,
    pub total_ms: f64,
    pub attempts: u32,
}

impl From<&llm::Usage> for UsageFigures {
    fn from(usage: &llm::Usage) -> Self {
        UsageFigures {
            input_tokens: usage.input_tokens,
            output_tokens: usage.output_tokens,
            // whole milliseconds: finer figures are noise to a reader
            first_token_ms: usage
                .first_token
                .map(|d| (d.as_secs_f64() * 1000.0).round()),
            total_ms: (usage.total.as_secs_f64() * 1000.0).round(),
            attempts: usage.attempts,
        }
    }
}

/// Explains `request`: from the cache when the same prompt was answered by the same model,
/// else streamed from the model (`on_token` gets each piece), else — no model — the
/// structural summary. `cancel` stops a stream; what was asked is then not cached.
pub async fn explain(
    store: &Store,
    path: &Path,
    target: &Target,
    request: &ExplainRequest,
    model: Option<&ModelChoice>,
    cancel: &CancellationToken,
    on_token: impl FnMut(&str) + Send,
) -> Result<Explanation, ExplainError> {
    let client = match model {
        Some(model) => Some(Client::new(model.endpoint.clone(), llm::Limits::default())?),
        None => None,
    };
    let model = model.zip(client.as_ref());
    explain_with(store, path, target, request, model, cancel, on_token).await
}

/// [`explain`] through `client` (shared by requests that queue on its concurrency limit).
async fn explain_with(
    store: &Store,
    path: &Path,
    target: &Target,
    request: &ExplainRequest,
    model: Option<(&ModelChoice, &Client)>,
    cancel: &CancellationToken,
    mut on_token: impl FnMut(&str) + Send,
) -> Result<Explanation, ExplainError> {
    let Some((model, client)) = model else {
        let text = structural_summary(path, target, &request.action)?;
        on_token(&text);
        return Ok(Explanation {
            text,
            source: AnswerSource::Structure,
            model: None,
            usage: None,
            redactions: Vec::new(),
            truncation: Truncation::default(),
        });
    };
    let prepared = prepare_explain(
        path,
        target,
        request,
        model.context_tokens,
        model.answer_tokens,
    )?;
    let name = format!("{}/{}", model.provider_name(), model.endpoint.model);
    let key = prompt::cache_key(
        model.provider_name(),
        &model.endpoint.model,
        &prepared.messages,
    );
    if let Some(cached) = store.cached_answer(&key)? {
        on_token(&cached.answer);
        return Ok(Explanation {
            text: cached.answer,
            source: AnswerSource::Cache,
            model: Some(name),
            usage: serde_json::from_str(&cached.usage).ok(),
            redactions: prepared.redactions,
            truncation: prepared.truncation,
        });
    }
    let chat = ChatRequest {
        messages: prepared
            .messages
            .iter()
            .map(|m| Message {
                role: match m.role {
                    PromptRole::System => Role::System,
                    PromptRole::User => Role::User,
                },
                content: m.content.clone(),
            })
            .collect(),
        max_tokens: model.answer_tokens,
        temperature: 0.2,
    };
    let answer = client.stream(&chat, cancel, &mut on_token).await?;
    let usage = UsageFigures::from(&answer.usage);
    store.cache_answer(&CachedAnswer {
        key,
        provider: model.provider_name().to_owned(),
        model: model.endpoint.model.clone(),
        action: request.action.name().to_owned(),
        answer: answer.text.clone(),
        usage: serde_json::to_string(&usage).unwrap_or_default(),
        created_at: crate::store::now_ms(),
    })?;
    Ok(Explanation {
        text: answer.text,
        source: AnswerSource::Model,
        model: Some(name),
        usage: Some(usage),
        redactions: prepared.redactions,
        truncation: prepared.truncation,
    })
}

/// The structural summary of what `action` is about: the whole change, or one file.
pub fn structural_summary(
    path: &Path,
    target: &Target,
    action: &ExplainAction,
) -> Result<String, ExplainError> {
    let report = structure::structure(path, target)?;
    let review = super::open(path, Some(target))?;
    let found = findings(path, target, FindingsOptions::default())?;
    let api = super::rust_api(path, Some(target))?;
    let wanted = action.file();
    let mut inputs = Vec::new();
    for file in &review.files {
        let display = file.display_path();
        if wanted.is_some_and(|w| w != display) {
            continue;
        }
        let structure = report.files.iter().find(|s| s.path == display);
        let file_findings: Vec<_> = found
            .findings
            .iter()
            .filter(|f| f.path == display)
            .cloned()
            .collect();
        inputs.push((
            file,
            structure,
            file_findings,
            api.files.iter().find(|a| a.path == display),
        ));
    }
    if let Some(file) = wanted {
        if inputs.is_empty() {
            return Err(ExplainError::NotFound {
                what: format!("{file} is not changed by {target}"),
            });
        }
    }
    let summary_files: Vec<SummaryFile<'_>> = inputs
        .iter()
        .map(|(file, structure, found, api)| SummaryFile {
            path: file.display_path(),
            old_path: file.old_path.as_deref(),
            status: file.status,
            additions: file.additions,
            deletions: file.deletions,
            collapsed: file.collapsed.clone(),
            changes: structure.map_or(&[], |s| s.changes.as_slice()),
            api: api.and_then(|a| a.api.as_ref()),
            findings: found,
        })
        .collect();
    let title = match wanted {
        Some(file) => format!("{file} in {target}"),
        None => format!("{target}"),
    };
    Ok(summary::summarize(&title, &summary_files))
}

/// What the model is shown about `action`, before redaction and the budget.
fn gather(
    path: &Path,
    target: &Target,
    action: &ExplainAction,
) -> Result<CodeContext, ExplainError> {
    match action {
        ExplainAction::Change => {
            let review = super::open(path, Some(target))?;
            let found = findings(path, target, FindingsOptions::default())?;
            let mut code = String::new();
            for file in &review.files {
                if file.collapsed.is_some() {
                    continue;
                }
                code.push_str(&unified(file, None));
            }
            Ok(CodeContext {
                path: format!("the change {target}"),
                language: None,
                code,
                enclosing: None,
                imports: Vec::new(),
                findings: found
                    .findings
                    .iter()
                    .map(|f| format!("{} at {}:{}: {}", f.rule, f.path, f.line, f.message))
                    .collect(),
                notes: vec![format!(
                    "Files: {}",
                    review
                        .files
                        .iter()
                        .map(|f| format!(
                            "{} (+{} −{})",
                            f.display_path(),
                            f.additions,
                            f.deletions
                        ))
                        .collect::<Vec<_>>()
                        .join(", ")
                )],
            })
        }
        ExplainAction::File { file } => file_context(path, target, file, None, None),
        ExplainAction::Hunk { file, hunk } | ExplainAction::Risks { file, hunk } => {
            file_context(path, target, file, Some(*hunk), None)
        }
        ExplainAction::Question {
            file,
            start_line,
            end_line,
            ..
        } => file_context(path, target, file, None, Some((*start_line, *end_line))),
    }
}

/// The context of one file: all its hunks, one hunk (1-based), or selected new-side lines.
fn file_context(
    path: &Path,
    target: &Target,
    file: &str,
    hunk: Option<u32>,
    selection: Option<(u32, u32)>,
) -> Result<CodeContext, ExplainError> {
    let diff = super::file_diff(path, target, file, None)?;
    let (repo, _) = repo::open(path)?;
    let resolved = repo::resolve(&repo, target)?;
    let new_path = diff.new_path.clone().unwrap_or_else(|| file.to_owned());
    let source = match path_content(&repo, &resolved, Side::New, &new_path, 4 * 1024 * 1024)? {
        SideContent::Bytes(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
        _ => String::new(),
    };
    let language = syntax::detect(&new_path, None, source.as_bytes());
    let found = file_findings(path, target, file, None)?;
    let (code, lines) = match (hunk, selection) {
        (Some(index), _) => {
            let chosen = diff
                .hunks
                .get((index as usize).saturating_sub(1))
                .filter(|_| index >= 1)
                .ok_or_else(|| ExplainError::NotFound {
                    what: format!(
                        "{file} has {} hunk{} in {target}; there is no hunk {index}",
                        diff.hunks.len(),
                        if diff.hunks.len() == 1 { "" } else { "s" }
                    ),
                })?;
            let span = LineSpan {
                start: chosen.new_start.max(1),
                end: (chosen.new_start + chosen.new_lines)
                    .saturating_sub(1)
                    .max(chosen.new_start.max(1)),
            };
            (unified(&diff, Some(index as usize - 1)), Some(span))
        }
        (None, Some((start, end))) => {
            let (start, end) = (start.min(end).max(1), end.max(start));
            let text: Vec<String> = source
                .lines()
                .enumerate()
                .skip(start as usize - 1)
                .take((end - start + 1) as usize)
                .map(|(i, line)| format!("{:>5} {line}", i + 1))
                .collect();
            if text.is_empty() {
                return Err(ExplainError::NotFound {
                    what: format!("{file} has no lines {start}–{end} in {target}"),
                });
            }
            (text.join("\n"), Some(LineSpan { start, end }))
        }
        (None, None) => (unified(&diff, None), None),
    };
    let enclosing = match (language, lines) {
        (Some(language), Some(lines)) => {
            let symbols = syntax::symbols(language, source.as_bytes(), &SyntaxLimits::default())
                .map_err(|e| ExplainError::Structure(e.into()))?;
            symbols.enclosing(lines).map(|symbol| {
                let text = source
                    .get(symbol.start_byte as usize..symbol.end_byte as usize)
                    .unwrap_or("")
                    .to_owned();
                (symbol.path.clone(), text)
            })
        }
        _ => None,
    };
    let in_lines = |line: u32| lines.is_none_or(|span| line >= span.start && line <= span.end);
    Ok(CodeContext {
        path: file.to_owned(),
        language: language.map(|l| l.name.to_owned()),
        code,
        enclosing,
        imports: context::imports(&source, 40),
        findings: found
            .iter()
            .filter(|f| in_lines(f.line))
            .map(|f| format!("{} (line {}): {}", f.rule, f.line, f.message))
            .collect(),
        notes: Vec::new(),
    })
}

/// `file`'s hunks (or only hunk `only`) as unified-diff text with a `--- a/ +++ b/` header.
fn unified(file: &FileDiff, only: Option<usize>) -> String {
    let mut out = format!(
        "--- a/{}\n+++ b/{}\n",
        file.old_path.as_deref().unwrap_or("/dev/null"),
        file.new_path.as_deref().unwrap_or("/dev/null")
    );
    for (index, hunk) in file.hunks.iter().enumerate() {
        if only.is_some_and(|o| o != index) {
            continue;
        }
        out.push_str(&hunk.header);
        out.push('\n');
        for line in hunk.lines() {
            out.push(match line.kind {
                LineKind::Added => '+',
                LineKind::Removed => '-',
                LineKind::Context => ' ',
            });
            out.push_str(line.text);
            out.push('\n');
        }
    }
    out
}

/// Pins an explanation as a note of kind explanation on the lines it is about: a hunk's new
/// lines (old lines for a hunk that only removes), a file's first hunk, the selected lines.
/// A whole-change explanation has no lines: it is refused (pin it from a file or hunk).
pub fn pin_explanation(
    store: &Store,
    path: &Path,
    target: &Target,
    request: &ExplainRequest,
    text: &str,
    model: Option<&str>,
) -> Result<super::PlacedThread, ExplainError> {
    let (file, hunk, lines) = match &request.action {
        ExplainAction::Hunk { file, hunk } | ExplainAction::Risks { file, hunk } => {
            (file, Some(*hunk), None)
        }
        ExplainAction::File { file } => (file, Some(1), None),
        ExplainAction::Question {
            file,
            start_line,
            end_line,
            ..
        } => (file, None, Some((*start_line, *end_line))),
        ExplainAction::Change => {
            return Err(ExplainError::NotFound {
                what: "an explanation of the whole change has no lines to pin it to: pin one of a file, a hunk or a selection".to_owned(),
            })
        }
    };
    let (side, start_line, end_line) = match (hunk, lines) {
        (_, Some((start, end))) => (crate::notes::AnchorSide::New, start, end),
        (Some(index), None) => {
            let diff = super::file_diff(path, target, file, None)?;
            let chosen = diff
                .hunks
                .get((index as usize).saturating_sub(1))
                .ok_or_else(|| ExplainError::NotFound {
                    what: format!("{file} has no hunk {index} in {target}"),
                })?;
            if chosen.new_lines > 0 {
                let start = chosen.new_start;
                (
                    crate::notes::AnchorSide::New,
                    start,
                    start + chosen.new_lines - 1,
                )
            } else {
                let start = chosen.old_start.max(1);
                (
                    crate::notes::AnchorSide::Old,
                    start,
                    start + chosen.old_lines.max(1) - 1,
                )
            }
        }
        (None, None) => (crate::notes::AnchorSide::New, 1, 1),
    };
    let heading = match (model, request.teach) {
        (Some(model), true) => format!("**Explained for learning by {model}**"),
        (Some(model), false) => format!("**Explained by {model}**"),
        (None, _) => "**Redline's structural summary**".to_owned(),
    };
    let note = super::NewNote {
        path: file.clone(),
        side,
        start_line,
        end_line,
        kind: crate::notes::NoteKind::Explanation,
        body: format!("{heading}\n\n{}", text.trim()),
    };
    Ok(super::add_note(store, path, target, &note)?)
}

/// One hunk's explanation in [`explain_every_hunk`].
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct HunkExplanation {
    pub file: String,
    /// 1-based, within the file.
    pub hunk: u32,
    pub explanation: Result<Explanation, ErrorReport>,
}

/// Explains every hunk of `target` (collapsed files skipped), as a queue: at most the
/// client's concurrency limit at a time (2), the others waiting their turn; `on_done` hears
/// each result with how many are done of how many. One failed hunk does not stop the others;
/// `cancel` stops them all.
pub async fn explain_every_hunk(
    store: &Store,
    path: &Path,
    target: &Target,
    teach: bool,
    model: &ModelChoice,
    cancel: &CancellationToken,
    mut on_done: impl FnMut(&HunkExplanation, usize, usize),
) -> Result<Vec<HunkExplanation>, ExplainError> {
    let review = super::open(path, Some(target))?;
    let queue: Vec<(String, u32)> = review
        .files
        .iter()
        .filter(|file| file.collapsed.is_none())
        .flat_map(|file| {
            (1..=file.hunks.len() as u32).map(|hunk| (file.display_path().to_owned(), hunk))
        })
        .collect();
    let client = Client::new(model.endpoint.clone(), llm::Limits::default())?;
    let total = queue.len();
    let mut results = Vec::with_capacity(total);
    let one = |file: String, hunk: u32| {
        let client = &client;
        async move {
            let request = ExplainRequest {
                action: ExplainAction::Hunk {
                    file: file.clone(),
                    hunk,
                },
                teach,
            };
            let explanation = explain_with(
                store,
                path,
                target,
                &request,
                Some((model, client)),
                cancel,
                |_| {},
            )
            .await
            .map_err(|e| ErrorReport::from(&e));
            HunkExplanation {
                file,
                hunk,
                explanation,
            }
        }
    };
    // two at a time, as the client's concurrency limit allows; the store is used from this
    // one task, so the pair runs interleaved on it rather than on other threads
    let mut pending = queue.into_iter();
    loop {
        if cancel.is_cancelled() {
            break;
        }
        let (Some(first), second) = (pending.next(), pending.next()) else {
            break;
        };
        let done: Vec<HunkExplanation> = match second {
            Some(second) => {
                let (a, b) = tokio::join!(one(first.0, first.1), one(second.0, second.1));
                vec![a, b]
            }
            None => vec![one(first.0, first.1).await],
        };
        for result in done {
            results.push(result);
            if let Some(last) = results.last() {
                on_done(last, results.len(), total);
            }
        }
    }
    Ok(results)
}
