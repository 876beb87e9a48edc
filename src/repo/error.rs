use std::path::PathBuf;

/// Why a repository could not be read or a target not be resolved.
///
/// Messages are one line and name the thing that failed; the CLI prints them after `error:`
/// and the window shows them verbatim.
#[derive(Debug, thiserror::Error)]
pub enum RepoError {
    #[error("no such directory: {}", path.display())]
    PathNotFound { path: PathBuf },
    #[error("not a git repository: {}", path.display())]
    NotARepository { path: PathBuf },
    #[error("bare repository has no working tree to review: {}", path.display())]
    BareRepository { path: PathBuf },
    #[error("repository has no commits yet: {}", path.display())]
    EmptyRepository { path: PathBuf },
    #[error("unknown revision '{rev}' in {}", path.display())]
    UnknownRevision { rev: String, path: PathBuf },
    #[error("unknown revision '{rev}' in {}: this is a shallow clone, so it may lie beyond the history fetched (git fetch --deepen=N, or git fetch --unshallow)", path.display())]
    BeyondShallowHistory { rev: String, path: PathBuf },
    #[error("cannot read the index (.git/index): {reason}; the working tree and staged changes cannot be reviewed until git can read it (see `git status`), commits still can")]
    CorruptIndex { reason: String },
    #[error("'{rev}' names a {kind}, not a commit")]
    NotACommit { rev: String, kind: String },
    #[error("unknown branch '{name}' in {}", path.display())]
    UnknownBranch { name: String, path: PathBuf },
    #[error("'{file}' has no changes in {target}")]
    FileNotInTarget { file: String, target: String },
    #[error("no turn '{spec}' in {}: {reason}", path.display())]
    NoSuchTurn {
        spec: String,
        reason: String,
        path: PathBuf,
    },
    #[error("invalid session name '{name}': use 1 to 64 letters, digits, '-', '_' or '.', not starting with '.'")]
    InvalidSession { name: String },
    #[error("invalid target '{spec}': {reason}")]
    InvalidTarget { spec: String, reason: String },
    #[error("no default branch to compare '{branch}' with (looked for origin/HEAD, main, master)")]
    NoDefaultBranch { branch: String },
    #[error("cannot read {what}: {} (the repository may be corrupt; try `git fsck`)", source.message())]
    Object {
        what: String,
        #[source]
        source: git2::Error,
    },
    #[error("the parent of commit {commit} is not in this shallow clone: fetch more history (git fetch --deepen=1)")]
    ShallowBoundary { commit: String },
    #[error("cannot read {what}: the loose object {id} is corrupt: {reason} (git cannot read it either; run `git fsck` to see what else is damaged)")]
    CorruptObject {
        id: String,
        what: String,
        reason: String,
    },
    #[error("cannot read {path}: {reason}")]
    Unreadable { path: String, reason: String },
    #[error("internal error: {what}")]
    Internal { what: String },
    #[error("git {command} failed: {reason}")]
    Transport { command: String, reason: String },
    #[error("git failed to {action}: {}", source.message())]
    Git {
        action: String,
        #[source]
        source: git2::Error,
    },
}

impl RepoError {
    /// Wraps a git2 error with what we were doing when it happened.
    pub(crate) fn git(action: impl Into<String>) -> impl FnOnce(git2::Error) -> RepoError {
        let action = action.into();
        move |source| RepoError::Git { action, source }
    }
}
