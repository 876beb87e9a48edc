//! Writes files of the diff model as a git-style unified patch, the text `git diff -M -C`
//! prints, so a review can be handed to `git apply`, an agent or a pager.

use std::collections::HashMap;
use std::io::{self, Write};

use super::file::{FileDiff, FileStatus};
use super::hunk::Hunk;

/// How file names are written, as git's `core.quotePath` says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatchStyle {
    /// Bytes above 0x7f are written as octal escapes (git's default, `core.quotePath=true`);
    /// when false they are written as they are. Control characters, `"` and `\` are always
    /// escaped, and a name with any escape is quoted.
    pub quote_non_ascii: bool,
    /// How many hex digits of an object id the `index` line shows (git's `core.abbrev`, or
    /// its automatic length from the repository's size; 7 for small repositories).
    pub abbrev: usize,
    /// Ids that need more digits to be unique in the repository, as git extends them.
    pub longer: HashMap<String, usize>,
}

impl Default for PatchStyle {
    fn default() -> Self {
        PatchStyle {
            quote_non_ascii: true,
            abbrev: 7,
            longer: HashMap::new(),
        }
    }
}

impl PatchStyle {
    /// `id` abbreviated as git abbreviates it on an `index` line (zeros for a missing side).
    fn short_id(&self, id: Option<&str>) -> String {
        match id {
            Some(id) => {
                let len = self.longer.get(id).copied().unwrap_or(self.abbrev);
                id[..id.len().min(len)].to_owned()
            }
            None => "0".repeat(self.abbrev),
        }
    }
}

/// Writes `files` as a patch, names quoted as git quotes them by default. Files whose hunks
/// were omitted for size print a note instead (load them with `DiffLimits::UNLIMITED` to get a
/// complete patch).
pub fn write_patch(out: &mut impl Write, files: &[FileDiff]) -> io::Result<()> {
    write_patch_with(out, files, &PatchStyle::default())
}

/// [`write_patch`] with names quoted as `style` says.
pub fn write_patch_with(
    out: &mut impl Write,
    files: &[FileDiff],
    style: &PatchStyle,
) -> io::Result<()> {
    for file in files {
        if file.status == FileStatus::TypeChanged {
            // git prints a type change as the deletion of the old entry, then the addition of
            // the new one; the hunks are stored in that order.
            let (removal, addition) = split_type_change(file);
            write_file(out, &removal, style)?;
            write_file(out, &addition, style)?;
        } else {
            write_file(out, file, style)?;
        }
    }
    Ok(())
}

/// `prefix` + `path` as git writes a name in a patch (`quote_c_style` in git's quote.c): as
/// is, or in double quotes with C escapes when it holds a control character, `"`, `\` or (with
/// `quote_non_ascii`) a byte above 0x7f. A newline in a name can then never start a new
/// header line.
pub fn quote_path(prefix: &str, path: &str, style: &PatchStyle) -> String {
    String::from_utf8_lossy(&quote_path_bytes(prefix, path.as_bytes(), style)).into_owned()
}

/// [`quote_path`] over a path's bytes, which need not be UTF-8: with `quote_non_ascii` every
/// byte above 0x7f is an octal escape (so the name is ASCII), without it the bytes are kept.
pub fn quote_path_bytes(prefix: &str, path: &[u8], style: &PatchStyle) -> Vec<u8> {
    let needs = |b: u8| {
        b < 0x20 || b == b'"' || b == b'\\' || b == 0x7f || (b >= 0x80 && style.quote_non_ascii)
    };
    let whole = prefix.as_bytes().iter().chain(path).copied();
    if !whole.clone().any(needs) {
        return whole.collect();
    }
    let mut quoted = Vec::with_capacity(prefix.len() + path.len() + 8);
    quoted.push(b'"');
    for b in whole {
        match b {
            0x07 => quoted.extend_from_slice(b"\\a"),
            0x08 => quoted.extend_from_slice(b"\\b"),
            b'\t' => quoted.extend_from_slice(b"\\t"),
            b'\n' => quoted.extend_from_slice(b"\\n"),
            0x0b => quoted.extend_from_slice(b"\\v"),
            0x0c => quoted.extend_from_slice(b"\\f"),
            b'\r' => quoted.extend_from_slice(b"\\r"),
            b'"' => quoted.extend_from_slice(b"\\\""),
            b'\\' => quoted.extend_from_slice(b"\\\\"),
            b if b < 0x20 || b == 0x7f || (b >= 0x80 && style.quote_non_ascii) => {
                quoted.extend_from_slice(format!("\\{b:03o}").as_bytes())
            }
            b => quoted.push(b),
        }
    }
    quoted.push(b'"');
    quoted
}

fn split_type_change(file: &FileDiff) -> (FileDiff, FileDiff) {
    let split = file
        .hunks
        .iter()
        .position(|h| h.old_lines == 0)
        .unwrap_or(file.hunks.len());
    let [removal_binary, addition_binary] = file.binary_halves.unwrap_or([file.binary; 2]);
    let removal = FileDiff {
        status: FileStatus::Deleted,
        binary: removal_binary,
        new_path: None,
        new_kind: None,
        new_id: None,
        hunks: file.hunks[..split].to_vec(),
        ..file.clone()
    };
    let addition = FileDiff {
        status: FileStatus::Added,
        binary: addition_binary,
        old_path: None,
        old_kind: None,
        old_id: None,
        hunks: file.hunks[split..].to_vec(),
        ..file.clone()
    };
    (removal, addition)
}

fn write_file(out: &mut impl Write, file: &FileDiff, style: &PatchStyle) -> io::Result<()> {
    let old = file
        .old_path
        .as_deref()
        .or(file.new_path.as_deref())
        .unwrap_or_default();
    let new = file
        .new_path
        .as_deref()
        .or(file.old_path.as_deref())
        .unwrap_or_default();
    // The paths' bytes (exact when they are not UTF-8), then the names as git writes them.
    let raw = file.raw_paths.as_deref();
    let old_bytes = raw.and_then(|r| r.old.as_deref().or(r.new.as_deref()));
    let new_bytes = raw.and_then(|r| r.new.as_deref().or(r.old.as_deref()));
    let old = old_bytes.unwrap_or(old.as_bytes());
    let new = new_bytes.unwrap_or(new.as_bytes());
    let name = |prefix: &str, path: &[u8]| quote_path_bytes(prefix, path, style);
    out.write_all(b"diff --git ")?;
    out.write_all(&name("a/", old))?;
    out.write_all(b" ")?;
    out.write_all(&name("b/", new))?;
    out.write_all(b"\n")?;
    let old_mode = file.old_kind.map(|k| k.mode());
    let new_mode = file.new_kind.map(|k| k.mode());
    match file.status {
        FileStatus::Added => writeln!(out, "new file mode {}", new_mode.unwrap_or("100644"))?,
        FileStatus::Deleted => writeln!(out, "deleted file mode {}", old_mode.unwrap_or("100644"))?,
        _ => {
            if let (Some(o), Some(n)) = (old_mode, new_mode) {
                if o != n {
                    writeln!(out, "old mode {o}\nnew mode {n}")?;
                }
            }
        }
    }
    let (verb, is_move) = match file.status {
        FileStatus::Renamed => ("rename", true),
        FileStatus::Copied => ("copy", true),
        _ => ("", false),
    };
    if is_move {
        if let Some(similarity) = file.similarity {
            writeln!(out, "similarity index {similarity}%")?;
        }
        write!(out, "{verb} from ")?;
        out.write_all(&name("", old))?;
        write!(out, "\n{verb} to ")?;
        out.write_all(&name("", new))?;
        out.write_all(b"\n")?;
    }
    // git prints no index line when the content is the same (a pure rename, a mode change)
    let unchanged_content = file.old_id.is_some() && file.old_id == file.new_id;
    if !unchanged_content {
        let mode_suffix = match (file.status, old_mode, new_mode) {
            (FileStatus::Added | FileStatus::Deleted, _, _) => String::new(),
            (_, Some(o), Some(n)) if o == n => format!(" {o}"),
            _ => String::new(),
        };
        writeln!(
            out,
            "index {}..{}{mode_suffix}",
            style.short_id(file.old_id.as_deref()),
            style.short_id(file.new_id.as_deref())
        )?;
    }
    let old_label = match file.status {
        FileStatus::Added => b"/dev/null".to_vec(),
        _ => name("a/", old),
    };
    let new_label = match file.status {
        FileStatus::Deleted => b"/dev/null".to_vec(),
        _ => name("b/", new),
    };
    // git ends a `---`/`+++` name holding a space with a tab, so patch(1) knows where the
    // name ends (diff.c: name_a_tab).
    let tab = |label: &[u8], name: &[u8]| {
        if label != b"/dev/null" && name.contains(&b' ') {
            &b"\t"[..]
        } else {
            &b""[..]
        }
    };
    if file.binary {
        out.write_all(b"Binary files ")?;
        out.write_all(&old_label)?;
        out.write_all(b" and ")?;
        out.write_all(&new_label)?;
        return out.write_all(b" differ\n");
    }
    if file.hunks.is_empty() {
        if file.omitted.is_some() {
            out.write_all(b"# hunks omitted for size: ")?;
            out.write_all(&name("", new))?;
            writeln!(out, " +{} -{}", file.additions, file.deletions)?;
        }
        return Ok(());
    }
    for (sign, label, path) in [(b"--- ", &old_label, old), (b"+++ ", &new_label, new)] {
        out.write_all(sign)?;
        out.write_all(label)?;
        out.write_all(tab(label, path))?;
        out.write_all(b"\n")?;
    }
    for hunk in &file.hunks {
        write_hunk(out, hunk)?;
    }
    Ok(())
}

fn write_hunk(out: &mut impl Write, hunk: &Hunk) -> io::Result<()> {
    match hunk.raw_header() {
        Some(bytes) => out.write_all(bytes)?,
        None => out.write_all(hunk.header.as_bytes())?,
    }
    out.write_all(b"\n")?;
    for (index, line) in hunk.lines().enumerate() {
        // A line that is not UTF-8 is written as its bytes, so the patch applies.
        match hunk.raw_line(index) {
            Some(bytes) => {
                write!(out, "{}", line.kind.sign())?;
                out.write_all(bytes)?;
                out.write_all(b"\n")?;
            }
            None => writeln!(out, "{}{}", line.kind.sign(), line.text)?,
        }
        if line.no_newline {
            writeln!(out, "\\ No newline at end of file")?;
        }
    }
    Ok(())
}
