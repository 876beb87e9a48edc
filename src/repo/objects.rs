//! Loose objects are checked before libgit2 reads them.
//!
//! libgit2 1.9.7 (the newest any `git2` release bundles) spins forever inside its zlib loop on
//! a truncated loose object (libgit2 issue 7342, fixed upstream after that release), and it
//! allocates whatever size an object's header declares before finding out the data is not
//! there. Git itself fails at once. So before libgit2 reads a loose object, Redline inflates it
//! itself, in a bounded buffer, and checks that the stream is complete and holds exactly the
//! declared number of bytes of a known type; a corrupt object is an error naming it, at once.
//! Packed objects are read by libgit2 as before (its pack reader is not affected).
//!
//! Why not another object reader: gitoxide's object database would replace every libgit2 read
//! (diffs, blame, status, revwalks), a rewrite of the `repo` module; a check of the few loose
//! objects a request touches costs a stat per object and one inflate per loose one.

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::{Mutex, OnceLock, PoisonError};

use flate2::{Decompress, FlushDecompress, Status};
use git2::{Oid, Repository};

use super::RepoError;

/// The most bytes deflate can expand one input byte to (a run of zeros compresses about
/// 1032:1): a header declaring more than this times the file's size lies.
const MAX_INFLATE_RATIO: u64 = 1032;

/// Objects already found sound, by id (content-addressed, so valid in any repository).
fn checked() -> &'static Mutex<HashSet<Oid>> {
    static CHECKED: OnceLock<Mutex<HashSet<Oid>>> = OnceLock::new();
    CHECKED.get_or_init(|| Mutex::new(HashSet::new()))
}

/// Loose objects whose header names a blob or a tree: not what a history walk reads.
fn not_commits() -> &'static Mutex<HashSet<Oid>> {
    static NOT_COMMITS: OnceLock<Mutex<HashSet<Oid>>> = OnceLock::new();
    NOT_COMMITS.get_or_init(|| Mutex::new(HashSet::new()))
}

fn loose_path(repo: &Repository, id: Oid) -> PathBuf {
    let hex = id.to_string();
    repo.path().join("objects").join(&hex[..2]).join(&hex[2..])
}

/// Checks object `id` if it is stored loose; `what` names it for the error ("blob … of
/// src/a.rs"). A packed or missing object passes: libgit2 reports those itself.
pub(crate) fn check(
    repo: &Repository,
    id: Oid,
    what: &dyn Fn() -> String,
) -> Result<(), RepoError> {
    if id.is_zero()
        || checked()
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .contains(&id)
    {
        return Ok(());
    }
    let path = loose_path(repo, id);
    let compressed = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(_) => return Ok(()), // packed, or missing: libgit2 says which
    };
    if let Err(reason) = inspect(&compressed) {
        return Err(RepoError::CorruptObject {
            id: id.to_string(),
            what: what(),
            reason,
        });
    }
    checked()
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .insert(id);
    Ok(())
}

/// Checks a commit and its parents (the objects read to find a commit's base).
pub(crate) fn check_commit(repo: &Repository, id: Oid, what: &str) -> Result<(), RepoError> {
    check(repo, id, &|| format!("{what} (commit {id})"))?;
    let commit = repo.find_commit(id).map_err(|source| RepoError::Object {
        what: format!("{what} (commit {id})"),
        source,
    })?;
    for parent in commit.parent_ids() {
        check(repo, parent, &|| format!("the parent {parent} of {what}"))?;
    }
    Ok(())
}

/// Checks HEAD's commit and every loose tree of it: what libgit2's status (the index and the
/// working tree against HEAD) walks.
pub(crate) fn check_head_trees(repo: &Repository) -> Result<(), RepoError> {
    let Some(id) = repo.head().ok().and_then(|h| h.target()) else {
        return Ok(()); // no HEAD commit: status reads no tree
    };
    check(repo, id, &|| format!("the HEAD commit {id}"))?;
    let Ok(commit) = repo.find_commit(id) else {
        return Ok(()); // not a commit: the caller says so
    };
    check_trees(repo, Some(commit.tree_id()), None)
}

/// Checks every loose tree libgit2 walks to diff `old` against `new` (`None` for the index or
/// working tree side). libgit2's tree iterators expand every directory, changed or not, so
/// every distinct tree of both sides is checked (each once).
pub(crate) fn check_trees(
    repo: &Repository,
    old: Option<Oid>,
    new: Option<Oid>,
) -> Result<(), RepoError> {
    let mut seen: HashSet<Oid> = HashSet::new();
    let mut pending: Vec<(Oid, String)> = [old, new]
        .into_iter()
        .flatten()
        .map(|id| (id, String::new()))
        .collect();
    while let Some((id, dir)) = pending.pop() {
        if !seen.insert(id) {
            continue;
        }
        let shown = if dir.is_empty() {
            "the root directory".to_owned()
        } else {
            dir.clone()
        };
        check(repo, id, &|| format!("the tree {id} of {shown}"))?;
        let tree = repo.find_tree(id).map_err(|source| RepoError::Object {
            what: format!("the tree {id} of {shown}"),
            source,
        })?;
        for entry in tree.iter() {
            if entry.kind() == Some(git2::ObjectType::Tree) && !seen.contains(&entry.id()) {
                let name = String::from_utf8_lossy(entry.name_bytes());
                let path = if dir.is_empty() {
                    name.into_owned()
                } else {
                    format!("{dir}/{name}")
                };
                pending.push((entry.id(), path));
            }
        }
    }
    Ok(())
}

/// Checks every loose commit and tag of the repository: what libgit2's history walks and
/// revision parsing (`HEAD~3`, blame) read on their own, where no single object can be
/// checked first. Only the first bytes of each loose object are inflated to learn its type;
/// commits and tags (small) are then checked whole. Objects found sound are remembered.
pub(crate) fn check_loose_commits(repo: &Repository) -> Result<(), RepoError> {
    let objects = repo.path().join("objects");
    let Ok(fans) = std::fs::read_dir(&objects) else {
        return Ok(());
    };
    for fan in fans.flatten() {
        let prefix = fan.file_name().to_string_lossy().into_owned();
        if prefix.len() != 2 || !prefix.bytes().all(|b| b.is_ascii_hexdigit()) {
            continue;
        }
        let Ok(files) = std::fs::read_dir(fan.path()) else {
            continue;
        };
        for file in files.flatten() {
            let rest = file.file_name().to_string_lossy().into_owned();
            let Ok(id) = Oid::from_str(&format!("{prefix}{rest}")) else {
                continue;
            };
            if checked()
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .contains(&id)
                || not_commits()
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .contains(&id)
            {
                continue;
            }
            match loose_kind(&file.path()).as_deref() {
                Some("commit" | "tag") => check(repo, id, &|| format!("the commit {id}"))?,
                // Remembered, so the window's refreshes read each loose blob's header once.
                Some(_) => {
                    not_commits()
                        .lock()
                        .unwrap_or_else(PoisonError::into_inner)
                        .insert(id);
                }
                None => {}
            }
        }
    }
    Ok(())
}

/// The type a loose object's header names, from its first bytes only.
fn loose_kind(path: &std::path::Path) -> Option<String> {
    use std::io::Read;
    let mut start = [0u8; 256];
    let mut file = std::fs::File::open(path).ok()?;
    let read = file.read(&mut start).ok()?;
    let mut inflater = Decompress::new(true);
    let mut header = [0u8; 32];
    inflater
        .decompress(&start[..read], &mut header, FlushDecompress::None)
        .ok()?;
    let produced = usize::try_from(inflater.total_out()).ok()?;
    let text = std::str::from_utf8(&header[..produced.min(header.len())]).ok()?;
    text.split(' ').next().map(str::to_owned)
}

/// Inflates a loose object in a fixed buffer and checks its header and length.
fn inspect(compressed: &[u8]) -> Result<(), String> {
    let mut inflater = Decompress::new(true);
    let mut buffer = vec![0u8; 64 * 1024];
    let mut header: Vec<u8> = Vec::new();
    let mut declared: Option<u64> = None;
    let mut body: u64 = 0;
    loop {
        let (in_before, out_before) = (inflater.total_in(), inflater.total_out());
        let start = usize::try_from(in_before).unwrap_or(usize::MAX);
        let input = compressed.get(start..).unwrap_or(&[]);
        let status = inflater
            .decompress(input, &mut buffer, FlushDecompress::None)
            .map_err(|e| format!("its zlib data is invalid: {e}"))?;
        let produced = usize::try_from(inflater.total_out() - out_before).unwrap_or(0);
        let mut chunk = &buffer[..produced.min(buffer.len())];
        if declared.is_none() {
            let take = chunk.len().min(64usize.saturating_sub(header.len()));
            let nul = chunk[..take].iter().position(|&b| b == 0);
            header.extend_from_slice(&chunk[..nul.map_or(take, |n| n + 1)]);
            if let Some(n) = nul {
                chunk = &chunk[n + 1..];
                let size = parse_header(&header[..header.len() - 1])?;
                let bound = (compressed.len() as u64).saturating_mul(MAX_INFLATE_RATIO) + 64;
                if size > bound {
                    return Err(format!(
                        "its header declares {size} bytes, more than {} compressed bytes can hold",
                        compressed.len()
                    ));
                }
                declared = Some(size);
            } else if header.len() >= 64 {
                return Err("it has no valid header".to_owned());
            } else {
                chunk = &[];
            }
        }
        body += chunk.len() as u64;
        if let Some(size) = declared {
            if body > size {
                return Err(format!(
                    "it holds more than the {size} bytes its header declares"
                ));
            }
        }
        match status {
            Status::StreamEnd => break,
            Status::Ok | Status::BufError => {
                if inflater.total_in() == in_before && inflater.total_out() == out_before {
                    return Err("it is truncated (its zlib stream ends early)".to_owned());
                }
            }
        }
    }
    match declared {
        Some(size) if size == body => Ok(()),
        Some(size) => Err(format!(
            "it holds {body} bytes where its header declares {size} (truncated?)"
        )),
        None => Err("it has no valid header".to_owned()),
    }
}

/// `type size` of a loose object's header; the size.
fn parse_header(header: &[u8]) -> Result<u64, String> {
    let text = std::str::from_utf8(header).map_err(|_| "it has no valid header".to_owned())?;
    let (kind, size) = text
        .split_once(' ')
        .ok_or_else(|| "it has no valid header".to_owned())?;
    if !matches!(kind, "blob" | "tree" | "commit" | "tag") {
        return Err(format!("its header names an unknown type '{kind}'"));
    }
    size.parse::<u64>()
        .map_err(|_| format!("its header has an invalid size '{size}'"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn deflate(bytes: &[u8]) -> Vec<u8> {
        let mut encoder =
            flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        encoder.write_all(bytes).unwrap();
        encoder.finish().unwrap()
    }

    #[test]
    fn a_sound_object_passes() {
        assert_eq!(inspect(&deflate(b"blob 5\0hello")), Ok(()));
        let big = vec![b'x'; 300_000];
        let mut object = b"blob 300000\0".to_vec();
        object.extend_from_slice(&big);
        assert_eq!(inspect(&deflate(&object)), Ok(()));
    }

    #[test]
    fn truncated_lying_and_garbled_objects_are_refused() {
        let mut object = b"blob 300000\0".to_vec();
        object.extend((0..300_000u32).map(|n| (n * 7919 % 251) as u8));
        let whole = deflate(&object);
        let truncated = inspect(&whole[..whole.len() / 2]).unwrap_err();
        assert!(truncated.contains("truncated"), "{truncated}");
        let lying = inspect(&deflate(b"blob 1000000000\0tiny")).unwrap_err();
        assert!(lying.contains("declares 1000000000 bytes"), "{lying}");
        let short = inspect(&deflate(b"blob 10\0tiny")).unwrap_err();
        assert!(
            short.contains("holds 4 bytes where its header declares 10"),
            "{short}"
        );
        let long = inspect(&deflate(b"blob 2\0tiny")).unwrap_err();
        assert!(long.contains("more than the 2 bytes"), "{long}");
        let kind = inspect(&deflate(b"blub 4\0tiny")).unwrap_err();
        assert!(kind.contains("unknown type 'blub'"), "{kind}");
        assert!(inspect(b"not zlib at all").is_err());
    }

    /// What a complete decoder says of `compressed`: `Ok` when it inflates whole to a header
    /// of a known type and exactly the declared number of bytes.
    fn reference(compressed: &[u8]) -> Result<(), ()> {
        use std::io::Read;
        let mut all = Vec::new();
        let mut decoder = flate2::read::ZlibDecoder::new(compressed);
        decoder.read_to_end(&mut all).map_err(|_| ())?;
        // The reference must have consumed a whole stream.
        if decoder.total_in() == 0 {
            return Err(());
        }
        let nul = all.iter().position(|&b| b == 0).ok_or(())?;
        if nul >= 64 {
            return Err(());
        }
        let size = parse_header(&all[..nul]).map_err(|_| ())?;
        if size == (all.len() - nul - 1) as u64 {
            Ok(())
        } else {
            Err(())
        }
    }

    #[test]
    fn mutated_objects_are_judged_as_a_complete_decoder_judges_them() {
        // A differential fuzz: thousands of truncations, bit flips and appended bytes of real
        // objects; `inspect` must agree with a full decode and never hang or panic.
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let mut samples = Vec::new();
        for size in [0usize, 1, 100, 5_000, 70_000] {
            let mut object = format!("blob {size}\0").into_bytes();
            object.extend((0..size).map(|n| (n * 31 % 97) as u8));
            samples.push(deflate(&object));
        }
        samples.push(deflate(b"tree 0\0"));
        samples.push(deflate(b"commit 3\0abc"));
        let mut disagreements = Vec::new();
        let mut sound = 0;
        for round in 0..6_000 {
            let base = &samples[round % samples.len()];
            let mut bytes = base.clone();
            match next() % 4 {
                0 => bytes.truncate((next() as usize) % (bytes.len() + 1)),
                1 => {
                    for _ in 0..1 + next() % 3 {
                        let at = (next() as usize) % bytes.len();
                        bytes[at] ^= 1 << (next() % 8);
                    }
                }
                2 => bytes.extend((0..1 + next() % 8).map(|_| next() as u8)),
                _ => {
                    let at = (next() as usize) % bytes.len();
                    bytes.remove(at);
                }
            }
            let ours = inspect(&bytes).map_err(|_| ());
            sound += usize::from(ours.is_ok());
            // Trailing bytes after a complete stream are ignored by both (git too).
            if ours != reference(&bytes) {
                disagreements.push(round);
            }
        }
        assert_eq!(disagreements, Vec::<usize>::new());
        // Both verdicts occur (appended bytes keep an object sound; most damage does not).
        assert!(sound > 500 && sound < 5_500, "{sound} of 6000 sound");
    }
}
