//! The window's settings: the `[window]` section of the user's config file
//! (`~/.config/redline/config.toml`, [`crate::provenance::user_config_path`]), beside the
//! `[provenance]` and `[llm]` sections other parts of Redline read.
//!
//! Only what the window really does is a setting: the theme, the diff view (unified or split),
//! the tab width, whether whitespace changes are hidden, how many unchanged lines are shown
//! around changes. Later sections (a model provider, rules) get keys of their own the same way:
//! a field here, a `match` arm in [`settings_in`], a `set` in [`save_settings_in`]. Saving edits the file in place with `toml_edit`: the keys of
//! `[window]` are set, and every other byte — other sections, comments, blank lines, the order
//! of keys — stays as the user wrote it. A file that does not parse is never overwritten.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use specta::Type;
use toml_edit::{Document, DocumentMut, Item, Table};

use crate::error::{ErrorKind, ErrorReport};

/// The section of the config file the window owns.
pub const SECTION: &str = "window";

/// The narrowest and widest tab the diff draws, in columns.
pub const TAB_WIDTHS: std::ops::RangeInclusive<u8> = 1..=16;

/// How many unchanged lines the window can show around each change.
pub const CONTEXT_LINES: std::ops::RangeInclusive<u8> = 0..=20;

/// The keys `[window]` takes, in the order they are written.
const KEYS: &str = "theme, diff-view, tab-width, ignore-whitespace, context-lines";

/// How the window looks and draws diffs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct WindowSettings {
    pub theme: Theme,
    pub diff_view: DiffView,
    /// Columns a tab stands for in the diff (CSS `tab-size`), within [`TAB_WIDTHS`].
    pub tab_width: u8,
    /// Show each file's diff as `git diff -w` does: changes in whitespace alone are hidden
    /// (the review, its hunk ids and its patch stay git's; see [`super::file_diff_with`]).
    pub ignore_whitespace: bool,
    /// Unchanged lines the window shows around each change, within [`CONTEXT_LINES`]. The
    /// diff itself keeps git's three lines (hunk ids and patches stay git's); the window shows
    /// fewer by hiding some, more by reading them ([`super::file_lines`]).
    pub context_lines: u8,
}

impl Default for WindowSettings {
    fn default() -> Self {
        WindowSettings {
            theme: Theme::System,
            diff_view: DiffView::Unified,
            tab_width: 4,
            ignore_whitespace: false,
            context_lines: 3,
        }
    }
}

/// Light or dark: as the system asks, or always one of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum Theme {
    System,
    Light,
    Dark,
}

/// How a file's changes are laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum DiffView {
    /// Removed and added lines interleaved in one column, as `git diff` prints them.
    Unified,
    /// The old side on the left, the new side on the right, changed lines facing each other.
    Split,
}

impl Theme {
    const NAMES: [(&'static str, Theme); 3] = [
        ("system", Theme::System),
        ("light", Theme::Light),
        ("dark", Theme::Dark),
    ];
}

impl DiffView {
    const NAMES: [(&'static str, DiffView); 2] =
        [("unified", DiffView::Unified), ("split", DiffView::Split)];
}

/// Why the settings could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    /// The config file exists but could not be read, or could not be written.
    #[error("cannot {action} {}: {source}", path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The file is not TOML, or a key of `[window]` has a value the window does not take.
    #[error("{}:{line}: {message}", path.display())]
    Invalid {
        path: PathBuf,
        /// 1-based line of the problem.
        line: usize,
        message: String,
    },
    /// There is no config directory on this system (no home directory).
    #[error("there is no configuration directory to keep settings in (is HOME set?)")]
    NoConfigDir,
}

impl From<SettingsError> for ErrorReport {
    fn from(error: SettingsError) -> Self {
        let kind = match error {
            SettingsError::Invalid { .. } => ErrorKind::InvalidConfig,
            SettingsError::Io { .. } | SettingsError::NoConfigDir => ErrorKind::DataDirUnusable,
        };
        ErrorReport {
            kind,
            message: error.to_string(),
        }
    }
}

fn config_path() -> Result<PathBuf, SettingsError> {
    crate::provenance::user_config_path().ok_or(SettingsError::NoConfigDir)
}

/// The window's settings from the user's config file; the defaults for what it does not say
/// (or when there is no file).
pub fn settings() -> Result<WindowSettings, SettingsError> {
    settings_in(&config_path()?)
}

/// Writes `settings` into the user's config file's `[window]` section (creating the file and
/// its directory if needed), leaving everything else in the file as it was. Returns what the
/// file now says.
pub fn save_settings(settings: &WindowSettings) -> Result<WindowSettings, SettingsError> {
    save_settings_in(&config_path()?, settings)
}

/// [`settings`] from the config file at `path`.
pub fn settings_in(path: &Path) -> Result<WindowSettings, SettingsError> {
    let Some(text) = read(path)? else {
        return Ok(WindowSettings::default());
    };
    let document = Document::parse(text.as_str()).map_err(|e| invalid(path, &text, &e))?;
    let mut settings = WindowSettings::default();
    let Some(section) = document.get(SECTION) else {
        return Ok(settings);
    };
    let Some(section) = section.as_table_like() else {
        return Err(SettingsError::Invalid {
            path: path.to_owned(),
            line: line_at(&text, section.span()),
            message: format!("`{SECTION}` must be a table ([{SECTION}])"),
        });
    };
    for (key, item) in section.iter() {
        let bad = |expected: String| SettingsError::Invalid {
            path: path.to_owned(),
            line: line_at(&text, item.span()),
            message: format!("{SECTION}.{key}: {expected}, not {}", shown(item)),
        };
        match key {
            "theme" => {
                settings.theme =
                    named(item, &Theme::NAMES).ok_or_else(|| bad(one_of(&Theme::NAMES)))?;
            }
            "diff-view" => {
                settings.diff_view =
                    named(item, &DiffView::NAMES).ok_or_else(|| bad(one_of(&DiffView::NAMES)))?;
            }
            "tab-width" => {
                settings.tab_width =
                    within(item, &TAB_WIDTHS).ok_or_else(|| bad(whole_number(&TAB_WIDTHS)))?;
            }
            "ignore-whitespace" => {
                settings.ignore_whitespace = item
                    .as_bool()
                    .ok_or_else(|| bad("expected true or false".to_owned()))?;
            }
            "context-lines" => {
                settings.context_lines = within(item, &CONTEXT_LINES)
                    .ok_or_else(|| bad(whole_number(&CONTEXT_LINES)))?;
            }
            _ => {
                return Err(SettingsError::Invalid {
                    path: path.to_owned(),
                    line: line_at(&text, item.span()),
                    message: format!("{SECTION}.{key}: unknown setting (known: {KEYS})"),
                })
            }
        }
    }
    Ok(settings)
}

/// [`save_settings`] into the config file at `path`. A file that does not parse, or whose
/// `[window]` section holds a value the window does not take, is left untouched.
pub fn save_settings_in(
    path: &Path,
    settings: &WindowSettings,
) -> Result<WindowSettings, SettingsError> {
    for (key, value, range) in [
        ("tab-width", settings.tab_width, &TAB_WIDTHS),
        ("context-lines", settings.context_lines, &CONTEXT_LINES),
    ] {
        if !range.contains(&value) {
            return Err(SettingsError::Invalid {
                path: path.to_owned(),
                line: 1,
                message: format!("{SECTION}.{key}: {}, not {value}", whole_number(range)),
            });
        }
    }
    // Check what is there first: an invalid value is the user's to fix, not ours to overwrite.
    settings_in(path)?;
    let text = read(path)?.unwrap_or_default();
    let mut document: DocumentMut = Document::parse(text.clone())
        .map_err(|e| invalid(path, &text, &e))?
        .into_mut();
    if !document.contains_table(SECTION) {
        document.insert(SECTION, Item::Table(Table::new()));
    }
    let section = document[SECTION]
        .as_table_like_mut()
        .ok_or_else(|| SettingsError::Invalid {
            path: path.to_owned(),
            line: 1,
            message: format!("`{SECTION}` must be a table ([{SECTION}])"),
        })?;
    set(section, "theme", name_of(&Theme::NAMES, settings.theme));
    set(
        section,
        "diff-view",
        name_of(&DiffView::NAMES, settings.diff_view),
    );
    set(section, "tab-width", i64::from(settings.tab_width));
    set(section, "ignore-whitespace", settings.ignore_whitespace);
    set(section, "context-lines", i64::from(settings.context_lines));
    write(path, &document.to_string())?;
    settings_in(path)
}

/// Sets `key` to `value`, keeping the comment and spacing around an existing value.
fn set(section: &mut dyn toml_edit::TableLike, key: &str, value: impl Into<toml_edit::Value>) {
    let mut value = value.into();
    match section.get_mut(key).and_then(Item::as_value_mut) {
        Some(old) => {
            *value.decor_mut() = old.decor().clone();
            *old = value;
        }
        None => {
            section.insert(key, Item::Value(value));
        }
    }
}

fn read(path: &Path) -> Result<Option<String>, SettingsError> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(Some(text)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(SettingsError::Io {
            action: "read",
            path: path.to_owned(),
            source,
        }),
    }
}

/// Replaces the file at `path` with `text` all at once (a temporary file renamed over it), so
/// a crash leaves the old file or the new one, never half of one.
fn write(path: &Path, text: &str) -> Result<(), SettingsError> {
    let io = |source| SettingsError::Io {
        action: "write",
        path: path.to_owned(),
        source,
    };
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(io)?;
    let name = path.file_name().map_or_else(
        || "config.toml".into(),
        |n| n.to_string_lossy().into_owned(),
    );
    let temp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let written = (|| {
        let mut file = std::fs::File::create(&temp)?;
        file.write_all(text.as_bytes())?;
        if let Ok(meta) = std::fs::metadata(path) {
            // Keep the user's permissions on the file.
            file.set_permissions(meta.permissions())?;
        }
        file.sync_all()?;
        std::fs::rename(&temp, path)
    })();
    if written.is_err() {
        // Best effort: the temporary file is ours and useless now.
        let _ = std::fs::remove_file(&temp);
    }
    written.map_err(io)
}

fn invalid(path: &Path, text: &str, error: &toml_edit::TomlError) -> SettingsError {
    SettingsError::Invalid {
        path: path.to_owned(),
        line: line_at(text, error.span()),
        message: error.message().trim().to_owned(),
    }
}

fn line_at(text: &str, span: Option<std::ops::Range<usize>>) -> usize {
    span.and_then(|span| text.get(..span.start))
        .map_or(1, |before| before.matches('\n').count() + 1)
}

/// The whole number `item` holds, when it is within `range`.
fn within(item: &Item, range: &std::ops::RangeInclusive<u8>) -> Option<u8> {
    item.as_integer()
        .and_then(|n| u8::try_from(n).ok())
        .filter(|n| range.contains(n))
}

fn whole_number(range: &std::ops::RangeInclusive<u8>) -> String {
    format!(
        "expected a whole number from {} to {}",
        range.start(),
        range.end()
    )
}

fn named<T: Copy>(item: &Item, names: &[(&str, T)]) -> Option<T> {
    let name = item.as_str()?;
    names.iter().find(|(n, _)| *n == name).map(|(_, v)| *v)
}

fn name_of<T: PartialEq>(names: &[(&'static str, T)], value: T) -> &'static str {
    names
        .iter()
        .find(|(_, v)| *v == value)
        .map_or("", |(n, _)| n)
}

fn one_of<T>(names: &[(&str, T)]) -> String {
    let names: Vec<String> = names.iter().map(|(n, _)| format!("\"{n}\"")).collect();
    format!("expected one of {}", names.join(", "))
}

fn shown(item: &Item) -> String {
    item.as_value()
        .map_or_else(|| "a table".to_owned(), |v| v.to_string().trim().to_owned())
}
