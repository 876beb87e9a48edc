//! What the structure analysis reads from git besides file contents: the language
//! `.gitattributes` assigns (`linguist-language`), and a blob by id for highlighting.

use std::path::Path;

use git2::{AttrCheckFlags, AttrValue, ObjectType, Oid, Repository};

use super::RepoError;

/// Looks up `linguist-language` for paths of one repository. Attribute lookups stat every
/// directory level of the path, so when no attributes file can apply (the common case) the
/// lookups are skipped altogether.
pub struct LanguageAttributes {
    any: bool,
}

impl LanguageAttributes {
    /// Checks once whether `repo` has any attributes file.
    pub fn new(repo: &Repository) -> Self {
        let in_index = match repo.index() {
            Ok(index) if !repo.is_bare() => index.iter().any(|entry| {
                entry.path == b".gitattributes" || entry.path.ends_with(b"/.gitattributes")
            }),
            // unknown: look up every path
            _ => true,
        };
        let global = repo
            .config()
            .ok()
            .and_then(|config| config.get_path("core.attributesFile").ok())
            .is_some_and(|path| path.exists());
        LanguageAttributes {
            any: in_index
                || global
                || repo.path().join("info/attributes").exists()
                || Path::new("/etc/gitattributes").exists(),
        }
    }

    /// The `linguist-language` value of `path`, if set. Lookup failures count as unset.
    pub fn of(&self, repo: &Repository, path: &str) -> Option<String> {
        if !self.any {
            return None;
        }
        let flags = if repo.is_bare() {
            AttrCheckFlags::INDEX_ONLY
        } else {
            AttrCheckFlags::FILE_THEN_INDEX
        };
        match repo.get_attr(Path::new(path), "linguist-language", flags) {
            Ok(value) => match AttrValue::from_string(value) {
                AttrValue::String(value) => Some(value.to_owned()),
                _ => None,
            },
            Err(_) => None,
        }
    }
}

/// The content of blob `id`; for a working-tree side git may have hashed a file that is not
/// in the object database, so `path` (relative to the working tree) is read when its content
/// has that id.
pub fn read_blob(repo: &Repository, id: &str, path: Option<&str>) -> Result<Vec<u8>, RepoError> {
    let oid = Oid::from_str(id).map_err(|_| RepoError::InvalidTarget {
        spec: id.to_owned(),
        reason: "not a blob id".to_owned(),
    })?;
    let not_found = |source| RepoError::Object {
        what: format!("blob {id}"),
        source,
    };
    match repo.find_blob(oid) {
        Ok(blob) => Ok(blob.content().to_vec()),
        Err(error) => {
            let Some(full) = path.and_then(|p| repo.workdir().map(|w| w.join(p))) else {
                return Err(not_found(error));
            };
            match Oid::hash_file(ObjectType::Blob, &full) {
                Ok(hashed) if hashed == oid => {
                    std::fs::read(&full).map_err(|e| RepoError::Unreadable {
                        path: full.display().to_string(),
                        reason: e.to_string(),
                    })
                }
                _ => Err(not_found(error)),
            }
        }
    }
}
