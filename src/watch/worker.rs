//! The IO half of the watcher: notify's watches, gitignore checks, and the thread that turns
//! raw events into [`WatchEvent`]s through the pure [`Debouncer`].

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::thread::{self, JoinHandle};
use std::time::Instant;

use git2::Repository;
use notify::{RecommendedWatcher, RecursiveMode, Watcher};

use super::batch::{Debouncer, WatchEvent};
use super::classify::{classify, is_relevant, Layout, PathClass};
use super::WatchError;
use crate::repo::{self, RepoError};

/// Whether each directory of the working tree gets its own watch (Linux) rather than one
/// recursive watch on the root (macOS, Windows). inotify has no recursive mode: notify's
/// emulation watches every directory, including gitignored ones such as `target/` and
/// `node_modules/`, which can exhaust `fs.inotify.max_user_watches` and floods the watcher
/// with build output. Walking ourselves skips them. FSEvents and ReadDirectoryChangesW are
/// recursive natively and cheap, so there the root is watched whole and ignored paths are
/// dropped when their events arrive.
const PER_DIRECTORY: bool = cfg!(target_os = "linux");

/// A running watcher. Dropping it stops the watcher and waits for its thread to end, so the
/// callback is not called any more once the drop returns.
#[derive(Debug)]
pub struct WatchHandle {
    root: PathBuf,
    messages: Sender<Message>,
    thread: Option<JoinHandle<()>>,
}

impl WatchHandle {
    /// The working tree root being watched.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Stops watching; the same as dropping the handle.
    pub fn stop(self) {}
}

impl Drop for WatchHandle {
    fn drop(&mut self) {
        // The thread may already be gone (its callback panicked): nothing left to stop.
        let _ = self.messages.send(Message::Stop);
        if let Some(thread) = self.thread.take() {
            // Dropped from inside the callback, joining would wait for ourselves; the thread
            // ends on its own after the callback returns.
            if thread.thread().id() != thread::current().id() {
                let _ = thread.join();
            }
        }
    }
}

#[derive(Debug)]
enum Message {
    Fs(notify::Result<notify::Event>),
    Stop,
}

/// Starts watching the repository containing `path`: its working tree and, in its git dir,
/// HEAD, the index, refs and packed-refs.
///
/// `on_event` is called on the watcher's own thread with each debounced [`WatchEvent`], and
/// with the errors that happen while watching (e.g. the watch limit reached for a new
/// directory); it must not block for long. Changes to gitignored paths and git's internals
/// (objects, logs, lock files) are not reported. The watches are in place when this returns.
pub fn start<F>(path: &Path, on_event: F) -> Result<WatchHandle, WatchError>
where
    F: FnMut(Result<WatchEvent, WatchError>) + Send + 'static,
{
    let (repo, _) = repo::open(path)?;
    let workdir = repo.workdir().ok_or_else(|| RepoError::BareRepository {
        path: clean(repo.path()),
    })?;
    let layout = Layout {
        workdir: clean(workdir),
        git_dir: clean(repo.path()),
        common_dir: clean(repo.commondir()),
    };
    let root = layout.workdir.clone();
    let (messages, receiver) = mpsc::channel();
    let sender = messages.clone();
    let watcher = notify::recommended_watcher(move |result| {
        // Fails only once the worker is gone, when nobody needs the event any more.
        let _ = sender.send(Message::Fs(result));
    })
    .map_err(|e| WatchError::from_notify(root.clone(), e))?;
    let mut worker = Worker {
        repo,
        layout,
        watcher,
        watched: HashSet::new(),
        debouncer: Debouncer::default(),
    };
    worker.install()?;
    let thread = thread::Builder::new()
        .name("redline-watch".into())
        .spawn(move || worker.run(&receiver, on_event))
        .map_err(|source| WatchError::Thread {
            path: root.clone(),
            source,
        })?;
    tracing::debug!(root = %root.display(), "watching");
    Ok(WatchHandle {
        root,
        messages,
        thread: Some(thread),
    })
}

struct Worker {
    /// For gitignore rules and the index (what is tracked, reread when it changes); a
    /// `Repository` is `Send`, so it moves into the thread.
    repo: Repository,
    layout: Layout,
    watcher: RecommendedWatcher,
    /// Directories with their own watch (Linux).
    watched: HashSet<PathBuf>,
    debouncer: Debouncer,
}

impl Worker {
    fn install(&mut self) -> Result<(), WatchError> {
        let workdir = self.layout.workdir.clone();
        if PER_DIRECTORY {
            self.watch_tree(&workdir, false)?;
        } else {
            self.watch(&workdir, RecursiveMode::Recursive)?;
        }
        let git_dir = self.layout.git_dir.clone();
        let common_dir = self.layout.common_dir.clone();
        if PER_DIRECTORY || !git_dir.starts_with(&workdir) {
            self.watch(&git_dir, RecursiveMode::NonRecursive)?;
        }
        if common_dir != git_dir && (PER_DIRECTORY || !common_dir.starts_with(&workdir)) {
            self.watch(&common_dir, RecursiveMode::NonRecursive)?;
        }
        if PER_DIRECTORY || !common_dir.starts_with(&workdir) {
            self.watch(&common_dir.join("refs"), RecursiveMode::Recursive)?;
        }
        Ok(())
    }

    fn watch(&mut self, path: &Path, mode: RecursiveMode) -> Result<(), WatchError> {
        self.watcher
            .watch(path, mode)
            .map_err(|e| WatchError::from_notify(path.to_owned(), e))
    }

    /// Watches `top` and every directory below it that is not ignored and not watched yet.
    /// When `collect`, returns the working-tree paths of the files in the newly watched
    /// directories: a directory that just appeared (or stopped being ignored) may have had its
    /// files written before its watch existed.
    fn watch_tree(&mut self, top: &Path, collect: bool) -> Result<Vec<String>, WatchError> {
        let mut files = Vec::new();
        let mut pending = vec![top.to_owned()];
        while let Some(dir) = pending.pop() {
            let is_new = !self.watched.contains(&dir);
            if is_new {
                match self.watcher.watch(&dir, RecursiveMode::NonRecursive) {
                    Ok(()) => {
                        self.watched.insert(dir.clone());
                    }
                    // Removed again before we got to it: nothing to watch.
                    Err(e) if matches!(e.kind, notify::ErrorKind::PathNotFound) => continue,
                    Err(e) => return Err(WatchError::from_notify(dir, e)),
                }
            }
            let Ok(entries) = std::fs::read_dir(&dir) else {
                // Unreadable (permissions) or gone: git cannot read it either.
                continue;
            };
            for entry in entries.flatten() {
                let Ok(kind) = entry.file_type() else {
                    continue;
                };
                let path = entry.path();
                let PathClass::Worktree(relative) = classify(&self.layout, &path) else {
                    continue; // `.git`
                };
                if self.ignored(&relative) {
                    continue;
                }
                if kind.is_dir() {
                    pending.push(path);
                } else if collect && is_new {
                    files.push(relative);
                }
            }
        }
        Ok(files)
    }

    /// Whether changes to `relative` are left out: it matches the ignore rules, and it is not
    /// a tracked file nor a directory holding one.
    fn ignored(&self, relative: &str) -> bool {
        // An unanswerable question (a malformed .gitignore) errs on the side of reporting.
        if !self.repo.is_path_ignored(relative).unwrap_or(false) {
            return false;
        }
        // a tracked file in an ignored directory (`git add -f`) still shows in the diff;
        // without a readable index nothing counts as tracked
        let Ok(index) = self.repo.index() else {
            return true;
        };
        let tracked = index.get_path(Path::new(relative), 0).is_some()
            || index.find_prefix(format!("{relative}/")).is_ok();
        !tracked
    }

    fn run<F>(mut self, receiver: &Receiver<Message>, mut on_event: F)
    where
        F: FnMut(Result<WatchEvent, WatchError>),
    {
        loop {
            let message = match self.debouncer.deadline() {
                None => receiver.recv().map_err(|_| RecvTimeoutError::Disconnected),
                Some(deadline) => {
                    receiver.recv_timeout(deadline.saturating_duration_since(Instant::now()))
                }
            };
            match message {
                Ok(Message::Stop) | Err(RecvTimeoutError::Disconnected) => break,
                Ok(Message::Fs(Ok(event))) => {
                    if let Err(error) = self.handle(event, Instant::now()) {
                        on_event(Err(error));
                    }
                }
                Ok(Message::Fs(Err(error))) => {
                    on_event(Err(WatchError::from_notify(
                        self.layout.workdir.clone(),
                        error,
                    )));
                }
                Err(RecvTimeoutError::Timeout) => {}
            }
            if let Some(event) = self.debouncer.poll(Instant::now()) {
                on_event(Ok(event));
            }
        }
        tracing::debug!(root = %self.layout.workdir.display(), "stopped watching");
    }

    fn handle(&mut self, event: notify::Event, now: Instant) -> Result<(), WatchError> {
        if event.need_rescan() {
            // The kernel dropped events: we cannot know what changed.
            self.debouncer.add_everything(now);
            return Ok(());
        }
        if !is_relevant(&event.kind) {
            return Ok(());
        }
        for path in &event.paths {
            match classify(&self.layout, path) {
                PathClass::Worktree(relative) => self.worktree_change(path, relative, now)?,
                PathClass::Index => {
                    self.index_change()?;
                    self.debouncer.add(PathClass::Index, now);
                }
                class => self.debouncer.add(class, now),
            }
        }
        Ok(())
    }

    /// Rereads the index; on Linux, watches the ignored directories that now hold a tracked
    /// file (`git add -f`).
    fn index_change(&mut self) -> Result<(), WatchError> {
        // a half-written or locked index stays as last read; the next change rereads it
        let Ok(mut index) = self.repo.index() else {
            return Ok(());
        };
        if index.read(false).is_err() || !PER_DIRECTORY {
            return Ok(());
        }
        // in memory, no syscall per entry: most index writes (`git add`, `git status`) add no
        // directory, and then nothing is walked
        let workdir = &self.layout.workdir;
        let mut unwatched: Vec<PathBuf> = Vec::new();
        // the index is sorted by path, so a directory's files mostly come in a row: a
        // directory is looked up once per row, and no path is built for the rest of it
        let mut previous: Option<Vec<u8>> = None;
        for entry in index.iter() {
            let parent = match entry.path.iter().rposition(|&b| b == b'/') {
                Some(slash) => &entry.path[..slash],
                None => &[][..],
            };
            if previous.as_deref() == Some(parent) {
                continue;
            }
            previous = Some(parent.to_vec());
            let directory = clean(&workdir.join(&*String::from_utf8_lossy(parent)));
            if !self.watched.contains(&directory) {
                unwatched.push(directory);
            }
        }
        // a tracked file the agent deleted leaves its directory unwatched for good: only
        // directories that exist are worth a walk
        if unwatched.iter().any(|directory| directory.is_dir()) {
            let workdir = workdir.clone();
            self.watch_tree(&workdir, false)?;
        }
        Ok(())
    }

    fn worktree_change(
        &mut self,
        path: &Path,
        relative: String,
        now: Instant,
    ) -> Result<(), WatchError> {
        if self.ignored(&relative) {
            return Ok(());
        }
        match std::fs::symlink_metadata(path) {
            Ok(metadata) if metadata.is_dir() => {
                if PER_DIRECTORY && !self.watched.contains(path) {
                    for file in self.watch_tree(path, true)? {
                        self.debouncer.add(PathClass::Worktree(file), now);
                    }
                }
                // Otherwise a directory's own events (entries added or removed) are reported
                // through the entries' events.
            }
            _ => {
                if self.watched.remove(path) {
                    // A watched directory went away; the kernel dropped its watch already.
                    let _ = self.watcher.unwatch(path);
                }
                let rules_changed = relative == ".gitignore" || relative.ends_with("/.gitignore");
                self.debouncer.add(PathClass::Worktree(relative), now);
                if PER_DIRECTORY && rules_changed {
                    // Directories that were ignored until now need their watches.
                    let workdir = self.layout.workdir.clone();
                    for file in self.watch_tree(&workdir, true)? {
                        self.debouncer.add(PathClass::Worktree(file), now);
                    }
                }
            }
        }
        Ok(())
    }
}

/// git2 reports directories with a trailing slash; notify reports paths without one.
fn clean(path: &Path) -> PathBuf {
    path.components().collect()
}
