//! `.gitattributes`: the one place Redline asks git what attributes say about a path
//! (`linguist-generated`, `linguist-vendored`, `-diff`, `linguist-language`, and those that
//! change what git stores: line endings, `ident`).

use std::path::Path;

use git2::{AttrCheckFlags, AttrValue, Repository};

use super::check_in::{self, AutoCrlf, CheckIn};
use crate::diff::PathAttributes;

/// What a path's `diff` attribute declares about showing its content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum DeclaredDiff {
    /// No `diff` attribute: git guesses from the content.
    Unspecified,
    /// `diff`: always text.
    Text,
    /// `-diff` (or `binary`): never shown as text.
    Binary,
    /// `diff=<name>`: the driver `diff.<name>.*` decides (its `binary`, its hunk headers).
    Driver(String),
}

/// Attribute lookups for the paths of one repository.
///
/// Each lookup resolves the path component by component and stats every candidate attributes
/// file (measured: 60% of the system time of a 900-file review), so when no attributes file
/// can apply, which is common, lookups are skipped altogether.
pub struct Attributes {
    any: bool,
}

impl Attributes {
    /// Checks once whether any attributes file can apply in `repo`. Errors count as "maybe".
    pub fn new(repo: &Repository) -> Self {
        // the working tree's own, untracked yet (an agent just wrote it)
        let at_root = || {
            repo.workdir()
                .is_some_and(|root| root.join(".gitattributes").exists())
        };
        let in_index = match repo.index() {
            Ok(index) if !repo.is_bare() => {
                index.iter().any(|entry| {
                    entry.path == b".gitattributes" || entry.path.ends_with(b"/.gitattributes")
                }) || at_root()
            }
            // libgit2 reads the index for every attribute lookup, so with an index it cannot
            // read no lookup can succeed: reviews of commits go on with git's defaults rather
            // than fail (the working tree's review names the broken index itself).
            Err(_) if !repo.is_bare() => false,
            _ => true,
        };
        let global = repo
            .config()
            .ok()
            .and_then(|config| config.get_path("core.attributesFile").ok())
            .or_else(|| {
                std::env::var_os("XDG_CONFIG_HOME")
                    .map(std::path::PathBuf::from)
                    .or_else(|| dirs::home_dir().map(|home| home.join(".config")))
                    .map(|config| config.join("git/attributes"))
            });
        Attributes {
            any: in_index
                || repo.path().join("info/attributes").exists()
                || global.is_some_and(|path| path.exists())
                || Path::new("/etc/gitattributes").exists(),
        }
    }

    /// [`Attributes::new`], also counting an untracked `.gitattributes` in a folder holding one
    /// of `paths` or above it: the one an agent just wrote applies to the files beside it, and
    /// is not in the index yet. One stat per folder, only when no other attributes file exists.
    pub fn covering<'p>(repo: &Repository, paths: impl IntoIterator<Item = &'p [u8]>) -> Self {
        use std::os::unix::ffi::OsStrExt;
        let found = Attributes::new(repo);
        // with an index it cannot read, libgit2 fails every lookup (see `new`)
        let (Some(root), false, true) = (repo.workdir(), found.any, repo.index().is_ok()) else {
            return found;
        };
        let mut seen: std::collections::HashSet<&[u8]> = std::collections::HashSet::new();
        for path in paths {
            let mut folder = path;
            while let Some(slash) = memchr::memrchr(b'/', folder) {
                folder = &folder[..slash];
                // its parents were looked at with it
                if !seen.insert(folder) {
                    break;
                }
                let file = root
                    .join(std::ffi::OsStr::from_bytes(folder))
                    .join(".gitattributes");
                if file.exists() {
                    return Attributes { any: true };
                }
            }
        }
        found
    }

    /// Whether any attributes file can apply (when not, every lookup answers "unspecified").
    pub fn exist(&self) -> bool {
        self.any
    }

    /// What the attributes say about collapsing `path` in a review.
    pub fn collapse(&self, repo: &Repository, path: &str) -> PathAttributes {
        if !self.any {
            return PathAttributes::default();
        }
        let flag = |name: &str| match lookup(repo, path, name) {
            AttrValue::True | AttrValue::Bytes(_) => Some(true),
            AttrValue::False => Some(false),
            AttrValue::String(value) => Some(value != "false"),
            AttrValue::Unspecified => None,
        };
        PathAttributes {
            generated: flag("linguist-generated"),
            vendored: flag("linguist-vendored"),
            diff_disabled: flag("diff") == Some(false),
        }
    }

    /// What git does to `path` when it stores it, of what Redline does too: line endings, from
    /// its `text`, `crlf` and `eol` attributes and `core.autocrlf`, and `ident`.
    pub(crate) fn check_in(&self, repo: &Repository, path: &Path, autocrlf: AutoCrlf) -> CheckIn {
        let value = |name: &str| match self.any {
            true => lookup_path(repo, path, name),
            false => AttrValue::Unspecified,
        };
        CheckIn {
            line_endings: check_in::line_endings(
                value("text"),
                value("crlf"),
                value("eol"),
                autocrlf,
            ),
            ident: matches!(value("ident"), AttrValue::True),
        }
    }

    /// What the `diff` attribute of `path` declares.
    pub(crate) fn declared_diff(&self, repo: &Repository, path: &str) -> DeclaredDiff {
        if !self.any {
            return DeclaredDiff::Unspecified;
        }
        match lookup(repo, path, "diff") {
            AttrValue::True => DeclaredDiff::Text,
            AttrValue::False => DeclaredDiff::Binary,
            AttrValue::String(name) => DeclaredDiff::Driver(name.to_owned()),
            AttrValue::Bytes(name) => {
                DeclaredDiff::Driver(String::from_utf8_lossy(name).into_owned())
            }
            AttrValue::Unspecified => DeclaredDiff::Unspecified,
        }
    }

    /// The `linguist-language` value of `path`, if set.
    pub fn language(&self, repo: &Repository, path: &str) -> Option<String> {
        if !self.any {
            return None;
        }
        match lookup(repo, path, "linguist-language") {
            AttrValue::String(value) => Some(value.to_owned()),
            _ => None,
        }
    }
}

/// One attribute of `path`. Lookup failures count as unspecified: a broken attributes file
/// must not stop a review.
fn lookup<'r>(repo: &'r Repository, path: &str, name: &str) -> AttrValue<'r> {
    lookup_path(repo, Path::new(path), name)
}

/// [`lookup`] for a path that may not be UTF-8.
fn lookup_path<'r>(repo: &'r Repository, path: &Path, name: &str) -> AttrValue<'r> {
    let flags = if repo.is_bare() {
        AttrCheckFlags::INDEX_ONLY
    } else {
        AttrCheckFlags::FILE_THEN_INDEX
    };
    match repo.get_attr(path, name, flags) {
        Ok(value) => AttrValue::from_string(value),
        Err(_) => AttrValue::Unspecified,
    }
}
