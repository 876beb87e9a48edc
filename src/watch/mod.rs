//! Watches a working tree and its git refs; reports debounced "target changed" events.
