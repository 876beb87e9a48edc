//! Object ids abbreviated as git abbreviates them: `core.abbrev`, or (unset or `auto`) a
//! length from the number of packed objects, at least 7, each id then extended until no other
//! object shares its prefix.

use std::collections::HashMap;

use git2::{ErrorCode, Oid, Repository};

/// git's fallback length, and the floor of its automatic one.
const FALLBACK: usize = 7;
/// git refuses shorter abbreviations.
const MINIMUM: usize = 4;

/// The length git starts from in `repo`.
pub fn abbrev_len(repo: &Repository) -> usize {
    let configured = repo
        .config()
        .ok()
        .and_then(|c| c.get_string("core.abbrev").ok());
    match configured.as_deref().map(str::trim) {
        Some("no") => 40,
        Some(value) if value != "auto" => match value.parse::<usize>() {
            Ok(n) => n.clamp(MINIMUM, 40),
            Err(_) => automatic(repo),
        },
        _ => automatic(repo),
    }
}

/// git's automatic length: 2^n objects expect a collision at 2^(n/2), four bits per hex
/// digit, so half the object count's bit length, rounded up; never under 7.
fn automatic(repo: &Repository) -> usize {
    let count = packed_objects(repo);
    let bits = if count == 0 {
        0
    } else {
        (u64::BITS - count.leading_zeros()) as usize // msb(count) + 1
    };
    bits.div_ceil(2).max(FALLBACK)
}

/// The objects in the repository's pack indexes (what git's approximate count reads).
fn packed_objects(repo: &Repository) -> u64 {
    let Ok(entries) = std::fs::read_dir(repo.path().join("objects").join("pack")) else {
        return 0;
    };
    entries
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "idx"))
        .filter_map(|e| {
            // Version 2 index: magic, version, then a 256-entry fan-out whose last entry is the
            // object count.
            use std::io::{Read, Seek, SeekFrom};
            let mut file = std::fs::File::open(e.path()).ok()?;
            let mut head = [0u8; 8];
            file.read_exact(&mut head).ok()?;
            let offset = if head[..4] == [0xff, 0x74, 0x4f, 0x63] {
                8
            } else {
                0
            };
            file.seek(SeekFrom::Start(offset + 255 * 4)).ok()?;
            let mut last = [0u8; 4];
            file.read_exact(&mut last).ok()?;
            Some(u64::from(u32::from_be_bytes(last)))
        })
        .sum()
}

/// For each of `ids` that needs more than `len` digits to be unique in `repo`, its length.
pub fn longer_ids(
    repo: &Repository,
    ids: impl IntoIterator<Item = Oid>,
    len: usize,
) -> HashMap<String, usize> {
    let mut longer = HashMap::new();
    let Ok(odb) = repo.odb() else {
        return longer;
    };
    for id in ids {
        let mut n = len;
        while n < 40 {
            match odb.exists_prefix(id, n) {
                Err(e) if e.code() == ErrorCode::Ambiguous => n += 1,
                _ => break,
            }
        }
        if n > len {
            longer.insert(id.to_string(), n);
        }
    }
    longer
}
