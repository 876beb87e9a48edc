//! Output of `redline watch`: one JSON line per debounced change, until interrupted.

use std::io::{self, Write};
use std::path::Path;
use std::sync::mpsc::Receiver;

use redline::watch::{WatchError, WatchEvent};

/// Prints each event as it arrives. Returns when the watcher stops or the reader goes away
/// (`redline watch | head -1`). Errors while watching are warnings on stderr: the watcher
/// keeps going with what it could watch.
pub fn write_events(
    out: &mut impl Write,
    root: &Path,
    events: &Receiver<Result<WatchEvent, WatchError>>,
) -> io::Result<()> {
    // On stderr so stdout stays pure JSON lines; also tells scripts the watches are in place.
    eprintln!(
        "watching {} for changes: one JSON line per change (Ctrl-C to stop)",
        root.display()
    );
    for event in events {
        match event {
            Ok(event) => {
                serde_json::to_writer(&mut *out, &event)?;
                writeln!(out)?;
                out.flush()?;
            }
            Err(error) => eprintln!("warning: {error}"),
        }
    }
    Ok(())
}
