//! `redline explain`: streams a model's explanation to stdout (or prints what would be
//! sent), with the model and the request's figures on stderr.

use std::io::Write;
use std::path::Path;

use redline::error::{ErrorKind, ErrorReport};
use redline::explain::prompt::PromptRole;
use redline::explain::ExplainRequest;
use redline::repo::Target;
use redline::review::{self, AnswerSource, ModelSource};
use redline::store::Store;
use tokio_util::sync::CancellationToken;

use super::terminal::TerminalSafe;
use crate::Failure;

/// `redline explain --every-hunk`: each hunk's explanation as a Markdown section, in the
/// review's order, with progress on stderr.
pub fn every_hunk(
    out: &mut TerminalSafe<impl Write>,
    repo: &Path,
    target: &Target,
    teach: bool,
) -> Result<(), Failure> {
    let runtime = redline::llm::request_runtime()?;
    let Some(model) = runtime.block_on(review::choose_model(true))? else {
        return Err(ErrorReport {
            kind: ErrorKind::InvalidConfig,
            message: "explaining every hunk needs a model: set REDLINE_LLM_BASE_URL and \
                      REDLINE_LLM_MODEL, or run a model server on this machine"
                .to_owned(),
        }
        .into());
    };
    let store = Store::open_default()?;
    let cancel = CancellationToken::new();
    let results = runtime.block_on(review::explain_every_hunk(
        &store,
        repo,
        target,
        teach,
        &model,
        &cancel,
        |result, done, total| {
            let how = match &result.explanation {
                Ok(e) if e.source == AnswerSource::Cache => "cached",
                Ok(_) => "explained",
                Err(_) => "failed",
            };
            eprintln!(
                "[{done}/{total}] {} hunk {}: {how}",
                result.file, result.hunk
            );
        },
    ))?;
    let mut failed = 0;
    for result in &results {
        writeln!(out, "## {}, hunk {}\n", result.file, result.hunk).map_err(Failure::Output)?;
        match &result.explanation {
            Ok(explanation) => writeln!(out, "{}\n", explanation.text.trim_end()),
            Err(error) => {
                failed += 1;
                writeln!(out, "_Not explained: {}_\n", error.message)
            }
        }
        .map_err(Failure::Output)?;
    }
    out.flush().map_err(Failure::Output)?;
    if failed > 0 {
        return Err(ErrorReport {
            kind: ErrorKind::Llm,
            message: format!("{failed} of {} hunks could not be explained", results.len()),
        }
        .into());
    }
    Ok(())
}

/// Runs `redline explain`.
pub fn run(
    out: &mut TerminalSafe<impl Write>,
    repo: &Path,
    target: &Target,
    request: &ExplainRequest,
    show_prompt: bool,
) -> Result<(), Failure> {
    let runtime = redline::llm::request_runtime()?;
    let model = runtime.block_on(review::choose_model(true))?;
    if show_prompt {
        let (context, answer) = model
            .as_ref()
            .map_or((8_192, 1_024), |m| (m.context_tokens, m.answer_tokens));
        let prepared = review::prepare_explain(repo, target, request, context, answer)?;
        for message in &prepared.messages {
            let role = match message.role {
                PromptRole::System => "system",
                PromptRole::User => "user",
            };
            writeln!(out, "===== {role} =====\n{}", message.content).map_err(Failure::Output)?;
        }
        writeln!(
            out,
            "===== about {} tokens; {} secret{} redacted{} =====",
            prepared.tokens,
            prepared.redactions.len(),
            if prepared.redactions.len() == 1 {
                ""
            } else {
                "s"
            },
            if prepared.truncation.is_empty() {
                ""
            } else {
                "; cut to fit the model's context"
            }
        )
        .map_err(Failure::Output)?;
        return out.flush().map_err(Failure::Output);
    }
    match &model {
        Some(model) => {
            let source = match model.source {
                ModelSource::Environment => "from REDLINE_LLM_*",
                ModelSource::Settings => "from the config file",
                ModelSource::Detected => "found on this machine",
            };
            eprintln!(
                "model: {} at {} ({source})",
                model.endpoint.model, model.endpoint.base_url
            );
        }
        None => eprintln!("no model configured: Redline's structural summary"),
    }
    let store = Store::open_default()?;
    let cancel = CancellationToken::new();
    // The stream writes through its own handle on stdout (the request's callback must be
    // `Send`); this thread already holds stdout's lock, which is reentrant, and what `out`
    // buffered is flushed first so the order holds.
    out.flush().map_err(Failure::Output)?;
    let mut stream = TerminalSafe::new(std::io::stdout());
    let mut failed = None;
    let explanation = runtime.block_on(review::explain(
        &store,
        repo,
        target,
        request,
        model.as_ref(),
        &cancel,
        |piece| {
            if failed.is_none() {
                if let Err(e) = stream
                    .write_all(piece.as_bytes())
                    .and_then(|()| stream.flush())
                {
                    failed = Some(e);
                    cancel.cancel();
                }
            }
        },
    ));
    if let Some(e) = failed {
        return Err(Failure::Output(e));
    }
    let explanation = explanation?;
    writeln!(out)
        .and_then(|()| out.flush())
        .map_err(Failure::Output)?;
    if !explanation.redactions.is_empty() {
        eprintln!(
            "{} secret{} replaced by placeholders before sending",
            explanation.redactions.len(),
            if explanation.redactions.len() == 1 {
                " was"
            } else {
                "s were"
            }
        );
    }
    match (explanation.source, &explanation.usage) {
        (AnswerSource::Cache, _) => eprintln!("(cached answer)"),
        (AnswerSource::Model, Some(usage)) => eprintln!(
            "{} tokens in, {} out; first token after {} ms, {:.0} ms in all{}",
            usage.input_tokens.map_or("?".to_owned(), |n| n.to_string()),
            usage
                .output_tokens
                .map_or("?".to_owned(), |n| n.to_string()),
            usage
                .first_token_ms
                .map_or("?".to_owned(), |ms| format!("{ms:.0}")),
            usage.total_ms,
            if usage.attempts > 1 {
                format!(" ({} attempts)", usage.attempts)
            } else {
                String::new()
            }
        ),
        _ => {}
    }
    Ok(())
}
