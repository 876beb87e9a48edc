//! Hard-coded secrets: known key formats and high-entropy values assigned to secret-sounding
//! names. Reusable: the findings rule `hardcoded-secret` uses it, and so will the redaction of
//! code sent to a language model.
//! (stub: being written)

use super::config::SecretPattern;

/// One secret found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecretMatch {
    /// What kind of secret: "AWS access key id", "GitHub token", or a configured pattern's name.
    pub kind: String,
    /// Byte range of the secret value in the text.
    pub start: usize,
    pub end: usize,
}

/// The secrets in `text` (one line or many), built-in detectors and `extra` patterns.
pub fn find_secrets(_text: &str, _extra: &[SecretPattern]) -> Vec<SecretMatch> {
    Vec::new()
}
