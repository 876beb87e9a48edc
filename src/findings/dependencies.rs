//! New dependencies: names added to a manifest's dependency tables, whether the lockfile
//! resolves them, and versions that accept anything.
//! (stub: being written)

use super::{Config, FileInput, Finding};

/// Whether `path` is a manifest this module reads.
pub fn is_manifest(_path: &str) -> bool {
    false
}

/// The new-side paths of the lockfiles that may resolve `manifest`'s dependencies, nearest
/// first; the composer reads those that exist into [`FileInput::companions`].
pub fn lockfiles_for(_manifest: &str) -> Vec<String> {
    Vec::new()
}

/// The dependency findings of one changed manifest.
pub fn check(_input: &FileInput<'_>, _config: &Config) -> Vec<Finding> {
    Vec::new()
}
