//! Text output of `redline revision` and `redline interdiff`.

use std::io::{self, Write};

use redline::repo::Revision;
use redline::review::Interdiff;

/// Prints the revision id alone, so scripts can keep it: `since=$(redline revision)`.
pub fn write_revision(out: &mut impl Write, revision: &Revision) -> io::Result<()> {
    writeln!(out, "{}", revision.id)
}

pub fn write_interdiff(out: &mut impl Write, interdiff: &Interdiff) -> io::Result<()> {
    writeln!(
        out,
        "Changes in {} of {} since revision {}",
        interdiff.spec, interdiff.repo.path, interdiff.from
    )?;
    writeln!(out, "Now at revision {}", interdiff.to.id)?;
    if interdiff.base_changed {
        writeln!(
            out,
            "The base moved since then (e.g. the work was committed); shown is how the content changed."
        )?;
    }
    if interdiff.files.is_empty() {
        return writeln!(out, "No changes since that revision.");
    }
    super::review::write_files(out, &interdiff.files, interdiff.stats)
}
