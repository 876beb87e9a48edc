//! Coalescing: many filesystem events in, a few [`WatchEvent`]s out. Pure; time is passed in.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use serde::Serialize;
use specta::Type;

use super::classify::PathClass;

/// How long the filesystem must stay quiet before a batch is reported. Long enough to span the
/// gaps between the writes of one burst (an agent applying an edit to many files, `git
/// checkout`, a formatter), short enough that a single save shows up at once.
pub const QUIET_PERIOD: Duration = Duration::from_millis(250);

/// The longest a change waits to be reported while writes keep coming: an agent working for
/// minutes still refreshes the view about once a second, not only when it stops.
pub const MAX_LATENCY: Duration = Duration::from_secs(1);

/// How many changed paths an event lists. The event is a "refresh" signal; the listing is a
/// sample for logs and status lines, and bounding it keeps an event small when thousands of
/// files change. [`WatchEvent::changed`] has the full count.
pub const MAX_SAMPLE_PATHS: usize = 20;

/// Something changed in a watched repository: the targets to refresh.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct WatchEvent {
    /// Files of the working tree changed (the `worktree` target).
    pub worktree: bool,
    /// The index changed (the `staged` and `worktree` targets).
    pub index: bool,
    /// HEAD moved to another branch or commit (every target relative to HEAD).
    pub head: bool,
    /// A ref changed: a commit, a new or moved branch, a fetch (commit, range, branch targets).
    pub refs: bool,
    /// Some of the changed working-tree paths, relative to the root, `/`-separated, sorted; at
    /// most [`MAX_SAMPLE_PATHS`].
    pub paths: Vec<String>,
    /// How many distinct working-tree paths changed.
    pub changed: u32,
}

/// Collects classified paths into a pending batch and says when to report it: after
/// [`QUIET_PERIOD`] without a new change, or [`MAX_LATENCY`] after the batch's first change.
#[derive(Debug, Default)]
pub(crate) struct Debouncer {
    pending: Option<Pending>,
}

#[derive(Debug)]
struct Pending {
    first: Instant,
    last: Instant,
    event: WatchEvent,
    paths: BTreeSet<String>,
}

impl Debouncer {
    /// Adds one classified path seen at `now`; noise is dropped without starting a batch.
    pub fn add(&mut self, class: PathClass, now: Instant) {
        if class == PathClass::Noise {
            return;
        }
        let pending = self.pending.get_or_insert_with(|| Pending {
            first: now,
            last: now,
            event: WatchEvent::default(),
            paths: BTreeSet::new(),
        });
        pending.last = now;
        match class {
            PathClass::Worktree(path) => {
                pending.event.worktree = true;
                pending.paths.insert(path);
            }
            PathClass::Index => pending.event.index = true,
            PathClass::Head => pending.event.head = true,
            PathClass::Refs => pending.event.refs = true,
            PathClass::Noise => {}
        }
    }

    /// Records that events were lost (the kernel queue overflowed): anything may have changed.
    pub fn add_everything(&mut self, now: Instant) {
        for class in [PathClass::Index, PathClass::Head, PathClass::Refs] {
            self.add(class, now);
        }
        if let Some(pending) = &mut self.pending {
            pending.event.worktree = true;
        }
    }

    /// When the pending batch is due, if there is one.
    pub fn deadline(&self) -> Option<Instant> {
        self.pending
            .as_ref()
            .map(|p| (p.last + QUIET_PERIOD).min(p.first + MAX_LATENCY))
    }

    /// Takes the pending batch if it is due at `now`.
    pub fn poll(&mut self, now: Instant) -> Option<WatchEvent> {
        match self.deadline() {
            Some(deadline) if now >= deadline => self.flush(),
            _ => None,
        }
    }

    /// Takes the pending batch, due or not.
    pub fn flush(&mut self) -> Option<WatchEvent> {
        let Pending {
            mut event, paths, ..
        } = self.pending.take()?;
        event.changed = u32::try_from(paths.len()).unwrap_or(u32::MAX);
        event.paths = paths.into_iter().take(MAX_SAMPLE_PATHS).collect();
        Some(event)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str) -> PathClass {
        PathClass::Worktree(path.into())
    }

    #[test]
    fn noise_alone_reports_nothing() {
        let mut debouncer = Debouncer::default();
        let t0 = Instant::now();
        debouncer.add(PathClass::Noise, t0);
        assert_eq!(debouncer.deadline(), None);
        assert_eq!(debouncer.poll(t0 + Duration::from_secs(10)), None);
    }

    #[test]
    fn a_burst_becomes_one_event_after_the_quiet_period() {
        let mut debouncer = Debouncer::default();
        let t0 = Instant::now();
        for i in 0..1000u64 {
            // 1,000 writes, 0.1 ms apart: one burst of 100 ms.
            let now = t0 + Duration::from_micros(100 * i);
            debouncer.add(file(&format!("src/f{i:04}.rs")), now);
            debouncer.add(file(&format!("src/f{i:04}.rs")), now); // modify + close-write
            assert_eq!(debouncer.poll(now), None);
        }
        let last = t0 + Duration::from_micros(100 * 999);
        assert_eq!(debouncer.poll(last + QUIET_PERIOD / 2), None);
        let event = debouncer.poll(last + QUIET_PERIOD).unwrap();
        assert!(event.worktree && !event.index && !event.head && !event.refs);
        assert_eq!(event.changed, 1000);
        assert_eq!(event.paths.len(), MAX_SAMPLE_PATHS);
        assert_eq!(event.paths[0], "src/f0000.rs");
        assert_eq!(debouncer.deadline(), None, "the batch was taken");
    }

    #[test]
    fn steady_writes_are_reported_at_the_latest_after_max_latency() {
        let mut debouncer = Debouncer::default();
        let t0 = Instant::now();
        let step = QUIET_PERIOD / 2;
        let mut events = Vec::new();
        let mut reported_at = Vec::new();
        for i in 0..30 {
            // A write every 125 ms for 3.75 s: never quiet for QUIET_PERIOD.
            let now = t0 + step * i;
            debouncer.add(file("log.txt"), now);
            if let Some(event) = debouncer.poll(now) {
                events.push(event);
                reported_at.push(now - t0);
            }
        }
        // Only the latency bound fires: a batch opens with the first write after a report
        // and is reported MAX_LATENCY later (at 1 s, 2.125 s, 3.25 s).
        assert_eq!(events.len(), 3, "{reported_at:?}");
        assert_eq!(reported_at[0], MAX_LATENCY);
    }

    #[test]
    fn git_changes_are_flagged_and_not_counted_as_paths() {
        let mut debouncer = Debouncer::default();
        let t0 = Instant::now();
        debouncer.add(PathClass::Index, t0);
        debouncer.add(PathClass::Refs, t0);
        debouncer.add(PathClass::Head, t0);
        let event = debouncer.flush().unwrap();
        assert_eq!(
            event,
            WatchEvent {
                worktree: false,
                index: true,
                head: true,
                refs: true,
                paths: vec![],
                changed: 0,
            }
        );
    }

    #[test]
    fn lost_events_mean_everything_changed() {
        let mut debouncer = Debouncer::default();
        debouncer.add_everything(Instant::now());
        let event = debouncer.flush().unwrap();
        assert!(event.worktree && event.index && event.head && event.refs);
    }
}
