//! Lines of a file's side by number: what the window reads to show more unchanged lines around
//! a hunk than the diff's three ("expand context"). The diff itself keeps git's context, so hunk
//! ids and patches stay git's; the window asks for the lines between and around hunks here.
//!
//! A side is named by its blob id (`FileDiff::old_id` / `new_id`), read as
//! [`super::highlight`] reads it ([`repo::read_blob`]): from the object database, or, for a
//! working-tree side git hashed but did not store, from the working-tree file when its content
//! still has that id.

use std::path::Path;

use serde::Serialize;
use specta::Type;
use tracing::instrument;

use crate::error::{ErrorKind, ErrorReport};
use crate::repo::{self, RepoError};

/// The most lines one request may ask for: a window shows a few dozen at a time, and a reader
/// expanding a 100,000-line file asks page by page.
pub const MAX_FILE_LINES: u32 = 10_000;

/// The most bytes of lines one request may return: a minified file's one line can be
/// megabytes, which the window cannot show usefully and should not be sent whole.
pub const MAX_FILE_LINES_BYTES: usize = 4 * 1024 * 1024;

/// Lines `start..=end` of one side of a file, as text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct FileLines {
    /// The lines asked for that the file has, without their line terminator (a `\r` of a CRLF
    /// file is kept, as in the diff's lines); fewer than asked when the range runs past the
    /// end of the file.
    pub lines: Vec<String>,
    /// How many lines the whole side has (a last line without a newline counts).
    pub total: u32,
    /// Per line of `lines`: its bytes were not valid UTF-8 and the text is a lossy rendering.
    pub lossy: Vec<bool>,
}

/// Why lines could not be given.
#[derive(Debug, thiserror::Error)]
pub enum LinesError {
    #[error(transparent)]
    Repo(#[from] RepoError),
    /// Line numbers are 1-based and the range runs forwards.
    #[error("cannot read lines {start} to {end} of {path}: lines are numbered from 1 and the range must not run backwards")]
    BadRange { path: String, start: u32, end: u32 },
    /// The range starts after the file's last line.
    #[error("{path} has {total} lines; there is no line {start}")]
    PastEnd {
        path: String,
        start: u32,
        total: u32,
    },
    /// More lines than [`MAX_FILE_LINES`] at once.
    #[error(
        "cannot read {count} lines of {path} at once (at most {limit}): ask for a smaller range"
    )]
    TooMany {
        path: String,
        count: u64,
        limit: u32,
    },
    /// The lines asked for hold more than [`MAX_FILE_LINES_BYTES`].
    #[error("lines {start} to {end} of {path} hold more than {limit} bytes: ask for fewer lines")]
    TooLarge {
        path: String,
        start: u32,
        end: u32,
        limit: usize,
    },
    /// One line alone holds more than [`MAX_FILE_LINES_BYTES`] (a minified file's).
    #[error(
        "line {line} of {path} is {bytes} bytes long, more than the {limit} bytes shown at once"
    )]
    LineTooLong {
        path: String,
        line: u32,
        bytes: usize,
        limit: usize,
    },
    /// The blob holds binary content (git's rule: a NUL in its first 8,000 bytes).
    #[error("{path} (blob {blob_id}) is a binary file: it has no lines to show")]
    Binary { path: String, blob_id: String },
}

impl From<LinesError> for ErrorReport {
    fn from(error: LinesError) -> Self {
        match error {
            LinesError::Repo(error) => error.into(),
            other => ErrorReport {
                kind: ErrorKind::InvalidLines,
                message: other.to_string(),
            },
        }
    }
}

/// Lines `start..=end` (1-based, inclusive) of blob `blob_id`, a side of the file at `path` in
/// the repository containing `repo_path` (`path` finds a working-tree side git did not store,
/// and names the file in errors). An `end` past the last line is cut to it; a `start` past it,
/// a backwards range, line 0, more than [`MAX_FILE_LINES`] lines or [`MAX_FILE_LINES_BYTES`]
/// bytes, or a binary blob is an error.
#[instrument(level = "debug")]
pub fn file_lines(
    repo_path: &Path,
    blob_id: &str,
    path: &str,
    start: u32,
    end: u32,
) -> Result<FileLines, LinesError> {
    if start == 0 || end < start {
        return Err(LinesError::BadRange {
            path: path.to_owned(),
            start,
            end,
        });
    }
    let count = u64::from(end) - u64::from(start) + 1;
    if count > u64::from(MAX_FILE_LINES) {
        return Err(LinesError::TooMany {
            path: path.to_owned(),
            count,
            limit: MAX_FILE_LINES,
        });
    }
    let (repo, _) = repo::open(repo_path)?;
    let content = repo::read_blob(&repo, blob_id, Some(path))?;
    if crate::diff::is_binary(&content) {
        return Err(LinesError::Binary {
            path: path.to_owned(),
            blob_id: blob_id.to_owned(),
        });
    }
    lines_of(&content, path, start, end, MAX_FILE_LINES_BYTES)
}

/// [`file_lines`] of `content`, at most `byte_limit` bytes of lines.
fn lines_of(
    content: &[u8],
    path: &str,
    start: u32,
    end: u32,
    byte_limit: usize,
) -> Result<FileLines, LinesError> {
    // A final newline ends the last line; it does not start another.
    let body = content.strip_suffix(b"\n").unwrap_or(content);
    let total = if content.is_empty() {
        0
    } else {
        u32::try_from(body.iter().filter(|&&b| b == b'\n').count() + 1).unwrap_or(u32::MAX)
    };
    if start > total {
        return Err(LinesError::PastEnd {
            path: path.to_owned(),
            start,
            total,
        });
    }
    let skip = (start - 1) as usize;
    let take = (end.min(total) - start + 1) as usize;
    let mut lines = Vec::with_capacity(take);
    let mut lossy = Vec::with_capacity(take);
    let mut bytes = 0usize;
    for (number, line) in (start..).zip(body.split(|&b| b == b'\n').skip(skip).take(take)) {
        if line.len() > byte_limit {
            return Err(LinesError::LineTooLong {
                path: path.to_owned(),
                line: number,
                bytes: line.len(),
                limit: byte_limit,
            });
        }
        bytes += line.len();
        if bytes > byte_limit {
            return Err(LinesError::TooLarge {
                path: path.to_owned(),
                start,
                end,
                limit: byte_limit,
            });
        }
        match std::str::from_utf8(line) {
            Ok(text) => {
                lines.push(text.to_owned());
                lossy.push(false);
            }
            Err(_) => {
                lines.push(String::from_utf8_lossy(line).into_owned());
                lossy.push(true);
            }
        }
    }
    Ok(FileLines {
        lines,
        total,
        lossy,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(content: &[u8], start: u32, end: u32) -> FileLines {
        lines_of(content, "f", start, end, MAX_FILE_LINES_BYTES).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn a_final_newline_ends_the_last_line_and_a_missing_one_still_counts_it() {
        assert_eq!(lines(b"a\nb\n", 1, 5).total, 2);
        assert_eq!(lines(b"a\nb", 1, 5).lines, ["a", "b"]);
        assert_eq!(lines(b"a\n\n", 2, 2).lines, [""]);
        assert_eq!(lines(b"\n", 1, 1).lines, [""]);
        assert_eq!(lines(b"x\r\ny\r\n", 2, 2).lines, ["y\r"]);
    }

    #[test]
    fn an_empty_file_has_no_line_one() {
        assert!(matches!(
            lines_of(b"", "f", 1, 1, MAX_FILE_LINES_BYTES),
            Err(LinesError::PastEnd { total: 0, .. })
        ));
    }

    #[test]
    fn lines_past_the_byte_limit_are_refused_and_those_within_it_given() {
        let content = b"short\nthis line is longer\nend\n";
        assert_eq!(
            lines_of(content, "f", 1, 1, 5)
                .map(|l| l.lines)
                .unwrap_or_else(|e| panic!("{e}")),
            ["short"]
        );
        let long = lines_of(content, "f", 2, 2, 5);
        assert!(
            matches!(
                long,
                Err(LinesError::LineTooLong {
                    line: 2,
                    bytes: 19,
                    limit: 5,
                    ..
                })
            ),
            "{long:?}"
        );
        let refused = lines_of(b"short\nshort\n", "f", 1, 2, 5);
        assert!(
            matches!(
                refused,
                Err(LinesError::TooLarge {
                    start: 1,
                    end: 2,
                    limit: 5,
                    ..
                })
            ),
            "{refused:?}"
        );
    }

    #[test]
    fn invalid_utf8_is_rendered_lossily_and_said_so() {
        let got = lines(b"ok\n\xff\xfe bad\n", 1, 2);
        assert_eq!(got.lines, ["ok", "\u{fffd}\u{fffd} bad"]);
        assert_eq!(got.lossy, [false, true]);
    }
}
