//! Parsing with syn inside limits: size and depth checked first, then parsed on a thread of
//! its own whose stack the depth limits were measured against.

use super::depth;
use super::RustParseError;

/// Sources larger than this are not parsed: syn holds the whole tree in memory (tens of bytes
/// per source byte) and no hand-written Rust file comes near it.
pub const MAX_BYTES: u32 = 8 * 1024 * 1024;

/// The deepest bracket / generic nesting parsed (see [`depth`]). Real code stays well under
/// 100; at ~53 KB of stack per level in a debug build, the limit needs ~14 MB of
/// [`PARSE_STACK_BYTES`].
pub const MAX_DEPTH: u32 = 256;

/// The longest operator chain parsed (see [`depth`]): ~1,000 comparisons in one condition. At
/// ~4 KB of stack per level in a debug build, the limit needs ~17 MB of [`PARSE_STACK_BYTES`].
pub const MAX_CHAIN: u32 = 4096;

/// The stack of the parser thread: both limits at once with twice that to spare for the
/// visitors. Only the pages touched are committed, so a small file costs little.
pub const PARSE_STACK_BYTES: usize = 64 * 1024 * 1024;

/// Checks `source` against the limits, parses it and runs `analyse` on the tree, all on a
/// parser thread with [`PARSE_STACK_BYTES`] of stack. Span locations (line and column) are
/// recorded per thread by proc-macro2 and freed with the thread, so analysing many files does
/// not accumulate them.
pub fn with_file<T: Send>(
    source: &str,
    analyse: impl FnOnce(&syn::File) -> T + Send,
) -> Result<T, RustParseError> {
    let bytes = u32::try_from(source.len()).unwrap_or(u32::MAX);
    if bytes > MAX_BYTES {
        return Err(RustParseError::TooLarge {
            bytes,
            limit: MAX_BYTES,
        });
    }
    let depth = depth::estimate(source);
    if depth.nesting > MAX_DEPTH {
        return Err(RustParseError::TooDeep {
            depth: depth.nesting,
            limit: MAX_DEPTH,
        });
    }
    if depth.chain > MAX_CHAIN {
        return Err(RustParseError::TooDeep {
            depth: depth.chain,
            limit: MAX_CHAIN,
        });
    }
    std::thread::scope(|scope| {
        let parser = std::thread::Builder::new()
            .name("rust-api-parse".into())
            .stack_size(PARSE_STACK_BYTES)
            .spawn_scoped(scope, || {
                let file = syn::parse_file(source).map_err(|error| {
                    let start = error.span().start();
                    RustParseError::Syntax {
                        line: u32::try_from(start.line).unwrap_or(u32::MAX),
                        column: u32::try_from(start.column + 1).unwrap_or(u32::MAX),
                        message: message_of(&error),
                    }
                })?;
                Ok(analyse(&file))
            })
            .map_err(|error| RustParseError::Internal {
                message: format!("could not start the parser thread: {error}"),
            })?;
        parser.join().unwrap_or_else(|_| {
            Err(RustParseError::Internal {
                message: "the Rust parser stopped unexpectedly (see the log)".into(),
            })
        })
    })
}

/// syn's message, except the lexer's, which says nothing about the cause.
fn message_of(error: &syn::Error) -> String {
    let message = error.to_string();
    if message == "cannot parse string into token stream" {
        "cannot split into tokens: an unclosed bracket, string or comment, or a stray \
         character"
            .into()
    } else {
        message
    }
}
