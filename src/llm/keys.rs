//! API keys in the OS keyring (the Secret Service on Linux, Keychain on macOS, Credential
//! Manager on Windows), one per provider and base URL. A key is never written to the config
//! file, the database, logs or exports; where no keyring service runs, reading finds nothing
//! and storing says to use an environment variable instead.

use keyring::Entry;

use super::{ApiKey, LlmError, Provider};

/// The keyring's service name for Redline's keys.
const SERVICE: &str = "redline";

fn entry(provider: Provider, base_url: &str) -> Result<Entry, LlmError> {
    Entry::new(
        SERVICE,
        &format!("{provider}:{}", base_url.trim_end_matches('/')),
    )
    .map_err(keyring_error)
}

fn keyring_error(error: keyring::Error) -> LlmError {
    LlmError::Keyring {
        reason: error.to_string(),
    }
}

/// The key stored for `provider` at `base_url`; `None` when there is none or no keyring
/// service runs (the caller then goes without a key, as for a local server).
pub fn stored_key(provider: Provider, base_url: &str) -> Option<ApiKey> {
    let entry = entry(provider, base_url).ok()?;
    match entry.get_password() {
        Ok(key) => Some(ApiKey::new(key)),
        Err(keyring::Error::NoEntry) => None,
        Err(error) => {
            tracing::debug!(%error, "the keyring could not be read");
            None
        }
    }
}

/// Stores `key` for `provider` at `base_url`.
pub fn store_key(provider: Provider, base_url: &str, key: &ApiKey) -> Result<(), LlmError> {
    entry(provider, base_url)?
        .set_password(key.expose())
        .map_err(keyring_error)
}

/// Removes the key for `provider` at `base_url`; whether there was one.
pub fn remove_key(provider: Provider, base_url: &str) -> Result<bool, LlmError> {
    match entry(provider, base_url)?.delete_credential() {
        Ok(()) => Ok(true),
        Err(keyring::Error::NoEntry) => Ok(false),
        Err(error) => Err(keyring_error(error)),
    }
}
