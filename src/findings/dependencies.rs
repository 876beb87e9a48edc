//! New dependencies: names added to a manifest's dependency tables, whether the lockfile
//! resolves them, and versions that accept anything.
//!
//! Three rules (`docs/findings.md` defines them): `new-dependency`,
//! `dependency-not-in-lockfile` and `unpinned-dependency`, over `Cargo.toml`,
//! `package.json`, `pyproject.toml`, `requirements*.txt` (and `requirements/*.txt`) and
//! `go.mod`. Pure: the composer reads the lockfiles [`lockfiles_for`] names and hands them in
//! as [`FileInput::companions`].
//!
//! Judgement calls, all made for precision:
//! - A *local* dependency (Cargo `path = …` or `workspace = true`, npm `file:`/`link:`/
//!   `workspace:`/`portal:` or a relative path, a Python `path`/`file:` requirement, a
//!   package the npm lockfile records as a workspace link) is the repository's own code, or
//!   a version declared in the workspace root where it is judged: none of the three rules
//!   apply to it, though Cargo and uv do record such packages in their lockfiles.
//! - Git and URL dependencies are new dependencies (external code) and are looked up in the
//!   lockfile by name like registry ones; they are never "unpinned" (the URL or the lockfile
//!   pins them).
//! - Go `// indirect` requirements are new dependencies too (the definition counts every
//!   `require`): `go mod tidy` writes them, but they are code the build now pulls in. The
//!   message says they are indirect.
//! - A name declared several times (several requirement files' sections, repeated
//!   constraints) is reported once, at its first added declaration.
//! - `peerDependencies` are resolved by the host project: they are never unpinned (`"*"` is
//!   the idiom there) nor checked against the lockfile (yarn 1 does not install them).
//! - A lockfile in an ancestor directory is used only when it covers the manifest (a
//!   workspace member: the lockfile names the manifest's own package or its directory);
//!   otherwise nothing is checked, since a lockfile of another project says nothing.
//! - A `pyproject.toml` requirement without a version specifier (or a Poetry `"*"`) is
//!   unpinned only when no Python lockfile sits beside or above it: with `poetry.lock`,
//!   `uv.lock` or `pdm.lock` the lockfile pins it and bare names are the norm.
//! - A dependency that was already unpinned on the old side is not flagged again when its
//!   line is rewritten (pre-existing code is never flagged).

use std::collections::{HashMap, HashSet};

use toml::de::{DeString, DeTable, DeValue};
use toml::Spanned;

use super::{catalog, Config, FileInput, Finding, FindingSide, Severity};

/// Rule id: a dependency the base side's manifest did not have.
const NEW_DEPENDENCY: &str = "new-dependency";
/// Rule id: a new dependency the new side's lockfile does not resolve.
const NOT_IN_LOCKFILE: &str = "dependency-not-in-lockfile";
/// Rule id: a version requirement that accepts any version.
const UNPINNED: &str = "unpinned-dependency";

/// At most this many lockfile paths are asked for per manifest (the composer reads each).
const MAX_LOCKFILES: usize = 24;

/// The longest excerpt, in characters.
const MAX_EXCERPT_CHARS: usize = 200;

/// Cargo's dependency tables, at the top level and under `[target.<cfg>]`.
const CARGO_TABLES: [&str; 5] = [
    "dependencies",
    "dev-dependencies",
    "dev_dependencies",
    "build-dependencies",
    "build_dependencies",
];

/// `package.json`'s dependency objects.
const NPM_TABLES: [&str; 4] = [
    "dependencies",
    "devDependencies",
    "peerDependencies",
    "optionalDependencies",
];

/// Whether `path` is a manifest this module reads.
pub fn is_manifest(path: &str) -> bool {
    Manifest::of(path).is_some()
}

/// The new-side paths of the lockfiles that may resolve `manifest`'s dependencies, nearest
/// first; the composer reads those that exist into [`FileInput::companions`].
///
/// Cargo, npm and Python lockfiles are looked for in the manifest's directory and each
/// ancestor up to the root (workspaces keep one lockfile at their root); `go.sum` only beside
/// `go.mod`; requirements files are their own pins and have none. When a deep path would
/// exceed the cap, the farthest directories but the root are dropped: the root is where a
/// monorepo's lockfile usually is.
pub fn lockfiles_for(manifest: &str) -> Vec<String> {
    let Some(kind) = Manifest::of(manifest) else {
        return Vec::new();
    };
    let names = kind.lockfile_names();
    if names.is_empty() {
        return Vec::new();
    }
    let mut dirs = if kind == Manifest::GoMod {
        vec![parent_dir(manifest)]
    } else {
        ancestor_dirs(parent_dir(manifest))
    };
    let max_dirs = (MAX_LOCKFILES / names.len()).max(1);
    if dirs.len() > max_dirs {
        let root = dirs[dirs.len() - 1];
        dirs.truncate(max_dirs - 1);
        dirs.push(root);
    }
    dirs.iter()
        .flat_map(|dir| names.iter().map(move |name| join(dir, name)))
        .collect()
}

/// The dependency findings of one changed manifest: on the new side's added lines only.
/// A manifest that does not parse on either side yields nothing (reporting the syntax error
/// is not this module's business).
pub fn check(input: &FileInput<'_>, config: &Config) -> Vec<Finding> {
    let Some(kind) = Manifest::of(input.path) else {
        return Vec::new();
    };
    if ![NEW_DEPENDENCY, NOT_IN_LOCKFILE, UNPINNED]
        .iter()
        .any(|id| config.enabled(id))
    {
        return Vec::new();
    }
    let Some(new_text) = input.new.as_ref().and_then(|side| text_of(side.bytes)) else {
        return Vec::new();
    };
    let Some(new) = parse(kind, new_text) else {
        return Vec::new();
    };
    let old = match &input.old {
        None => Parsed::default(),
        Some(side) => match text_of(side.bytes).and_then(|text| parse(kind, text)) {
            Some(old) => old,
            None => return Vec::new(),
        },
    };
    // for each name the old side declared: whether some declaration of it accepted anything
    let mut old_names: HashMap<String, bool> = HashMap::new();
    for declaration in &old.declarations {
        let unpinned = old_names
            .entry(kind.normalise(&declaration.package))
            .or_insert(false);
        *unpinned |= declaration.unpinned.is_some();
    }
    let added: HashSet<u32> = input.added_lines().into_iter().collect();
    let lines = LineIndex::new(new_text);
    let present_lockfiles = present_lockfiles(input);
    let lockfiles = covering_lockfiles(kind, input.path, &present_lockfiles, &new);

    let mut findings = Vec::new();
    let mut reported: HashSet<String> = HashSet::new();
    for declaration in &new.declarations {
        if declaration.source == Source::Local {
            continue;
        }
        if lockfiles
            .as_ref()
            .is_some_and(|set| set.links(&declaration.locked_as))
        {
            continue;
        }
        let (line, column) = lines.position(declaration.offset);
        if !added.contains(&line) {
            continue;
        }
        let key = kind.normalise(&declaration.package);
        if !reported.insert(key.clone()) {
            continue;
        }
        let finding = |rule: &str, message: String| Finding {
            rule: rule.to_owned(),
            severity: severity_of(rule, config),
            path: input.path.to_owned(),
            side: FindingSide::New,
            line,
            end_line: line,
            column: Some(column),
            message,
            excerpt: excerpt(lines.text_of(line)),
            hunk: None,
        };
        let is_new = !old_names.contains_key(&key);
        if is_new && config.enabled(NEW_DEPENDENCY) {
            findings.push(finding(
                NEW_DEPENDENCY,
                format!(
                    "new {}dependency `{}` in {}",
                    if declaration.indirect {
                        "indirect "
                    } else {
                        ""
                    },
                    declaration.package,
                    declaration.table
                ),
            ));
        }
        if is_new && declaration.lock_checked && config.enabled(NOT_IN_LOCKFILE) {
            if let Some(set) = &lockfiles {
                if !set.resolves(kind, declaration) {
                    findings.push(finding(
                        NOT_IN_LOCKFILE,
                        format!(
                            "`{}` is not in {}",
                            declaration.locked_as,
                            set.paths().join(" or ")
                        ),
                    ));
                }
            }
        }
        if let Some(message) = &declaration.unpinned {
            let was_unpinned = old_names.get(&key).copied().unwrap_or(false);
            let pinned_by_lockfile = kind == Manifest::Pyproject && !present_lockfiles.is_empty();
            if !was_unpinned && !pinned_by_lockfile && config.enabled(UNPINNED) {
                findings.push(finding(UNPINNED, message.clone()));
            }
        }
    }
    // TOML tables iterate in key order; a stable sort keeps each line's rules in order
    findings.sort_by_key(|finding| finding.line);
    findings
}

/// The severity `.redline.toml` gives `rule`, else the catalog's default.
fn severity_of(rule: &str, config: &Config) -> Severity {
    config
        .severity_override(rule)
        .or_else(|| catalog::rule(rule).map(|info| info.severity))
        .unwrap_or(match rule {
            NOT_IN_LOCKFILE => Severity::High,
            UNPINNED => Severity::Medium,
            _ => Severity::Low,
        })
}

/// The line, trimmed, at most [`MAX_EXCERPT_CHARS`] characters.
fn excerpt(line: &str) -> String {
    line.trim().chars().take(MAX_EXCERPT_CHARS).collect()
}

/// The bytes as text, without a byte-order mark; `None` when not UTF-8.
fn text_of(bytes: &[u8]) -> Option<&str> {
    let text = std::str::from_utf8(bytes).ok()?;
    Some(text.strip_prefix('\u{feff}').unwrap_or(text))
}

/// The kinds of manifest this module reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Manifest {
    Cargo,
    Npm,
    Pyproject,
    Requirements,
    GoMod,
}

impl Manifest {
    /// The kind of manifest at `path`, if it is one. Manifests vendored under `node_modules`
    /// are not the project's.
    fn of(path: &str) -> Option<Manifest> {
        let mut segments = path.rsplit('/');
        let name = segments.next()?;
        let dir = segments.next().unwrap_or("");
        if path.split('/').any(|segment| segment == "node_modules") {
            return None;
        }
        match name {
            "Cargo.toml" => Some(Manifest::Cargo),
            "package.json" => Some(Manifest::Npm),
            "pyproject.toml" => Some(Manifest::Pyproject),
            "go.mod" => Some(Manifest::GoMod),
            _ => {
                let lower = name.to_ascii_lowercase();
                let requirements = lower.ends_with(".txt")
                    && (lower.starts_with("requirements") || dir == "requirements");
                requirements.then_some(Manifest::Requirements)
            }
        }
    }

    /// The lockfile names of this ecosystem, in the order they are looked for in a directory.
    fn lockfile_names(self) -> &'static [&'static str] {
        match self {
            Manifest::Cargo => &["Cargo.lock"],
            Manifest::Npm => &[
                "package-lock.json",
                "yarn.lock",
                "pnpm-lock.yaml",
                "bun.lock",
            ],
            Manifest::Pyproject => &["poetry.lock", "uv.lock", "pdm.lock"],
            Manifest::Requirements => &[],
            Manifest::GoMod => &["go.sum"],
        }
    }

    /// The name as the ecosystem compares names: crates.io treats `-` and `_` (and case) as
    /// equal, Python normalises per PEP 503, npm and Go module paths are case-sensitive.
    fn normalise(self, name: &str) -> String {
        match self {
            Manifest::Cargo => name.to_ascii_lowercase().replace('_', "-"),
            Manifest::Pyproject | Manifest::Requirements => pep503(name),
            Manifest::Npm | Manifest::GoMod => name.to_owned(),
        }
    }
}

/// PEP 503: lower case, every run of `-`, `_` and `.` one `-`.
fn pep503(name: &str) -> String {
    let mut normalised = String::with_capacity(name.len());
    let mut in_separator = false;
    for c in name.chars() {
        if matches!(c, '-' | '_' | '.') {
            if !in_separator {
                normalised.push('-');
            }
            in_separator = true;
        } else {
            normalised.push(c.to_ascii_lowercase());
            in_separator = false;
        }
    }
    normalised
}

/// The directory of `path` (`""` at the root).
fn parent_dir(path: &str) -> &str {
    path.rfind('/').map_or("", |slash| &path[..slash])
}

/// `dir` and each of its ancestors, nearest first, the root (`""`) last.
fn ancestor_dirs(dir: &str) -> Vec<&str> {
    let mut dirs = vec![dir];
    let mut current = dir;
    while !current.is_empty() {
        current = parent_dir(current);
        dirs.push(current);
    }
    dirs
}

/// `name` inside `dir`.
fn join(dir: &str, name: &str) -> String {
    if dir.is_empty() {
        name.to_owned()
    } else {
        format!("{dir}/{name}")
    }
}

/// Where a dependency comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Source {
    /// A package registry: crates.io, npm, PyPI, the Go module proxy.
    Registry,
    /// A git repository or a URL: external code, pinned by its reference.
    Remote,
    /// The repository's own code (a path, a workspace member) or a version inherited from
    /// the workspace root.
    Local,
}

/// One dependency as a manifest declares it.
#[derive(Debug, Clone)]
struct Declaration {
    /// The package's name as its registry knows it (a renamed Cargo key: its `package`).
    package: String,
    /// The name lockfiles know it by: the npm alias key, otherwise the package.
    locked_as: String,
    /// The table it is in, as the message shows it: `[dependencies]`, `devDependencies`.
    table: String,
    /// Byte offset of its name in the manifest's text.
    offset: usize,
    source: Source,
    /// The exact version a lockfile must hold (Go: `go.sum` lists module and version).
    version: Option<String>,
    /// The unpinned-dependency message, when its version accepts anything.
    unpinned: Option<String>,
    /// A Go `// indirect` requirement.
    indirect: bool,
    /// Whether the lockfile must resolve it (not peer dependencies, not replaced Go modules).
    lock_checked: bool,
}

impl Declaration {
    fn new(package: &str, table: String, offset: usize, source: Source) -> Declaration {
        Declaration {
            package: package.to_owned(),
            locked_as: package.to_owned(),
            table,
            offset,
            source,
            version: None,
            unpinned: None,
            indirect: false,
            lock_checked: true,
        }
    }
}

/// What a manifest declares.
#[derive(Debug, Default)]
struct Parsed {
    declarations: Vec<Declaration>,
    /// The manifest's own package name, by which an ancestor lockfile shows it covers it.
    own_name: Option<String>,
}

/// Reads a manifest; `None` when it does not parse.
fn parse(kind: Manifest, text: &str) -> Option<Parsed> {
    match kind {
        Manifest::Cargo => parse_cargo(text),
        Manifest::Npm => parse_npm(text),
        Manifest::Pyproject => parse_pyproject(text),
        Manifest::Requirements => Some(parse_requirements(text)),
        Manifest::GoMod => Some(parse_go_mod(text)),
    }
}

/// Whether a version requirement accepts any version: empty, `latest`, or only wildcards
/// (`*`, `x`, `x.x`, `*.*.*`).
fn accepts_any(requirement: &str) -> bool {
    let requirement = requirement.trim();
    requirement.is_empty()
        || requirement.eq_ignore_ascii_case("latest")
        || requirement
            .split('.')
            .all(|part| matches!(part.trim(), "*" | "x" | "X"))
}

// ---- TOML ----

/// The value under `key` in `table`.
fn field<'t, 'i>(table: &'t DeTable<'i>, key: &str) -> Option<&'t Spanned<DeValue<'i>>> {
    table
        .iter()
        .find(|(name, _)| name.get_ref() == key)
        .map(|(_, value)| value)
}

/// The table under `key` in `table`, if it is one.
fn subtable<'t, 'i>(table: &'t DeTable<'i>, key: &str) -> Option<&'t DeTable<'i>> {
    field(table, key).and_then(|value| value.get_ref().as_table())
}

/// The string under `key` in `table`, if it is one.
fn string_field<'t>(table: &'t DeTable<'_>, key: &str) -> Option<&'t str> {
    field(table, key).and_then(|value| value.get_ref().as_str())
}

type TomlEntry<'t, 'i> = (&'t Spanned<DeString<'i>>, &'t Spanned<DeValue<'i>>);

fn parse_cargo(text: &str) -> Option<Parsed> {
    let document = DeTable::parse(text).ok()?;
    let root = document.get_ref();
    let mut parsed = Parsed {
        own_name: subtable(root, "package")
            .and_then(|package| string_field(package, "name"))
            .map(str::to_owned),
        ..Parsed::default()
    };
    let mut add_table = |table_name: String, table: &DeTable<'_>| {
        for entry in table.iter() {
            parsed
                .declarations
                .push(cargo_declaration(table_name.clone(), entry));
        }
    };
    for table in CARGO_TABLES {
        if let Some(entries) = subtable(root, table) {
            add_table(format!("[{table}]"), entries);
        }
    }
    if let Some(entries) = subtable(root, "workspace").and_then(|w| subtable(w, "dependencies")) {
        add_table("[workspace.dependencies]".to_owned(), entries);
    }
    if let Some(targets) = subtable(root, "target") {
        for (cfg, target) in targets.iter() {
            let Some(target) = target.get_ref().as_table() else {
                continue;
            };
            for table in CARGO_TABLES {
                if let Some(entries) = subtable(target, table) {
                    add_table(format!("[target.{}.{table}]", cfg.get_ref()), entries);
                }
            }
        }
    }
    Some(parsed)
}

/// One entry of a Cargo dependency table: `name = "req"` or `name = { … }`.
fn cargo_declaration(table: String, (key, value): TomlEntry<'_, '_>) -> Declaration {
    let name: &str = key.get_ref();
    let offset = key.span().start;
    match value.get_ref() {
        DeValue::String(requirement) => {
            let mut declaration = Declaration::new(name, table, offset, Source::Registry);
            if accepts_any(requirement) {
                declaration.unpinned =
                    Some(format!("`{name} = \"{requirement}\"` accepts any version"));
            }
            declaration
        }
        DeValue::Table(details) => {
            let package = string_field(details, "package").unwrap_or(name);
            let inherited = field(details, "workspace")
                .and_then(|value| value.get_ref().as_bool())
                .unwrap_or(false);
            let source = if inherited || field(details, "path").is_some() {
                Source::Local
            } else if field(details, "git").is_some() {
                Source::Remote
            } else {
                Source::Registry
            };
            let mut declaration = Declaration::new(package, table, offset, source);
            if source == Source::Registry {
                declaration.unpinned = match string_field(details, "version") {
                    Some(version) if accepts_any(version) => Some(format!(
                        "`{name}` has version \"{version}\", which accepts any version"
                    )),
                    Some(_) => None,
                    None => Some(format!(
                        "`{name}` has no version requirement: it accepts any version"
                    )),
                };
            }
            declaration
        }
        // not a dependency Cargo accepts; counted as a name, nothing else said about it
        _ => Declaration::new(name, table, offset, Source::Registry),
    }
}

fn parse_pyproject(text: &str) -> Option<Parsed> {
    let document = DeTable::parse(text).ok()?;
    let root = document.get_ref();
    let project = subtable(root, "project");
    let poetry = subtable(root, "tool").and_then(|tool| subtable(tool, "poetry"));
    let mut parsed = Parsed {
        own_name: project
            .or(poetry)
            .and_then(|table| string_field(table, "name"))
            .map(str::to_owned),
        ..Parsed::default()
    };
    let mut add_array = |table_name: String, array: &Spanned<DeValue<'_>>| {
        let Some(items) = array.get_ref().as_array() else {
            return;
        };
        for item in items.iter() {
            if let Some(declaration) = pep508_declaration(text, &table_name, item) {
                parsed.declarations.push(declaration);
            }
        }
    };
    if let Some(project) = project {
        if let Some(array) = field(project, "dependencies") {
            add_array("[project] dependencies".to_owned(), array);
        }
        if let Some(extras) = subtable(project, "optional-dependencies") {
            for (extra, array) in extras.iter() {
                add_array(
                    format!("[project.optional-dependencies] {}", extra.get_ref()),
                    array,
                );
            }
        }
    }
    if let Some(groups) = subtable(root, "dependency-groups") {
        for (group, array) in groups.iter() {
            add_array(format!("[dependency-groups] {}", group.get_ref()), array);
        }
    }
    if let Some(poetry) = poetry {
        let mut tables: Vec<(String, &DeTable<'_>)> = Vec::new();
        for table in ["dependencies", "dev-dependencies"] {
            if let Some(entries) = subtable(poetry, table) {
                tables.push((format!("[tool.poetry.{table}]"), entries));
            }
        }
        if let Some(groups) = subtable(poetry, "group") {
            for (group, body) in groups.iter() {
                if let Some(entries) = body
                    .get_ref()
                    .as_table()
                    .and_then(|body| subtable(body, "dependencies"))
                {
                    tables.push((
                        format!("[tool.poetry.group.{}.dependencies]", group.get_ref()),
                        entries,
                    ));
                }
            }
        }
        for (table_name, entries) in tables {
            for entry in entries.iter() {
                if entry.0.get_ref() == "python" {
                    continue; // the interpreter, not a package
                }
                parsed
                    .declarations
                    .push(poetry_declaration(table_name.clone(), entry));
            }
        }
    }
    Some(parsed)
}

/// One requirement string of a PEP 621 array, e.g. `"requests>=2"`.
fn pep508_declaration(text: &str, table: &str, item: &Spanned<DeValue<'_>>) -> Option<Declaration> {
    let requirement = pep508(item.get_ref().as_str()?)?;
    let span = item.span();
    let offset = text
        .get(span.clone())
        .and_then(|raw| raw.find(requirement.name))
        .map_or(span.start, |at| span.start + at);
    let mut declaration = Declaration::new(
        requirement.name,
        table.to_owned(),
        offset,
        requirement.source,
    );
    if requirement.bare {
        declaration.unpinned = Some(format!(
            "`{}` has no version specifier: it accepts any version",
            requirement.name
        ));
    }
    Some(declaration)
}

/// One entry of a Poetry dependency table: `name = "^1.2"` or `name = { … }`.
fn poetry_declaration(table: String, (key, value): TomlEntry<'_, '_>) -> Declaration {
    let name: &str = key.get_ref();
    let offset = key.span().start;
    let (source, version) = match value.get_ref() {
        DeValue::String(version) => (Source::Registry, Some(version.as_ref())),
        DeValue::Table(details) => {
            let source = if field(details, "path").is_some() {
                Source::Local
            } else if field(details, "git").is_some() || field(details, "url").is_some() {
                Source::Remote
            } else {
                Source::Registry
            };
            (source, string_field(details, "version"))
        }
        // several constraints (one per marker): pinned by each
        _ => (Source::Registry, None),
    };
    let mut declaration = Declaration::new(name, table, offset, source);
    if let (Source::Registry, Some(version)) = (source, version) {
        if accepts_any(version) {
            declaration.unpinned = Some(format!("`{name} = \"{version}\"` accepts any version"));
        }
    }
    declaration
}

/// The parts of a PEP 508 requirement this module needs.
struct Requirement<'a> {
    name: &'a str,
    source: Source,
    /// No version specifier and no URL (extras and markers aside).
    bare: bool,
}

/// Reads a PEP 508 requirement (`name[extras] (specifier | @ url) ; marker`); `None` when it
/// does not start with a valid name.
fn pep508(requirement: &str) -> Option<Requirement<'_>> {
    let requirement = requirement.trim_start();
    let name_end = requirement
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
        .unwrap_or(requirement.len());
    let name = &requirement[..name_end];
    if !name.starts_with(|c: char| c.is_ascii_alphanumeric()) {
        return None;
    }
    let mut rest = requirement[name_end..].trim_start();
    if rest.starts_with('[') {
        rest = rest
            .find(']')
            .map_or("", |end| &rest[end + 1..])
            .trim_start();
    }
    let rest = rest.split(';').next().unwrap_or("").trim();
    if let Some(url) = rest.strip_prefix('@') {
        let source = if url.trim_start().starts_with("file:") {
            Source::Local
        } else {
            Source::Remote
        };
        return Some(Requirement {
            name,
            source,
            bare: false,
        });
    }
    Some(Requirement {
        name,
        source: Source::Registry,
        bare: rest.is_empty(),
    })
}

// ---- requirements.txt ----

fn parse_requirements(text: &str) -> Parsed {
    let mut parsed = Parsed::default();
    let mut line_start = 0;
    let mut logical = String::new();
    let mut logical_start: Option<usize> = None;
    for raw in text.split_inclusive('\n') {
        let start = line_start;
        line_start += raw.len();
        let line = raw.trim_end_matches(['\n', '\r']);
        // a trailing backslash continues the requirement on the next line
        if let Some(continued) = line.strip_suffix('\\') {
            logical_start.get_or_insert(start);
            logical.push_str(continued);
            logical.push(' ');
            continue;
        }
        let begin = logical_start.take().unwrap_or(start);
        logical.push_str(line);
        if let Some(declaration) = requirements_line(&logical, begin, text) {
            parsed.declarations.push(declaration);
        }
        logical.clear();
    }
    parsed
}

/// One logical line of a requirements file starting at byte `start` of `text`.
fn requirements_line(line: &str, start: usize, text: &str) -> Option<Declaration> {
    // a comment starts at `#` at the line's start or after whitespace
    let code = match line.find(" #").or_else(|| line.find("\t#")) {
        Some(at) => &line[..at],
        None if line.trim_start().starts_with('#') => "",
        None => line,
    };
    let code = code.trim();
    // options (`-r`, `-c`, `-e`, `--index-url`), paths and URLs are not named requirements
    if code.is_empty()
        || code.starts_with(['-', '.', '/', '~'])
        || code.split(['@', ';']).next().unwrap_or("").contains("://")
    {
        return None;
    }
    let requirement = pep508(code)?;
    let is_archive = [".whl", ".zip", ".tar.gz", ".tgz"]
        .iter()
        .any(|suffix| requirement.name.ends_with(suffix));
    if is_archive {
        return None;
    }
    let offset = text
        .get(start..)
        .and_then(|from| from.find(requirement.name))
        .map_or(start, |at| start + at);
    let mut declaration = Declaration::new(
        requirement.name,
        "requirements".to_owned(),
        offset,
        requirement.source,
    );
    // a requirement pinned only by `--hash` options is pinned
    let hashed = code.contains("--hash");
    if requirement.bare && !hashed {
        declaration.unpinned = Some(format!(
            "`{}` has no version specifier: it accepts any version",
            requirement.name
        ));
    }
    Some(declaration)
}

// ---- go.mod ----

fn parse_go_mod(text: &str) -> Parsed {
    #[derive(PartialEq)]
    enum Block {
        None,
        Require,
        Replace,
        Other,
    }
    let mut parsed = Parsed::default();
    let mut replaced: HashSet<String> = HashSet::new();
    let mut block = Block::None;
    let mut line_start = 0;
    for raw in text.split_inclusive('\n') {
        let start = line_start;
        line_start += raw.len();
        let line = raw.trim_end_matches(['\n', '\r']);
        let (code, comment) = match line.find("//") {
            Some(at) => (&line[..at], &line[at + 2..]),
            None => (line, ""),
        };
        let code = code.trim();
        let indirect = comment.trim_start().starts_with("indirect");
        if block != Block::None {
            if code == ")" {
                block = Block::None;
                continue;
            }
            match block {
                Block::Require => {
                    if let Some(declaration) = go_requirement(code, indirect, start, text) {
                        parsed.declarations.push(declaration);
                    }
                }
                Block::Replace => go_replacement(code, &mut replaced),
                _ => {}
            }
            continue;
        }
        let mut words = code.splitn(2, char::is_whitespace);
        let directive = words.next().unwrap_or("");
        let rest = words.next().unwrap_or("").trim();
        match directive {
            "require" | "replace" if rest == "(" => {
                block = if directive == "require" {
                    Block::Require
                } else {
                    Block::Replace
                };
            }
            "require" => {
                if let Some(declaration) = go_requirement(rest, indirect, start, text) {
                    parsed.declarations.push(declaration);
                }
            }
            "replace" => go_replacement(rest, &mut replaced),
            "module" => parsed.own_name = Some(rest.trim_matches('"').to_owned()),
            _ if rest == "(" || rest.ends_with('(') => block = Block::Other,
            _ => {}
        }
    }
    // a replaced module is checksummed under its replacement, if at all
    for declaration in &mut parsed.declarations {
        if replaced.contains(&declaration.package) {
            declaration.lock_checked = false;
        }
    }
    parsed
}

/// `module/path v1.2.3` in a `require` directive, starting on the line at byte `start`.
fn go_requirement(code: &str, indirect: bool, start: usize, text: &str) -> Option<Declaration> {
    let mut words = code.split_whitespace();
    let module = words.next()?.trim_matches('"');
    let version = words.next()?;
    let offset = text
        .get(start..)
        .and_then(|from| from.find(module))
        .map_or(start, |at| start + at);
    let mut declaration = Declaration::new(module, "require".to_owned(), offset, Source::Registry);
    declaration.version = Some(version.to_owned());
    declaration.indirect = indirect;
    Some(declaration)
}

/// Notes the module of `old [version] => new [version]`: go.sum checksums the replacement
/// (or nothing, for a directory), not the module `require` names.
fn go_replacement(code: &str, replaced: &mut HashSet<String>) {
    let Some((old, _)) = code.split_once("=>") else {
        return;
    };
    if let Some(module) = old.split_whitespace().next() {
        replaced.insert(module.trim_matches('"').to_owned());
    }
}

// ---- package.json ----

fn parse_npm(text: &str) -> Option<Parsed> {
    let document: serde_json::Value = serde_json::from_str(text).ok()?;
    let root = document.as_object()?;
    let positions = json_dependency_positions(text);
    let mut parsed = Parsed {
        own_name: root
            .get("name")
            .and_then(|name| name.as_str())
            .map(str::to_owned),
        ..Parsed::default()
    };
    for table in NPM_TABLES {
        let Some(entries) = root.get(table).and_then(|value| value.as_object()) else {
            continue;
        };
        for (name, spec) in entries {
            let Some(&offset) = positions.get(&(table, name.clone())) else {
                continue;
            };
            let spec = spec.as_str().unwrap_or("");
            parsed
                .declarations
                .push(npm_declaration(table, name, spec, offset));
        }
    }
    Some(parsed)
}

/// One entry of a `package.json` dependency object: `"name": "spec"`.
fn npm_declaration(table: &'static str, name: &str, spec: &str, offset: usize) -> Declaration {
    let trimmed = spec.trim();
    let lower = trimmed.to_ascii_lowercase();
    let local = ["file:", "link:", "workspace:", "portal:"]
        .iter()
        .any(|prefix| lower.starts_with(prefix))
        || trimmed.starts_with(['.', '/', '~']);
    let remote = ["git:", "git+", "github:", "gitlab:", "bitbucket:", "http:", "https:"]
        .iter()
        .any(|prefix| lower.starts_with(prefix))
        // `user/repo`: a GitHub shorthand (a registry spec never holds a slash)
        || (trimmed.contains('/') && !lower.starts_with("npm:"));
    // `npm:real-name@range` installs `real-name` under the key's name
    let alias = lower.strip_prefix("npm:").map(|_| {
        let target = &trimmed[4..];
        match target.get(1..).and_then(|tail| tail.find('@')) {
            Some(at) => (&target[..at + 1], &target[at + 2..]),
            None => (target, ""),
        }
    });
    let source = if local {
        Source::Local
    } else if remote {
        Source::Remote
    } else {
        Source::Registry
    };
    let (package, requirement) = alias.unwrap_or((name, trimmed));
    let mut declaration = Declaration::new(package, table.to_owned(), offset, source);
    declaration.locked_as = name.to_owned();
    let peer = table == "peerDependencies";
    declaration.lock_checked = !peer;
    if source == Source::Registry && !peer && accepts_any(requirement) {
        declaration.unpinned = Some(format!("`\"{name}\": \"{spec}\"` accepts any version"));
    }
    declaration
}

/// Where each dependency key of a `package.json` starts (after its opening quote), by
/// dependency object and name. A small scanner over the (already validated) JSON: keys of
/// the root object, then the keys inside the dependency objects.
fn json_dependency_positions(text: &str) -> HashMap<(&'static str, String), usize> {
    let bytes = text.as_bytes();
    let mut positions = HashMap::new();
    let mut depth = 0usize;
    let mut root_key: Option<String> = None;
    let mut table: Option<&'static str> = None;
    let mut at = 0;
    while at < bytes.len() {
        match bytes[at] {
            b'"' => {
                let start = at;
                at += 1;
                while at < bytes.len() && bytes[at] != b'"' {
                    at += if bytes[at] == b'\\' { 2 } else { 1 };
                }
                let end = (at + 1).min(bytes.len());
                let mut next = end;
                while next < bytes.len() && bytes[next].is_ascii_whitespace() {
                    next += 1;
                }
                let is_key = bytes.get(next) == Some(&b':');
                if is_key {
                    let key = text
                        .get(start..end)
                        .and_then(|raw| serde_json::from_str::<String>(raw).ok());
                    match (depth, key) {
                        (1, key) => root_key = key,
                        (2, Some(key)) => {
                            if let Some(table) = table {
                                positions.entry((table, key)).or_insert(start + 1);
                            }
                        }
                        _ => {}
                    }
                }
                at = end;
                continue;
            }
            b'{' | b'[' => {
                depth += 1;
                if depth == 2 && bytes[at] == b'{' {
                    table = root_key
                        .as_deref()
                        .and_then(|key| NPM_TABLES.iter().copied().find(|t| *t == key));
                }
            }
            b'}' | b']' => {
                if depth == 2 {
                    table = None;
                }
                depth = depth.saturating_sub(1);
            }
            _ => {}
        }
        at += 1;
    }
    positions
}

// ---- lockfiles ----

/// The companions that are lockfiles of this manifest, in [`lockfiles_for`]'s order.
fn present_lockfiles<'a>(input: &'a FileInput<'_>) -> Vec<(&'a str, &'a str)> {
    // the composer asked for the lockfiles of the new side's path
    let manifest = input.new.as_ref().map_or(input.path, |side| side.path);
    lockfiles_for(manifest)
        .iter()
        .filter_map(|path| {
            input
                .companions
                .iter()
                .find(|(companion, _)| companion == path)
                .and_then(|(companion, bytes)| Some((companion.as_str(), text_of(bytes)?)))
        })
        .collect()
}

/// The lockfiles that resolve this manifest: those of the nearest directory that has one
/// beside the manifest, or, above it, one that covers the manifest as a workspace member.
fn covering_lockfiles<'a>(
    kind: Manifest,
    manifest: &str,
    present: &[(&'a str, &'a str)],
    parsed: &Parsed,
) -> Option<LockSet<'a>> {
    let manifest_dir = parent_dir(manifest);
    let mut dirs: Vec<&str> = present.iter().map(|(path, _)| parent_dir(path)).collect();
    dirs.dedup();
    for dir in dirs {
        let files: Vec<Lockfile<'a>> = present
            .iter()
            .filter(|(path, _)| parent_dir(path) == dir)
            .map(|&(path, text)| Lockfile::read(path, text))
            .collect();
        let set = LockSet { files };
        if dir == manifest_dir {
            return Some(set);
        }
        let member_dir = if dir.is_empty() {
            Some(manifest_dir)
        } else {
            manifest_dir
                .strip_prefix(dir)
                .and_then(|r| r.strip_prefix('/'))
        };
        let covers = set.files.iter().any(|file| {
            parsed
                .own_name
                .as_deref()
                .is_some_and(|own| file.has_name(kind, own))
                || member_dir.is_some_and(|member| file.has_member_dir(member))
        });
        if covers {
            return Some(set);
        }
    }
    None
}

/// The lockfiles of one directory; a dependency is resolved when any of them resolves it.
struct LockSet<'a> {
    files: Vec<Lockfile<'a>>,
}

impl LockSet<'_> {
    fn paths(&self) -> Vec<&str> {
        self.files.iter().map(|file| file.path).collect()
    }

    fn resolves(&self, kind: Manifest, declaration: &Declaration) -> bool {
        self.files
            .iter()
            .any(|file| file.resolves(kind, declaration))
    }

    /// Whether a lockfile records `name` as a link to a workspace member (npm workspaces
    /// declare siblings with `"*"`).
    fn links(&self, name: &str) -> bool {
        self.files.iter().any(|file| match &file.content {
            LockContent::Names { linked, .. } => linked.contains(name),
            _ => false,
        })
    }
}

/// One lockfile as read.
struct Lockfile<'a> {
    path: &'a str,
    content: LockContent<'a>,
}

/// What a lockfile resolves.
enum LockContent<'a> {
    /// Package names (as written), and the names that are links to workspace members.
    Names {
        names: HashSet<String>,
        linked: HashSet<String>,
        /// Workspace member directories, relative to the lockfile.
        members: HashSet<String>,
    },
    /// `go.sum`: module and version pairs.
    GoSum(HashSet<(&'a str, &'a str)>),
    /// `pnpm-lock.yaml` or `bun.lock`, searched as text.
    Text { text: &'a str, pnpm: bool },
    /// A lockfile that does not parse: it is not trusted to say what is missing.
    Unreadable,
}

impl<'a> Lockfile<'a> {
    fn read(path: &'a str, text: &'a str) -> Lockfile<'a> {
        let name = path.rsplit('/').next().unwrap_or(path);
        let content = match name {
            "Cargo.lock" | "poetry.lock" | "uv.lock" | "pdm.lock" => toml_lock_names(text),
            "package-lock.json" => package_lock_names(text),
            "yarn.lock" => yarn_lock_names(text),
            "go.sum" => LockContent::GoSum(
                text.lines()
                    .filter_map(|line| {
                        let mut words = line.split_whitespace();
                        Some((words.next()?, words.next()?))
                    })
                    .collect(),
            ),
            "pnpm-lock.yaml" => LockContent::Text { text, pnpm: true },
            "bun.lock" => LockContent::Text { text, pnpm: false },
            _ => LockContent::Unreadable,
        };
        Lockfile { path, content }
    }

    /// Whether the lockfile resolves `declaration`; an unreadable one is given the benefit
    /// of the doubt.
    fn resolves(&self, kind: Manifest, declaration: &Declaration) -> bool {
        if let (LockContent::GoSum(pairs), Some(version)) = (&self.content, &declaration.version) {
            let module = declaration.locked_as.as_str();
            let go_mod_version = format!("{version}/go.mod");
            return pairs.contains(&(module, version.as_str()))
                || pairs.contains(&(module, go_mod_version.as_str()));
        }
        self.has_name(kind, &declaration.locked_as)
    }

    /// Whether the lockfile holds a package called `name`.
    fn has_name(&self, kind: Manifest, name: &str) -> bool {
        match &self.content {
            LockContent::Names { names, .. } => {
                let wanted = kind.normalise(name);
                names.contains(name) || names.iter().any(|known| kind.normalise(known) == wanted)
            }
            LockContent::GoSum(pairs) => pairs.iter().any(|(module, _)| *module == name),
            LockContent::Text { text, pnpm: true } => text.lines().any(|line| {
                let key = line
                    .trim()
                    .trim_start_matches("- ")
                    .trim_matches(['\'', '"']);
                let key = key.strip_prefix('/').unwrap_or(key);
                key.strip_prefix(name).is_some_and(|rest| {
                    rest.starts_with('@')
                        || rest.starts_with(['\'', '"', ':'])
                        || (rest.starts_with('/')
                            && rest[1..].starts_with(|c: char| c.is_ascii_digit()))
                })
            }),
            LockContent::Text { text, pnpm: false } => {
                text.contains(&format!("\"{name}@")) || text.contains(&format!("\"{name}\": ["))
            }
            LockContent::Unreadable => true,
        }
    }

    /// Whether the lockfile lists `dir` (relative to it) as a workspace member.
    fn has_member_dir(&self, dir: &str) -> bool {
        match &self.content {
            LockContent::Names { members, .. } => members.contains(dir),
            LockContent::Text { text, pnpm: true } => text.lines().any(|line| {
                line.starts_with("  ")
                    && !line.starts_with("   ")
                    && line.trim().trim_end_matches(':').trim_matches(['\'', '"']) == dir
            }),
            LockContent::Text { text, pnpm: false } => text.contains(&format!("\"{dir}\": {{")),
            LockContent::GoSum(_) | LockContent::Unreadable => false,
        }
    }
}

/// `[[package]] name = …` of `Cargo.lock`, `poetry.lock`, `uv.lock` and `pdm.lock`.
fn toml_lock_names(text: &str) -> LockContent<'_> {
    #[derive(serde::Deserialize)]
    struct Lock {
        #[serde(default)]
        package: Vec<Package>,
    }
    #[derive(serde::Deserialize)]
    struct Package {
        name: String,
    }
    match toml::from_str::<Lock>(text) {
        Ok(lock) => LockContent::Names {
            names: lock.package.into_iter().map(|p| p.name).collect(),
            linked: HashSet::new(),
            members: HashSet::new(),
        },
        Err(_) => LockContent::Unreadable,
    }
}

/// `package-lock.json`: v2/v3 `packages` keys (`node_modules/<name>`, nested or in a
/// workspace member's directory; members themselves by their directory) and v1
/// `dependencies`.
fn package_lock_names(text: &str) -> LockContent<'_> {
    let Ok(lock) = serde_json::from_str::<serde_json::Value>(text) else {
        return LockContent::Unreadable;
    };
    let mut names = HashSet::new();
    let mut linked = HashSet::new();
    let mut members = HashSet::new();
    if let Some(packages) = lock.get("packages").and_then(|p| p.as_object()) {
        for (key, entry) in packages {
            match key.rfind("node_modules/") {
                Some(at) => {
                    let name = &key[at + "node_modules/".len()..];
                    names.insert(name.to_owned());
                    if entry.get("link").and_then(|l| l.as_bool()) == Some(true) {
                        linked.insert(name.to_owned());
                    }
                }
                None => {
                    members.insert(key.clone());
                    if let Some(name) = entry.get("name").and_then(|n| n.as_str()) {
                        names.insert(name.to_owned());
                    }
                }
            }
        }
    }
    if let Some(dependencies) = lock.get("dependencies").and_then(|d| d.as_object()) {
        names.extend(dependencies.keys().cloned());
    }
    LockContent::Names {
        names,
        linked,
        members,
    }
}

/// `yarn.lock` (v1 and berry): each entry's header lists its specifiers,
/// `"name@range", name@range:`; `name@workspace:dir` marks a workspace member.
fn yarn_lock_names(text: &str) -> LockContent<'_> {
    let mut names = HashSet::new();
    let mut linked = HashSet::new();
    let mut members = HashSet::new();
    for line in text.lines() {
        if line.starts_with([' ', '\t', '#']) || !line.trim_end().ends_with(':') {
            continue;
        }
        let header = line.trim_end().trim_end_matches(':');
        for specifier in header.split(',') {
            let specifier = specifier.trim().trim_matches('"');
            let Some(at) = specifier.get(1..).and_then(|tail| tail.find('@')) else {
                continue;
            };
            let (name, range) = (&specifier[..at + 1], &specifier[at + 2..]);
            names.insert(name.to_owned());
            if let Some(dir) = range.strip_prefix("workspace:") {
                linked.insert(name.to_owned());
                members.insert(dir.to_owned());
            }
        }
    }
    LockContent::Names {
        names,
        linked,
        members,
    }
}

/// Line and column of byte offsets in a text.
struct LineIndex<'a> {
    text: &'a str,
    /// Byte offset of each line's start.
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    fn new(text: &'a str) -> LineIndex<'a> {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(at, _)| at + 1));
        LineIndex { text, starts }
    }

    /// 1-based line and column (in characters) of `offset`.
    fn position(&self, offset: usize) -> (u32, u32) {
        let index = self.starts.partition_point(|&start| start <= offset).max(1) - 1;
        let start = self.starts[index];
        let column = self
            .text
            .get(start..offset)
            .map_or(0, |before| before.chars().count());
        (
            u32::try_from(index + 1).unwrap_or(u32::MAX),
            u32::try_from(column + 1).unwrap_or(u32::MAX),
        )
    }

    /// The text of 1-based `line`, without its terminator.
    fn text_of(&self, line: u32) -> &'a str {
        let index = (line as usize).saturating_sub(1);
        let Some(&start) = self.starts.get(index) else {
            return "";
        };
        let end = self
            .starts
            .get(index + 1)
            .copied()
            .unwrap_or(self.text.len());
        self.text
            .get(start..end)
            .unwrap_or("")
            .trim_end_matches(['\n', '\r'])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::{FileStatus, Hunk, HunkBuilder, LineKind};
    use crate::findings::SideInput;
    use crate::syntax::FileSymbols;

    /// One hunk holding the whole line diff of `old` to `new` (a longest common subsequence),
    /// the way git would mark lines added and removed.
    fn hunk_of(path: &str, old: &str, new: &str) -> Hunk {
        let old: Vec<&str> = old.lines().collect();
        let new: Vec<&str> = new.lines().collect();
        let (n, m) = (old.len(), new.len());
        let mut common = vec![vec![0u32; m + 1]; n + 1];
        for i in (0..n).rev() {
            for j in (0..m).rev() {
                common[i][j] = if old[i] == new[j] {
                    common[i + 1][j + 1] + 1
                } else {
                    common[i + 1][j].max(common[i][j + 1])
                };
            }
        }
        let mut builder = HunkBuilder::new("@@ @@".into(), 1, n as u32, 1, m as u32);
        let (mut i, mut j) = (0, 0);
        while i < n || j < m {
            let (old_line, new_line) = (Some(i as u32 + 1), Some(j as u32 + 1));
            if i < n && j < m && old[i] == new[j] {
                builder.push(LineKind::Context, old_line, new_line, new[j], false, false);
                i += 1;
                j += 1;
            } else if j < m && (i == n || common[i][j + 1] >= common[i + 1][j]) {
                builder.push(LineKind::Added, None, new_line, new[j], false, false);
                j += 1;
            } else {
                builder.push(LineKind::Removed, old_line, None, old[i], false, false);
                i += 1;
            }
        }
        builder.finish(path)
    }

    fn run_with(
        path: &str,
        old: Option<&str>,
        new: &str,
        lockfiles: &[(&str, &str)],
        config: &Config,
    ) -> Vec<Finding> {
        let symbols = FileSymbols::empty();
        let hunks = vec![hunk_of(path, old.unwrap_or(""), new)];
        let companions: Vec<(String, Vec<u8>)> = lockfiles
            .iter()
            .map(|(path, text)| (path.to_string(), text.as_bytes().to_vec()))
            .collect();
        let input = FileInput {
            path,
            status: if old.is_some() {
                FileStatus::Modified
            } else {
                FileStatus::Added
            },
            language: None,
            old: old.map(|text| SideInput {
                path,
                bytes: text.as_bytes(),
                tree: None,
                symbols: &symbols,
            }),
            new: Some(SideInput {
                path,
                bytes: new.as_bytes(),
                tree: None,
                symbols: &symbols,
            }),
            hunks: &hunks,
            companions: &companions,
        };
        check(&input, config)
    }

    fn run(path: &str, old: Option<&str>, new: &str, lockfiles: &[(&str, &str)]) -> Vec<Finding> {
        run_with(path, old, new, lockfiles, &Config::default())
    }

    /// Rule and line of each finding.
    fn summary(findings: &[Finding]) -> Vec<(&str, u32)> {
        findings.iter().map(|f| (f.rule.as_str(), f.line)).collect()
    }

    // ---- paths ----

    #[test]
    fn manifests_are_known_by_name() {
        for path in [
            "Cargo.toml",
            "crates/a/Cargo.toml",
            "web/package.json",
            "pyproject.toml",
            "requirements.txt",
            "requirements-dev.txt",
            "requirements/base.txt",
            "svc/go.mod",
        ] {
            assert!(is_manifest(path), "{path}");
        }
        for path in [
            "Cargo.lock",
            "src/package.rs",
            "node_modules/left-pad/package.json",
            "requirements.in",
            "docs/requirements.md",
            "go.sum",
        ] {
            assert!(!is_manifest(path), "{path}");
        }
    }

    #[test]
    fn lockfiles_are_looked_for_nearest_first() {
        assert_eq!(
            lockfiles_for("crates/a/Cargo.toml"),
            ["crates/a/Cargo.lock", "crates/Cargo.lock", "Cargo.lock"]
        );
        assert_eq!(lockfiles_for("Cargo.toml"), ["Cargo.lock"]);
        assert_eq!(
            lockfiles_for("web/package.json"),
            [
                "web/package-lock.json",
                "web/yarn.lock",
                "web/pnpm-lock.yaml",
                "web/bun.lock",
                "package-lock.json",
                "yarn.lock",
                "pnpm-lock.yaml",
                "bun.lock",
            ]
        );
        assert_eq!(
            lockfiles_for("py/pyproject.toml"),
            [
                "py/poetry.lock",
                "py/uv.lock",
                "py/pdm.lock",
                "poetry.lock",
                "uv.lock",
                "pdm.lock"
            ]
        );
        assert!(lockfiles_for("requirements.txt").is_empty());
        assert_eq!(lockfiles_for("svc/api/go.mod"), ["svc/api/go.sum"]);
        assert!(lockfiles_for("src/main.rs").is_empty());
    }

    #[test]
    fn deep_paths_are_capped_but_keep_the_root() {
        let deep = "a/b/c/d/e/f/g/h/package.json";
        let paths = lockfiles_for(deep);
        assert_eq!(paths.len(), MAX_LOCKFILES);
        assert_eq!(paths[0], "a/b/c/d/e/f/g/h/package-lock.json");
        assert_eq!(paths[MAX_LOCKFILES - 4], "package-lock.json");
        assert_eq!(paths[MAX_LOCKFILES - 1], "bun.lock");
    }

    // ---- Cargo ----

    const CARGO_OLD: &str = r#"[package]
name = "app"
version = "0.1.0"

[dependencies]
serde = "1"

[dev-dependencies]
tempfile = "3"
"#;

    #[test]
    fn cargo_new_dependency_is_flagged_on_its_line() {
        let new = r#"[package]
name = "app"
version = "0.1.0"

[dependencies]
serde = "1"
serde_yaml = "0.9"

[dev-dependencies]
tempfile = "3"
"#;
        let findings = run("Cargo.toml", Some(CARGO_OLD), new, &[]);
        assert_eq!(summary(&findings), [("new-dependency", 7)]);
        let finding = &findings[0];
        assert_eq!(
            finding.message,
            "new dependency `serde_yaml` in [dependencies]"
        );
        assert_eq!(finding.severity, Severity::Low);
        assert_eq!(finding.side, FindingSide::New);
        assert_eq!(finding.column, Some(1));
        assert_eq!(finding.end_line, 7);
        assert_eq!(finding.excerpt, "serde_yaml = \"0.9\"");
        assert_eq!(finding.path, "Cargo.toml");
    }

    #[test]
    fn cargo_dependency_moved_between_tables_is_not_new() {
        let new = r#"[package]
name = "app"
version = "0.1.0"

[dependencies]
serde = "1"
tempfile = "3"
"#;
        assert!(run("Cargo.toml", Some(CARGO_OLD), new, &[]).is_empty());
    }

    #[test]
    fn cargo_renamed_key_counts_by_package_and_dashes_equal_underscores() {
        let old = "[dependencies]\nserde_yaml = \"0.9\"\n";
        let new = "[dependencies]\nyaml = { package = \"serde-yaml\", version = \"0.9\" }\n";
        assert!(run("Cargo.toml", Some(old), new, &[]).is_empty());
        let renamed_new = "[dependencies]\nyaml = { package = \"yaml-rust\", version = \"0.4\" }\n";
        let findings = run("Cargo.toml", Some(old), renamed_new, &[]);
        assert_eq!(findings.len(), 1);
        assert_eq!(
            findings[0].message,
            "new dependency `yaml-rust` in [dependencies]"
        );
    }

    #[test]
    fn cargo_added_manifest_flags_every_registry_dependency() {
        let new = r#"[package]
name = "tool"

[dependencies]
anyhow = "1"
core = { path = "../core" }
shared = { workspace = true }
fork = { git = "https://github.com/acme/fork" }

[build-dependencies]
cc = "1"

[target.'cfg(unix)'.dependencies]
libc = "0.2"

[dependencies.regex]
version = "1"
"#;
        let findings = run("tool/Cargo.toml", None, new, &[]);
        assert_eq!(
            summary(&findings),
            [
                ("new-dependency", 5),
                ("new-dependency", 8),
                ("new-dependency", 11),
                ("new-dependency", 14),
                ("new-dependency", 16),
            ]
        );
        let messages: Vec<&str> = findings.iter().map(|f| f.message.as_str()).collect();
        assert!(messages.contains(&"new dependency `libc` in [target.cfg(unix).dependencies]"));
        assert!(messages.contains(&"new dependency `cc` in [build-dependencies]"));
        assert!(messages.contains(&"new dependency `regex` in [dependencies]"));
    }

    #[test]
    fn cargo_workspace_dependencies_are_read() {
        let old = "[workspace]\nmembers = [\"a\"]\n\n[workspace.dependencies]\nserde = \"1\"\n";
        let new = "[workspace]\nmembers = [\"a\"]\n\n[workspace.dependencies]\nserde = \"1\"\ntokio = \"1\"\n";
        let findings = run("Cargo.toml", Some(old), new, &[]);
        assert_eq!(summary(&findings), [("new-dependency", 6)]);
        assert_eq!(
            findings[0].message,
            "new dependency `tokio` in [workspace.dependencies]"
        );
    }

    const CARGO_LOCK: &str = r#"version = 3

[[package]]
name = "app"
version = "0.1.0"

[[package]]
name = "serde"
version = "1.0.200"

[[package]]
name = "serde_yaml"
version = "0.9.34"
"#;

    #[test]
    fn cargo_lockfile_resolving_the_dependency_is_quiet() {
        let new =
            "[package]\nname = \"app\"\n\n[dependencies]\nserde = \"1\"\nserde_yaml = \"0.9\"\n";
        let old = "[package]\nname = \"app\"\n\n[dependencies]\nserde = \"1\"\n";
        let findings = run("Cargo.toml", Some(old), new, &[("Cargo.lock", CARGO_LOCK)]);
        assert_eq!(summary(&findings), [("new-dependency", 6)]);
    }

    #[test]
    fn cargo_dependency_missing_from_the_lockfile_is_flagged() {
        let old = "[package]\nname = \"app\"\n\n[dependencies]\nserde = \"1\"\n";
        let new =
            "[package]\nname = \"app\"\n\n[dependencies]\nserde = \"1\"\nleftpad-ng = \"1\"\n";
        let findings = run("Cargo.toml", Some(old), new, &[("Cargo.lock", CARGO_LOCK)]);
        assert_eq!(
            summary(&findings),
            [("new-dependency", 6), ("dependency-not-in-lockfile", 6)]
        );
        assert_eq!(findings[1].message, "`leftpad-ng` is not in Cargo.lock");
        assert_eq!(findings[1].severity, Severity::High);
        // no lockfile: nothing to check against
        let findings = run("Cargo.toml", Some(old), new, &[]);
        assert_eq!(summary(&findings), [("new-dependency", 6)]);
    }

    #[test]
    fn cargo_workspace_root_lockfile_is_used_only_when_it_covers_the_member() {
        let old = "[package]\nname = \"app\"\n\n[dependencies]\n";
        let new = "[package]\nname = \"app\"\n\n[dependencies]\nleftpad-ng = \"1\"\n";
        let findings = run(
            "crates/app/Cargo.toml",
            Some(old),
            new,
            &[("Cargo.lock", CARGO_LOCK)],
        );
        assert_eq!(findings.len(), 2);
        assert_eq!(findings[1].message, "`leftpad-ng` is not in Cargo.lock");
        // a root lockfile that does not know this crate belongs to another project
        let other = new.replace("\"app\"", "\"stray\"");
        let old_other = old.replace("\"app\"", "\"stray\"");
        let findings = run(
            "crates/stray/Cargo.toml",
            Some(&old_other),
            &other,
            &[("Cargo.lock", CARGO_LOCK)],
        );
        assert_eq!(summary(&findings), [("new-dependency", 5)]);
    }

    #[test]
    fn cargo_path_dependencies_are_local_and_never_checked() {
        let old = "[package]\nname = \"app\"\n\n[dependencies]\n";
        let new =
            "[package]\nname = \"app\"\n\n[dependencies]\nhelper = { path = \"../helper\" }\n";
        assert!(run("Cargo.toml", Some(old), new, &[("Cargo.lock", CARGO_LOCK)]).is_empty());
    }

    #[test]
    fn cargo_wildcard_versions_are_unpinned() {
        let old = "[dependencies]\nserde = \"1\"\n";
        let new = "[dependencies]\nserde = \"1\"\ntokio = \"*\"\nrand = { version = \"x\" }\nlog = { features = [\"std\"] }\nregex = \"1.*\"\n";
        let findings = run("Cargo.toml", Some(old), new, &[]);
        let unpinned: Vec<&Finding> = findings
            .iter()
            .filter(|f| f.rule == "unpinned-dependency")
            .collect();
        assert_eq!(unpinned.len(), 3);
        assert_eq!(unpinned[0].message, "`tokio = \"*\"` accepts any version");
        assert_eq!(unpinned[0].severity, Severity::Medium);
        assert_eq!(
            unpinned[1].message,
            "`rand` has version \"x\", which accepts any version"
        );
        assert_eq!(
            unpinned[2].message,
            "`log` has no version requirement: it accepts any version"
        );
    }

    #[test]
    fn cargo_version_widened_to_a_wildcard_is_unpinned_but_not_new() {
        let old = "[dependencies]\ntokio = \"1\"\n";
        let new = "[dependencies]\ntokio = \"*\"\n";
        let findings = run("Cargo.toml", Some(old), new, &[]);
        assert_eq!(summary(&findings), [("unpinned-dependency", 2)]);
    }

    #[test]
    fn cargo_line_rewritten_that_was_already_a_wildcard_is_quiet() {
        let old = "[dependencies]\ntokio = \"*\"\n";
        let new = "[dependencies]\ntokio = { version = \"*\", features = [\"full\"] }\n";
        assert!(run("Cargo.toml", Some(old), new, &[]).is_empty());
    }

    #[test]
    fn cargo_dependency_on_a_line_the_change_did_not_add_is_never_flagged() {
        // only the table header changed: `foo` turned into a dependency on an unchanged line
        let old = "[package.metadata]\nfoo = \"*\"\n";
        let new = "[dependencies]\nfoo = \"*\"\n";
        assert!(run("Cargo.toml", Some(old), new, &[]).is_empty());
    }

    #[test]
    fn cargo_malformed_manifest_on_either_side_yields_nothing() {
        let good = "[dependencies]\nserde = \"1\"\n";
        let broken = "[dependencies\nserde = \"1\"\ntokio = \"*\"\n";
        assert!(run("Cargo.toml", Some(good), broken, &[]).is_empty());
        let new = "[dependencies]\nserde = \"1\"\ntokio = \"*\"\n";
        assert!(run("Cargo.toml", Some(broken), new, &[]).is_empty());
        assert!(run("Cargo.toml", None, "\u{0}\u{1}=", &[]).is_empty());
        // a lockfile that does not parse is not trusted to say what is missing
        let findings = run(
            "Cargo.toml",
            Some(good),
            new,
            &[("Cargo.lock", "[[package")],
        );
        assert!(findings
            .iter()
            .all(|f| f.rule != "dependency-not-in-lockfile"));
    }

    #[test]
    fn configuration_disables_rules_and_overrides_severities() {
        let config = Config::parse(
            ".redline.toml",
            "[findings]\ndisable = [\"new-dependency\"]\n\n[findings.severity]\nunpinned-dependency = \"high\"\n",
        )
        .expect("valid configuration");
        let old = "[dependencies]\nserde = \"1\"\n";
        let new = "[dependencies]\nserde = \"1\"\ntokio = \"*\"\n";
        let findings = run_with("Cargo.toml", Some(old), new, &[], &config);
        assert_eq!(summary(&findings), [("unpinned-dependency", 3)]);
        assert_eq!(findings[0].severity, Severity::High);
        let all_off = Config::parse(
            ".redline.toml",
            "[findings]\ndisable = [\"new-dependency\", \"unpinned-dependency\", \"dependency-not-in-lockfile\"]\n",
        )
        .expect("valid configuration");
        assert!(run_with("Cargo.toml", Some(old), new, &[], &all_off).is_empty());
    }

    #[test]
    fn excerpts_are_trimmed_and_bounded() {
        let long = format!(
            "[dependencies]\n   tokio = {{ version = \"1\", features = [\"{}\"] }}\n",
            "f".repeat(300)
        );
        let findings = run("Cargo.toml", None, &long, &[]);
        assert_eq!(findings.len(), 1);
        assert!(findings[0].excerpt.starts_with("tokio = {"));
        assert_eq!(findings[0].excerpt.chars().count(), MAX_EXCERPT_CHARS);
        assert_eq!(findings[0].column, Some(4));
    }

    // ---- npm ----

    const PACKAGE_OLD: &str = r#"{
  "name": "web",
  "dependencies": {
    "react": "^18.2.0"
  },
  "devDependencies": {
    "typescript": "^5.0.0"
  }
}
"#;

    #[test]
    fn npm_new_dependency_is_flagged_on_its_key() {
        let new = r#"{
  "name": "web",
  "dependencies": {
    "react": "^18.2.0",
    "@tanstack/query": "^5.0.0"
  },
  "devDependencies": {
    "typescript": "^5.0.0"
  }
}
"#;
        let findings = run("package.json", Some(PACKAGE_OLD), new, &[]);
        assert_eq!(summary(&findings), [("new-dependency", 5)]);
        assert_eq!(
            findings[0].message,
            "new dependency `@tanstack/query` in dependencies"
        );
        assert_eq!(findings[0].column, Some(6));
        assert_eq!(findings[0].excerpt, "\"@tanstack/query\": \"^5.0.0\"");
    }

    #[test]
    fn npm_moved_dependency_is_not_new_but_names_are_case_sensitive() {
        let moved = r#"{
  "name": "web",
  "dependencies": {
    "react": "^18.2.0",
    "typescript": "^5.0.0"
  }
}
"#;
        assert!(run("package.json", Some(PACKAGE_OLD), moved, &[]).is_empty());
        let cased = PACKAGE_OLD.replace(
            "\"react\": \"^18.2.0\"",
            "\"react\": \"^18.2.0\",\n    \"React\": \"^18.2.0\"",
        );
        let findings = run("package.json", Some(PACKAGE_OLD), &cased, &[]);
        assert_eq!(summary(&findings), [("new-dependency", 5)]);
        assert_eq!(
            findings[0].message,
            "new dependency `React` in dependencies"
        );
    }

    #[test]
    fn npm_key_in_another_object_is_not_taken_for_the_dependency() {
        // `lodash` appears first as a script name; the finding is on the dependency's line
        let new = r#"{
  "scripts": { "lodash": "echo" },
  "dependencies": { "lodash": "^4.17.21" }
}
"#;
        let findings = run("package.json", None, new, &[]);
        assert_eq!(summary(&findings), [("new-dependency", 3)]);
    }

    #[test]
    fn npm_wildcards_are_unpinned_except_for_peers() {
        let new = r#"{
  "dependencies": {
    "a": "*",
    "b": "latest",
    "c": "",
    "d": "x",
    "e": "^1.0.0"
  },
  "peerDependencies": {
    "react": "*"
  }
}
"#;
        let findings = run("package.json", None, new, &[]);
        let unpinned: Vec<u32> = findings
            .iter()
            .filter(|f| f.rule == "unpinned-dependency")
            .map(|f| f.line)
            .collect();
        assert_eq!(unpinned, [3, 4, 5, 6]);
        assert_eq!(
            findings
                .iter()
                .find(|f| f.rule == "unpinned-dependency")
                .map(|f| f.message.as_str()),
            Some("`\"a\": \"*\"` accepts any version")
        );
        assert!(findings
            .iter()
            .any(|f| f.rule == "new-dependency" && f.line == 10));
    }

    #[test]
    fn npm_local_dependencies_are_skipped_and_aliases_count_by_package() {
        let new = r#"{
  "dependencies": {
    "ui": "workspace:*",
    "core": "file:../core",
    "lib": "link:../lib",
    "fork": "github:acme/fork",
    "lodash4": "npm:lodash@^4.17.21"
  }
}
"#;
        let findings = run("package.json", None, new, &[]);
        let messages: Vec<&str> = findings.iter().map(|f| f.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "new dependency `fork` in dependencies",
                "new dependency `lodash` in dependencies"
            ]
        );
        let old = "{ \"dependencies\": { \"lodash\": \"^4.0.0\" } }\n";
        let findings = run("package.json", Some(old), new, &[]);
        assert_eq!(findings.len(), 1);
    }

    const PACKAGE_NEW: &str = r#"{
  "name": "web",
  "dependencies": {
    "react": "^18.2.0",
    "left-pad": "^1.3.0"
  },
  "devDependencies": {
    "typescript": "^5.0.0"
  }
}
"#;

    fn not_in_lockfile(findings: &[Finding]) -> Vec<String> {
        findings
            .iter()
            .filter(|f| f.rule == "dependency-not-in-lockfile")
            .map(|f| f.message.clone())
            .collect()
    }

    #[test]
    fn npm_package_lock_resolves_or_not() {
        let resolving = r#"{ "lockfileVersion": 3, "packages": {
            "": { "name": "web" },
            "node_modules/react": { "version": "18.2.0" },
            "node_modules/left-pad": { "version": "1.3.0" } } }"#;
        let findings = run(
            "package.json",
            Some(PACKAGE_OLD),
            PACKAGE_NEW,
            &[("package-lock.json", resolving)],
        );
        assert_eq!(summary(&findings), [("new-dependency", 5)]);
        let missing = r#"{ "lockfileVersion": 3, "packages": {
            "": { "name": "web" },
            "node_modules/react": { "version": "18.2.0" } } }"#;
        let findings = run(
            "package.json",
            Some(PACKAGE_OLD),
            PACKAGE_NEW,
            &[("package-lock.json", missing)],
        );
        assert_eq!(
            not_in_lockfile(&findings),
            ["`left-pad` is not in package-lock.json"]
        );
        let v1 =
            r#"{ "lockfileVersion": 1, "dependencies": { "left-pad": { "version": "1.3.0" } } }"#;
        let findings = run(
            "package.json",
            Some(PACKAGE_OLD),
            PACKAGE_NEW,
            &[("package-lock.json", v1)],
        );
        assert!(not_in_lockfile(&findings).is_empty());
    }

    #[test]
    fn npm_yarn_lock_v1_and_berry() {
        let v1 = "# yarn lockfile v1\n\n\"left-pad@^1.3.0\", left-pad@^1.0.0:\n  version \"1.3.0\"\n\nreact@^18.2.0:\n  version \"18.2.0\"\n";
        let findings = run(
            "package.json",
            Some(PACKAGE_OLD),
            PACKAGE_NEW,
            &[("yarn.lock", v1)],
        );
        assert!(not_in_lockfile(&findings).is_empty());
        let berry = "__metadata:\n  version: 6\n\n\"react@npm:^18.2.0\":\n  version: 18.2.0\n\n\"left-padding@npm:^1.0.0\":\n  version: 1.0.0\n";
        let findings = run(
            "package.json",
            Some(PACKAGE_OLD),
            PACKAGE_NEW,
            &[("yarn.lock", berry)],
        );
        assert_eq!(
            not_in_lockfile(&findings),
            ["`left-pad` is not in yarn.lock"]
        );
    }

    #[test]
    fn npm_pnpm_and_bun_lockfiles() {
        let pnpm = "lockfileVersion: '9.0'\n\nimporters:\n\n  .:\n    dependencies:\n      left-pad:\n        specifier: ^1.3.0\n        version: 1.3.0\n\npackages:\n\n  left-pad@1.3.0:\n    resolution: {integrity: sha512-x}\n";
        let findings = run(
            "package.json",
            Some(PACKAGE_OLD),
            PACKAGE_NEW,
            &[("pnpm-lock.yaml", pnpm)],
        );
        assert!(not_in_lockfile(&findings).is_empty());
        let pnpm_without = pnpm.replace("left-pad", "left-padding");
        let findings = run(
            "package.json",
            Some(PACKAGE_OLD),
            PACKAGE_NEW,
            &[("pnpm-lock.yaml", &pnpm_without)],
        );
        assert_eq!(
            not_in_lockfile(&findings),
            ["`left-pad` is not in pnpm-lock.yaml"]
        );
        let bun = "{\n  \"lockfileVersion\": 1,\n  \"packages\": {\n    \"left-pad\": [\"left-pad@1.3.0\", \"\", {}, \"sha512-x\"],\n  }\n}\n";
        let findings = run(
            "package.json",
            Some(PACKAGE_OLD),
            PACKAGE_NEW,
            &[("bun.lock", bun)],
        );
        assert!(not_in_lockfile(&findings).is_empty());
        let bun_without = bun.replace("left-pad", "right-pad");
        let findings = run(
            "package.json",
            Some(PACKAGE_OLD),
            PACKAGE_NEW,
            &[("bun.lock", &bun_without)],
        );
        assert_eq!(
            not_in_lockfile(&findings),
            ["`left-pad` is not in bun.lock"]
        );
    }

    #[test]
    fn npm_monorepo_root_lockfile_covers_its_workspace_members() {
        let member = r#"{ "lockfileVersion": 3, "packages": {
            "": { "name": "root", "workspaces": ["web"] },
            "web": { "name": "web" },
            "node_modules/web": { "resolved": "web", "link": true },
            "node_modules/react": { "version": "18.2.0" } } }"#;
        let findings = run(
            "web/package.json",
            Some(PACKAGE_OLD),
            PACKAGE_NEW,
            &[("package-lock.json", member)],
        );
        assert_eq!(
            not_in_lockfile(&findings),
            ["`left-pad` is not in package-lock.json"]
        );
        // hoisted or nested under the member, a dependency resolves either way
        let nested = member.replace(
            "\"node_modules/react\"",
            "\"web/node_modules/left-pad\": {}, \"node_modules/react\"",
        );
        let findings = run(
            "web/package.json",
            Some(PACKAGE_OLD),
            PACKAGE_NEW,
            &[("package-lock.json", &nested)],
        );
        assert!(not_in_lockfile(&findings).is_empty());
        // a root lockfile that does not list this directory is another project's
        let unrelated = r#"{ "lockfileVersion": 3, "packages": { "": { "name": "root" } } }"#;
        let findings = run(
            "tools/web/package.json",
            Some(&PACKAGE_OLD.replace("\"web\"", "\"tools-web\"")),
            &PACKAGE_NEW.replace("\"web\"", "\"tools-web\""),
            &[("package-lock.json", unrelated)],
        );
        assert_eq!(summary(&findings), [("new-dependency", 5)]);
        // the nearest lockfile wins over the root's
        let own = r#"{ "lockfileVersion": 3, "packages": { "node_modules/left-pad": {} } }"#;
        let findings = run(
            "web/package.json",
            Some(PACKAGE_OLD),
            PACKAGE_NEW,
            &[
                ("package-lock.json", member),
                ("web/package-lock.json", own),
            ],
        );
        assert!(not_in_lockfile(&findings).is_empty());
    }

    #[test]
    fn npm_workspace_sibling_declared_with_a_star_is_local() {
        let old = "{ \"name\": \"app\", \"dependencies\": {} }\n";
        let new = "{ \"name\": \"app\", \"dependencies\": {\n  \"@acme/ui\": \"*\"\n} }\n";
        let lock = r#"{ "lockfileVersion": 3, "packages": {
            "": { "name": "app" },
            "node_modules/@acme/ui": { "resolved": "packages/ui", "link": true } } }"#;
        assert!(run(
            "package.json",
            Some(old),
            new,
            &[("package-lock.json", lock)]
        )
        .is_empty());
        // without the lockfile's word for it, a star is a star
        let findings = run("package.json", Some(old), new, &[]);
        assert_eq!(
            summary(&findings),
            [("new-dependency", 2), ("unpinned-dependency", 2)]
        );
    }

    #[test]
    fn npm_malformed_json_yields_nothing() {
        let broken = "{ \"dependencies\": { \"left-pad\": \"*\", } ";
        assert!(run("package.json", Some(PACKAGE_OLD), broken, &[]).is_empty());
        assert!(run("package.json", Some(broken), PACKAGE_NEW, &[]).is_empty());
        assert!(run("package.json", None, "[1, 2]", &[]).is_empty());
    }

    // ---- pyproject.toml ----

    const PYPROJECT_OLD: &str = r#"[project]
name = "svc"
dependencies = [
    "requests>=2.31",
    "Foo_Bar==1.0",
]

[project.optional-dependencies]
test = ["pytest>=8"]
"#;

    #[test]
    fn pyproject_new_dependencies_with_pep503_names() {
        let new = r#"[project]
name = "svc"
dependencies = [
    "requests>=2.31",
    "foo-bar==1.0",
    "httpx[http2]>=0.27",
    "pytest>=8",
]

[project.optional-dependencies]
test = ["pytest>=8", "hypothesis>=6"]

[dependency-groups]
dev = ["ruff>=0.4", { include-group = "test" }]
"#;
        let findings = run("pyproject.toml", Some(PYPROJECT_OLD), new, &[]);
        let messages: Vec<(&str, u32)> = findings
            .iter()
            .map(|f| (f.message.as_str(), f.line))
            .collect();
        assert_eq!(
            messages,
            [
                ("new dependency `httpx` in [project] dependencies", 6),
                (
                    "new dependency `hypothesis` in [project.optional-dependencies] test",
                    11
                ),
                ("new dependency `ruff` in [dependency-groups] dev", 14),
            ]
        );
        assert_eq!(findings[0].column, Some(6));
    }

    #[test]
    fn pyproject_bare_requirement_is_unpinned_only_without_a_lockfile() {
        let new = "[project]\nname = \"svc\"\ndependencies = [\n    \"requests>=2.31\",\n    \"Foo_Bar==1.0\",\n    \"rich\",\n]\n\n[project.optional-dependencies]\ntest = [\"pytest>=8\"]\n";
        let findings = run("pyproject.toml", Some(PYPROJECT_OLD), new, &[]);
        assert_eq!(
            summary(&findings),
            [("new-dependency", 6), ("unpinned-dependency", 6)]
        );
        assert_eq!(
            findings[1].message,
            "`rich` has no version specifier: it accepts any version"
        );
        let uv_lock = "version = 1\n\n[[package]]\nname = \"svc\"\nversion = \"0.1.0\"\n\n[[package]]\nname = \"rich\"\nversion = \"13.7.1\"\n";
        let findings = run(
            "pyproject.toml",
            Some(PYPROJECT_OLD),
            new,
            &[("uv.lock", uv_lock)],
        );
        assert_eq!(summary(&findings), [("new-dependency", 6)]);
    }

    #[test]
    fn pyproject_lockfile_not_resolving_is_flagged_with_normalised_names() {
        let new = "[project]\nname = \"svc\"\ndependencies = [\n    \"requests>=2.31\",\n    \"Foo_Bar==1.0\",\n    \"Typing.Extensions>=4\",\n    \"halucinated-pkg>=1\",\n]\n";
        let lock = "[[package]]\nname = \"typing-extensions\"\nversion = \"4.12.0\"\n\n[[package]]\nname = \"requests\"\nversion = \"2.32.0\"\n";
        let findings = run(
            "pyproject.toml",
            Some(PYPROJECT_OLD),
            new,
            &[("uv.lock", lock)],
        );
        assert_eq!(
            not_in_lockfile(&findings),
            ["`halucinated-pkg` is not in uv.lock"]
        );
        assert_eq!(
            findings
                .iter()
                .filter(|f| f.rule == "new-dependency")
                .count(),
            2
        );
    }

    #[test]
    fn pyproject_poetry_tables() {
        let old = "[tool.poetry]\nname = \"svc\"\n\n[tool.poetry.dependencies]\npython = \"^3.11\"\nrequests = \"^2.31\"\n";
        let new = r#"[tool.poetry]
name = "svc"

[tool.poetry.dependencies]
python = "^3.11"
requests = "^2.31"
pendulum = { version = "^3.0", extras = ["test"] }
local-lib = { path = "../lib", develop = true }
anything = "*"

[tool.poetry.group.dev.dependencies]
black = "^24"
"#;
        let findings = run("pyproject.toml", Some(old), new, &[]);
        assert_eq!(
            summary(&findings),
            [
                ("new-dependency", 7),
                ("new-dependency", 9),
                ("unpinned-dependency", 9),
                ("new-dependency", 12),
            ]
        );
        assert_eq!(
            findings[3].message,
            "new dependency `black` in [tool.poetry.group.dev.dependencies]"
        );
        let poetry_lock = "[[package]]\nname = \"pendulum\"\nversion = \"3.0.0\"\n\n[[package]]\nname = \"black\"\nversion = \"24.1.0\"\n";
        let findings = run(
            "pyproject.toml",
            Some(old),
            new,
            &[("poetry.lock", poetry_lock)],
        );
        assert_eq!(
            summary(&findings),
            [
                ("new-dependency", 7),
                ("new-dependency", 9),
                ("dependency-not-in-lockfile", 9),
                ("new-dependency", 12),
            ]
        );
    }

    #[test]
    fn pyproject_malformed_yields_nothing() {
        assert!(run(
            "pyproject.toml",
            Some(PYPROJECT_OLD),
            "[project\nname=",
            &[]
        )
        .is_empty());
    }

    // ---- requirements.txt ----

    #[test]
    fn requirements_new_and_bare_requirements() {
        let old = "# pinned\nrequests==2.31.0\nFoo_Bar>=1.0\n";
        let new = r#"# pinned
requests==2.31.0
foo-bar>=1.0
-r base.txt
-e ./local
--index-url https://pypi.example/simple
./wheels/thing-1.0.whl
https://example.com/pkg.tar.gz
git+https://github.com/acme/tool@v1#egg=tool
flask
numpy ; python_version >= "3.9"  # numerical
pandas[excel]>=2.2
tool @ git+https://github.com/acme/tool@v1
hashed \
    --hash=sha256:abc
"#;
        let findings = run("requirements.txt", Some(old), new, &[]);
        assert_eq!(
            summary(&findings),
            [
                ("new-dependency", 10),
                ("unpinned-dependency", 10),
                ("new-dependency", 11),
                ("unpinned-dependency", 11),
                ("new-dependency", 12),
                ("new-dependency", 13),
                ("new-dependency", 14),
            ]
        );
        assert_eq!(
            findings[0].message,
            "new dependency `flask` in requirements"
        );
        assert_eq!(
            findings[1].message,
            "`flask` has no version specifier: it accepts any version"
        );
    }

    #[test]
    fn requirements_in_a_directory_and_existing_bare_names() {
        let old = "flask\n";
        let new = "flask\nrequests==2.31\n";
        let findings = run("requirements/dev.txt", Some(old), new, &[]);
        assert_eq!(summary(&findings), [("new-dependency", 2)]);
        // a bare name that was there before is not flagged when unchanged
        assert!(run("requirements.txt", Some(old), "# web\nflask\n", &[]).is_empty());
    }

    // ---- go.mod ----

    const GO_MOD_OLD: &str = r#"module example.com/svc

go 1.22

require (
	github.com/google/uuid v1.6.0
	golang.org/x/sys v0.20.0 // indirect
)
"#;

    #[test]
    fn go_new_requirements_are_flagged_indirect_ones_said_so() {
        let new = r#"module example.com/svc

go 1.22

require (
	github.com/google/uuid v1.6.0
	github.com/spf13/cobra v1.8.0
	golang.org/x/sys v0.20.0
	golang.org/x/text v0.15.0 // indirect
)

require github.com/stretchr/testify v1.9.0
"#;
        let findings = run("go.mod", Some(GO_MOD_OLD), new, &[]);
        assert_eq!(
            summary(&findings),
            [
                ("new-dependency", 7),
                ("new-dependency", 9),
                ("new-dependency", 12)
            ]
        );
        assert_eq!(
            findings[0].message,
            "new dependency `github.com/spf13/cobra` in require"
        );
        assert_eq!(
            findings[1].message,
            "new indirect dependency `golang.org/x/text` in require"
        );
        assert_eq!(findings[0].column, Some(2));
    }

    #[test]
    fn go_sum_resolves_by_module_and_version() {
        let new = GO_MOD_OLD.replace(
            "\tgolang.org/x/sys",
            "\tgithub.com/spf13/cobra v1.8.0\n\tgithub.com/fake/pkg v0.1.0\n\tgolang.org/x/sys",
        );
        let go_sum = "github.com/google/uuid v1.6.0 h1:x=\ngithub.com/google/uuid v1.6.0/go.mod h1:y=\ngithub.com/spf13/cobra v1.8.0 h1:z=\ngithub.com/fake/pkg v0.0.9/go.mod h1:w=\n";
        let findings = run("go.mod", Some(GO_MOD_OLD), &new, &[("go.sum", go_sum)]);
        assert_eq!(
            not_in_lockfile(&findings),
            ["`github.com/fake/pkg` is not in go.sum"]
        );
        assert_eq!(
            findings
                .iter()
                .filter(|f| f.rule == "new-dependency")
                .count(),
            2
        );
    }

    #[test]
    fn go_replaced_module_is_not_looked_up_in_go_sum() {
        let new = "module example.com/svc\n\nrequire example.com/lib v0.0.0\n\nreplace example.com/lib => ../lib\n";
        let findings = run(
            "go.mod",
            Some("module example.com/svc\n"),
            new,
            &[("go.sum", "")],
        );
        assert_eq!(summary(&findings), [("new-dependency", 3)]);
        let old = "module example.com/svc\n";
        let forked = "module example.com/svc\n\nrequire example.com/lib v1.0.0\n\nreplace (\n\texample.com/lib v1.0.0 => github.com/me/lib v1.0.1\n)\n";
        let go_sum = "github.com/me/lib v1.0.1 h1:x=\n";
        let findings = run("go.mod", Some(old), forked, &[("go.sum", go_sum)]);
        assert_eq!(summary(&findings), [("new-dependency", 3)]);
        // without the replacement the module itself must be in go.sum
        let plain = "module example.com/svc\n\nrequire example.com/lib v1.0.0\n";
        let findings = run("go.mod", Some(old), plain, &[("go.sum", go_sum)]);
        assert_eq!(
            not_in_lockfile(&findings),
            ["`example.com/lib` is not in go.sum"]
        );
    }

    #[test]
    fn go_other_blocks_are_not_requirements() {
        let new = "module example.com/svc\n\nexclude (\n\texample.com/bad v1.0.0\n)\n\nretract (\n\tv1.0.1\n)\n";
        assert!(run("go.mod", Some("module example.com/svc\n"), new, &[]).is_empty());
    }

    // ---- helpers ----

    #[test]
    fn wildcards_are_recognised() {
        for any in ["*", "", " ", "x", "X", "latest", "x.x", "*.*.*"] {
            assert!(accepts_any(any), "{any:?}");
        }
        for pinned in ["1", "^1.2", "1.x", ">=0.1", "~1", "1.*", "next"] {
            assert!(!accepts_any(pinned), "{pinned:?}");
        }
    }

    #[test]
    fn pep503_normalises_separators_and_case() {
        assert_eq!(pep503("Foo_Bar"), "foo-bar");
        assert_eq!(pep503("typing.Extensions"), "typing-extensions");
        assert_eq!(pep503("a-_.b"), "a-b");
    }

    #[test]
    fn deleted_manifest_and_other_files_yield_nothing() {
        let symbols = FileSymbols::empty();
        let input = FileInput {
            path: "Cargo.toml",
            status: FileStatus::Deleted,
            language: None,
            old: Some(SideInput {
                path: "Cargo.toml",
                bytes: b"[dependencies]\nserde = \"*\"\n",
                tree: None,
                symbols: &symbols,
            }),
            new: None,
            hunks: &[],
            companions: &[],
        };
        assert!(check(&input, &Config::default()).is_empty());
        assert!(run("src/lib.rs", None, "serde = \"*\"\n", &[]).is_empty());
    }
}
