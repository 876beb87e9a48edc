//! Finding a model server with no configuration: the local servers on loopback, and the
//! endpoint the environment names.

use std::time::Duration;

use serde_json::Value;
use tokio::task::JoinSet;

use super::{ApiKey, Endpoint, LlmError, Provider};

/// The usual local model servers and their default ports: Ollama, llama.cpp's `llama-server`,
/// LM Studio, vLLM.
pub const LOCAL_SERVERS: &[(u16, &str)] = &[
    (11434, "Ollama"),
    (8080, "llama.cpp"),
    (1234, "LM Studio"),
    (8000, "vLLM"),
];

/// How long one probe may take, connection included: a server on loopback answers its model
/// list in a few milliseconds, and detection runs when a window opens.
const PROBE: Duration = Duration::from_millis(300);

/// Which of `ports` (port, server name) have an OpenAI-compatible server on 127.0.0.1 with at
/// least one model, as endpoints for their first model, in the order of `ports`. Probes run
/// concurrently, each within 300 ms: `GET /v1/models`, and for Ollama (by name or its port
/// 11434) `GET /api/tags` when the first is not found (Ollama before its OpenAI API). A server
/// with no model is left out: there is nothing to ask. Never fails: an unreachable port is
/// simply not a server.
pub async fn detect_local(ports: &[(u16, &str)]) -> Vec<Endpoint> {
    super::client::install_crypto_provider();
    // Loopback only, so a proxy from the environment must not be used.
    let Ok(http) = reqwest::Client::builder()
        .no_proxy()
        .connect_timeout(PROBE)
        .timeout(PROBE)
        .redirect(reqwest::redirect::Policy::none())
        .build()
    else {
        return Vec::new();
    };
    let mut probes = JoinSet::new();
    for (index, &(port, name)) in ports.iter().enumerate() {
        let http = http.clone();
        let ollama = port == 11434 || name.eq_ignore_ascii_case("ollama");
        probes.spawn(async move { (index, probe(&http, port, ollama).await) });
    }
    let mut found = Vec::new();
    while let Some(joined) = probes.join_next().await {
        if let Ok((index, Some(endpoint))) = joined {
            found.push((index, endpoint));
        }
    }
    found.sort_by_key(|(index, _)| *index);
    found.into_iter().map(|(_, endpoint)| endpoint).collect()
}

enum Probe {
    /// Nothing answered (refused, timed out).
    Nobody,
    /// A server answered, with its first model if it lists one.
    Answered(Option<String>),
}

async fn probe(http: &reqwest::Client, port: u16, ollama: bool) -> Option<Endpoint> {
    let root = format!("http://127.0.0.1:{port}");
    let model = match first_model(http, &format!("{root}/v1/models"), "/data/0/id").await {
        Probe::Answered(Some(model)) => Some(model),
        Probe::Answered(None) if ollama => {
            match first_model(http, &format!("{root}/api/tags"), "/models/0/name").await {
                Probe::Answered(model) => model,
                Probe::Nobody => None,
            }
        }
        Probe::Answered(None) | Probe::Nobody => None,
    }?;
    Some(Endpoint {
        provider: Provider::OpenAi,
        base_url: format!("{root}/v1"),
        model,
        api_key: None,
    })
}

async fn first_model(http: &reqwest::Client, url: &str, pointer: &str) -> Probe {
    let Ok(response) = http.get(url).send().await else {
        return Probe::Nobody;
    };
    if !response.status().is_success() {
        return Probe::Answered(None);
    }
    let Ok(body) = response.bytes().await else {
        return Probe::Answered(None);
    };
    let model = serde_json::from_slice::<Value>(&body)
        .ok()
        .and_then(|list| list.pointer(pointer)?.as_str().map(str::to_owned))
        .filter(|model| !model.is_empty());
    Probe::Answered(model)
}

/// The environment variable naming the API's base URL.
pub const ENV_BASE_URL: &str = "REDLINE_LLM_BASE_URL";
/// The environment variable naming the model.
pub const ENV_MODEL: &str = "REDLINE_LLM_MODEL";
/// The environment variable holding the API key.
pub const ENV_API_KEY: &str = "REDLINE_LLM_API_KEY";
/// The environment variable naming the protocol: `openai` or `anthropic`.
pub const ENV_PROVIDER: &str = "REDLINE_LLM_PROVIDER";

/// The endpoint the environment names, which overrides the settings (for scripts and CI).
/// `vars` looks a variable up (`|name| std::env::var(name).ok()` in the app; a map in tests);
/// empty values count as unset.
///
/// None of the four set: `Ok(None)`. Otherwise `REDLINE_LLM_MODEL` is required;
/// `REDLINE_LLM_PROVIDER` is `openai` (the default) or `anthropic`, any case;
/// `REDLINE_LLM_BASE_URL` defaults to the provider's public API only when the provider is named
/// explicitly (so nothing leaves the machine because of a model name alone). An unusable value is
/// [`LlmError::InvalidSetting`] naming the variable; the key's value is never in a message.
pub fn endpoint_from_env(
    vars: impl Fn(&str) -> Option<String>,
) -> Result<Option<Endpoint>, LlmError> {
    let var = |name: &str| {
        vars(name)
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty())
    };
    let base_url = var(ENV_BASE_URL);
    let model = var(ENV_MODEL);
    let api_key = var(ENV_API_KEY);
    let provider_name = var(ENV_PROVIDER);
    if base_url.is_none() && model.is_none() && api_key.is_none() && provider_name.is_none() {
        return Ok(None);
    }
    let provider = match provider_name
        .as_deref()
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        None | Some("openai") => Provider::OpenAi,
        Some("anthropic") => Provider::Anthropic,
        Some(_) => {
            return Err(LlmError::InvalidSetting {
                name: ENV_PROVIDER.to_owned(),
                value: provider_name.unwrap_or_default(),
                expected: "`openai` or `anthropic`".to_owned(),
            })
        }
    };
    let base_url = match (base_url, &provider_name) {
        (Some(url), _) => checked_base_url(ENV_BASE_URL, &url)?,
        (None, Some(_)) => match provider {
            Provider::OpenAi => "https://api.openai.com/v1".to_owned(),
            Provider::Anthropic => "https://api.anthropic.com/v1".to_owned(),
        },
        (None, None) => {
            return Err(LlmError::MissingSetting {
                name: ENV_BASE_URL.to_owned(),
                because: format!(
                    "{} is set (e.g. http://127.0.0.1:8080/v1 for llama.cpp's server)",
                    if model.is_some() {
                        ENV_MODEL
                    } else {
                        ENV_API_KEY
                    }
                ),
            })
        }
    };
    let Some(model) = model else {
        return Err(LlmError::MissingSetting {
            name: ENV_MODEL.to_owned(),
            because: format!("{ENV_BASE_URL} or {ENV_PROVIDER} is set"),
        });
    };
    Ok(Some(Endpoint {
        provider,
        base_url,
        model,
        api_key: api_key.map(ApiKey::new),
    }))
}

/// `url` without trailing slashes, if it is an http or https URL.
pub(super) fn checked_base_url(name: &str, url: &str) -> Result<String, LlmError> {
    let trimmed = url.trim().trim_end_matches('/');
    match reqwest::Url::parse(trimmed) {
        Ok(parsed) if matches!(parsed.scheme(), "http" | "https") && parsed.has_host() => {
            Ok(trimmed.to_owned())
        }
        _ => Err(LlmError::InvalidSetting {
            name: name.to_owned(),
            value: url.to_owned(),
            expected: "an http:// or https:// URL such as http://127.0.0.1:8080/v1".to_owned(),
        }),
    }
}
