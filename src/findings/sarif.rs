//! Findings as SARIF 2.1.0, the format code-scanning services (GitHub code scanning, Azure
//! DevOps, SonarQube imports …) ingest. Pure: [`to_sarif`] builds the log as JSON.
//!
//! Choices a reader of the log may need:
//! - paths are repository-relative URI references against `%SRCROOT%`, percent-encoded;
//! - columns count Unicode characters (`columnKind` is `unicodeCodePoints`), as findings do;
//! - every rule of the catalogue is described, found or not, so a service can show the
//!   teaching text of any rule;
//! - security rules carry `security-severity`, which GitHub ranks alerts by, and every rule a
//!   `problem.severity`;
//! - `partialFingerprints` hash the rule, path and excerpt (not the line), so an alert keeps
//!   its identity when code above it moves.

use serde_json::{json, Map, Value};

use super::{catalog, Finding, FindingSide, RuleInfo, Severity};

/// The JSON schema a SARIF 2.1.0 log names.
pub const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// Where Redline's documentation lives: the driver's `informationUri`.
pub const INFORMATION_URI: &str = "https://github.com/redline-review/redline";

/// The URI base id paths are relative to: the repository's root.
pub const SOURCE_ROOT: &str = "%SRCROOT%";

/// The `partialFingerprints` key; the version changes if the hashed parts ever do.
pub const FINGERPRINT_KEY: &str = "redlineFindingHash/v1";

/// The rules that guard a security boundary: their results carry `security-severity`.
const SECURITY_RULES: &[&str] = &[
    "hardcoded-secret",
    "widened-permission",
    "sql-formatting",
    "shell-formatting",
    "dynamic-eval",
    "plain-http",
    "rust-unsafe",
    "dependency-not-in-lockfile",
    "unpinned-dependency",
    "ci-workflow-changed",
];

/// The SARIF log of `findings`: one run of the Redline driver, every catalogue rule described,
/// one result per finding in the given order.
pub fn to_sarif(findings: &[Finding]) -> Value {
    let rules = catalog::rules();
    let descriptors: Vec<Value> = rules.iter().map(rule_descriptor).collect();
    let mut fingerprints = Fingerprints::default();
    let results: Vec<Value> = findings
        .iter()
        .map(|finding| {
            let rule_index = rules.iter().position(|rule| rule.id == finding.rule);
            result(finding, rule_index, fingerprints.next(finding))
        })
        .collect();
    json!({
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "Redline",
                    "informationUri": INFORMATION_URI,
                    "version": env!("CARGO_PKG_VERSION"),
                    "rules": descriptors,
                }
            },
            "originalUriBaseIds": {
                SOURCE_ROOT: {
                    "description": { "text": "The root of the reviewed repository." }
                }
            },
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    })
}

/// The SARIF level of a severity.
pub fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Low => "note",
        Severity::Medium => "warning",
        Severity::High | Severity::Critical => "error",
    }
}

/// GitHub's `security-severity`, a CVSS-like score whose bands (critical ≥ 9, high ≥ 7,
/// medium ≥ 4, low > 0) match the severities.
fn security_severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Low => "3.0",
        Severity::Medium => "5.5",
        Severity::High => "8.0",
        Severity::Critical => "9.5",
    }
}

/// GitHub's `problem.severity` for rules that are not about security.
fn problem_severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Low => "recommendation",
        Severity::Medium => "warning",
        Severity::High | Severity::Critical => "error",
    }
}

/// The tags a rule is filed under in a code-scanning service.
fn tags(rule: &RuleInfo) -> Vec<&'static str> {
    let mut tags = Vec::new();
    if SECURITY_RULES.contains(&rule.id.as_str()) {
        tags.push("security");
    }
    let area = match rule.id.as_str() {
        id if id.starts_with("test-") => "tests",
        id if id.contains("dependency") => "supply-chain",
        "rust-unwrap" | "rust-panic" | "swallowed-error" | "broad-catch" => "reliability",
        "does-not-parse" | "stub" => "correctness",
        "ci-workflow-changed" => "ci",
        "hardcoded-secret" | "widened-permission" | "sql-formatting" | "shell-formatting"
        | "dynamic-eval" | "plain-http" | "rust-unsafe" => "",
        _ => "maintainability",
    };
    if !area.is_empty() {
        tags.push(area);
    }
    tags.push("ai-code-review");
    tags
}

fn rule_descriptor(rule: &RuleInfo) -> Value {
    let mut properties = Map::new();
    properties.insert("tags".to_owned(), json!(tags(rule)));
    properties.insert(
        "problem.severity".to_owned(),
        json!(problem_severity(rule.severity)),
    );
    if SECURITY_RULES.contains(&rule.id.as_str()) {
        properties.insert(
            "security-severity".to_owned(),
            json!(security_severity(rule.severity)),
        );
    }
    json!({
        "id": rule.id,
        "name": pascal_case(&rule.title).unwrap_or_else(|| pascal_case(&rule.id).unwrap_or_default()),
        "shortDescription": { "text": rule.title },
        "fullDescription": { "text": rule.teaching },
        "help": {
            "text": rule.fix,
            "markdown": format!("{}\n\n**How to fix:** {}", rule.teaching, rule.fix),
        },
        "defaultConfiguration": { "level": level(rule.severity) },
        "properties": properties,
    })
}

fn result(finding: &Finding, rule_index: Option<usize>, fingerprint: String) -> Value {
    let start_line = finding.line.max(1);
    let mut region = Map::new();
    region.insert("startLine".to_owned(), json!(start_line));
    region.insert(
        "endLine".to_owned(),
        json!(finding.end_line.max(start_line)),
    );
    if let Some(column) = finding.column.filter(|&column| column >= 1) {
        region.insert("startColumn".to_owned(), json!(column));
    }
    if !finding.excerpt.is_empty() {
        region.insert("snippet".to_owned(), json!({ "text": finding.excerpt }));
    }
    let message = match finding.side {
        FindingSide::New => finding.message.clone(),
        // the lines exist only in the version before the change: a service showing them on
        // the new file would point at unrelated code, so the message says where they were
        FindingSide::Old => format!(
            "{} (removed by the change: line {start_line} of the file as it was before)",
            finding.message
        ),
    };
    let side = match finding.side {
        FindingSide::New => "new",
        FindingSide::Old => "old",
    };
    let mut result = Map::new();
    result.insert("ruleId".to_owned(), json!(finding.rule));
    if let Some(index) = rule_index {
        result.insert("ruleIndex".to_owned(), json!(index));
    }
    result.insert("level".to_owned(), json!(level(finding.severity)));
    result.insert("message".to_owned(), json!({ "text": message }));
    result.insert(
        "locations".to_owned(),
        json!([{
            "physicalLocation": {
                "artifactLocation": {
                    "uri": uri_reference(&finding.path),
                    "uriBaseId": SOURCE_ROOT,
                },
                "region": region,
            }
        }]),
    );
    result.insert(
        "partialFingerprints".to_owned(),
        json!({ FINGERPRINT_KEY: fingerprint }),
    );
    result.insert(
        "properties".to_owned(),
        json!({ "severity": finding.severity.word(), "side": side }),
    );
    Value::Object(result)
}

/// "unwrap or expect in library code" → "UnwrapOrExpectInLibraryCode"; `None` when no word.
fn pascal_case(text: &str) -> Option<String> {
    let mut name = String::new();
    for word in text.split(|c: char| !c.is_ascii_alphanumeric()) {
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            name.push(first.to_ascii_uppercase());
            name.extend(chars);
        }
    }
    (!name.is_empty()).then_some(name)
}

/// A repository path as a relative URI reference: every byte but unreserved characters and
/// `/` percent-encoded (spaces, `%`, `#`, `?`, non-ASCII as UTF-8), and a leading `/` dropped
/// (the path is relative to `%SRCROOT%`).
pub fn uri_reference(path: &str) -> String {
    let path = path.trim_start_matches('/');
    let mut uri = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~' | b'/') {
            uri.push(char::from(byte));
        } else {
            uri.push_str(&format!("%{byte:02X}"));
        }
    }
    uri
}

/// Stable fingerprints: a hash of the rule, the path and the excerpt with its whitespace
/// collapsed (so re-indenting keeps the identity), then `:n` for the n-th finding with the same
/// hash in the log, as GitHub's own `primaryLocationLineHash` does.
#[derive(Default)]
struct Fingerprints {
    seen: Vec<(u64, u32)>,
}

impl Fingerprints {
    fn next(&mut self, finding: &Finding) -> String {
        let excerpt: Vec<&str> = finding.excerpt.split_whitespace().collect();
        let hash = fnv1a(&[
            finding.rule.as_bytes(),
            finding.path.as_bytes(),
            excerpt.join(" ").as_bytes(),
        ]);
        let occurrence = match self.seen.iter_mut().find(|(seen, _)| *seen == hash) {
            Some((_, count)) => {
                *count += 1;
                *count
            }
            None => {
                self.seen.push((hash, 1));
                1
            }
        };
        format!("{hash:016x}:{occurrence}")
    }
}

/// FNV-1a 64 over the parts, each followed by a separator byte no UTF-8 text holds.
fn fnv1a(parts: &[&[u8]]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for &byte in part.iter().chain([&0xff]) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    hash
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(rule: &str, severity: Severity, path: &str, line: u32) -> Finding {
        Finding {
            rule: rule.to_owned(),
            severity,
            path: path.to_owned(),
            side: FindingSide::New,
            line,
            end_line: line,
            column: Some(5),
            message: "`.unwrap()` in library code".to_owned(),
            excerpt: "let x = y.unwrap();".to_owned(),
            hunk: None,
        }
    }

    fn results(log: &Value) -> &Vec<Value> {
        log["runs"][0]["results"].as_array().expect("results")
    }

    #[test]
    fn the_log_names_the_version_schema_and_driver() {
        let log = to_sarif(&[]);
        assert_eq!(log["version"], "2.1.0");
        assert_eq!(log["$schema"], SCHEMA_URI);
        let driver = &log["runs"][0]["tool"]["driver"];
        assert_eq!(driver["name"], "Redline");
        assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
        assert_eq!(
            driver["rules"].as_array().map(Vec::len),
            Some(catalog::rules().len())
        );
        assert!(log["runs"][0]["originalUriBaseIds"][SOURCE_ROOT].is_object());
        assert_eq!(results(&log).len(), 0);
    }

    #[test]
    fn rule_descriptors_teach_and_rank() {
        let log = to_sarif(&[]);
        let rules = log["runs"][0]["tool"]["driver"]["rules"]
            .as_array()
            .expect("rules");
        let secret = rules
            .iter()
            .find(|rule| rule["id"] == "hardcoded-secret")
            .expect("hardcoded-secret is described");
        assert_eq!(secret["name"], "HardCodedSecret");
        assert_eq!(secret["defaultConfiguration"]["level"], "error");
        assert_eq!(secret["properties"]["security-severity"], "9.5");
        assert!(secret["properties"]["tags"]
            .as_array()
            .expect("tags")
            .contains(&json!("security")));
        let info = catalog::rule("hardcoded-secret").expect("in the catalogue");
        assert_eq!(secret["fullDescription"]["text"], info.teaching.as_str());
        assert_eq!(secret["help"]["text"], info.fix.as_str());
        let unwrap = rules
            .iter()
            .find(|rule| rule["id"] == "rust-unwrap")
            .expect("rust-unwrap is described");
        assert!(unwrap["properties"].get("security-severity").is_none());
        assert_eq!(unwrap["properties"]["problem.severity"], "warning");
        for rule in rules {
            let name = rule["name"].as_str().expect("name");
            assert!(
                name.starts_with(|c: char| c.is_ascii_uppercase())
                    && name.chars().all(|c| c.is_ascii_alphanumeric()),
                "{name}"
            );
        }
    }

    #[test]
    fn levels_follow_severity() {
        let findings: Vec<Finding> = Severity::ALL
            .into_iter()
            .map(|severity| finding("rust-unwrap", severity, "src/lib.rs", 3))
            .collect();
        let log = to_sarif(&findings);
        let levels: Vec<&str> = results(&log)
            .iter()
            .map(|result| result["level"].as_str().expect("level"))
            .collect();
        assert_eq!(levels, ["note", "warning", "error", "error"]);
    }

    #[test]
    fn a_result_points_at_its_region_and_rule() {
        let mut one = finding("rust-unwrap", Severity::Medium, "src/a b/ünï.rs", 12);
        one.end_line = 14;
        let log = to_sarif(&[one]);
        let result = &results(&log)[0];
        assert_eq!(result["ruleId"], "rust-unwrap");
        let index = result["ruleIndex"].as_u64().expect("index") as usize;
        assert_eq!(catalog::rules()[index].id, "rust-unwrap");
        let location = &result["locations"][0]["physicalLocation"];
        assert_eq!(
            location["artifactLocation"]["uri"],
            "src/a%20b/%C3%BCn%C3%AF.rs"
        );
        assert_eq!(location["artifactLocation"]["uriBaseId"], SOURCE_ROOT);
        assert_eq!(location["region"]["startLine"], 12);
        assert_eq!(location["region"]["endLine"], 14);
        assert_eq!(location["region"]["startColumn"], 5);
        assert_eq!(location["region"]["snippet"]["text"], "let x = y.unwrap();");
    }

    #[test]
    fn an_unknown_column_is_left_out_and_an_old_side_finding_says_so() {
        let mut deleted = finding("test-deleted", Severity::High, "tests/it.rs", 40);
        deleted.side = FindingSide::Old;
        deleted.column = None;
        deleted.message = "test `parses_empty_input` deleted".to_owned();
        let log = to_sarif(&[deleted]);
        let result = &results(&log)[0];
        let region = &result["locations"][0]["physicalLocation"]["region"];
        assert!(region.get("startColumn").is_none());
        let message = result["message"]["text"].as_str().expect("text");
        assert!(
            message.starts_with("test `parses_empty_input` deleted"),
            "{message}"
        );
        assert!(message.contains("before"), "{message}");
        assert_eq!(result["properties"]["side"], "old");
    }

    #[test]
    fn fingerprints_ignore_the_line_and_indentation_but_not_the_code() {
        let fingerprint = |finding: Finding| {
            results(&to_sarif(&[finding]))[0]["partialFingerprints"][FINGERPRINT_KEY]
                .as_str()
                .expect("fingerprint")
                .to_owned()
        };
        let base = finding("rust-unwrap", Severity::Medium, "src/lib.rs", 3);
        let mut moved = base.clone();
        moved.line = 90;
        moved.end_line = 90;
        moved.excerpt = format!("        {}", base.excerpt);
        let mut other = base.clone();
        other.excerpt = "let z = w.unwrap();".to_owned();
        assert_eq!(fingerprint(base.clone()), fingerprint(moved));
        assert_ne!(fingerprint(base.clone()), fingerprint(other));
        // the same code twice in a file: told apart by occurrence
        let log = to_sarif(&[base.clone(), base]);
        let twice: Vec<&str> = results(&log)
            .iter()
            .map(|result| {
                result["partialFingerprints"][FINGERPRINT_KEY]
                    .as_str()
                    .expect("fingerprint")
            })
            .collect();
        assert!(
            twice[0].ends_with(":1") && twice[1].ends_with(":2"),
            "{twice:?}"
        );
        assert_eq!(twice[0].split(':').next(), twice[1].split(':').next());
    }

    #[test]
    fn uri_references_encode_what_a_uri_cannot_hold() {
        assert_eq!(uri_reference("src/lib.rs"), "src/lib.rs");
        assert_eq!(uri_reference("/docs/a b#c?.md"), "docs/a%20b%23c%3F.md");
        assert_eq!(uri_reference("100%.txt"), "100%25.txt");
        assert_eq!(uri_reference("日本.rs"), "%E6%97%A5%E6%9C%AC.rs");
    }

    #[test]
    fn pascal_case_joins_words() {
        assert_eq!(
            pascal_case("unwrap or expect in library code").as_deref(),
            Some("UnwrapOrExpectInLibraryCode")
        );
        assert_eq!(pascal_case("`any` type").as_deref(), Some("AnyType"));
        assert_eq!(pascal_case("--"), None);
    }
}
