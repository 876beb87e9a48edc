//! `.redline.toml`: a repository's say over its findings — rules turned off, severities
//! changed, paths ignored, its own secret patterns, the function length threshold.
//!
//! ```toml
//! [findings]
//! disable = ["ts-any"]                 # rule ids
//! ignore = ["vendor/**", "**/*.min.js"] # path globs, matched on the whole repository path
//! long-function-lines = 80             # the length threshold (default 60)
//!
//! [findings.severity]
//! debug-leftover = "medium"            # low | medium | high | critical
//!
//! [[findings.secret]]
//! name = "Acme API token"
//! pattern = "acme_[A-Za-z0-9]{32}"     # a regular expression (Rust `regex` syntax)
//! ```
//!
//! Parsed strictly: an unknown key, rule id, severity, glob or pattern is an error naming the
//! file, the line and the key, never ignored (a misspelled `disable` would otherwise silently
//! do nothing).

use std::collections::BTreeMap;

use globset::{Glob, GlobSet, GlobSetBuilder};
use regex::Regex;
use serde::Deserialize;
use toml::Spanned;

use super::{catalog, Severity};

/// The file's name, at the repository's root.
pub const FILE_NAME: &str = ".redline.toml";

/// Functions longer than this many lines are "long" unless the configuration says otherwise.
pub const DEFAULT_LONG_FUNCTION_LINES: u32 = 60;

/// A `.redline.toml` that cannot be used, with where and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file} line {line}, `{key}`: {message}")]
pub struct ConfigError {
    /// The file as the user knows it (`.redline.toml`).
    pub file: String,
    /// 1-based line of the offending key or value.
    pub line: u32,
    /// The dotted key: `findings.severity.rust-unwarp`.
    pub key: String,
    pub message: String,
}

/// A user-defined secret pattern.
#[derive(Debug, Clone)]
pub struct SecretPattern {
    pub name: String,
    pub regex: Regex,
}

/// The findings part of a repository's configuration; the default enables everything.
#[derive(Debug, Clone)]
pub struct Config {
    disabled: Vec<String>,
    severities: BTreeMap<String, Severity>,
    ignored: GlobSet,
    /// Extra secret patterns, checked beside the built-in ones.
    pub secrets: Vec<SecretPattern>,
    /// The function length threshold, in lines.
    pub long_function_lines: u32,
    /// A fingerprint of what changes findings' detection (patterns and threshold), for caches.
    pub fingerprint: u64,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            disabled: Vec::new(),
            severities: BTreeMap::new(),
            ignored: GlobSet::empty(),
            secrets: Vec::new(),
            long_function_lines: DEFAULT_LONG_FUNCTION_LINES,
            fingerprint: 0,
        }
    }
}

impl Config {
    /// Whether rule `id` runs.
    pub fn enabled(&self, id: &str) -> bool {
        !self.disabled.iter().any(|d| d == id)
    }

    /// The severity `.redline.toml` gives rule `id`, if it overrides the default.
    pub fn severity_override(&self, id: &str) -> Option<Severity> {
        self.severities.get(id).copied()
    }

    /// Whether `path` is ignored.
    pub fn ignores(&self, path: &str) -> bool {
        self.ignored.is_match(path)
    }

    /// Parses the text of `file` (named as the user knows it, for errors).
    pub fn parse(file: &str, text: &str) -> Result<Config, ConfigError> {
        let error = |span: std::ops::Range<usize>, key: &str, message: String| ConfigError {
            file: file.to_owned(),
            line: line_of(text, span.start),
            key: key.to_owned(),
            message,
        };
        let raw: RawFile = toml::from_str(text).map_err(|e| {
            let span = e.span().unwrap_or(0..0);
            // toml's message repeats the position and the source line; keep its first line
            let message = e
                .message()
                .lines()
                .next()
                .unwrap_or("invalid TOML")
                .to_owned();
            let key = key_at(text, span.start);
            error(span, &key, message)
        })?;
        let Some(findings) = raw.findings else {
            return Ok(Config::default());
        };
        let mut config = Config::default();
        let known = |id: &Spanned<String>, key: &str| {
            if catalog::rule(id.get_ref()).is_some() {
                Ok(())
            } else {
                Err(error(
                    id.span(),
                    key,
                    format!(
                        "no rule is called `{}` (`redline check --rules` lists them)",
                        id.get_ref()
                    ),
                ))
            }
        };
        for id in findings.disable.unwrap_or_default() {
            known(&id, "findings.disable")?;
            config.disabled.push(id.into_inner());
        }
        for (id, severity) in findings.severity.unwrap_or_default() {
            let key = format!("findings.severity.{}", id.get_ref());
            known(&id, &key)?;
            let parsed = Severity::parse(severity.get_ref()).ok_or_else(|| {
                error(
                    severity.span(),
                    &key,
                    format!(
                        "`{}` is not a severity (low, medium, high or critical)",
                        severity.get_ref()
                    ),
                )
            })?;
            config.severities.insert(id.into_inner(), parsed);
        }
        let mut globs = GlobSetBuilder::new();
        for pattern in findings.ignore.unwrap_or_default() {
            let glob = Glob::new(pattern.get_ref()).map_err(|e| {
                error(
                    pattern.span(),
                    "findings.ignore",
                    format!("bad glob: {}", e.kind()),
                )
            })?;
            globs.add(glob);
        }
        config.ignored = globs
            .build()
            .map_err(|e| error(0..0, "findings.ignore", e.to_string()))?;
        let mut fingerprint = Fingerprint::default();
        for secret in findings.secret.unwrap_or_default() {
            let pattern = secret.pattern;
            let regex = Regex::new(pattern.get_ref()).map_err(|e| {
                let first = e.to_string();
                let reason = first.lines().last().unwrap_or("invalid").trim().to_owned();
                error(
                    pattern.span(),
                    "findings.secret.pattern",
                    format!("bad regular expression: {reason}"),
                )
            })?;
            if regex.is_match("") {
                return Err(error(
                    pattern.span(),
                    "findings.secret.pattern",
                    "the pattern matches empty text, so it would flag every line".to_owned(),
                ));
            }
            fingerprint.add(secret.name.as_bytes());
            fingerprint.add(pattern.get_ref().as_bytes());
            config.secrets.push(SecretPattern {
                name: secret.name,
                regex,
            });
        }
        if let Some(lines) = findings.long_function_lines {
            if *lines.get_ref() < 5 {
                return Err(error(
                    lines.span(),
                    "findings.long-function-lines",
                    "must be at least 5".to_owned(),
                ));
            }
            config.long_function_lines = *lines.get_ref();
        }
        fingerprint.add(&config.long_function_lines.to_le_bytes());
        config.fingerprint = fingerprint.0;
        Ok(config)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    findings: Option<RawFindings>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawFindings {
    disable: Option<Vec<Spanned<String>>>,
    ignore: Option<Vec<Spanned<String>>>,
    severity: Option<BTreeMap<Spanned<String>, Spanned<String>>>,
    secret: Option<Vec<RawSecret>>,
    long_function_lines: Option<Spanned<u32>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSecret {
    name: String,
    pattern: Spanned<String>,
}

/// FNV-1a over the parts that change detection.
struct Fingerprint(u64);

impl Default for Fingerprint {
    fn default() -> Self {
        Fingerprint(0xcbf2_9ce4_8422_2325)
    }
}

impl Fingerprint {
    fn add(&mut self, bytes: &[u8]) {
        for byte in bytes.iter().chain([&0xff]) {
            self.0 ^= u64::from(*byte);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
}

fn line_of(text: &str, offset: usize) -> u32 {
    let offset = offset.min(text.len());
    text.as_bytes()[..offset]
        .iter()
        .filter(|&&b| b == b'\n')
        .count() as u32
        + 1
}

/// The key written on the line holding `offset` (`disable`, `[findings.severty]`), for
/// syntax errors, where toml names no key.
fn key_at(text: &str, offset: usize) -> String {
    let offset = offset.min(text.len());
    let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line = text[start..].lines().next().unwrap_or("").trim();
    let key = line
        .split('=')
        .next()
        .unwrap_or("")
        .trim()
        .trim_matches(|c| c == '[' || c == ']');
    if key.is_empty() {
        "(file)".to_owned()
    } else {
        key.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, ConfigError> {
        Config::parse(".redline.toml", text)
    }

    #[test]
    fn a_full_file_configures_every_part() {
        let config = parse(
            "[findings]\ndisable = [\"ts-any\"]\nignore = [\"vendor/**\"]\nlong-function-lines = 80\n\n\
             [findings.severity]\ndebug-leftover = \"High\"\n\n\
             [[findings.secret]]\nname = \"Acme\"\npattern = \"acme_[a-z0-9]{8}\"\n",
        )
        .expect("valid");
        assert!(!config.enabled("ts-any"));
        assert!(config.enabled("rust-unwrap"));
        assert_eq!(
            config.severity_override("debug-leftover"),
            Some(Severity::High)
        );
        assert!(config.ignores("vendor/a/b.js"));
        assert!(!config.ignores("src/vendor.rs"));
        assert_eq!(config.long_function_lines, 80);
        assert_eq!(config.secrets.len(), 1);
        assert_ne!(config.fingerprint, Config::default().fingerprint);
    }

    #[test]
    fn an_empty_file_is_the_default() {
        let config = parse("").expect("valid");
        assert!(config.enabled("rust-unwrap"));
        assert_eq!(config.long_function_lines, DEFAULT_LONG_FUNCTION_LINES);
    }

    #[test]
    fn errors_name_the_file_line_and_key() {
        let cases: [(&str, u32, &str, &str); 7] = [
            (
                "[findings]\ndisable = [\"rust-unwarp\"]\n",
                2,
                "findings.disable",
                "no rule is called `rust-unwarp`",
            ),
            (
                "[findings.severity]\n\nrust-unwrap = \"severe\"\n",
                3,
                "findings.severity.rust-unwrap",
                "not a severity",
            ),
            (
                "[findings]\nignore = [\"src/[\"]\n",
                2,
                "findings.ignore",
                "bad glob",
            ),
            (
                "[[findings.secret]]\nname = \"x\"\npattern = \"(unclosed\"\n",
                3,
                "findings.secret.pattern",
                "bad regular expression",
            ),
            (
                "[[findings.secret]]\nname = \"x\"\npattern = \"a*\"\n",
                3,
                "findings.secret.pattern",
                "matches empty text",
            ),
            (
                "[findings]\ndisabel = [\"ts-any\"]\n",
                2,
                "disabel",
                "unknown field",
            ),
            (
                "[findings]\nlong-function-lines = 2\n",
                2,
                "findings.long-function-lines",
                "at least 5",
            ),
        ];
        for (text, line, key, message) in cases {
            let error = parse(text).expect_err(text);
            assert_eq!(error.file, ".redline.toml");
            assert_eq!(
                (error.line, error.key.as_str()),
                (line, key),
                "{text}: {error}"
            );
            assert!(error.message.contains(message), "{text}: {error}");
        }
    }

    #[test]
    fn a_syntax_error_names_its_line() {
        let error = parse("[findings]\ndisable = [\"ts-any\"\n").expect_err("unclosed array");
        assert_eq!((error.line, error.key.as_str()), (2, "disable"), "{error}");
    }
}
