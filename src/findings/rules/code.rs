//! Rules read off the added lines of code: panics and `unsafe` in Rust, suppressions,
//! widened permissions, plain `http://`, SQL and shell built from strings, `eval`, debug
//! output, TypeScript `any`, swallowed errors and broad catches. Each pattern is confirmed by
//! the tree where there is one: a match inside a comment or a string is not code.

use std::sync::LazyLock;

use regex::Regex;
use tree_sitter::Node;

use super::{column_of, field_text, node_text, pattern, Ctx, Lexical, Report};
use crate::findings::{FindingSide, Placement};
use crate::syntax::LanguageId;

pub(super) fn check(ctx: &mut Ctx<'_>) {
    let language = ctx.language;
    for line in ctx.added.clone() {
        let text = ctx.line(line).to_owned();
        if text.trim().is_empty() || text.len() > 2_000 || !TRIGGERS.is_match(&text) {
            continue;
        }
        match language {
            Some(LanguageId::Rust) => rust_line(ctx, line, &text),
            Some(_) => {}
            None => {}
        }
        suppression(ctx, line, &text);
        permission(ctx, line, &text);
        plain_http(ctx, line, &text);
        if let Some(language) = language {
            sql(ctx, line, &text, language);
            shell(ctx, line, &text, language);
            eval(ctx, line, &text, language);
            debug(ctx, line, &text, language);
        } else if ctx.input.path.ends_with(".zig") {
            zig(ctx, line, &text);
        }
    }
    if ctx.tree.is_some() {
        tree_rules(ctx);
    }
}

/// Words without which no line pattern of this file can match: one pass over a line (a
/// literal search) spares the few dozen patterns on the lines that hold none, which are
/// nearly all. Every pattern below must have one of these in every match; the unit test
/// `triggers_cover_every_positive` checks it on the tests' positives.
static TRIGGERS: LazyLock<Regex> = LazyLock::new(|| {
    pattern(concat!(
        r"unwrap|expect|panic|todo|unimplemented|unreachable|unsafe|dbg|allow|@ts-|eslint|",
        r"biome|deno-lint|ignore|noqa|pylint|pyright|mypy|nolint|nosec|NOSONAR|shellcheck|",
        r"istanbul|Suppress|pragma|777|rwx|verify|Verify|VERIFY|reject|REJECT|danger_|curl|",
        r"unverified|check_hostname|(?i:access-control)|origin|Origin|Cors|dangerously|",
        r"bypassPermissions|yolo|http://|SELECT|INSERT|UPDATE|DELETE|DROP|ALTER|CREATE|",
        r"TRUNCATE|subprocess|os\.|exec|Runtime|Command|eval|Function|console\.|print|Print|",
        r"breakpoint|set_trace|System\.|Console\.|catch"
    ))
});

/// The first match of `re` in `text` that is code (per the tree), as (byte, match text).
fn code_match<'t>(ctx: &Ctx<'_>, line: u32, text: &'t str, re: &Regex) -> Option<(usize, &'t str)> {
    re.captures_iter(text).find_map(|caps| {
        let m = caps.get(0)?;
        ctx.is_code(ctx.offset(line, m.start()))
            .then_some((m.start(), m.as_str()))
    })
}

static RUST_UNWRAP: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"\.(unwrap|expect|unwrap_err|expect_err)\s*\("));
static RUST_PANIC: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"\b(panic|todo|unimplemented|unreachable)!\s*[(\[{]"));
static RUST_UNSAFE: LazyLock<Regex> = LazyLock::new(|| pattern(r"\bunsafe\b"));
static RUST_DBG: LazyLock<Regex> = LazyLock::new(|| pattern(r"\bdbg!\s*\("));

fn rust_line(ctx: &mut Ctx<'_>, line: u32, text: &str) {
    if ctx.tree.is_none() {
        return;
    }
    let column = |at: usize| Some(column_of(text, at));
    if let Some((at, _)) = code_match(ctx, line, text, &RUST_UNWRAP) {
        let offset = ctx.offset(line, at);
        if ctx.placement == Placement::Production && !ctx.in_test(offset) && !ctx.in_main(offset) {
            let call = RUST_UNWRAP
                .captures(&text[at..])
                .and_then(|c| c.get(1))
                .map_or("unwrap", |m| m.as_str());
            ctx.report(
                "rust-unwrap",
                line,
                column(at),
                format!("`.{call}()` in library code panics instead of returning the error"),
            );
        }
    }
    if let Some((at, _)) = code_match(ctx, line, text, &RUST_PANIC) {
        let offset = ctx.offset(line, at);
        if ctx.placement != Placement::Test && !ctx.in_test(offset) {
            let name = RUST_PANIC
                .captures(&text[at..])
                .and_then(|c| c.get(1))
                .map_or("panic", |m| m.as_str());
            ctx.report("rust-panic", line, column(at), format!("`{name}!` added"));
        }
    }
    if let Some((at, _)) = code_match(ctx, line, text, &RUST_UNSAFE) {
        ctx.report(
            "rust-unsafe",
            line,
            column(at),
            "`unsafe` added: memory safety rests on this code's own proof".to_owned(),
        );
    }
    if let Some((at, _)) = code_match(ctx, line, text, &RUST_DBG) {
        if ctx.placement != Placement::Test && !ctx.in_test(ctx.offset(line, at)) {
            ctx.report(
                "debug-leftover",
                line,
                column(at),
                "`dbg!` left in".to_owned(),
            );
        }
    }
}

/// A suppression: the pattern and whether it lives in a comment (else it is code: an
/// attribute or annotation).
struct Suppression {
    re: Regex,
    in_comment: bool,
    tool: &'static str,
}

static SUPPRESSIONS: LazyLock<Vec<Suppression>> = LazyLock::new(|| {
    let comment = |source: &str, tool| Suppression {
        re: pattern(source),
        in_comment: true,
        tool,
    };
    let code = |source: &str, tool| Suppression {
        re: pattern(source),
        in_comment: false,
        tool,
    };
    vec![
        code(
            r"#!?\[\s*(allow|expect)\s*\(([^\]]*)\)",
            "the Rust compiler or clippy",
        ),
        code(
            r"#!?\[\s*cfg_attr\s*\([^\]]*\b(allow|expect)\s*\(",
            "clippy",
        ),
        comment(r"@ts-(ignore|expect-error|nocheck)\b", "TypeScript"),
        comment(r"\beslint-disable(-next-line|-line)?\b", "ESLint"),
        comment(r"\bbiome-ignore\b", "Biome"),
        comment(r"\bdeno-lint-ignore(-file)?\b", "Deno lint"),
        comment(r"#\s*type:\s*ignore\b", "the type checker"),
        comment(r"#\s*noqa\b", "flake8/ruff"),
        comment(r"#\s*pylint:\s*disable\b", "pylint"),
        comment(r"#\s*pyright:\s*(ignore|basic)\b", "pyright"),
        comment(r"#\s*mypy:\s*ignore-errors\b", "mypy"),
        comment(r"//\s*nolint\b", "golangci-lint"),
        comment(r"#\s*nosec\b|//\s*#nosec\b", "gosec/bandit"),
        comment(r"\bNOSONAR\b", "Sonar"),
        comment(r"\bshellcheck\s+disable=", "ShellCheck"),
        comment(r"\bistanbul\s+ignore\b", "the coverage tool"),
        code(r"@SuppressWarnings\s*\(", "javac"),
        code(r"#\s*pragma\s+warning\s+disable\b", "the C# compiler"),
        code(r"\[\s*SuppressMessage\s*\(", "the .NET analyzers"),
    ]
});

fn suppression(ctx: &mut Ctx<'_>, line: u32, text: &str) {
    for suppression in SUPPRESSIONS.iter() {
        let Some(m) = suppression.re.find(text) else {
            continue;
        };
        let lexical = match ctx.tree {
            Some(_) => ctx.lexical(ctx.offset(line, m.start())),
            // without a tree only comment-style markers are trusted, and only where a
            // comment can start before them
            None if suppression.in_comment => Lexical::Comment,
            None => continue,
        };
        let wanted = if suppression.in_comment {
            Lexical::Comment
        } else {
            Lexical::Code
        };
        if lexical != wanted {
            continue;
        }
        // `dead_code` and `unused` in tests silence nothing that matters
        if suppression.tool.starts_with("the Rust")
            && ctx.in_test(ctx.offset(line, m.start()))
            && m.as_str().contains("dead_code")
        {
            continue;
        }
        ctx.report(
            "lint-suppression",
            line,
            Some(column_of(text, m.start())),
            format!(
                "a warning of {} suppressed: `{}`",
                suppression.tool,
                m.as_str().trim()
            ),
        );
        return;
    }
}

static PERMISSIONS: LazyLock<Vec<(Regex, &'static str)>> = LazyLock::new(|| {
    [
        (r"\bchmod\s+(-R\s+)?(0?777|a\+rwx|ugo\+rwx)\b", "permissions opened to everyone (777)"),
        (r"\b(chmod|set_mode|from_mode|mode|Chmod|chmodSync|set_permissions)\b[^\n]*\b0o?777\b", "permissions opened to everyone (777)"),
        (r"\bverify\s*=\s*False\b", "TLS certificate verification turned off"),
        (r"\brejectUnauthorized\s*:\s*false\b", "TLS certificate verification turned off"),
        (r"\bNODE_TLS_REJECT_UNAUTHORIZED\b\s*[=:]\s*['\x22]?0", "TLS certificate verification turned off"),
        (r"\bInsecureSkipVerify\s*:\s*true\b", "TLS certificate verification turned off"),
        (r"\bdanger_accept_invalid_(certs|hostnames)\s*\(\s*true\s*\)", "TLS certificate verification turned off"),
        (r"\bCURLOPT_SSL_VERIFY(PEER|HOST)\s*,\s*(0|false)\b", "TLS certificate verification turned off"),
        (r"\bcurl\b[^\n|]*\s(-k|--insecure)\b", "TLS certificate verification turned off"),
        (r"\bssl\._create_unverified_context\b", "TLS certificate verification turned off"),
        (r"\bcheck_hostname\s*=\s*False\b", "TLS host name verification turned off"),
        (r"(?i)\bAccess-Control-Allow-Origin\b['\x22]?\s*[:,]\s*['\x22]\*['\x22]", "CORS opened to every origin"),
        (r"\ballow_origins\s*=\s*\[\s*['\x22]\*['\x22]", "CORS opened to every origin"),
        (r"\borigin\s*:\s*['\x22]\*['\x22]", "CORS opened to every origin"),
        (r"\bAllowAnyOrigin\s*\(\s*\)", "CORS opened to every origin"),
        (r"\bCorsLayer::(very_)?permissive\s*\(\s*\)", "CORS opened to every origin"),
        (r"\ballow_origin\s*\(\s*(tower_http::cors::)?Any\s*\)", "CORS opened to every origin"),
        (r"--dangerously-skip-permissions\b|\bdangerouslySkipPermissions\b|\bbypassPermissions\b", "an agent allowed to act without asking"),
        (r"(^|\s)--yolo\b", "an agent allowed to act without asking"),
    ]
    .into_iter()
    .map(|(source, what)| (pattern(source), what))
    .collect()
});

fn permission(ctx: &mut Ctx<'_>, line: u32, text: &str) {
    for (re, what) in PERMISSIONS.iter() {
        let Some(m) = re.find(text) else { continue };
        if ctx.tree.is_some() {
            let offset = ctx.offset(line, m.start());
            // shell command lines, header names and agent flags live in strings; settings
            // like `verify=False` are code, and the same text in a string is data (a test's
            // input, a pattern list)
            let in_strings = what.contains("777")
                || what.contains("CORS")
                || what.contains("agent")
                || m.as_str().starts_with("curl")
                || m.as_str().starts_with("NODE_TLS");
            match ctx.lexical(offset) {
                Lexical::Comment => continue,
                Lexical::String if !in_strings => continue,
                Lexical::String if ctx.in_test(offset) => continue,
                _ => {}
            }
        }
        ctx.report(
            "widened-permission",
            line,
            Some(column_of(text, m.start())),
            format!("{what}: `{}`", m.as_str().trim()),
        );
        return;
    }
}

static HTTP_URL: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"http://(\[[0-9a-fA-F:]+\]|[A-Za-z0-9._-]+)(:\d+)?"));

/// Hosts a plain `http://` is fine for: this machine, private networks, reserved names,
/// and XML namespace identifiers that are never fetched.
fn local_or_identifier(host: &str) -> bool {
    let host = host.to_ascii_lowercase();
    let host = host.trim_end_matches('.');
    if matches!(
        host,
        "localhost" | "0.0.0.0" | "[::1]" | "[::]" | "host.docker.internal"
    ) {
        return true;
    }
    if host.starts_with("127.") || host.starts_with("10.") || host.starts_with("192.168.") {
        return true;
    }
    if let Some(rest) = host.strip_prefix("172.") {
        if let Some(second) = rest.split('.').next().and_then(|s| s.parse::<u8>().ok()) {
            if (16..=31).contains(&second) {
                return true;
            }
        }
    }
    let reserved_tld = [
        ".local",
        ".localhost",
        ".test",
        ".example",
        ".invalid",
        ".internal",
        ".lan",
        ".home.arpa",
    ];
    if reserved_tld.iter().any(|tld| host.ends_with(tld)) {
        return true;
    }
    let identifiers = [
        "example.com",
        "example.org",
        "example.net",
        "www.w3.org",
        "w3.org",
        "json-schema.org",
        "purl.org",
        "xmlns.com",
        "ns.adobe.com",
        "schemas.xmlsoap.org",
        "www.apache.org",
        "apache.org",
        "opensource.org",
        "www.opensource.org",
        "www.gnu.org",
        "gnu.org",
    ];
    if identifiers
        .iter()
        .any(|id| host == *id || host.ends_with(&format!(".{id}")))
    {
        return true;
    }
    host.starts_with("schemas.") || !host.contains('.') // a bare name is a local service
}

fn plain_http(ctx: &mut Ctx<'_>, line: u32, text: &str) {
    let path = ctx.input.path.to_ascii_lowercase();
    let prose = [
        ".md",
        ".markdown",
        ".rst",
        ".txt",
        ".adoc",
        ".html",
        ".svg",
        ".xml",
        ".lock",
    ]
    .iter()
    .any(|ext| path.ends_with(ext))
        || ctx.placement == Placement::Tooling && path.contains("docs/")
        || path.contains("license")
        || path.contains("changelog");
    if prose || text.contains("xmlns") {
        return;
    }
    for caps in HTTP_URL.captures_iter(text) {
        let (Some(m), Some(host)) = (caps.get(0), caps.get(1)) else {
            continue;
        };
        if local_or_identifier(host.as_str()) {
            continue;
        }
        let offset = ctx.offset(line, m.start());
        if ctx.tree.is_some() && ctx.lexical(offset) != Lexical::String {
            continue;
        }
        // tests talk to made-up hosts and mock servers
        if ctx.in_test(offset) {
            continue;
        }
        ctx.report(
            "plain-http",
            line,
            Some(column_of(text, m.start())),
            format!("plain `http://` to {}", host.as_str()),
        );
        return;
    }
}

static SQL_START: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r#"(?:f|r#*|\$@?|@\$?)?["'`]\s*(SELECT\s[^"'`]*\bFROM\b|SELECT\s+[\w*,\s.]+$|INSERT\s+INTO\s|UPDATE\s+[\w."`]+\s+SET\s|DELETE\s+FROM\s|DROP\s+TABLE\s|ALTER\s+TABLE\s|CREATE\s+TABLE\s|TRUNCATE\s+TABLE\s)"#,
    )
});

fn sql(ctx: &mut Ctx<'_>, line: u32, text: &str, language: LanguageId) {
    let Some(m) = SQL_START.find(text) else {
        return;
    };
    let string_at = m.start() + m.as_str().find(['"', '\'', '`']).unwrap_or(0);
    if ctx.lexical(ctx.offset(line, string_at + 1)) != Lexical::String {
        return;
    }
    let before = &text[..m.start()];
    let after = &text[m.start()..];
    let prefix = m.as_str();
    let formatted = match language {
        LanguageId::Rust => before.contains("format!") && after.contains('{'),
        LanguageId::Python => {
            (prefix.starts_with('f') && after.contains('{'))
                || after.contains(".format(")
                || PY_PERCENT.is_match(after)
                || CONCAT.is_match(after)
        }
        LanguageId::JavaScript | LanguageId::TypeScript | LanguageId::Tsx => {
            (prefix.contains('`') && after.contains("${")) || CONCAT.is_match(after)
        }
        LanguageId::Go => {
            before.contains("Sprintf(") && GO_VERB.is_match(after) || CONCAT.is_match(after)
        }
        LanguageId::Java | LanguageId::CSharp => {
            CONCAT.is_match(after)
                || before.contains("String.format(")
                || (prefix.starts_with('$') && after.contains('{'))
        }
        _ => false,
    };
    if formatted {
        ctx.report(
            "sql-formatting",
            line,
            Some(column_of(text, m.start())),
            "SQL built by inserting values into the statement's text".to_owned(),
        );
    }
}

static PY_PERCENT: LazyLock<Regex> = LazyLock::new(|| pattern(r#"["']\s*%\s*[\w(]"#));
static CONCAT: LazyLock<Regex> =
    LazyLock::new(|| pattern(r#"["'`]\s*\+\s*[A-Za-z_(]|[A-Za-z_)\]]\s*\+\s*["'`]"#));
static GO_VERB: LazyLock<Regex> = LazyLock::new(|| pattern(r"%[sdvq]"));

static SHELL: LazyLock<Vec<(LanguageId, Regex)>> = LazyLock::new(|| {
    vec![
        (
            LanguageId::Python,
            pattern(
                r#"\bsubprocess\.\w+\(\s*(f["']|[\w.]+\s*%|[\w.]+\.format\(|["'][^"']*["']\s*(\+|%)|[a-z_]\w*\s*[,)])[^\n]*\bshell\s*=\s*True"#,
            ),
        ),
        (
            LanguageId::Python,
            pattern(
                r#"\bos\.(system|popen)\(\s*(f["'][^"']*\{|["'][^"']*["']\s*(%|\+|\.format\()|[\w.]+\s*\+)"#,
            ),
        ),
        (
            LanguageId::JavaScript,
            pattern(r#"\b(exec|execSync)\(\s*(`[^`]*\$\{|["'][^"']*["']\s*\+)"#),
        ),
        (
            LanguageId::Go,
            pattern(
                r#"\bexec\.Command(Context)?\([^)]*"(sh|bash|zsh|/bin/sh|/bin/bash)"\s*,\s*"-c"\s*,\s*(fmt\.Sprintf|[^,)]*\+)"#,
            ),
        ),
        (
            LanguageId::Java,
            pattern(r#"\bRuntime\.getRuntime\(\)\.exec\([^)]*\+"#),
        ),
    ]
});
static RUST_SHELL: LazyLock<Regex> =
    LazyLock::new(|| pattern(r#"Command::new\(\s*"(?:/bin/|/usr/bin/)?(sh|bash|zsh)"\s*\)"#));

fn shell(ctx: &mut Ctx<'_>, line: u32, text: &str, language: LanguageId) {
    let family = match language {
        LanguageId::TypeScript | LanguageId::Tsx => LanguageId::JavaScript,
        other => other,
    };
    if family == LanguageId::Rust {
        let Some(m) = RUST_SHELL.find(text) else {
            return;
        };
        // the arguments usually follow on the next lines of the same statement
        let statement: String = (line..line + 5)
            .map(|l| ctx.line(l))
            .take_while(|l| !l.trim_end().ends_with(';') || l.contains("Command::new"))
            .chain(std::iter::once(""))
            .collect::<Vec<_>>()
            .join("\n");
        let window: String = (line..line + 5)
            .map(|l| ctx.line(l))
            .collect::<Vec<_>>()
            .join("\n");
        let statement = if statement.contains("\"-c\"") {
            statement
        } else {
            window
        };
        if statement.contains("\"-c\"")
            && statement.contains("format!(")
            && ctx.is_code(ctx.offset(line, m.start()))
        {
            ctx.report(
                "shell-formatting",
                line,
                Some(column_of(text, m.start())),
                "a shell command line built with `format!`".to_owned(),
            );
        }
        return;
    }
    for (lang, re) in SHELL.iter() {
        if *lang != family {
            continue;
        }
        if let Some((at, _)) = code_match(ctx, line, text, re) {
            ctx.report(
                "shell-formatting",
                line,
                Some(column_of(text, at)),
                "a shell command line built from variables".to_owned(),
            );
            return;
        }
    }
}

static PY_EVAL: LazyLock<Regex> =
    LazyLock::new(|| pattern(r#"(?:^|[^\w.])(eval|exec)\s*\(\s*([^\s)])"#));
static JS_EVAL: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r#"(?:^|[^\w.$])(eval)\s*\(\s*([^\s)])|\bnew\s+(Function)\s*\(\s*([^\s)])"#)
});

fn eval(ctx: &mut Ctx<'_>, line: u32, text: &str, language: LanguageId) {
    let re = match language {
        LanguageId::Python => &*PY_EVAL,
        LanguageId::JavaScript | LanguageId::TypeScript | LanguageId::Tsx => &*JS_EVAL,
        _ => return,
    };
    for caps in re.captures_iter(text) {
        let (Some(name), Some(first)) = (caps.get(1).or(caps.get(3)), caps.get(2).or(caps.get(4)))
        else {
            continue;
        };
        // a literal argument is code the author wrote, not data; `new Function`'s code is
        // its last argument (the ones before name its parameters)
        let literal = |arg: &str| arg.trim_start().starts_with(['"', '\'', '`']);
        let code_is_literal = if name.as_str() == "Function" {
            text[first.start()..]
                .split(')')
                .next()
                .is_some_and(|args| args.split(',').all(literal))
        } else {
            literal(first.as_str())
        };
        if code_is_literal {
            continue;
        }
        if !ctx.is_code(ctx.offset(line, name.start())) {
            continue;
        }
        ctx.report(
            "dynamic-eval",
            line,
            Some(column_of(text, name.start())),
            format!("`{}` runs a string as code", name.as_str()),
        );
        return;
    }
}

static DEBUG_CALLS: LazyLock<Vec<(LanguageId, Regex)>> = LazyLock::new(|| {
    vec![
        (
            LanguageId::JavaScript,
            pattern(r"\bconsole\.(log|debug)\s*\("),
        ),
        (
            LanguageId::Python,
            pattern(
                r"(?:^|[^\w.])(print|pprint)\s*\(|\bbreakpoint\s*\(\s*\)|\bpdb\.set_trace\s*\(",
            ),
        ),
        (
            LanguageId::Go,
            pattern(r"\bfmt\.Print(ln|f)?\s*\(|(?:^|[^\w.])println\s*\("),
        ),
        (
            LanguageId::Java,
            pattern(r"\bSystem\.(out|err)\.print(ln)?\s*\(|\.printStackTrace\s*\(\s*\)"),
        ),
        (LanguageId::CSharp, pattern(r"\bConsole\.Write(Line)?\s*\(")),
    ]
});

fn debug(ctx: &mut Ctx<'_>, line: u32, text: &str, language: LanguageId) {
    let family = match language {
        LanguageId::TypeScript | LanguageId::Tsx => LanguageId::JavaScript,
        other => other,
    };
    if ctx.placement != Placement::Production || entry_file(ctx.input.path) {
        return;
    }
    for (lang, re) in DEBUG_CALLS.iter() {
        if *lang != family {
            continue;
        }
        let Some((at, matched)) = code_match(ctx, line, text, re) else {
            continue;
        };
        let offset = ctx.offset(line, at);
        if ctx.in_test(offset) || ctx.in_main(offset) {
            return;
        }
        // a Go command (package main) prints by design
        let new = String::from_utf8_lossy(ctx.new_bytes());
        if family == LanguageId::Go && new.lines().any(|l| l.trim() == "package main") {
            return;
        }
        // a file that printed this way before is a file that prints
        if let Some(old) = &ctx.input.old {
            if re.is_match(&String::from_utf8_lossy(old.bytes)) {
                return;
            }
        }
        ctx.report(
            "debug-leftover",
            line,
            Some(column_of(text, at)),
            format!(
                "`{}` left in library code",
                matched
                    .trim_start_matches(|c: char| !c.is_alphanumeric())
                    .trim_end_matches(['(', ' '])
            ),
        );
        return;
    }
}

/// A program's entry file, which prints by design.
fn entry_file(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    let name = lower.rsplit('/').next().unwrap_or(&lower);
    let stem = name.split('.').next().unwrap_or(name);
    matches!(stem, "main" | "cli" | "__main__" | "manage" | "setup")
        || lower.split('/').any(|d| d == "bin" || d == "cmd")
}

static ZIG_CATCH: LazyLock<Regex> = LazyLock::new(|| pattern(r"\bcatch\s*(\|[^|]*\|\s*)?\{\s*\}"));

fn zig(ctx: &mut Ctx<'_>, line: u32, text: &str) {
    let code = text.split("//").next().unwrap_or("");
    if let Some(m) = ZIG_CATCH.find(code) {
        let lower = ctx.placement != Placement::Production;
        ctx.push(Report {
            rule: "swallowed-error",
            side: FindingSide::New,
            lines: (line, line),
            column: Some(column_of(text, m.start())),
            message: "`catch {}` discards the error".to_owned(),
            excerpt: text,
            lower,
        });
    }
}

/// Rules that read the tree's nodes rather than lines: swallowed errors, broad catches,
/// TypeScript `any`.
fn tree_rules(ctx: &mut Ctx<'_>) {
    let Some(tree) = ctx.tree else { return };
    let Some(language) = ctx.language else { return };
    let source = ctx.new_bytes();
    // visit only the named nodes that overlap added lines, in source order
    let mut found: Vec<(Node<'_>, &'static str)> = Vec::new();
    let mut cursor = tree.walk();
    loop {
        let node = cursor.node();
        // tokens are never interesting and have nothing under them
        let enter = node.is_named() && {
            let (start, end) = (
                node.start_position().row as u32 + 1,
                node.end_position().row as u32 + 1,
            );
            ctx.added_within(start, end)
        };
        if enter {
            if let Some(kind) = interesting(language, node.kind()) {
                found.push((node, kind));
            }
            if cursor.goto_first_child() {
                continue;
            }
        }
        let more = loop {
            if cursor.goto_next_sibling() {
                break true;
            }
            if !cursor.goto_parent() {
                break false;
            }
        };
        if !more {
            break;
        }
    }
    for (node, kind) in found {
        match kind {
            "catch" => catch_clause(ctx, node, language, source),
            "let" => rust_let(ctx, node, source),
            "statement" => rust_ok_statement(ctx, node, source),
            "go-assign" => go_discard(ctx, node, source),
            "any" => ts_any(ctx, node),
            "js-call" => {
                js_catch_call(ctx, node, source);
                js_shell_call(ctx, node, source);
            }
            _ => {}
        }
    }
}

fn interesting(language: LanguageId, kind: &str) -> Option<&'static str> {
    use LanguageId::*;
    Some(match (language, kind) {
        (Python, "except_clause") => "catch",
        (JavaScript | TypeScript | Tsx | Java | CSharp, "catch_clause") => "catch",
        (Rust, "let_declaration") => "let",
        (Rust, "expression_statement") => "statement",
        (Go, "assignment_statement" | "short_var_declaration") => "go-assign",
        (TypeScript | Tsx, "predefined_type") => "any",
        (JavaScript | TypeScript | Tsx, "call_expression") => "js-call",
        _ => return None,
    })
}

/// Reports a swallowed error on `line` (when added), lower in test and cleanup code.
fn swallowed(ctx: &mut Ctx<'_>, line: u32, offset: usize, message: String, cleanup: bool) {
    if !ctx.is_added(line) {
        return;
    }
    let function = ctx
        .enclosing_function(offset)
        .unwrap_or_default()
        .to_ascii_lowercase();
    let cleanup = cleanup
        || [
            "close",
            "cleanup",
            "clean_up",
            "teardown",
            "tear_down",
            "shutdown",
            "drop",
            "dispose",
            "finalize",
        ]
        .iter()
        .any(|name| function == *name || function.ends_with(&format!("_{name}")));
    let lower = cleanup || ctx.placement != Placement::Production || ctx.in_test(offset);
    let excerpt = ctx.line(line).to_owned();
    ctx.push(Report {
        rule: "swallowed-error",
        side: FindingSide::New,
        lines: (line, line),
        column: None,
        message,
        excerpt: &excerpt,
        lower,
    });
}

fn line_of_node(node: Node<'_>) -> u32 {
    node.start_position().row as u32 + 1
}

fn catch_clause(ctx: &mut Ctx<'_>, node: Node<'_>, language: LanguageId, source: &[u8]) {
    let line = line_of_node(node);
    let body = match language {
        LanguageId::Python => node
            .named_children(&mut node.walk())
            .find(|c| c.kind() == "block"),
        _ => node.child_by_field_name("body").or_else(|| {
            node.named_children(&mut node.walk())
                .find(|c| c.kind().contains("block"))
        }),
    };
    let Some(body) = body else { return };
    let statements: Vec<Node<'_>> = body
        .named_children(&mut body.walk())
        .filter(|c| !c.kind().contains("comment"))
        .collect();
    let in_finally = has_ancestor(node, &["finally_clause"]);
    let empty = match language {
        LanguageId::Python => statements.iter().all(|s| {
            matches!(s.kind(), "pass_statement" | "continue_statement")
                || (s.kind() == "expression_statement" && node_text(*s, source).trim() == "...")
        }),
        _ => statements.is_empty(),
    };
    if empty {
        let what = match language {
            LanguageId::Python => "the exception is caught and passed over",
            _ => "an empty `catch` discards the error",
        };
        // the finding goes where the handler starts, or on its body if only that was added
        let target = if ctx.is_added(line) {
            line
        } else {
            line_of_node(body)
        };
        swallowed(ctx, target, node.start_byte(), what.to_owned(), in_finally);
    }
    if ctx.placement == Placement::Test || ctx.in_test(node.start_byte()) || !ctx.is_added(line) {
        return;
    }
    match language {
        LanguageId::Python => {
            let types: Vec<Node<'_>> = node
                .named_children(&mut node.walk())
                .filter(|c| c.kind() != "block" && !c.kind().contains("comment"))
                .collect();
            let type_text = types.first().map_or("", |t| node_text(*t, source));
            let broad = types.is_empty()
                || BROAD_PY.is_match(type_text.split(" as ").next().unwrap_or(type_text));
            if broad && !contains_kind(body, "raise_statement") {
                let what = if types.is_empty() {
                    "a bare `except:`".to_owned()
                } else {
                    format!(
                        "`except {}`",
                        type_text.split(" as ").next().unwrap_or("").trim()
                    )
                };
                ctx.report(
                    "broad-catch",
                    line,
                    None,
                    format!("{what} catches every exception and does not re-raise"),
                );
            }
        }
        LanguageId::JavaScript | LanguageId::TypeScript | LanguageId::Tsx if !empty => {
            let param = field_text(node, "parameter", source).trim().to_owned();
            let body_text = node_text(body, source);
            let narrows = body_text.contains("instanceof")
                || (!param.is_empty()
                    && {
                        let checks = pattern(&format!(
                            r"\b{}\??\.(code|name|status|statusCode|type|errno)\b\s*(===|!==|==|!=)|switch\s*\(\s*{}\??\.",
                            regex::escape(&param),
                            regex::escape(&param)
                        ));
                        checks.is_match(body_text)
                    });
            if !narrows && !contains_kind(body, "throw_statement") {
                ctx.report(
                    "broad-catch",
                    line,
                    None,
                    "this `catch` handles every error and neither re-throws nor narrows it"
                        .to_owned(),
                );
            }
        }
        _ => {}
    }
}

static BROAD_PY: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"^\(?\s*([\w.]+\s*,\s*)*(builtins\.)?(Exception|BaseException)\s*(,|\)|$)")
});

fn contains_kind(node: Node<'_>, kind: &str) -> bool {
    let mut stack = vec![node];
    let mut cursor = node.walk();
    while let Some(current) = stack.pop() {
        if current.kind() == kind {
            return true;
        }
        // a nested function's raise is not this handler's
        if current != node && (current.kind().contains("function") || current.kind() == "lambda") {
            continue;
        }
        stack.extend(current.children(&mut cursor));
    }
    false
}

fn has_ancestor(node: Node<'_>, kinds: &[&str]) -> bool {
    let mut parent = node.parent();
    while let Some(current) = parent {
        if kinds.contains(&current.kind()) {
            return true;
        }
        parent = current.parent();
    }
    false
}

static RUST_CLEANUP_CALL: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"\b(remove_file|remove_dir|remove_dir_all|kill|close|shutdown|wait|join|flush|unlink)\b",
    )
});

fn rust_let(ctx: &mut Ctx<'_>, node: Node<'_>, source: &[u8]) {
    let pattern_text = field_text(node, "pattern", source).trim();
    if pattern_text != "_" {
        return;
    }
    let Some(value) = node.child_by_field_name("value") else {
        return;
    };
    let value_text = node_text(value, source);
    // a call whose result is dropped on purpose: `drop(x)`, a plain value, a closure
    if !matches!(
        value.kind(),
        "call_expression" | "try_expression" | "await_expression" | "macro_invocation"
    ) || value_text.starts_with("drop(")
        || value_text.starts_with("std::mem::drop(")
        || value_text.starts_with("mem::drop(")
        || value.kind() == "macro_invocation" && !value_text.starts_with("write")
    {
        return;
    }
    let line = line_of_node(node);
    let cleanup = RUST_CLEANUP_CALL.is_match(value_text) || has_drop_impl(node, source);
    swallowed(
        ctx,
        line,
        node.start_byte(),
        "`let _ =` discards the result of a call".to_owned(),
        cleanup,
    );
}

fn has_drop_impl(node: Node<'_>, source: &[u8]) -> bool {
    let mut parent = node.parent();
    while let Some(current) = parent {
        if current.kind() == "impl_item" && field_text(current, "trait", source).ends_with("Drop") {
            return true;
        }
        parent = current.parent();
    }
    false
}

fn rust_ok_statement(ctx: &mut Ctx<'_>, node: Node<'_>, source: &[u8]) {
    let Some(expression) = node.named_child(0) else {
        return;
    };
    if expression.kind() != "call_expression" {
        return;
    }
    let Some(function) = expression.child_by_field_name("function") else {
        return;
    };
    if function.kind() != "field_expression" || field_text(function, "field", source) != "ok" {
        return;
    }
    let receiver = field_text(function, "value", source);
    let line = line_of_node(function.child_by_field_name("field").unwrap_or(function));
    let cleanup = RUST_CLEANUP_CALL.is_match(receiver) || has_drop_impl(node, source);
    swallowed(
        ctx,
        line,
        node.start_byte(),
        "`.ok();` discards the error".to_owned(),
        cleanup,
    );
}

fn go_discard(ctx: &mut Ctx<'_>, node: Node<'_>, source: &[u8]) {
    let (Some(left), Some(right)) = (
        node.child_by_field_name("left"),
        node.child_by_field_name("right"),
    ) else {
        return;
    };
    let names: Vec<&str> = left
        .named_children(&mut left.walk())
        .map(|n| node_text(n, source).trim())
        .collect();
    let values: Vec<Node<'_>> = right.named_children(&mut right.walk()).collect();
    if names.last() != Some(&"_") || values.len() != 1 || values[0].kind() != "call_expression" {
        return;
    }
    let callee = field_text(values[0], "function", source);
    let cleanup = ["Close", "Remove", "RemoveAll", "Kill", "Shutdown", "Flush"]
        .iter()
        .any(|name| callee.ends_with(name));
    let in_defer = has_ancestor(node, &["defer_statement"]);
    let line = line_of_node(node);
    let message = if names.len() == 1 {
        "`_ =` discards the call's result (its error)".to_owned()
    } else {
        "the call's last result (its error) is assigned to `_`".to_owned()
    };
    swallowed(ctx, line, node.start_byte(), message, cleanup || in_defer);
}

fn js_catch_call(ctx: &mut Ctx<'_>, node: Node<'_>, source: &[u8]) {
    let Some(function) = node.child_by_field_name("function") else {
        return;
    };
    if function.kind() != "member_expression" || field_text(function, "property", source) != "catch"
    {
        return;
    }
    let Some(arguments) = node.child_by_field_name("arguments") else {
        return;
    };
    let Some(handler) = arguments.named_child(0) else {
        return;
    };
    if !matches!(
        handler.kind(),
        "arrow_function" | "function_expression" | "function"
    ) {
        return;
    }
    let Some(body) = handler.child_by_field_name("body") else {
        return;
    };
    let empty = body.kind() == "statement_block"
        && body
            .named_children(&mut body.walk())
            .all(|c| c.kind().contains("comment"));
    let literal_nothing = matches!(
        node_text(body, source).trim(),
        "undefined" | "null" | "void 0"
    );
    if empty || literal_nothing {
        let line = line_of_node(function.child_by_field_name("property").unwrap_or(node));
        swallowed(
            ctx,
            line,
            node.start_byte(),
            "`.catch(() => {})` discards the error".to_owned(),
            false,
        );
    }
}

/// `exec(`…`)` / `execSync("…" + x)`: a shell command line built by interpolation. Only the
/// child-process functions: `re.exec(…)` is a regular expression's.
fn js_shell_call(ctx: &mut Ctx<'_>, node: Node<'_>, source: &[u8]) {
    let callee = field_text(node, "function", source);
    let shell_function = matches!(callee, "exec" | "execSync")
        || callee.ends_with(".execSync")
        || ["child_process.", "cp.", "childProcess."]
            .iter()
            .any(|object| callee.starts_with(object) && callee.ends_with("exec"));
    if !shell_function {
        return;
    }
    let Some(command) = node
        .child_by_field_name("arguments")
        .and_then(|arguments| arguments.named_child(0))
    else {
        return;
    };
    let built = match command.kind() {
        "template_string" => contains_kind(command, "template_substitution"),
        "binary_expression" => node_text(command, source).contains('+'),
        _ => false,
    };
    let line = line_of_node(node);
    if built && ctx.is_added(line) {
        let column = node.start_position().column;
        let text = ctx.line(line).to_owned();
        ctx.report(
            "shell-formatting",
            line,
            Some(column_of(&text, column)),
            format!("`{callee}` runs a shell command line built from variables"),
        );
    }
}

fn ts_any(ctx: &mut Ctx<'_>, node: Node<'_>) {
    let source = ctx.new_bytes();
    if node_text(node, source) != "any" {
        return;
    }
    let line = line_of_node(node);
    let path = ctx.input.path;
    if !ctx.is_added(line)
        || path.ends_with(".d.ts")
        || ctx.placement == Placement::Test
        || ctx.in_test(node.start_byte())
    {
        return;
    }
    let column = node.start_position().column;
    let text = ctx.line(line).to_owned();
    ctx.report(
        "ts-any",
        line,
        Some(column_of(&text, column)),
        "`any` turns off type checking here".to_owned(),
    );
}

#[cfg(test)]
mod tests {
    use super::super::testing::{found, lines_of};

    #[test]
    fn every_pattern_compiles() {
        let _ = (
            &*super::RUST_UNWRAP,
            &*super::RUST_PANIC,
            &*super::RUST_UNSAFE,
            &*super::RUST_DBG,
        );
        assert!(!super::SUPPRESSIONS.is_empty() && !super::PERMISSIONS.is_empty());
        let _ = (
            &*super::HTTP_URL,
            &*super::SQL_START,
            &*super::PY_PERCENT,
            &*super::CONCAT,
            &*super::GO_VERB,
        );
        assert!(!super::SHELL.is_empty() && !super::DEBUG_CALLS.is_empty());
        let _ = (
            &*super::RUST_SHELL,
            &*super::PY_EVAL,
            &*super::JS_EVAL,
            &*super::ZIG_CATCH,
            &*super::BROAD_PY,
            &*super::RUST_CLEANUP_CALL,
        );
    }

    #[test]
    fn triggers_cover_every_positive() {
        // every line some pattern of this file matches holds a trigger word
        let positives = [
            "x.unwrap()",
            "todo!()",
            "unsafe {",
            "dbg!(x)",
            "#[allow(x)]",
            "// @ts-ignore",
            "// eslint-disable",
            "# type: ignore",
            "# noqa",
            "//nolint",
            "#nosec",
            "chmod 777 d",
            "verify=False",
            "rejectUnauthorized: false",
            "NODE_TLS_REJECT_UNAUTHORIZED=0",
            "InsecureSkipVerify: true",
            "danger_accept_invalid_certs(true)",
            "curl -k u",
            "ssl._create_unverified_context()",
            "check_hostname = False",
            "access-control-allow-origin: '*'",
            "origin: '*'",
            "AllowAnyOrigin()",
            "CorsLayer::permissive()",
            "allow_origin(Any)",
            "--dangerously-skip-permissions",
            "--yolo",
            "\"http://a.io\"",
            "\"SELECT a FROM b\"",
            "subprocess.run(x, shell=True)",
            "os.system(x)",
            "exec.Command(\"sh\", \"-c\", x)",
            "Runtime.getRuntime().exec(a + b)",
            "Command::new(\"sh\")",
            "eval(x)",
            "new Function(x)",
            "console.log(x)",
            "print(x)",
            "breakpoint()",
            "pdb.set_trace()",
            "fmt.Println(x)",
            "System.out.println(x)",
            "e.printStackTrace()",
            "Console.WriteLine(x)",
            "catch {}",
            "@SuppressWarnings(\"x\")",
            "#pragma warning disable",
            "[SuppressMessage(\"x\")]",
        ];
        for line in positives {
            assert!(super::TRIGGERS.is_match(line), "{line}");
        }
    }

    #[test]
    fn unwrap_in_library_code_only() {
        let src = "pub fn a(x: Option<u8>) -> u8 {\n    x.unwrap()\n}\n\nfn main() {\n    a(None).to_string().parse::<u8>().unwrap();\n}\n\n#[cfg(test)]\nmod tests {\n    #[test]\n    fn t() {\n        super::a(Some(1)).checked_add(1).unwrap();\n    }\n}\n// x.unwrap()\nconst S: &str = \".unwrap()\";\n";
        assert_eq!(lines_of("rust-unwrap", "src/lib.rs", src), vec![2]);
        assert_eq!(
            lines_of("rust-unwrap", "tests/it.rs", src),
            Vec::<u32>::new()
        );
        assert_eq!(
            lines_of("rust-unwrap", "examples/e.rs", src),
            Vec::<u32>::new()
        );
    }

    #[test]
    fn pre_existing_code_is_never_flagged() {
        let old = "pub fn a(x: Option<u8>) -> u8 {\n    x.unwrap()\n}\n";
        let new =
            "pub fn a(x: Option<u8>) -> u8 {\n    x.unwrap()\n}\n\npub fn b() -> u8 {\n    1\n}\n";
        assert_eq!(found("src/lib.rs", old, new), vec![]);
    }

    #[test]
    fn panics_unsafe_and_dbg() {
        let src = "pub fn a() {\n    todo!()\n}\npub fn b() {\n    unsafe { std::hint::unreachable_unchecked() }\n}\npub fn c(x: u8) -> u8 {\n    dbg!(x)\n}\n";
        assert_eq!(lines_of("rust-panic", "src/lib.rs", src), vec![2]);
        assert_eq!(lines_of("rust-unsafe", "src/lib.rs", src), vec![5]);
        assert_eq!(lines_of("debug-leftover", "src/lib.rs", src), vec![8]);
    }

    #[test]
    fn swallowed_errors_in_each_language() {
        let rust = "use std::fs;\npub fn a() {\n    let _ = fs::write(\"a\", \"b\");\n    fs::read(\"a\").ok();\n    let _ = drop(1);\n    let v = fs::read(\"a\").ok();\n}\n";
        assert_eq!(lines_of("swallowed-error", "src/lib.rs", rust), vec![3, 4]);
        let python = "def f():\n    try:\n        g()\n    except ValueError:\n        pass\n    try:\n        g()\n    except ValueError as e:\n        log(e)\n";
        assert_eq!(lines_of("swallowed-error", "app/x.py", python), vec![4]);
        let js = "function f() {\n  try { g(); } catch (e) {}\n  p.catch(() => {});\n  try { g(); } catch (e) { log(e); }\n}\n";
        assert_eq!(lines_of("swallowed-error", "src/x.js", js), vec![2, 3]);
        let go = "package x\n\nfunc f() {\n\tv, _ := strconv.Atoi(s)\n\t_ = os.Remove(p)\n\tfor _, x := range xs {\n\t}\n\tw, _ := m[k]\n\t_, _ = v, w\n}\n";
        assert_eq!(lines_of("swallowed-error", "x/f.go", go), vec![4, 5]);
    }

    #[test]
    fn broad_catches() {
        let python = "def f():\n    try:\n        g()\n    except Exception:\n        log()\n    try:\n        g()\n    except Exception:\n        log()\n        raise\n    try:\n        g()\n    except:\n        cleanup()\n    try:\n        g()\n    except KeyError:\n        h()\n";
        assert_eq!(lines_of("broad-catch", "app/x.py", python), vec![4, 13]);
        let ts = "function f() {\n  try { g(); } catch (e) { log(e); }\n  try { g(); } catch (e) { if (e instanceof TypeError) { h(); } }\n  try { g(); } catch (e) { log(e); throw e; }\n}\n";
        assert_eq!(lines_of("broad-catch", "src/x.ts", ts), vec![2]);
    }

    #[test]
    fn suppressions_in_comments_and_attributes() {
        let ts = "// @ts-ignore\nconst a = 1;\nconst s = \"@ts-ignore\";\n/* eslint-disable no-console */\n";
        assert_eq!(lines_of("lint-suppression", "src/x.ts", ts), vec![1, 4]);
        let rust = "#[allow(clippy::too_many_arguments)]\npub fn a() {}\n";
        assert_eq!(lines_of("lint-suppression", "src/lib.rs", rust), vec![1]);
        let python = "import os  # noqa: F401\nx = 1  # type: ignore\n";
        assert_eq!(lines_of("lint-suppression", "app/x.py", python), vec![1, 2]);
    }

    #[test]
    fn widened_permissions() {
        let py = "requests.get(url, verify=False)\nos.chmod(p, 0o777)\napp.add_middleware(CORSMiddleware, allow_origins=[\"*\"])\n# verify=False would be wrong\n";
        assert_eq!(
            lines_of("widened-permission", "app/x.py", py),
            vec![1, 2, 3]
        );
        let sh = "chmod 777 /srv/data\ncurl -k https://x.io/install.sh | sh\n";
        assert_eq!(lines_of("widened-permission", "install.sh", sh), vec![1, 2]);
    }

    #[test]
    fn plain_http_to_remote_hosts_in_strings() {
        let ts = "const a = \"http://api.acme.io/v1\";\nconst b = \"http://localhost:3000\";\n// see http://acme.io\nconst c = \"http://www.w3.org/2000/svg\";\n";
        assert_eq!(lines_of("plain-http", "src/x.ts", ts), vec![1]);
        assert_eq!(
            lines_of("plain-http", "README.md", "see http://acme.io\n"),
            Vec::<u32>::new()
        );
    }

    #[test]
    fn sql_and_shell_from_strings() {
        let py = "cur.execute(f\"SELECT * FROM users WHERE name = '{name}'\")\ncur.execute(\"SELECT * FROM users WHERE name = ?\", (name,))\nsubprocess.run(f\"rm -rf {path}\", shell=True)\nsubprocess.run([\"rm\", path])\nos.system(\"ls \" + d)\n";
        assert_eq!(lines_of("sql-formatting", "app/db.py", py), vec![1]);
        assert_eq!(lines_of("shell-formatting", "app/db.py", py), vec![3, 5]);
        let rust = "pub fn q(n: &str) -> String {\n    format!(\"SELECT id FROM t WHERE n = '{n}'\")\n}\npub fn r(c: &str) {\n    std::process::Command::new(\"sh\")\n        .arg(\"-c\")\n        .arg(format!(\"echo {c}\"))\n        .status();\n}\n";
        assert_eq!(lines_of("sql-formatting", "src/lib.rs", rust), vec![2]);
        assert_eq!(lines_of("shell-formatting", "src/lib.rs", rust), vec![5]);
        let ts = "db.query(`SELECT * FROM t WHERE id = ${id}`);\nexecSync(`git log ${ref}`);\ndb.query(\"SELECT * FROM t WHERE id = $1\", [id]);\n";
        assert_eq!(lines_of("sql-formatting", "src/x.ts", ts), vec![1]);
        assert_eq!(lines_of("shell-formatting", "src/x.ts", ts), vec![2]);
    }

    #[test]
    fn eval_debug_and_any() {
        let py = "eval(expr)\nmodel.eval()\neval(\"1 + 1\")\nprint(x)\n";
        assert_eq!(lines_of("dynamic-eval", "app/x.py", py), vec![1]);
        assert_eq!(lines_of("debug-leftover", "app/x.py", py), vec![4]);
        assert_eq!(
            lines_of("debug-leftover", "app/cli.py", py),
            Vec::<u32>::new()
        );
        assert_eq!(
            lines_of("debug-leftover", "tests/test_x.py", py),
            Vec::<u32>::new()
        );
        let ts = "export function f(a: any, b: unknown): any[] {\n  console.log(a);\n  return [a as any];\n}\n";
        assert_eq!(lines_of("ts-any", "src/x.ts", ts), vec![1, 3]);
        assert_eq!(lines_of("debug-leftover", "src/x.ts", ts), vec![2]);
        assert_eq!(lines_of("ts-any", "src/x.d.ts", ts), Vec::<u32>::new());
        // `new Function`'s code is its last argument
        let js =
            "new Function(\"a\", body);\nnew Function(\"a\", \"return a\");\nnew Function(body);\n";
        assert_eq!(lines_of("dynamic-eval", "src/x.js", js), vec![1, 3]);
        // a static `main` method is a program's entry point (Java, C#)
        let java = "class A {\n    public static void main(String[] args) {\n        System.out.println(args.length);\n    }\n    void f() {\n        System.out.println(1);\n    }\n}\n";
        assert_eq!(lines_of("debug-leftover", "src/A.java", java), vec![6]);
        let cs = "class A {\n    static void Main(string[] args) {\n        Console.WriteLine(1);\n    }\n    void F() {\n        Console.WriteLine(1);\n    }\n}\n";
        assert_eq!(lines_of("debug-leftover", "src/A.cs", cs), vec![6]);
    }
}
