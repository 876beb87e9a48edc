//! Redline's SARIF output validates against the official OASIS SARIF 2.1.0 schema
//! (`tests/fixtures/sarif/sarif-schema-2.1.0.json`, see the README beside it), and the
//! validation can fail: a broken log is rejected.

// helpers outside `#[test]` functions panic on purpose: a failed setup is a failed test
#![allow(clippy::unwrap_used, clippy::expect_used)]

use jsonschema::Validator;
use redline::findings::sarif::to_sarif;
use redline::findings::{Finding, FindingSide, Severity};
use serde_json::Value;

/// The official schema, compiled as draft 4 (what its `$schema` names) with format checks on,
/// so `uri` and `date-time` values are checked too. The schema also uses `uri-reference`
/// (artifact locations), a format draft 4 does not define and the validator would ignore
/// under it, so this test defines it ([`is_uri_reference`]). The crate is built without its
/// remote resolvers: the schema refers only to its own definitions.
fn validator() -> Validator {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/sarif/sarif-schema-2.1.0.json"
    ))
    .expect("the schema fixture is readable");
    let schema: Value = serde_json::from_str(&text).expect("the schema is JSON");
    assert_eq!(schema["$schema"], "http://json-schema.org/draft-04/schema#");
    jsonschema::draft4::options()
        .should_validate_formats(true)
        .with_format("uri-reference", is_uri_reference)
        .build(&schema)
        .expect("the schema compiles")
}

/// RFC 3986 `URI-reference`, as far as characters go: unreserved, reserved and `%` followed
/// by two hex digits, one `#` at most, and no `:` in a first path segment without a scheme
/// (it would read as one).
fn is_uri_reference(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let byte = bytes[i];
        if byte == b'%' {
            let hex = |at: usize| bytes.get(at).is_some_and(u8::is_ascii_hexdigit);
            if !(hex(i + 1) && hex(i + 2)) {
                return false;
            }
            i += 3;
            continue;
        }
        if !(byte.is_ascii_alphanumeric() || b"-._~:/?#[]@!$&'()*+,;=".contains(&byte)) {
            return false;
        }
        i += 1;
    }
    let first_segment = text.split(['/', '?', '#']).next().unwrap_or("");
    let has_scheme = first_segment.split_once(':').is_some_and(|(scheme, _)| {
        scheme.starts_with(|c: char| c.is_ascii_alphabetic())
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    });
    text.matches('#').count() <= 1 && (has_scheme || !first_segment.contains(':'))
}

fn errors(validator: &Validator, log: &Value) -> Vec<String> {
    validator
        .iter_errors(log)
        .map(|error| format!("{}: {error}", error.instance_path))
        .collect()
}

fn finding(rule: &str, severity: Severity, path: &str, line: u32, column: Option<u32>) -> Finding {
    Finding {
        rule: rule.to_owned(),
        severity,
        path: path.to_owned(),
        side: FindingSide::New,
        line,
        end_line: line,
        column,
        message: format!("{rule} on line {line}"),
        excerpt: "let value = compute();".to_owned(),
        hunk: None,
    }
}

/// Findings covering every severity, a column and none, a multi-line region, an old-side
/// finding, paths with spaces, non-ASCII and URI-reserved characters, an empty excerpt.
fn findings() -> Vec<Finding> {
    let mut findings = vec![
        finding("debug-leftover", Severity::Low, "src/lib.rs", 1, Some(1)),
        finding(
            "rust-unwrap",
            Severity::Medium,
            "src/my module/ünïcödé.rs",
            12,
            Some(17),
        ),
        finding("rust-unsafe", Severity::High, "crates/日本/lib.rs", 3, None),
        finding(
            "hardcoded-secret",
            Severity::Critical,
            "config/#prod?.env",
            7,
            Some(9),
        ),
    ];
    let mut deleted = finding(
        "test-deleted",
        Severity::High,
        "tests/old suite.rs",
        40,
        None,
    );
    deleted.side = FindingSide::Old;
    deleted.end_line = 52;
    deleted.message = "test `parses_empty_input` deleted".to_owned();
    findings.push(deleted);
    let mut long = finding("long-function", Severity::Low, "src/a.rs", 10, None);
    long.end_line = 90;
    long.excerpt = String::new();
    findings.push(long);
    findings
}

#[test]
fn redlines_sarif_log_validates_against_the_official_schema() {
    let validator = validator();
    let log = to_sarif(&findings());
    assert_eq!(log["runs"][0]["results"].as_array().map(Vec::len), Some(6));
    assert_eq!(errors(&validator, &log), Vec::<String>::new());
    // an empty run is valid too
    assert_eq!(errors(&validator, &to_sarif(&[])), Vec::<String>::new());
}

#[test]
fn the_uri_reference_check_knows_uri_references() {
    for valid in [
        "src/lib.rs",
        "src/a%20b.rs",
        "https://example.org/x#y",
        "../a?b=c",
        "",
    ] {
        assert!(is_uri_reference(valid), "{valid}");
    }
    for invalid in [
        "src/a b.rs",
        "src/ü.rs",
        "100%.txt",
        "a#b#c",
        // a colon in a first segment that is no scheme
        ":x/y.rs",
        "1a:b/c",
    ] {
        assert!(!is_uri_reference(invalid), "{invalid}");
    }
}

#[test]
fn a_broken_log_is_rejected() {
    let validator = validator();
    let valid = to_sarif(&findings());

    let mut without_message = valid.clone();
    let result = without_message["runs"][0]["results"][0]
        .as_object_mut()
        .expect("a result object");
    result.remove("message");
    assert!(
        !validator.is_valid(&without_message),
        "a result without `message`"
    );

    let mut bad_level = valid.clone();
    bad_level["runs"][0]["results"][1]["level"] = "fatal".into();
    assert!(!validator.is_valid(&bad_level), "a level outside the enum");

    let mut bad_line = valid.clone();
    bad_line["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] =
        0.into();
    assert!(!validator.is_valid(&bad_line), "a line number below 1");

    let mut bad_version = valid.clone();
    bad_version["version"] = "2.0.0".into();
    assert!(!validator.is_valid(&bad_version), "another SARIF version");

    let mut relative_schema = valid.clone();
    relative_schema["$schema"] = "sarif-schema.json".into();
    assert!(
        !validator.is_valid(&relative_schema),
        "format uri: a relative $schema"
    );
    let mut unencoded_uri = valid.clone();
    unencoded_uri["runs"][0]["results"][1]["locations"][0]["physicalLocation"]
        ["artifactLocation"]["uri"] = "src/my module/x y.rs".into();
    assert!(
        !validator.is_valid(&unencoded_uri),
        "a path that is not a URI reference"
    );

    let mut reserved_in_uri = valid.clone();
    reserved_in_uri["runs"][0]["results"][3]["locations"][0]["physicalLocation"]
        ["artifactLocation"]["uri"] = "config/#prod?.env#".into();
    assert!(
        !validator.is_valid(&reserved_in_uri),
        "a path with a second `#`"
    );

    let mut unknown_property = valid;
    unknown_property["runs"][0]["tool"]["driver"]["colour"] = "red".into();
    assert!(
        !validator.is_valid(&unknown_property),
        "a property the schema does not know"
    );
}
