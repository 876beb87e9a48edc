//! Hard-coded secrets: known key formats and high-entropy values assigned to secret-sounding
//! names. Reusable: the findings rule `hardcoded-secret` uses it, and so will the redaction of
//! code sent to a language model ([`redact`]).
//!
//! Precision first. A known format counts only as a whole word (not inside a longer
//! identifier) and only when its random part is not a placeholder. A value without a known
//! format counts only when it is a literal (quoted, or the whole value of an env-file or YAML
//! line) of at least [`MIN_SECRET_CHARS`] characters, assigned to a secret-sounding name, with
//! at least [`MIN_ENTROPY_BITS`] bits of Shannon entropy per character and two character
//! classes, and when nothing about it says "placeholder", "template", "path" or "identifier".
//!
//! Fast: one pass of a [`RegexSet`] over the text says which formats can match and whether a
//! secret-sounding name occurs at all; the other regular expressions run only then.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::{Regex, RegexSet};

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

/// The shortest literal the entropy check considers: shorter values are too often words.
pub const MIN_SECRET_CHARS: usize = 16;

/// The least Shannon entropy, in bits per character, of a literal taken for a secret.
pub const MIN_ENTROPY_BITS: f64 = 3.5;

/// The secrets in `text` (one line or many), built-in detectors and `extra` patterns, sorted
/// by position and never overlapping (a known format wins over the entropy check, then the
/// earlier and longer match).
pub fn find_secrets(text: &str, extra: &[SecretPattern]) -> Vec<SecretMatch> {
    let mut found: Vec<SecretMatch> = Vec::new();
    for pattern in extra {
        for m in pattern.regex.find_iter(text) {
            if m.start() < m.end() {
                found.push(SecretMatch {
                    kind: pattern.name.clone(),
                    start: m.start(),
                    end: m.end(),
                });
            }
        }
    }
    if let Some(detectors) = DETECTORS.as_ref() {
        let hits = detectors.prefilter.matches(text);
        if hits.matched_any() {
            for (index, format) in detectors.formats.iter().enumerate() {
                if hits.matched(index) {
                    format.find(text, &mut found);
                }
            }
            if hits.matched(detectors.formats.len()) {
                detectors.find_assigned(text, &mut found);
            }
        }
    }
    without_overlaps(found)
}

/// `text` with every secret replaced by `[REDACTED: kind]`, and the secrets (byte ranges in the
/// original `text`). What a language model may see of code that held keys.
pub fn redact(text: &str, extra: &[SecretPattern]) -> (String, Vec<SecretMatch>) {
    let secrets = find_secrets(text, extra);
    let mut redacted = String::with_capacity(text.len());
    let mut copied = 0;
    for secret in &secrets {
        redacted.push_str(&text[copied..secret.start]);
        redacted.push_str("[REDACTED: ");
        redacted.push_str(&secret.kind);
        redacted.push(']');
        copied = secret.end;
    }
    redacted.push_str(&text[copied..]);
    (redacted, secrets)
}

/// Keeps, of overlapping matches, the one pushed by the stronger detector (configured patterns
/// and known formats are pushed before entropy matches), then the earlier and longer one.
fn without_overlaps(found: Vec<SecretMatch>) -> Vec<SecretMatch> {
    let mut ranked: Vec<(usize, SecretMatch)> = found.into_iter().enumerate().collect();
    ranked.sort_by(|(rank_a, a), (rank_b, b)| {
        (a.start, std::cmp::Reverse(a.end), *rank_a).cmp(&(
            b.start,
            std::cmp::Reverse(b.end),
            *rank_b,
        ))
    });
    let mut kept: Vec<(usize, SecretMatch)> = Vec::with_capacity(ranked.len());
    for (rank, candidate) in ranked {
        match kept.last() {
            Some((kept_rank, last)) if candidate.start < last.end => {
                // overlapping: a stronger detector's match replaces a weaker one
                if rank < *kept_rank && candidate.kind != last.kind {
                    kept.pop();
                    kept.push((rank, candidate));
                }
            }
            _ => kept.push((rank, candidate)),
        }
    }
    kept.into_iter().map(|(_, secret)| secret).collect()
}

/// A key format recognised by its shape.
struct Format {
    kind: &'static str,
    regex: Regex,
    /// Bytes of fixed prefix (`ghp_`) before the random part.
    prefix_len: usize,
    check: FormatCheck,
}

/// What, beyond the shape, makes a match a secret.
#[derive(Clone, Copy)]
enum FormatCheck {
    /// The random part is not a placeholder.
    RandomTail,
    /// A JSON web token whose payload is not an example.
    Jwt,
    /// A private key header followed by its body, or ending its line.
    PrivateKey,
}

/// The built-in formats: (kind, pattern, prefix length, check). Patterns carry no word
/// boundaries; [`Format::find`] checks them (the `regex` crate has no look-around).
const FORMATS: &[(&str, &str, usize, FormatCheck)] = &[
    (
        "AWS access key id",
        r"(?:AKIA|ASIA)[A-Z0-9]{16}",
        4,
        FormatCheck::RandomTail,
    ),
    (
        "GitHub token",
        r"gh[pousr]_[A-Za-z0-9]{36}",
        4,
        FormatCheck::RandomTail,
    ),
    (
        "GitHub token",
        r"github_pat_[A-Za-z0-9_]{36,}",
        11,
        FormatCheck::RandomTail,
    ),
    (
        "GitLab token",
        r"glpat-[A-Za-z0-9_\-]{20,}",
        6,
        FormatCheck::RandomTail,
    ),
    (
        "Slack token",
        r"xox[abpr]-[0-9]+-[A-Za-z0-9\-]{8,}",
        5,
        FormatCheck::RandomTail,
    ),
    (
        "Stripe secret key",
        r"[sr]k_live_[A-Za-z0-9]{20,}",
        8,
        FormatCheck::RandomTail,
    ),
    (
        "Anthropic API key",
        r"sk-ant-[A-Za-z0-9_\-]{32,}",
        7,
        FormatCheck::RandomTail,
    ),
    (
        "OpenAI API key",
        r"sk-(?:proj|svcacct|admin)-[A-Za-z0-9_\-]{32,}",
        8,
        FormatCheck::RandomTail,
    ),
    (
        "OpenAI API key",
        r"sk-[A-Za-z0-9]{32,}",
        3,
        FormatCheck::RandomTail,
    ),
    (
        "Google API key",
        r"AIza[A-Za-z0-9_\-]{35}",
        4,
        FormatCheck::RandomTail,
    ),
    (
        "Hugging Face token",
        r"hf_[A-Za-z0-9]{34}",
        3,
        FormatCheck::RandomTail,
    ),
    (
        "npm token",
        r"npm_[A-Za-z0-9]{36}",
        4,
        FormatCheck::RandomTail,
    ),
    (
        "PyPI token",
        r"pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_\-]{50,}",
        19,
        FormatCheck::RandomTail,
    ),
    (
        "SendGrid API key",
        r"SG\.[A-Za-z0-9_\-]{22}\.[A-Za-z0-9_\-]{43}",
        3,
        FormatCheck::RandomTail,
    ),
    (
        "Twilio API key",
        r"SK[0-9a-fA-F]{32}",
        2,
        FormatCheck::RandomTail,
    ),
    (
        "JSON web token",
        r"eyJ[A-Za-z0-9_\-]{8,}\.eyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,}",
        0,
        FormatCheck::Jwt,
    ),
    (
        "private key",
        r"-----BEGIN (?:(?:RSA|EC|OPENSSH|DSA|ENCRYPTED|PGP) )?PRIVATE KEY(?: BLOCK)?-----",
        0,
        FormatCheck::PrivateKey,
    ),
];

/// Words a secret-holding name contains, any case; the prefilter's last pattern.
const NAME_WORDS: &str = r"(?i)key|token|secret|passw|pwd|credential|auth";

/// A name, then an assignment (with a type annotation or not), then a quoted literal:
/// `api_key = "…"`, `"token": "…"`, `apiKey: "…"`, `TOKEN := "…"`, `'password' => '…'`,
/// `const KEY: &str = "…"`, `var key string = "…"`, `f(api_key="…")`.
const ASSIGNED_LITERAL: &str = r#"(?x)
    (?P<name>[A-Za-z_$@][A-Za-z0-9_$.\-]*)
    ["'`]?\]?
    (?:
        \s*:\s*&?(?:'static\s+)?[A-Za-z_][A-Za-z0-9_:<>\[\]]*\s*=
      | \s+(?:string|String|str)\s*=
      | \s*(?::=|=>|=|:)
    )
    \s*(?:[rRbBuUfF]{1,2}|@)?
    (?:
        "(?P<double>(?:[^"\\\n]|\\.)*)"
      | '(?P<single>(?:[^'\\\n]|\\.)*)'
      | `(?P<back>[^`\n]*)`
    )"#;

/// A whole env-file or YAML line whose value is unquoted: `API_KEY=…`, `export TOKEN=…`,
/// `  api_key: …`, `- password: …`, a trailing `# comment` allowed.
const UNQUOTED_LINE: &str = r#"^\s*(?:export\s+)?(?:-\s+)?["']?(?P<name>[A-Za-z_][A-Za-z0-9_.\-]*)["']?\s*(?:=|:)\s*(?P<value>[A-Za-z0-9+/=_\-.~]+)\s*(?:#.*)?$"#;

struct Detectors {
    /// One pattern per format, then [`NAME_WORDS`].
    prefilter: RegexSet,
    formats: Vec<Format>,
    assigned_literal: Regex,
    unquoted_line: Regex,
}

static DETECTORS: LazyLock<Option<Detectors>> = LazyLock::new(|| {
    // The patterns are constants a unit test compiles, so this is `None` only in a build
    // whose tests failed; no detection is then the answer rather than a panic.
    let formats = FORMATS
        .iter()
        .map(|&(kind, pattern, prefix_len, check)| {
            Regex::new(pattern).ok().map(|regex| Format {
                kind,
                regex,
                prefix_len,
                check,
            })
        })
        .collect::<Option<Vec<Format>>>()?;
    let prefilter = RegexSet::new(
        FORMATS
            .iter()
            .map(|&(_, pattern, _, _)| pattern)
            .chain([NAME_WORDS]),
    )
    .ok()?;
    Some(Detectors {
        prefilter,
        formats,
        assigned_literal: Regex::new(ASSIGNED_LITERAL).ok()?,
        unquoted_line: Regex::new(UNQUOTED_LINE).ok()?,
    })
});

impl Format {
    fn find(&self, text: &str, found: &mut Vec<SecretMatch>) {
        for m in self.regex.find_iter(text) {
            if !is_whole_word(text, m.start(), m.end()) {
                continue;
            }
            let end = match self.check {
                FormatCheck::RandomTail => {
                    let value = m.as_str();
                    if is_placeholder(value) || is_placeholder_tail(&value[self.prefix_len..]) {
                        continue;
                    }
                    m.end()
                }
                FormatCheck::Jwt => {
                    if is_example_jwt(m.as_str()) {
                        continue;
                    }
                    m.end()
                }
                FormatCheck::PrivateKey => match private_key_end(text, m.as_str(), m.end()) {
                    Some(end) => end,
                    None => continue,
                },
            };
            found.push(SecretMatch {
                kind: self.kind.to_owned(),
                start: m.start(),
                end,
            });
        }
    }
}

/// Whether `text[start..end]` is not part of a longer identifier-like word.
fn is_whole_word(text: &str, start: usize, end: usize) -> bool {
    let bytes = text.as_bytes();
    let is_word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let before = start.checked_sub(1).and_then(|i| bytes.get(i));
    !before.is_some_and(|&b| is_word(b)) && !bytes.get(end).is_some_and(|&b| is_word(b))
}

/// Where a private key that starts with the header ending at `header_end` ends, or `None`
/// when the header is only mentioned: a marker constant (`"-----BEGIN PRIVATE KEY-----"`
/// closed right after), a template (`…-----\n{}`), a placeholder body (`…`, `<key>`).
fn private_key_end(text: &str, header: &str, header_end: usize) -> Option<usize> {
    let rest = &text[header_end..];
    let body_start = header_end + separators_len(rest);
    if body_start == text.len() {
        // the header ends the text: a line of a key file or of a multi-line string
        return Some(header_end);
    }
    let at_line_end = rest[..body_start - header_end].contains('\n');
    let mut body_end = body_start;
    let mut base64_chars = 0;
    loop {
        let tail = &text[body_end..];
        let run = tail
            .bytes()
            .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'='))
            .count();
        base64_chars += run;
        body_end += run;
        let separators = separators_len(&text[body_end..]);
        if run == 0 || separators == 0 {
            break;
        }
        body_end += separators;
    }
    let body = &text[body_start..body_end];
    // the body is random base64, where "xxx" or "test" occur by chance: only a body with
    // few distinct characters is a placeholder
    if base64_chars < 32 || is_placeholder_tail(body) {
        // no body: a key file's header line still counts when a line end follows it and
        // no placeholder comes next (an encrypted key's `Proc-Type:` line may)
        return (at_line_end && !starts_like_placeholder(&text[body_start..]))
            .then_some(header_end);
    }
    let footer = header.replacen("BEGIN", "END", 1);
    let end = if text[body_end..].starts_with(&footer) {
        body_end + footer.len()
    } else {
        body_end - separators_len_back(&text[body_start..body_end])
    };
    Some(end)
}

/// Bytes of whitespace and escaped line breaks (`\n`, `\r` written in a string) at the start.
fn separators_len(text: &str) -> usize {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii_whitespace() {
            i += 1;
        } else if bytes[i] == b'\\' && matches!(bytes.get(i + 1), Some(b'n' | b'r')) {
            i += 2;
        } else {
            break;
        }
    }
    i
}

/// Bytes of whitespace and escaped line breaks at the end.
fn separators_len_back(text: &str) -> usize {
    let bytes = text.as_bytes();
    let mut end = bytes.len();
    while end > 0 {
        if bytes[end - 1].is_ascii_whitespace() {
            end -= 1;
        } else if end >= 2 && bytes[end - 2] == b'\\' && matches!(bytes[end - 1], b'n' | b'r') {
            end -= 2;
        } else {
            break;
        }
    }
    bytes.len() - end
}

fn starts_like_placeholder(text: &str) -> bool {
    let start = text.trim_start();
    start.starts_with("...")
        || start.starts_with('…')
        || start.starts_with('<')
        || start.starts_with('{')
        || start.starts_with('%')
        || start.starts_with('"')
        || start.starts_with('\'')
}

/// The well-known example tokens of documentation (jwt.io's "John Doe"), and tokens whose
/// payload says test or example.
fn is_example_jwt(token: &str) -> bool {
    // the token's own text is random base64: only its decoded payload can say "example"
    let Some(payload) = token.split('.').nth(1) else {
        return true;
    };
    let decoded = decode_base64url(payload);
    let decoded = String::from_utf8_lossy(&decoded);
    is_placeholder(&decoded) || decoded.contains("John Doe") || decoded.contains("1234567890")
}

/// Base64url (or standard base64) without padding to bytes; invalid characters end it.
fn decode_base64url(text: &str) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(text.len() * 3 / 4);
    let mut buffer: u32 = 0;
    let mut bits = 0;
    for c in text.bytes() {
        let value = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'-' | b'+' => 62,
            b'_' | b'/' => 63,
            _ => break,
        };
        buffer = (buffer << 6) | u32::from(value);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            bytes.push((buffer >> bits) as u8);
            buffer &= (1 << bits) - 1;
        }
    }
    bytes
}

impl Detectors {
    /// High-entropy literals assigned to secret-sounding names, line by line.
    fn find_assigned(&self, text: &str, found: &mut Vec<SecretMatch>) {
        let mut line_start = 0;
        for line in text.split_inclusive('\n') {
            let offset = line_start;
            line_start += line.len();
            let line = line.trim_end_matches(['\n', '\r']);
            for captures in self.assigned_literal.captures_iter(line) {
                let Some(name) = captures.name("name") else {
                    continue;
                };
                let Some(value) = captures
                    .name("double")
                    .or_else(|| captures.name("single"))
                    .or_else(|| captures.name("back"))
                else {
                    continue;
                };
                if let Some((kind, start, end)) =
                    assigned_secret(name.as_str(), value.as_str(), false)
                {
                    found.push(SecretMatch {
                        kind: kind.to_owned(),
                        start: offset + value.start() + start,
                        end: offset + value.start() + end,
                    });
                }
            }
            if let Some(captures) = self.unquoted_line.captures(line) {
                if let (Some(name), Some(value)) = (captures.name("name"), captures.name("value")) {
                    if let Some((kind, start, end)) =
                        assigned_secret(name.as_str(), value.as_str(), true)
                    {
                        found.push(SecretMatch {
                            kind: kind.to_owned(),
                            start: offset + value.start() + start,
                            end: offset + value.start() + end,
                        });
                    }
                }
            }
        }
    }
}

/// The kind and byte range (in `value`) of the secret when `value`, assigned to `name`, is
/// one. `unquoted`: the value of an env-file or YAML line, which could also be a bare
/// identifier or a dotted path.
fn assigned_secret(
    name: &str,
    value: &str,
    unquoted: bool,
) -> Option<(&'static str, usize, usize)> {
    let name_words = words_of_name(name);
    let kind = secret_kind_of_name(&name_words)?;
    // an HTTP authorization value: the credential follows the scheme
    let (start, secret) = ["Bearer ", "Basic ", "Token ", "token ", "bearer "]
        .iter()
        .find_map(|scheme| value.strip_prefix(scheme).map(|rest| (scheme.len(), rest)))
        .unwrap_or((0, value));
    if !is_random_literal(secret) {
        return None;
    }
    let is_password = kind == "password";
    if !is_password && is_word_like(secret) {
        return None;
    }
    if unquoted {
        let digits = secret.bytes().filter(u8::is_ascii_digit).count();
        let letters = secret.bytes().filter(u8::is_ascii_alphabetic).count();
        if digits < 2 || letters < 3 || is_dotted_path(secret) {
            return None;
        }
    }
    Some((kind, start, start + secret.len()))
}

/// `api_key` → [api, key]; `apiKey`, `APIKey` → [api, key]; `self.auth-token` → [auth, token]
/// (the last segment of a dotted path is the name).
fn words_of_name(name: &str) -> Vec<String> {
    let last = name.rsplit('.').next().unwrap_or(name);
    let mut words = Vec::new();
    for part in last.split(|c: char| !c.is_ascii_alphanumeric()) {
        let chars: Vec<char> = part.chars().collect();
        let mut word = String::new();
        for (i, &c) in chars.iter().enumerate() {
            let previous = i.checked_sub(1).map(|p| chars[p]);
            let next = chars.get(i + 1).copied();
            let boundary = match previous {
                None => false,
                Some(p) => {
                    (p.is_ascii_lowercase() && c.is_ascii_uppercase())
                        || (p.is_ascii_digit() != c.is_ascii_digit())
                        // `APIKey`: the last capital of a run starts the next word
                        || (p.is_ascii_uppercase()
                            && c.is_ascii_uppercase()
                            && next.is_some_and(|n| n.is_ascii_lowercase()))
                }
            };
            if boundary && !word.is_empty() {
                words.push(std::mem::take(&mut word));
            }
            word.push(c.to_ascii_lowercase());
        }
        if !word.is_empty() {
            words.push(word);
        }
    }
    words
}

/// The kind of secret a name holding these words would hold, or `None` when the name does not
/// sound secret or names something about a secret (its id, URL, hash, a public key …).
fn secret_kind_of_name(words: &[String]) -> Option<&'static str> {
    const NOT_SECRET_WORDS: &[&str] = &[
        "keyboard",
        "keys",
        "keyboards",
        "monkey",
        "turkey",
        "donkey",
        "hotkey",
        "hotkeys",
        "whiskey",
        "jockey",
        "hockey",
        "keyword",
        "keywords",
        "keystroke",
        "keypress",
        "keycode",
        "keyframe",
        "keyframes",
        "keypad",
        "keychain",
        "keyring",
        "keyspace",
        "author",
        "authors",
        "authored",
        "authorship",
        "authority",
        "authorities",
        "authorize",
        "authorized",
        "authorizer",
        "tokenizer",
        "tokenizers",
        "tokenize",
        "tokenized",
        "tokenization",
    ];
    // A name with any of these words is about something else than a secret value
    const DISQUALIFYING_WORDS: &[&str] = &[
        "public",
        "publishable",
        "pub",
        "primary",
        "foreign",
        "sort",
        "partition",
        "cache",
        "idempotency",
        "page",
        "next",
        "continuation",
        "cursor",
        "csrf",
        "xsrf",
        "i18n",
        "translation",
        "storage",
        "test",
        "example",
        "dummy",
        "fake",
        "mock",
        "sample",
        "placeholder",
        "sha",
        "hash",
        "hashed",
        "digest",
        "checksum",
        "fingerprint",
        "commit",
        "rev",
        "revision",
        "uuid",
        "guid",
    ];
    // A name ending in these words names something about a secret, not the secret
    const QUALIFYING_LAST_WORDS: &[&str] = &[
        "id",
        "ids",
        "name",
        "names",
        "type",
        "types",
        "url",
        "urls",
        "uri",
        "endpoint",
        "path",
        "paths",
        "file",
        "files",
        "filename",
        "dir",
        "field",
        "fields",
        "label",
        "header",
        "headers",
        "prefix",
        "suffix",
        "length",
        "len",
        "size",
        "count",
        "max",
        "min",
        "limit",
        "limits",
        "version",
        "format",
        "pattern",
        "regex",
        "env",
        "var",
        "variable",
        "ref",
        "arn",
        "index",
        "idx",
        "column",
        "attribute",
        "attr",
        "param",
        "hint",
        "description",
        "title",
        "message",
        "msg",
        "error",
        "kind",
        "mode",
        "method",
        "provider",
        "domain",
        "host",
        "region",
        "store",
        "manager",
        "source",
        "location",
        "expiry",
        "expires",
        "expiration",
        "ttl",
        "timeout",
        "policy",
        "scheme",
        "scope",
        "scopes",
        "enabled",
        "required",
        "valid",
        "input",
        "text",
        "placeholder",
        "key",
        "keys",
        "map",
        "lookup",
        "option",
        "options",
        "config",
        "settings",
        "len",
        "at",
        "date",
        "time",
    ];
    let is_secret_word = |word: &str| {
        !NOT_SECRET_WORDS.contains(&word)
            && (word.contains("key")
                || word.contains("token")
                || word.contains("secret")
                || word.contains("passw")
                || word == "pwd"
                || word.contains("credential")
                || word.starts_with("auth"))
    };
    let position = words.iter().rposition(|word| is_secret_word(word))?;
    if words
        .iter()
        .any(|word| DISQUALIFYING_WORDS.contains(&word.as_str()))
    {
        return None;
    }
    // `token_url`, `secret_name`, `password_hash`: a qualifier after the secret word; `key`
    // itself qualifies only when it is not the secret word (`secret_key`, `api_key` stay)
    if let Some(last) = words.last() {
        if position + 1 < words.len() && QUALIFYING_LAST_WORDS.contains(&last.as_str()) {
            return None;
        }
    }
    let has = |part: &str| words.iter().any(|word| word.contains(part));
    let kind = if has("passw") || words.iter().any(|w| w == "pwd") {
        "password"
    } else if has("aws") && has("secret") {
        "AWS secret access key"
    } else if has("token") {
        "token"
    } else if has("credential") || words.iter().any(|w| w.starts_with("auth")) {
        "credential"
    } else if has("secret") {
        "secret"
    } else if has("api") {
        "API key"
    } else {
        "key"
    };
    Some(kind)
}

/// Whether a literal reads as random: long enough, no spaces, not a placeholder, template,
/// URL, path, file name or e-mail address, high entropy, two character classes.
fn is_random_literal(value: &str) -> bool {
    if value.chars().count() < MIN_SECRET_CHARS
        || value.chars().any(char::is_whitespace)
        || is_placeholder(value)
        || is_template(value)
        || value.contains("://")
        || value.starts_with(['/', '.', '~', '$', '%'])
        || value.contains('\\')
        || looks_like_file_or_domain(value)
        || names_a_secret(value)
    {
        return false;
    }
    let classes = [
        value.chars().any(|c| c.is_ascii_lowercase()),
        value.chars().any(|c| c.is_ascii_uppercase()),
        value.chars().any(|c| c.is_ascii_digit()),
    ];
    classes.iter().filter(|&&has| has).count() >= 2 && shannon_entropy(value) >= MIN_ENTROPY_BITS
}

/// A value that says what it is (`BadCertificatePassword`, `my-secret-token-2`): a label, a
/// name or a demonstration value, not a generated secret.
fn names_a_secret(value: &str) -> bool {
    let lower = value.to_ascii_lowercase();
    [
        "password", "passwd", "secret", "token", "apikey", "api_key", "api-key",
    ]
    .iter()
    .any(|word| lower.contains(word))
}

/// Shannon entropy of the characters of `text`, in bits per character.
pub fn shannon_entropy(text: &str) -> f64 {
    let mut counts: HashMap<char, u32> = HashMap::new();
    let mut total = 0u32;
    for c in text.chars() {
        *counts.entry(c).or_default() += 1;
        total += 1;
    }
    if total == 0 {
        return 0.0;
    }
    let total = f64::from(total);
    counts
        .values()
        .map(|&count| {
            let p = f64::from(count) / total;
            -p * p.log2()
        })
        .sum()
}

/// Whether a value says it is not a real secret: `xxx`, `changeme`, `your-…`, `<…>`, one
/// repeated character, the words example, dummy, fake, placeholder, sample, redacted, test.
fn is_placeholder(value: &str) -> bool {
    const WORDS: &[&str] = &[
        "xxx",
        "changeme",
        "change_me",
        "change-me",
        "replace_me",
        "replaceme",
        "replace-me",
        "example",
        "dummy",
        "fake",
        "placeholder",
        "sample",
        "redacted",
        "test",
        "your-",
        "your_",
        "yourkey",
        "yourtoken",
        "yoursecret",
        "...",
        "***",
        "…",
        "<",
        ">",
        "0123456789",
        "123456789",
        "abcdefghij",
        "not-a-real",
        "notreal",
        "not_real",
    ];
    let lower = value.to_ascii_lowercase();
    let mut chars = value.chars();
    let one_repeated = chars.next().is_some_and(|first| chars.all(|c| c == first));
    one_repeated || WORDS.iter().any(|word| lower.contains(word))
}

/// A known format's random part that no generator would produce: few distinct characters.
fn is_placeholder_tail(tail: &str) -> bool {
    let mut distinct: Vec<char> = tail.chars().collect();
    distinct.sort_unstable();
    distinct.dedup();
    distinct.len() < 6
}

/// An interpolated or formatted string: its value is made at run time.
fn is_template(value: &str) -> bool {
    (value.contains('{') && value.contains('}'))
        || value.contains("$(")
        || ["%s", "%d", "%(", "%v"]
            .iter()
            .any(|marker| value.contains(marker))
}

/// `config.prod.json`, `auth.example.org`: a final `.` segment of one to five letters.
fn looks_like_file_or_domain(value: &str) -> bool {
    value.rsplit_once('.').is_some_and(|(_, extension)| {
        (1..=5).contains(&extension.len()) && extension.chars().all(|c| c.is_ascii_alphabetic())
    }) || (value.contains('@') && value.contains('.'))
}

/// `settings.SECRET_KEY_2024`: identifiers joined by dots, a reference, not a value.
fn is_dotted_path(value: &str) -> bool {
    value.contains('.')
        && value.split('.').all(|segment| {
            segment.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
                && segment
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_')
        })
}

/// Whether a value is made of words (`app_settings_v2_cache`, `OPENAI_API_KEY_V2`,
/// `old-request-state-key-at-least-32b`) rather than random characters: split at separators,
/// case and digit changes, most of its letters are in pieces of three or more that read as
/// words (a vowel in five letters or more, no run of five consonants). Random text breaks into
/// short pieces, or long ones no language would pronounce.
fn is_word_like(value: &str) -> bool {
    let mut letters = 0;
    let mut letters_in_words = 0;
    for part in value.split(|c: char| !c.is_ascii_alphanumeric()) {
        for piece in words_of_name(part) {
            if piece.chars().all(|c| c.is_ascii_digit()) {
                continue;
            }
            letters += piece.len();
            if piece.len() >= 3 {
                if !is_pronounceable(&piece) {
                    return false;
                }
                letters_in_words += piece.len();
            }
        }
    }
    letters > 0 && letters_in_words * 10 >= letters * 7
}

/// A lower-case piece with a vowel (`y` counted) in five letters or more and no five
/// consonants in a row.
fn is_pronounceable(piece: &str) -> bool {
    let is_vowel = |c: char| matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y');
    let vowels = piece.chars().filter(|&c| is_vowel(c)).count();
    let mut consonant_run = 0;
    for c in piece.chars() {
        consonant_run = if is_vowel(c) { 0 } else { consonant_run + 1 };
        if consonant_run >= 5 {
            return false;
        }
    }
    vowels * 5 >= piece.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<String> {
        find_secrets(text, &[])
            .into_iter()
            .map(|s| s.kind)
            .collect()
    }

    /// The one secret in `text`, as its kind and the text it covers.
    fn only(text: &str) -> (String, String) {
        let found = find_secrets(text, &[]);
        assert_eq!(found.len(), 1, "{text}: {found:?}");
        let secret = &found[0];
        (
            secret.kind.clone(),
            text[secret.start..secret.end].to_owned(),
        )
    }

    #[test]
    fn every_pattern_compiles() {
        assert!(DETECTORS.is_some());
        for &(_, pattern, _, _) in FORMATS {
            assert!(Regex::new(pattern).is_ok(), "{pattern}");
        }
    }

    // Synthetic keys: right shape, random-looking, not anyone's.
    const AWS_ID: &str = "AKIAQ3EGRJ7LWZ5TY2NX";
    const GITHUB: &str = "ghp_R4nd0mT0k3nV4lu3Xq9Lm2Pz8Wk5Hj7Bc1Dv";
    const OPENAI_PROJECT: &str =
        "sk-proj-Zq8Lm2Pw9Xc4Vb7Nk1Jh5Gf3Ds6Aq0Wz-Tr8Yu2Io4Pl6Mk9Nj3Bh5Vg7Cf1X";
    const JWT: &str = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c2VyLTQyIiwiZXhwIjoxNzAwMDAwMDAwfQ.Qm9ndXNTaWduYXR1cmVGb3JUZXN0aW5nT25seQ";

    #[test]
    fn each_known_format_is_found() {
        let cases: &[(&str, &str)] = &[
            ("AWS access key id", AWS_ID),
            ("AWS access key id", "ASIAZ7Y4K2M9Q8W3E5R1"),
            ("GitHub token", GITHUB),
            ("GitHub token", "gho_9Kd8Jf7Hg6Sa5Lq4Wp3Oe2Iu1Yt0RzXbCvNm"),
            ("GitHub token", "ghs_Lk4Jh3Gf2Ds1Aq9Wz8Xc7Vb6Nm5Pl0OiUyTr"),
            (
                "GitHub token",
                "github_pat_11ABCDE2Y0Lq8Wz3Kx7Vn_Rt5Yu9Io2Pl4Mk6Nj8Bh0Vg3Cf5Xd7Sa9Ze1Qw4Er6Ty8Ui0Op2As",
            ),
            ("GitLab token", "glpat-Xq9Lm2Pz8Wk5Hj7Bc1Dv"),
            (
                "Slack token",
                "xoxb-2384910264-5829301746-Hq8Zt3Lw9Xk2Nv7Bc4Dm1Pr6",
            ),
            ("Stripe secret key", "sk_live_51Hq8Zt3Lw9Xk2Nv7Bc4Dm1Pr6Qs"),
            ("Stripe secret key", "rk_live_51Hq8Zt3Lw9Xk2Nv7Bc4Dm1Pr6Qs"),
            ("OpenAI API key", OPENAI_PROJECT),
            ("OpenAI API key", "sk-Zq8Lm2Pw9Xc4Vb7Nk1Jh5Gf3Ds6Aq0WzTr8Yu2Io4Pl6Mk9"),
            (
                "Anthropic API key",
                "sk-ant-api03-Zq8Lm2Pw9Xc4Vb7Nk1Jh5Gf3Ds6Aq0Wz-Tr8Yu2Io4Pl6Mk9Nj3Bh5Vg7Cf1X",
            ),
            ("Google API key", "AIzaSyD8Lm2Pw9Xc4Vb7Nk1Jh5Gf3Ds6Aq0WzTr"),
            ("Hugging Face token", "hf_Zq8Lm2Pw9Xc4Vb7Nk1Jh5Gf3Ds6Aq0WzTr"),
            ("npm token", "npm_Zq8Lm2Pw9Xc4Vb7Nk1Jh5Gf3Ds6Aq0WzTr8Y"),
            (
                "PyPI token",
                "pypi-AgEIcHlwaS5vcmcCJGQ4ZjM5YTJlLTk3YmQtNDFmNy1hYjE1LWM3ZTk2ZDg0MmEwNQ",
            ),
            (
                "SendGrid API key",
                "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",
            ),
            ("Twilio API key", "SK3f9a2b7c8d1e4f6a0b5c9d2e7f1a3b8c"),
            ("JSON web token", JWT),
        ];
        for &(kind, secret) in cases {
            for text in [
                secret.to_owned(),
                format!("const value = \"{secret}\";"),
                format!("client(token='{secret}')"),
                format!("export CREDENTIAL={secret}"),
            ] {
                let (found_kind, found_text) = only(&text);
                assert_eq!(
                    (found_kind.as_str(), found_text.as_str()),
                    (kind, secret),
                    "{text}"
                );
            }
        }
    }

    #[test]
    fn known_formats_inside_longer_words_do_not_count() {
        for text in [
            format!("x{AWS_ID}"),
            format!("{AWS_ID}9"),
            format!("MY_{AWS_ID}_SUFFIX"),
            format!("prefix_{GITHUB}"),
            format!("{GITHUB}abc"),
            "desk-Zq8Lm2Pw9Xc4Vb7Nk1Jh5Gf3Ds6Aq0WzTr8Yu2Io4Pl6Mk9".to_owned(),
            "TASK3f9a2b7c8d1e4f6a0b5c9d2e7f1a3b8c".to_owned(),
        ] {
            assert_eq!(kinds(&text), Vec::<String>::new(), "{text}");
        }
    }

    #[test]
    fn placeholders_in_known_formats_are_not_secrets() {
        for text in [
            "AKIAIOSFODNN7EXAMPLE",
            "AKIAXXXXXXXXXXXXXXXX",
            "AKIA0000000000000000",
            "ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
            "ghp_000000000000000000000000000000000000",
            "ghp_1234567890abcdefghijklmnopqrstuvwxyz",
            "sk-proj-...",
            "sk_live_xxxxxxxxxxxxxxxxxxxxxxxx",
            "xoxb-your-token-here",
            "SK00000000000000000000000000000000",
            // jwt.io's example token
            "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
        ] {
            assert_eq!(kinds(text), Vec::<String>::new(), "{text}");
        }
    }

    #[test]
    fn a_private_key_block_is_one_secret_from_header_to_footer() {
        let text = "fn main() {}\nconst KEY: &str = \"\n-----BEGIN RSA PRIVATE KEY-----\n\
            MIIEpAIBAAKCAQEAq8Lm2Pw9Xc4Vb7Nk1Jh5Gf3Ds6Aq0WzTr8Yu2Io4Pl6Mk9Nj\n\
            3Bh5Vg7Cf1Xd2Sa4Ze6Qw8Er0Ty2Ui4Op6As8Df0Gh2Jk4Lz6Xc8Vb0Nm2Qw4Er\n\
            -----END RSA PRIVATE KEY-----\n\";\nfn after() {}\n";
        let found = find_secrets(text, &[]);
        assert_eq!(found.len(), 1, "{found:?}");
        let secret = &text[found[0].start..found[0].end];
        assert!(
            secret.starts_with("-----BEGIN RSA PRIVATE KEY-----"),
            "{secret}"
        );
        assert!(
            secret.ends_with("-----END RSA PRIVATE KEY-----"),
            "{secret}"
        );
        let (redacted, _) = redact(text, &[]);
        assert_eq!(
            redacted,
            "fn main() {}\nconst KEY: &str = \"\n[REDACTED: private key]\n\";\nfn after() {}\n"
        );
    }

    #[test]
    fn a_private_key_in_an_escaped_string_and_a_header_line_alone_count() {
        let escaped = "let pem = \"-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC8Lm2Pw9Xc4Vb7\\n-----END PRIVATE KEY-----\\n\";";
        let (kind, secret) = only(escaped);
        assert_eq!(kind, "private key");
        assert!(secret.ends_with("-----END PRIVATE KEY-----"), "{secret}");
        for line in [
            "-----BEGIN OPENSSH PRIVATE KEY-----",
            "-----BEGIN EC PRIVATE KEY-----\n",
            "    -----BEGIN ENCRYPTED PRIVATE KEY-----\r\n",
        ] {
            assert_eq!(kinds(line), ["private key"], "{line:?}");
        }
    }

    #[test]
    fn a_private_key_header_only_mentioned_is_not_a_secret() {
        for text in [
            "if pem.starts_with(\"-----BEGIN RSA PRIVATE KEY-----\") {",
            "const HEADER: &str = \"-----BEGIN PRIVATE KEY-----\";",
            "format!(\"-----BEGIN PRIVATE KEY-----\\n{}\\n-----END PRIVATE KEY-----\", body)",
            "-----BEGIN RSA PRIVATE KEY-----\n...\n-----END RSA PRIVATE KEY-----",
            "-----BEGIN RSA PRIVATE KEY-----\n<your key here>\n-----END RSA PRIVATE KEY-----",
            "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAq8Lm2Pw9Xc4\n",
        ] {
            assert_eq!(kinds(text), Vec::<String>::new(), "{text}");
        }
    }

    const RANDOM: &str = "q8Lm2Pw9Xc4Vb7Nk1Jh5";

    #[test]
    fn high_entropy_literals_assigned_to_secret_names_are_found() {
        let cases: Vec<(String, &str)> = vec![
            (format!("api_key = \"{RANDOM}\""), "API key"),
            (format!("const apiKey = '{RANDOM}';"), "API key"),
            (format!("AUTH_TOKEN := \"{RANDOM}\""), "token"),
            (format!("{{\"client_secret\": \"{RANDOM}\"}}"), "secret"),
            (format!("  password: \"{RANDOM}\","), "password"),
            (format!("'db_passwd' => '{RANDOM}',"), "password"),
            (
                format!("connect(host, credentials=\"{RANDOM}\")"),
                "credential",
            ),
            (format!("const SECRET_KEY: &str = \"{RANDOM}\";"), "secret"),
            (format!("var accessToken string = \"{RANDOM}\""), "token"),
            (format!("let signingKey: string = `{RANDOM}`;"), "key"),
            (format!("GITHUB_TOKEN={RANDOM}"), "token"),
            (format!("export DB_PASSWORD={RANDOM}"), "password"),
            (format!("  auth_token: {RANDOM}  # prod"), "token"),
            (
                format!("headers[\"Authorization\"] = \"Bearer {RANDOM}\""),
                "credential",
            ),
            (
                "aws_secret_access_key = \"wJalrQ8Lm2Pw9Xc4Vb7Nk1Jh5Gf3Ds6Aq0WzTr8Y\"".to_owned(),
                "AWS secret access key",
            ),
            ("password = \"Summer2024Holiday\"".to_owned(), "password"),
        ];
        for (text, kind) in cases {
            let (found_kind, found_text) = only(&text);
            assert_eq!(found_kind, kind, "{text}");
            assert!(
                found_text == RANDOM || !found_text.contains(['"', '\'', ' ']),
                "{text}: {found_text}"
            );
        }
    }

    #[test]
    fn placeholders_and_non_secrets_assigned_to_secret_names_are_not_found() {
        for text in [
            "api_key = \"xxxxxxxxxxxxxxxxxxxxxxxx\"",
            "api_key = \"changeme-Q8Lm2Pw9Xc4\"",
            "token = \"<YOUR_TOKEN_HERE_123>\"",
            "token = \"${GITHUB_TOKEN_VALUE_1}\"",
            "secret: \"{{ vault_secret_value_9 }}\"",
            "password = \"%s-Q8Lm2Pw9Xc4Vb7\"",
            "api_key = \"your-api-key-Q8Lm2Pw9\"",
            "api_key = \"your_api_key_Q8Lm2Pw9\"",
            "password = \"aaaaaaaaaaaaaaaaaaaa\"",
            "api_key = \"example-Q8Lm2Pw9Xc4Vb7\"",
            "api_key = \"dummyQ8Lm2Pw9Xc4Vb7Nk\"",
            "api_key = \"fakeQ8Lm2Pw9Xc4Vb7Nk1\"",
            "token = \"PlaceholderQ8Lm2Pw9Xc\"",
            "token = \"sampleQ8Lm2Pw9Xc4Vb7N\"",
            "token = \"REDACTED-Q8Lm2Pw9Xc4Vb\"",
            "password = \"testQ8Lm2Pw9Xc4Vb7Nk1\"",
            "api_key = os.getenv(\"OPENAI_API_KEY_2\")",
            "api_key = os.environ[\"Q8Lm2Pw9Xc4Vb7Nk1Jh5\"]",
            "token = get_token(\"Q8Lm2Pw9Xc4Vb7Nk1Jh5\")",
            "API_KEY=$OPENAI_API_KEY_VALUE",
            "api_key = settings.OPENAI_API_KEY_2024",
            "commit = \"3f786850e387550fdab836ed7e6dc881de23001b\"",
            "cache_key = \"3f786850e387550fdab836ed7e6dc881de23001b\"",
            "id = \"550e8400-e29b-41d4-a716-446655440000\"",
            "api_key_id = \"550e8400-e29b-41d4-a716-446655440000\"",
            "public_key = \"Q8Lm2Pw9Xc4Vb7Nk1Jh5Gf3\"",
            "token_url = \"https://auth.Q8Lm2Pw9.com/oauth2/token\"",
            "secret_name = \"prod/Database2/Password9\"",
            "api_key = \"OPENAI_API_KEY_V2\"",
            "storageKey = \"userProfileSettings2\"",
            "key = \"app_settings_v2_cache\"",
            "token = \"Invalid token: 4 Q8Lm2Pw9Xc\"",
            "author = \"Q8Lm2Pw9Xc4Vb7Nk1Jh5\"",
            "keyboard = \"Q8Lm2Pw9Xc4Vb7Nk1Jh5\"",
            "max_tokens = 4096",
            "name = \"Q8Lm2Pw9Xc4Vb7Nk1Jh5\"",
            "if token == \"Q8Lm2Pw9Xc4Vb7Nk1Jh5\" {",
            "key_file = \"certs/Server2024Prod.pem\"",
            "api_key = f\"{prefix}Q8Lm2Pw9Xc4Vb7\"",
            "let old_key = b\"old-request-state-key-at-least-32b\";",
            "reordered_keys: \"hijklmnopuvwDEFqrABCxyzsHIJGPQRSTUVWXYZKLMNOgabctdfe\",",
            "Self::BadCertificatePassword => \"BadCertificatePassword\",",
            "\"access_token\": \"m2m-access-token-12345\",",
            "const META_KEY: &str = \"io.modelcontextprotocol/subscriptionId\";",
        ] {
            assert_eq!(kinds(text), Vec::<String>::new(), "{text}");
        }
    }

    #[test]
    fn the_entropy_and_length_boundaries_hold() {
        // 15 characters: too short; 16: long enough
        assert_eq!(kinds("api_key = \"q8Lm2Pw9Xc4Vb7N\""), Vec::<String>::new());
        assert_eq!(kinds("api_key = \"q8Lm2Pw9Xc4Vb7Nk\""), ["API key"]);
        // 16 characters, 8 distinct symbols twice each: exactly 3 bits, below the bar
        let low = "a1B2c3D4a1B2c3D4";
        assert!((shannon_entropy(low) - 3.0).abs() < 1e-9);
        assert_eq!(kinds(&format!("token = \"{low}\"")), Vec::<String>::new());
        // 12 distinct symbols, 4 of them twice, over 16: about 3.5 bits
        let at_bar = "a1B2c3D4e5F6a1B2";
        assert!(
            shannon_entropy(at_bar) >= MIN_ENTROPY_BITS,
            "{}",
            shannon_entropy(at_bar)
        );
        assert_eq!(kinds(&format!("token = \"{at_bar}\"")), ["token"]);
        // one character class is not enough, however random
        assert_eq!(
            kinds("token = \"qlmpwxcvbnkjhgfdsa\""),
            Vec::<String>::new()
        );
        assert_eq!(
            kinds("token = \"8240917365018273645\""),
            Vec::<String>::new()
        );
    }

    #[test]
    fn name_words_split_every_convention() {
        for (name, words) in [
            ("api_key", vec!["api", "key"]),
            ("apiKey", vec!["api", "key"]),
            ("APIKey", vec!["api", "key"]),
            ("AUTH_TOKEN", vec!["auth", "token"]),
            ("self.x-api-key", vec!["x", "api", "key"]),
            ("oauth2Secret", vec!["oauth", "2", "secret"]),
        ] {
            assert_eq!(words_of_name(name), words, "{name}");
        }
    }

    #[test]
    fn multi_line_text_gives_byte_ranges_of_the_text() {
        let text = format!("line one\n  token = \"{RANDOM}\"\nkey id: {AWS_ID}\n");
        let found = find_secrets(&text, &[]);
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(&text[found[0].start..found[0].end], RANDOM);
        assert_eq!(found[0].kind, "token");
        assert_eq!(&text[found[1].start..found[1].end], AWS_ID);
    }

    #[test]
    fn a_known_format_wins_over_the_entropy_check() {
        let text = format!("OPENAI_API_KEY = \"{OPENAI_PROJECT}\"");
        assert_eq!(kinds(&text), ["OpenAI API key"]);
    }

    #[test]
    fn configured_patterns_find_their_kind() {
        let extra = [SecretPattern {
            name: "Acme API token".to_owned(),
            regex: Regex::new("acme_[a-z0-9]{12}").expect("valid"),
        }];
        let text = "client = Acme(\"acme_a1b2c3d4e5f6\")";
        let found = find_secrets(text, &extra);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].kind, "Acme API token");
        assert_eq!(&text[found[0].start..found[0].end], "acme_a1b2c3d4e5f6");
    }

    #[test]
    fn redaction_replaces_every_secret_and_keeps_the_rest() {
        let text = format!("aws = \"{AWS_ID}\"\ngh = {GITHUB} # ci\npassword: \"{RANDOM}\"\n");
        let (redacted, found) = redact(&text, &[]);
        assert_eq!(found.len(), 3);
        assert_eq!(
            redacted,
            "aws = \"[REDACTED: AWS access key id]\"\ngh = [REDACTED: GitHub token] # ci\n\
             password: \"[REDACTED: password]\"\n"
        );
        let (unchanged, none) = redact("let x = 1;\n", &[]);
        assert_eq!((unchanged.as_str(), none.len()), ("let x = 1;\n", 0));
    }

    #[test]
    fn code_without_secrets_finds_nothing() {
        let code = "fn key_of(token: &Token) -> Key {\n    let secret = lookup(token.id);\n    \
                    auth::verify(&secret, PASSWORD_MIN_LEN)\n}\n";
        assert_eq!(kinds(code), Vec::<String>::new());
    }
}
