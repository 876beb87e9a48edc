//! A small, realistic demo repository, so a newcomer sees a real review at once.
//!
//! `redline demo [PATH]` and the desktop app (when started outside any git repository) build
//! "shopfront": a Rust crate, a TypeScript cart widget and a Python report script, with a history
//! on `main` that mixes human commits with commits written by Claude Code, the GitHub Copilot
//! coding agent, Devin and Aider, each signed the way that tool really signs, plus one human
//! commit that merely mentions Claude in prose. Two side branches (an agent branch with typical AI
//! slips, and a human one) and an uncommitted "live agent session" (one staged change, one
//! unstaged change, one untracked file) give every review target something to show.
//!
//! Everything is written with git2 and fixed identities and timestamps, so every build produces
//! the same commit ids.

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use git2::build::CheckoutBuilder;
use git2::{
    BranchType, ErrorCode, Oid, Repository, RepositoryInitOptions, Signature, Time, TreeBuilder,
};
use serde::Serialize;

/// The branch the demo checks out, whatever the user's `init.defaultBranch` says.
const MAIN: &str = "main";
const MAIN_REF: &str = "refs/heads/main";
/// The agent branch forks from `main` after this many commits.
const AGENT_FORK_AFTER: usize = 5;
const AGENT_BRANCH: &str = "agent/bulk-discounts";
const HUMAN_BRANCH: &str = "maya/report-csv";

/// The content of one version of a demo file, kept as a file under `src/demo/files/`: one
/// directory per commit of the script (`main/`, `agent/`, `human/`, then `live/` for the
/// uncommitted session) holding the files that commit writes, at their paths in the demo.
/// Two are renamed so they act on nothing here: `gitignore` is the demo's `.gitignore`, and
/// `Cargo.toml.txt` its `Cargo.toml` (a nested manifest would be taken for a package).
macro_rules! demo_file {
    ($path:literal) => {
        include_str!(concat!("demo/files/", $path))
    };
}

/// A 1×1 transparent PNG.
const LOGO_PNG: &[u8] = include_bytes!("demo/files/main/6-logo/assets/logo.png");

/// Where the app keeps its demo repository: `<dirs::data_dir()>/redline/demo`.
///
/// `None` when the platform has no data directory (no home directory, for instance).
pub fn default_path() -> Option<PathBuf> {
    dirs::data_dir().map(|dir| dir.join("redline").join("demo"))
}

/// [`ensure`] at [`default_path`]: the demo the desktop app opens outside a repository.
pub fn ensure_default() -> Result<DemoRepo, DemoError> {
    ensure(&default_path().ok_or(DemoError::NoDataDir)?)
}

/// A demo repository on disk, and what it holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DemoRepo {
    /// The working tree root, as given to [`create`] or [`ensure`].
    pub path: PathBuf,
    /// Number of commits reachable from `main`.
    pub commits: usize,
    /// How many of those commits the demo's script marks as written by an AI agent.
    pub ai_commits: usize,
    /// Local branches other than `main`, sorted by name.
    pub branches: Vec<String>,
}

/// Why the demo repository could not be built or opened.
///
/// Messages are one line and name the thing that failed.
#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    /// The platform has no data directory (no home directory, for instance).
    #[error("no data directory to keep the demo repository in (is HOME set?)")]
    NoDataDir,
    /// The target directory already holds files (and is not a repository to reuse).
    #[error("cannot build the demo in {}: the directory is not empty", path.display())]
    NotEmpty {
        /// The directory that was refused.
        path: PathBuf,
    },
    /// A file system operation failed.
    #[error("cannot {action} {}: {source}", path.display())]
    Io {
        /// What was being done, e.g. "create the directory".
        action: String,
        /// The file or directory it was done to.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: io::Error,
    },
    /// A git operation failed.
    #[error("git failed to {action}: {}", source.message())]
    Git {
        /// What was being done, e.g. "write the commit 'Add cart widget'".
        action: String,
        /// The underlying error.
        #[source]
        source: git2::Error,
    },
}

fn io_error(action: &str, path: &Path) -> impl FnOnce(io::Error) -> DemoError {
    let action = action.to_owned();
    let path = path.to_owned();
    move |source| DemoError::Io {
        action,
        path,
        source,
    }
}

fn git_error(action: impl Into<String>) -> impl FnOnce(git2::Error) -> DemoError {
    let action = action.into();
    move |source| DemoError::Git { action, source }
}

/// Builds the demo repository at `path` (created if missing; must be empty if it exists).
///
/// On success `main` is checked out with the live session's changes in the working tree and
/// the index. On failure, whatever this call wrote is removed again.
pub fn create(path: &Path) -> Result<DemoRepo, DemoError> {
    let existed = match fs::metadata(path) {
        Ok(meta) if meta.is_dir() => {
            if !is_empty_dir(path)? {
                return Err(DemoError::NotEmpty {
                    path: path.to_owned(),
                });
            }
            true
        }
        Ok(_) => return Err(not_a_directory(path)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            fs::create_dir_all(path).map_err(io_error("create the directory", path))?;
            false
        }
        Err(e) => return Err(io_error("read", path)(e)),
    };
    match build(path) {
        Ok(demo) => {
            tracing::info!(path = %path.display(), commits = demo.commits, "built the demo repository");
            Ok(demo)
        }
        Err(e) => {
            remove_partial(path, existed);
            Err(e)
        }
    }
}

/// Returns the demo at `path`, building it first if `path` does not exist yet or is an empty
/// dir. If it exists and is already a git repository, reuse it as is.
///
/// A non-empty directory that is not a git repository is refused with
/// [`DemoError::NotEmpty`]; nothing in it is touched.
pub fn ensure(path: &Path) -> Result<DemoRepo, DemoError> {
    match fs::metadata(path) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => return create(path),
        Err(e) => return Err(io_error("read", path)(e)),
        Ok(meta) if meta.is_dir() && is_empty_dir(path)? => return create(path),
        Ok(_) => {}
    }
    match Repository::open(path) {
        Ok(repo) => {
            tracing::debug!(path = %path.display(), "reusing the demo repository");
            describe(&repo, path)
        }
        Err(e) if e.code() == ErrorCode::NotFound => {
            if path.is_dir() {
                Err(DemoError::NotEmpty {
                    path: path.to_owned(),
                })
            } else {
                Err(not_a_directory(path))
            }
        }
        Err(e) => Err(git_error(format!(
            "open the demo repository at {}",
            path.display()
        ))(e)),
    }
}

fn not_a_directory(path: &Path) -> DemoError {
    DemoError::Io {
        action: "build the demo in".to_owned(),
        path: path.to_owned(),
        source: io::Error::new(io::ErrorKind::NotADirectory, "not a directory"),
    }
}

fn is_empty_dir(path: &Path) -> Result<bool, DemoError> {
    let mut entries = fs::read_dir(path).map_err(io_error("read the directory", path))?;
    Ok(entries.next().is_none())
}

/// Best effort: a half-built demo must not be mistaken for a finished one by [`ensure`].
fn remove_partial(path: &Path, existed: bool) {
    let result = if existed {
        clear_dir(path)
    } else {
        fs::remove_dir_all(path)
    };
    if let Err(e) = result {
        tracing::warn!(path = %path.display(), error = %e, "could not remove the partly built demo");
    }
}

fn clear_dir(path: &Path) -> io::Result<()> {
    for entry in fs::read_dir(path)? {
        let entry = entry?;
        if entry.file_type()?.is_dir() {
            fs::remove_dir_all(entry.path())?;
        } else {
            fs::remove_file(entry.path())?;
        }
    }
    Ok(())
}

fn build(path: &Path) -> Result<DemoRepo, DemoError> {
    let mut opts = RepositoryInitOptions::new();
    opts.initial_head(MAIN);
    let repo = Repository::init_opts(path, &opts).map_err(git_error(format!(
        "create a repository in {}",
        path.display()
    )))?;
    let mut main = History::new(&repo);
    let mut agent_fork = None;
    for (i, step) in main_steps().iter().enumerate() {
        if i == AGENT_FORK_AFTER {
            agent_fork = Some(main.clone());
        }
        main.commit(step)?;
    }
    let mut agent = agent_fork.unwrap_or_else(|| main.clone());
    for step in &agent_steps() {
        agent.commit(step)?;
    }
    let mut human = main.clone();
    for step in &report_csv_steps() {
        human.commit(step)?;
    }

    for (name, history) in [
        (AGENT_BRANCH, &agent),
        (HUMAN_BRANCH, &human),
        (MAIN, &main),
    ] {
        if let Some(tip) = history.head {
            repo.reference(&format!("refs/heads/{name}"), tip, true, "redline demo")
                .map_err(git_error(format!("create the branch {name}")))?;
        }
    }
    repo.set_head(MAIN_REF)
        .map_err(git_error("point HEAD at main"))?;
    repo.checkout_head(Some(CheckoutBuilder::new().force()))
        .map_err(git_error("check out main"))?;

    write_live_session(&repo, path)?;
    describe(&repo, path)
}

/// The files of the live session, as [`write_live_session`] leaves them.
const LIVE_SESSION: [(&str, &str); 3] = [
    ("src/discount.rs", demo_file!("live/src/discount.rs")),
    ("web/cart.ts", demo_file!("live/web/cart.ts")),
    ("web/coupon.ts", demo_file!("live/web/coupon.ts")),
];

/// The uncommitted work of an agent session in progress: coupon codes. The Rust change is
/// staged, the TypeScript change is not, and the new file is untracked.
fn write_live_session(repo: &Repository, root: &Path) -> Result<(), DemoError> {
    for (rel, content) in LIVE_SESSION {
        let file = root.join(rel);
        fs::write(&file, content).map_err(io_error("write", &file))?;
    }
    let mut index = repo.index().map_err(git_error("read the index"))?;
    index
        .add_path(Path::new("src/discount.rs"))
        .map_err(git_error("stage src/discount.rs"))?;
    index.write().map_err(git_error("write the index"))?;
    Ok(())
}

/// Counts what a demo repository holds. AI commits are recognised by the demo's own script
/// (subject and author e-mail of the commits it marks as AI-written), not by heuristics.
fn describe(repo: &Repository, path: &Path) -> Result<DemoRepo, DemoError> {
    let ai_steps: Vec<(String, &str)> = main_steps()
        .iter()
        .filter(|step| step.ai)
        .map(|step| (subject(step.message).to_owned(), step.author.email))
        .collect();

    let tip = match repo.refname_to_id(MAIN_REF) {
        Ok(id) => Some(id),
        Err(e) if e.code() == ErrorCode::NotFound => match repo.head() {
            Ok(head) => head.target(),
            Err(e) if matches!(e.code(), ErrorCode::UnbornBranch | ErrorCode::NotFound) => None,
            Err(e) => return Err(git_error("read HEAD")(e)),
        },
        Err(e) => return Err(git_error("read the branch main")(e)),
    };
    let (mut commits, mut ai_commits) = (0, 0);
    if let Some(tip) = tip {
        let mut walk = repo.revwalk().map_err(git_error("walk the history"))?;
        walk.push(tip).map_err(git_error("walk the history"))?;
        for id in walk {
            let id = id.map_err(git_error("walk the history"))?;
            let commit = repo
                .find_commit(id)
                .map_err(git_error(format!("read the commit {id}")))?;
            commits += 1;
            let summary = commit.summary().unwrap_or_default();
            let email = commit.author().email().unwrap_or_default().to_owned();
            if ai_steps.iter().any(|(s, e)| s == summary && *e == email) {
                ai_commits += 1;
            }
        }
    }

    let mut branches = Vec::new();
    for branch in repo
        .branches(Some(BranchType::Local))
        .map_err(git_error("list the branches"))?
    {
        let (branch, _) = branch.map_err(git_error("list the branches"))?;
        if let Some(name) = branch.name().map_err(git_error("read a branch name"))? {
            if name != MAIN {
                branches.push(name.to_owned());
            }
        }
    }
    branches.sort();

    Ok(DemoRepo {
        path: path.to_owned(),
        commits,
        ai_commits,
        branches,
    })
}

fn subject(message: &str) -> &str {
    message.lines().next().unwrap_or_default()
}

// ---------------------------------------------------------------------------------------------
// Writing history

/// A fixed identity with the time zone its clock runs in.
#[derive(Debug, Clone, Copy)]
struct Person {
    name: &'static str,
    email: &'static str,
    /// Offset from UTC in minutes.
    tz: i32,
}

const MAYA: Person = Person {
    name: "Maya Chen",
    email: "maya@shopfront.dev",
    tz: 120,
};
const TOM: Person = Person {
    name: "Tom Okafor",
    email: "tom@shopfront.dev",
    tz: 60,
};
/// Aider's own convention: the user's name suffixed with " (aider)", as author and committer.
const TOM_AIDER: Person = Person {
    name: "Tom Okafor (aider)",
    email: "tom@shopfront.dev",
    tz: 60,
};
/// The GitHub Copilot coding agent, as it appears in raw commits of the agent's pull requests.
const COPILOT: Person = Person {
    name: "copilot-swe-agent[bot]",
    email: "198982749+Copilot@users.noreply.github.com",
    tz: 0,
};
const DEVIN: Person = Person {
    name: "devin-ai-integration[bot]",
    email: "158243242+devin-ai-integration[bot]@users.noreply.github.com",
    tz: 0,
};

/// 2026-10-01T00:00:00Z.
const OCTOBER_1_2026: i64 = 1_790_812_800;

/// One commit of the script.
struct Step {
    author: Person,
    committer: Person,
    /// Local wall-clock time in the author's zone: (day of October 2026, hour, minute).
    when: (i64, i64, i64),
    message: &'static str,
    /// Whether an AI agent wrote this commit (used for [`DemoRepo::ai_commits`]).
    ai: bool,
    changes: Vec<Change>,
}

enum Change {
    Put(&'static str, Vec<u8>),
    Delete(&'static str),
    Rename {
        from: &'static str,
        to: &'static str,
        content: Vec<u8>,
    },
}

fn put(path: &'static str, content: &str) -> Change {
    Change::Put(path, content.as_bytes().to_vec())
}

/// The files of one branch tip, and the tip itself.
#[derive(Clone)]
struct History<'r> {
    repo: &'r Repository,
    files: BTreeMap<&'static str, Vec<u8>>,
    head: Option<Oid>,
}

impl<'r> History<'r> {
    fn new(repo: &'r Repository) -> Self {
        History {
            repo,
            files: BTreeMap::new(),
            head: None,
        }
    }

    fn commit(&mut self, step: &Step) -> Result<Oid, DemoError> {
        for change in &step.changes {
            match change {
                Change::Put(path, content) => {
                    self.files.insert(path, content.clone());
                }
                Change::Delete(path) => {
                    self.files.remove(path);
                }
                Change::Rename { from, to, content } => {
                    self.files.remove(from);
                    self.files.insert(to, content.clone());
                }
            }
        }
        let what = format!("write the commit '{}'", subject(step.message));
        let repo = self.repo;
        let entries: Vec<(&str, &[u8])> = self
            .files
            .iter()
            .map(|(path, content)| (*path, content.as_slice()))
            .collect();
        let tree_id = write_tree(repo, &entries).map_err(git_error(what.as_str()))?;
        let tree = repo.find_tree(tree_id).map_err(git_error(what.as_str()))?;
        let parent = match self.head {
            Some(id) => Some(repo.find_commit(id).map_err(git_error(what.as_str()))?),
            None => None,
        };
        let parents: Vec<&git2::Commit<'_>> = parent.iter().collect();

        let (day, hour, minute) = step.when;
        let utc = OCTOBER_1_2026 + (day - 1) * 86_400 + hour * 3_600 + minute * 60
            - i64::from(step.author.tz) * 60;
        let author = signature(step.author, utc).map_err(git_error(what.as_str()))?;
        let committer = signature(step.committer, utc).map_err(git_error(what.as_str()))?;
        let id = repo
            .commit(None, &author, &committer, step.message, &tree, &parents)
            .map_err(git_error(what.as_str()))?;
        self.head = Some(id);
        Ok(id)
    }
}

fn signature(person: Person, utc: i64) -> Result<Signature<'static>, git2::Error> {
    Signature::new(person.name, person.email, &Time::new(utc, person.tz))
}

/// Writes the tree of `entries` (slash-separated paths, sorted) and returns its id.
fn write_tree(repo: &Repository, entries: &[(&str, &[u8])]) -> Result<Oid, git2::Error> {
    let mut builder: TreeBuilder<'_> = repo.treebuilder(None)?;
    let mut dirs: BTreeMap<&str, Vec<(&str, &[u8])>> = BTreeMap::new();
    for &(path, content) in entries {
        match path.split_once('/') {
            Some((dir, rest)) => dirs.entry(dir).or_default().push((rest, content)),
            None => {
                let blob = repo.blob(content)?;
                let mode = if path.ends_with(".py") {
                    0o100755
                } else {
                    0o100644
                };
                builder.insert(path, blob, mode)?;
            }
        }
    }
    for (dir, children) in dirs {
        let subtree = write_tree(repo, &children)?;
        builder.insert(dir, subtree, 0o040000)?;
    }
    builder.write()
}

// ---------------------------------------------------------------------------------------------
// The script

fn main_steps() -> Vec<Step> {
    vec![
        Step {
            author: MAYA,
            committer: MAYA,
            when: (1, 9, 14),
            message: "Set up shopfront crate with pricing and inventory\n\n\
                      Prices are integer cents end to end; an unknown SKU is an error rather\n\
                      than a zero line. Inventory reservations are all-or-nothing.\n",
            ai: false,
            changes: vec![
                put("Cargo.toml", demo_file!("main/1-setup/Cargo.toml.txt")),
                put(".gitignore", demo_file!("main/1-setup/gitignore")),
                put("README.md", demo_file!("main/1-setup/README.md")),
                put("src/lib.rs", demo_file!("main/1-setup/src/lib.rs")),
                put("src/inventory.rs", demo_file!("main/1-setup/src/inventory.rs")),
            ],
        },
        Step {
            author: TOM,
            committer: TOM,
            when: (1, 11, 2),
            message: "Add cart widget and price formatting to the web front end\n",
            ai: false,
            changes: vec![
                put("web/cart.ts", demo_file!("main/2-cart-widget/web/cart.ts")),
                put("web/format.ts", demo_file!("main/2-cart-widget/web/format.ts")),
                put("web/legacy-totals.ts", demo_file!("main/2-cart-widget/web/legacy-totals.ts")),
            ],
        },
        // Claude Code: the human is author and committer; the footer and trailer say Claude.
        Step {
            author: MAYA,
            committer: MAYA,
            when: (1, 15, 47),
            message: "Add percentage, fixed and tiered discounts\n\n\
                      Introduce discount::Discount and total(), which applies a discount to the\n\
                      subtotal. The amount taken off rounds down to the cent and a total never\n\
                      goes below zero.\n\n\
                      \u{1f916} Generated with [Claude Code](https://claude.com/claude-code)\n\n\
                      Co-Authored-By: Claude <noreply@anthropic.com>\n",
            ai: true,
            changes: vec![
                put("src/discount.rs", demo_file!("main/3-discounts/src/discount.rs")),
                put("src/lib.rs", demo_file!("main/3-discounts/src/lib.rs")),
            ],
        },
        // The Copilot coding agent authors the commits of its pull request and credits the
        // human who assigned the issue.
        Step {
            author: COPILOT,
            committer: COPILOT,
            when: (1, 16, 30),
            message: "Rename format.ts to money.ts and handle negative amounts\n\n\
                      formatPrice(-300) rendered \"\u{20ac}-3.00\". splitCents now works on the absolute\n\
                      value and formatMoney puts the sign before the currency symbol. The file is\n\
                      renamed to money.ts to match the Rust side and the cart imports follow.\n\n\
                      Co-authored-by: Tom Okafor <tom@shopfront.dev>\n",
            ai: true,
            changes: vec![
                Change::Rename {
                    from: "web/format.ts",
                    to: "web/money.ts",
                    content: demo_file!("main/4-money/web/money.ts").as_bytes().to_vec(),
                },
                put("web/cart.ts", demo_file!("main/4-money/web/cart.ts")),
            ],
        },
        Step {
            author: DEVIN,
            committer: DEVIN,
            when: (2, 8, 5),
            message: "Add weekly sales report script (#21)\n\n\
                      scripts/report.py reads the JSON-lines order export and prints revenue per\n\
                      SKU, optionally for a single ISO week.\n\n\
                      Co-authored-by: Maya Chen <maya@shopfront.dev>\n",
            ai: true,
            changes: vec![put("scripts/report.py", demo_file!("main/5-report/scripts/report.py"))],
        },
        Step {
            author: TOM,
            committer: TOM,
            when: (2, 10, 12),
            message: "Remove legacy-totals.ts and add the shop logo\n\n\
                      Nothing imports legacy-totals.ts since checkout moved to Cart.subtotal().\n",
            ai: false,
            changes: vec![
                Change::Delete("web/legacy-totals.ts"),
                Change::Put("assets/logo.png", LOGO_PNG.to_vec()),
                put("README.md", demo_file!("main/6-logo/README.md")),
            ],
        },
        // Aider's older default: no trailer, "(aider)" appended to author and committer names.
        Step {
            author: TOM_AIDER,
            committer: TOM_AIDER,
            when: (2, 16, 55),
            message: "feat: Add low-stock alerts to inventory\n",
            ai: true,
            changes: vec![put("src/inventory.rs", demo_file!("main/7-low-stock/src/inventory.rs"))],
        },
        // Mentions Claude in prose only: a human commit, not an AI one.
        Step {
            author: MAYA,
            committer: MAYA,
            when: (3, 9, 30),
            message: "Revert formatting Claude suggested in review\n\n\
                      Claude's review comment on #18 suggested folding the tier lookup into one\n\
                      iterator chain. That hides how equal tiers are chosen, so this goes back to\n\
                      an explicit loop in best_tier().\n",
            ai: false,
            changes: vec![put("src/discount.rs", demo_file!("main/8-explicit-loop/src/discount.rs"))],
        },
    ]
}

/// `agent/bulk-discounts`, forked after the Devin commit: Codex and Cursor at work, with the
/// slips a reviewer should catch (unwrap in library code, a hard-coded key, a TODO stub, an
/// ignored test, an `any` cast).
fn agent_steps() -> Vec<Step> {
    vec![
        Step {
            author: MAYA,
            committer: MAYA,
            when: (2, 11, 20),
            message: "Add bulk discount tiers for wholesale orders\n\n\
                      Wholesale customers get a percentage off per line once they order enough\n\
                      units of one SKU. Tiers come from the partner pricing API as\n\
                      \"min_units:percent\" pairs.\n\n\
                      Co-authored-by: Codex <noreply@openai.com>\n",
            ai: true,
            changes: vec![put(
                "src/discount.rs",
                demo_file!("agent/1-bulk-tiers/src/discount.rs"),
            )],
        },
        Step {
            author: TOM,
            committer: TOM,
            when: (2, 14, 41),
            message: "Show bulk savings in the cart\n\n\
                      Co-authored-by: Cursor <cursoragent@cursor.com>\n",
            ai: true,
            changes: vec![put(
                "web/cart.ts",
                demo_file!("agent/2-bulk-savings/web/cart.ts"),
            )],
        },
    ]
}

/// `maya/report-csv`, forked from the tip of `main`: one human commit.
fn report_csv_steps() -> Vec<Step> {
    vec![Step {
        author: MAYA,
        committer: MAYA,
        when: (3, 11, 5),
        message: "report.py: add --csv output for the finance sheet\n",
        ai: false,
        changes: vec![put(
            "scripts/report.py",
            demo_file!("human/1-report-csv/scripts/report.py"),
        )],
    }]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every text file the script writes, with a name for messages.
    fn texts() -> Vec<(String, Vec<u8>)> {
        let mut all = Vec::new();
        for step in main_steps()
            .iter()
            .chain(&agent_steps())
            .chain(&report_csv_steps())
        {
            for change in &step.changes {
                let (path, content) = match change {
                    Change::Put(path, content) => (path, content),
                    Change::Rename { to, content, .. } => (to, content),
                    Change::Delete(_) => continue,
                };
                let name = format!("{path} in '{}'", subject(step.message));
                all.push((name, content.clone()));
            }
        }
        for (path, content) in LIVE_SESSION {
            all.push((
                format!("{path} in the live session"),
                content.as_bytes().to_vec(),
            ));
        }
        all.retain(|(name, _)| !name.starts_with("assets/"));
        all
    }

    /// Each commit changes the files it writes, so no version silently equals the one before.
    #[test]
    fn every_version_differs_from_the_one_before() {
        let mut current: BTreeMap<&str, Vec<u8>> = BTreeMap::new();
        for step in main_steps().iter().chain(&agent_steps()) {
            for change in &step.changes {
                if let Change::Put(path, content) = change {
                    assert_ne!(
                        current.insert(path, content.clone()).as_ref(),
                        Some(content),
                        "{path} in '{}'",
                        subject(step.message)
                    );
                }
            }
        }
    }

    #[test]
    fn source_files_have_a_realistic_size() {
        let texts = texts();
        assert_eq!(texts.len(), 22);
        for (name, text) in texts {
            if name.starts_with(".gitignore") {
                continue;
            }
            let text = String::from_utf8(text).unwrap_or_else(|_| panic!("{name} is UTF-8"));
            let lines = text.lines().count();
            assert!((20..=80).contains(&lines), "{name} has {lines} lines");
            assert!(text.ends_with('\n'), "{name} lacks a final newline");
        }
    }

    #[test]
    fn history_counts_match_the_script() {
        let main = main_steps();
        assert_eq!(main.len(), 8);
        assert_eq!(main.iter().filter(|s| s.ai).count(), 4);
        assert!(AGENT_FORK_AFTER < main.len());
        assert!(agent_steps().iter().all(|s| s.ai));
    }

    #[test]
    fn timestamps_are_the_local_wall_clock() {
        // 2026-10-01 09:14 at +02:00 is 07:14 UTC.
        let utc = OCTOBER_1_2026 + 9 * 3_600 + 14 * 60 - i64::from(MAYA.tz) * 60;
        assert_eq!(utc, 1_790_838_840);
    }

    #[test]
    fn logo_is_binary() {
        assert!(LOGO_PNG.starts_with(b"\x89PNG\r\n\x1a\n"));
        assert!(LOGO_PNG.contains(&0));
    }

    #[test]
    fn default_path_ends_in_redline_demo() {
        if let Some(path) = default_path() {
            assert!(path.ends_with("redline/demo"));
        }
    }
}
