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
    let texts = Texts::new();

    let mut main = History::new(&repo);
    let mut agent_fork = None;
    for (i, step) in main_steps(&texts).iter().enumerate() {
        if i == AGENT_FORK_AFTER {
            agent_fork = Some(main.clone());
        }
        main.commit(step)?;
    }
    let mut agent = agent_fork.unwrap_or_else(|| main.clone());
    for step in &agent_steps(&texts) {
        agent.commit(step)?;
    }
    let mut human = main.clone();
    for step in &report_csv_steps(&texts) {
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

    write_live_session(&repo, path, &texts)?;
    describe(&repo, path)
}

/// The uncommitted work of an agent session in progress: coupon codes. The Rust change is
/// staged, the TypeScript change is not, and the new file is untracked.
fn write_live_session(repo: &Repository, root: &Path, texts: &Texts) -> Result<(), DemoError> {
    let files: [(&str, &str); 3] = [
        ("src/discount.rs", &texts.discount_live),
        ("web/cart.ts", &texts.cart_live),
        ("web/coupon.ts", COUPON_TS),
    ];
    for (rel, content) in files {
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
    let texts = Texts::new();
    let ai_steps: Vec<(String, &str)> = main_steps(&texts)
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

fn main_steps(t: &Texts) -> Vec<Step> {
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
                put("Cargo.toml", CARGO_TOML),
                put(".gitignore", GITIGNORE),
                put("README.md", README_MD),
                put("src/lib.rs", LIB_RS),
                put("src/inventory.rs", INVENTORY_RS),
            ],
        },
        Step {
            author: TOM,
            committer: TOM,
            when: (1, 11, 2),
            message: "Add cart widget and price formatting to the web front end\n",
            ai: false,
            changes: vec![
                put("web/cart.ts", CART_TS),
                put("web/format.ts", FORMAT_TS),
                put("web/legacy-totals.ts", LEGACY_TOTALS_TS),
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
            changes: vec![put("src/discount.rs", DISCOUNT_RS), put("src/lib.rs", &t.lib_v2)],
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
                    content: t.money.as_bytes().to_vec(),
                },
                put("web/cart.ts", &t.cart_v2),
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
            changes: vec![put("scripts/report.py", REPORT_PY)],
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
                put("README.md", &t.readme_v2),
            ],
        },
        // Aider's older default: no trailer, "(aider)" appended to author and committer names.
        Step {
            author: TOM_AIDER,
            committer: TOM_AIDER,
            when: (2, 16, 55),
            message: "feat: Add low-stock alerts to inventory\n",
            ai: true,
            changes: vec![put("src/inventory.rs", &t.inventory_v2)],
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
            changes: vec![put("src/discount.rs", &t.discount_v2)],
        },
    ]
}

/// `agent/bulk-discounts`, forked after the Devin commit: Codex and Cursor at work, with the
/// slips a reviewer should catch (unwrap in library code, a hard-coded key, a TODO stub, an
/// ignored test, an `any` cast).
fn agent_steps(t: &Texts) -> Vec<Step> {
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
            changes: vec![put("src/discount.rs", &t.discount_bulk)],
        },
        Step {
            author: TOM,
            committer: TOM,
            when: (2, 14, 41),
            message: "Show bulk savings in the cart\n\n\
                      Co-authored-by: Cursor <cursoragent@cursor.com>\n",
            ai: true,
            changes: vec![put("web/cart.ts", &t.cart_bulk)],
        },
    ]
}

/// `maya/report-csv`, forked from the tip of `main`: one human commit.
fn report_csv_steps(t: &Texts) -> Vec<Step> {
    vec![Step {
        author: MAYA,
        committer: MAYA,
        when: (3, 11, 5),
        message: "report.py: add --csv output for the finance sheet\n",
        ai: false,
        changes: vec![put("scripts/report.py", &t.report_csv)],
    }]
}

/// (find, replace) pairs that turn one version of a file into the next.
type Edits = &'static [(&'static str, &'static str)];

/// Applies `edits` (every occurrence of each find) to `base`.
fn patch(base: &str, edits: Edits) -> String {
    edits.iter().fold(base.to_owned(), |text, (find, replace)| {
        text.replace(find, replace)
    })
}

/// Every later version of a text file, derived from its first version by small edits so the
/// diffs look like real commits.
struct Texts {
    lib_v2: String,
    inventory_v2: String,
    discount_v2: String,
    discount_bulk: String,
    discount_live: String,
    money: String,
    cart_v2: String,
    cart_bulk: String,
    cart_live: String,
    readme_v2: String,
    report_csv: String,
}

impl Texts {
    fn new() -> Self {
        let lib_v2 = patch(LIB_RS, LIB_ADD_DISCOUNT);
        let inventory_v2 = patch(INVENTORY_RS, INVENTORY_ADD_LOW_STOCK);
        let discount_v2 = patch(DISCOUNT_RS, DISCOUNT_EXPLICIT_LOOP);
        let discount_bulk = patch(DISCOUNT_RS, DISCOUNT_ADD_BULK);
        let discount_live = patch(&discount_v2, DISCOUNT_ADD_COUPON);
        let money = patch(FORMAT_TS, FORMAT_TO_MONEY);
        let cart_v2 = patch(CART_TS, CART_USE_MONEY);
        let cart_bulk = patch(&cart_v2, CART_ADD_BULK);
        let cart_live = patch(&cart_v2, CART_ADD_COUPON);
        let readme_v2 = patch(README_MD, README_ADD_LOGO);
        let report_csv = patch(REPORT_PY, REPORT_ADD_CSV);
        Texts {
            lib_v2,
            inventory_v2,
            discount_v2,
            discount_bulk,
            discount_live,
            money,
            cart_v2,
            cart_bulk,
            cart_live,
            readme_v2,
            report_csv,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// File contents

/// A 1×1 transparent PNG.
const LOGO_PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4,
    0x89, 0x00, 0x00, 0x00, 0x0a, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0x00, 0x01, 0x00, 0x00,
    0x05, 0x00, 0x01, 0x0d, 0x0a, 0x2d, 0xb4, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae,
    0x42, 0x60, 0x82,
];

const CARGO_TOML: &str = r#"[package]
name = "shopfront"
version = "0.4.0"
edition = "2021"
rust-version = "1.80"
description = "Prices, discounts and stock for the Shopfront store"
license = "MIT"
repository = "https://github.com/shopfront-dev/shopfront"
publish = false

[dependencies]
serde = { version = "1", features = ["derive"] }

[dev-dependencies]
pretty_assertions = "1"

[lints.clippy]
unwrap_used = "warn"

[profile.release]
lto = "thin"
"#;

const GITIGNORE: &str = r#"/target
**/*.rs.bk
node_modules/
dist/
*.log
__pycache__/
.venv/
reports/*.csv
.env
.DS_Store
"#;

const README_MD: &str = r#"# Shopfront

Pricing, discounts and stock for the Shopfront store. The Rust crate is the source of truth
for money; the web front end only formats what the API returns.

## Layout

| Path       | What                                                |
|------------|-----------------------------------------------------|
| `src/`     | Rust crate: prices in cents, inventory, discounts   |
| `web/`     | TypeScript cart widget used on the product pages    |
| `scripts/` | Ops scripts (weekly sales report)                   |

## Develop

```sh
cargo test
npx tsc --noEmit -p web
python3 scripts/report.py --help
```

## Money rules

- Every amount is an integer number of cents: `Cents` in Rust, a `number` of cents in TS.
- A discount rounds down to the cent; a total never goes below zero.
- Prices shown to customers always go through `formatPrice`.
- Stock is reserved all-or-nothing when an order is placed, never per line.

## Releasing

Bump the version in `Cargo.toml`, tag `vX.Y.Z` and push the tag; CI publishes the
front-end bundle and the API image.
"#;

const README_ADD_LOGO: Edits = &[
    (
        "# Shopfront\n",
        "# Shopfront\n\n![Shopfront](assets/logo.png)\n",
    ),
    (
        "go through `formatPrice`.",
        "go through `formatMoney` (web/money.ts).",
    ),
];

const LIB_RS: &str = r#"//! Shopfront: prices, carts and stock for a small online shop.
//!
//! Money is always an integer number of cents ([`Cents`]); nothing here touches floats.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

pub mod inventory;

pub use inventory::Inventory;

/// An amount of money in cents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, Serialize, Deserialize)]
pub struct Cents(pub i64);

impl Cents {
    pub fn times(self, quantity: u32) -> Cents {
        Cents(self.0 * i64::from(quantity))
    }
}

impl std::ops::Add for Cents {
    type Output = Cents;

    fn add(self, rhs: Cents) -> Cents {
        Cents(self.0 + rhs.0)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Product {
    pub sku: String,
    pub name: String,
    pub price: Cents,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub sku: String,
    pub quantity: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PricingError {
    UnknownSku(String),
}

/// Sum of all lines at list price. An unknown SKU is an error, never a silent zero.
pub fn subtotal(catalog: &HashMap<String, Product>, lines: &[Line]) -> Result<Cents, PricingError> {
    lines.iter().try_fold(Cents(0), |sum, line| {
        let product = catalog
            .get(&line.sku)
            .ok_or_else(|| PricingError::UnknownSku(line.sku.clone()))?;
        Ok(sum + product.price.times(line.quantity))
    })
}
"#;

const INVENTORY_RS: &str = r#"//! Stock on hand and reservations.

use std::collections::HashMap;

/// Units on hand, per SKU.
#[derive(Debug, Default)]
pub struct Inventory {
    stock: HashMap<String, u32>,
}

/// A reservation asked for more units than there are.
#[derive(Debug, PartialEq, Eq)]
pub struct OutOfStock {
    pub sku: String,
    pub wanted: u32,
    pub available: u32,
}

impl Inventory {
    pub fn restock(&mut self, sku: &str, quantity: u32) {
        *self.stock.entry(sku.to_owned()).or_insert(0) += quantity;
    }

    pub fn available(&self, sku: &str) -> u32 {
        self.stock.get(sku).copied().unwrap_or(0)
    }

    /// Takes `quantity` units out of stock, or nothing at all if there are not enough.
    pub fn reserve(&mut self, sku: &str, quantity: u32) -> Result<(), OutOfStock> {
        let available = self.available(sku);
        if available < quantity {
            return Err(OutOfStock { sku: sku.to_owned(), wanted: quantity, available });
        }
        self.stock.insert(sku.to_owned(), available - quantity);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reserve_is_all_or_nothing() {
        let mut stock = Inventory::default();
        stock.restock("MUG-01", 3);
        assert!(stock.reserve("MUG-01", 5).is_err());
        assert_eq!(stock.available("MUG-01"), 3);
        stock.reserve("MUG-01", 2).unwrap();
        assert_eq!(stock.available("MUG-01"), 1);
    }
}
"#;

const LIB_ADD_DISCOUNT: Edits = &[
    (
        "pub mod inventory;\n\npub use inventory::Inventory;\n",
        "pub mod discount;\npub mod inventory;\n\npub use discount::Discount;\npub use inventory::Inventory;\n",
    ),
    (
        "        Ok(sum + product.price.times(line.quantity))\n    })\n}\n",
        r#"        Ok(sum + product.price.times(line.quantity))
    })
}

/// What the customer pays: the subtotal with `discount` applied.
pub fn total(
    catalog: &HashMap<String, Product>,
    lines: &[Line],
    discount: &Discount,
) -> Result<Cents, PricingError> {
    Ok(discount.apply(subtotal(catalog, lines)?))
}
"#,
    ),
];

const INVENTORY_ADD_LOW_STOCK: Edits = &[
    (
        "        self.stock.insert(sku.to_owned(), available - quantity);\n        Ok(())\n    }\n",
        r#"        self.stock.insert(sku.to_owned(), available - quantity);
        Ok(())
    }

    /// SKUs at or below `threshold` units, lowest stock first, for the restock e-mail.
    pub fn low_stock(&self, threshold: u32) -> Vec<(&str, u32)> {
        let mut low: Vec<(&str, u32)> = self
            .stock
            .iter()
            .filter(|(_, &units)| units <= threshold)
            .map(|(sku, &units)| (sku.as_str(), units))
            .collect();
        low.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(b.0)));
        low
    }
"#,
    ),
    (
        "        assert_eq!(stock.available(\"MUG-01\"), 1);\n    }\n",
        r#"        assert_eq!(stock.available("MUG-01"), 1);
    }

    #[test]
    fn low_stock_lists_lowest_first() {
        let mut stock = Inventory::default();
        stock.restock("MUG-01", 4);
        stock.restock("TEE-M", 1);
        stock.restock("CAP-02", 40);
        assert_eq!(stock.low_stock(5), vec![("TEE-M", 1), ("MUG-01", 4)]);
    }
"#,
    ),
];

const DISCOUNT_RS: &str = r#"//! Discounts a customer can get on a whole order.

use crate::Cents;

/// A discount on the order subtotal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Discount {
    None,
    /// A percentage off, 0 to 100.
    Percent(u8),
    /// A fixed amount off.
    Fixed(Cents),
    /// (minimum subtotal, percent off) pairs; the highest tier reached applies.
    Tiered(Vec<(Cents, u8)>),
}

impl Discount {
    /// The subtotal after the discount. The amount taken off rounds down to the cent and the
    /// result is never negative.
    pub fn apply(&self, subtotal: Cents) -> Cents {
        let off = match self {
            Discount::None => Cents(0),
            Discount::Percent(percent) => percent_of(subtotal, *percent),
            Discount::Fixed(amount) => *amount,
            Discount::Tiered(tiers) => tiers
                .iter()
                .filter(|(minimum, _)| subtotal >= *minimum)
                .map(|(_, percent)| percent_of(subtotal, *percent))
                .max()
                .unwrap_or_default(),
        };
        Cents((subtotal.0 - off.0).max(0))
    }
}

fn percent_of(amount: Cents, percent: u8) -> Cents {
    let percent = i64::from(percent.min(100));
    Cents(amount.0 * percent / 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_rounds_the_discount_down() {
        assert_eq!(Discount::Percent(15).apply(Cents(999)), Cents(850));
    }

    #[test]
    fn highest_tier_reached_applies() {
        let tiers = Discount::Tiered(vec![(Cents(5_000), 5), (Cents(10_000), 10)]);
        assert_eq!(tiers.apply(Cents(4_999)), Cents(4_999));
        assert_eq!(tiers.apply(Cents(12_000)), Cents(10_800));
    }
}
"#;

const DISCOUNT_EXPLICIT_LOOP: Edits = &[
    (
        r#"            Discount::Tiered(tiers) => tiers
                .iter()
                .filter(|(minimum, _)| subtotal >= *minimum)
                .map(|(_, percent)| percent_of(subtotal, *percent))
                .max()
                .unwrap_or_default(),
"#,
        "            Discount::Tiered(tiers) => percent_of(subtotal, best_tier(tiers, subtotal)),\n",
    ),
    (
        "    Cents(amount.0 * percent / 100)\n}\n",
        r#"    Cents(amount.0 * percent / 100)
}

/// The percent of the highest tier `subtotal` reaches; 0 below the first tier.
fn best_tier(tiers: &[(Cents, u8)], subtotal: Cents) -> u8 {
    let mut best = 0;
    for &(minimum, percent) in tiers {
        if subtotal >= minimum && percent > best {
            best = percent;
        }
    }
    best
}
"#,
    ),
];

const DISCOUNT_ADD_BULK: Edits = &[
    (
        "    Cents(amount.0 * percent / 100)\n}\n",
        r#"    Cents(amount.0 * percent / 100)
}

const PRICING_API_KEY: &str = "sk_test_51NfQ2aShopfrontDemoKey7f3c9b1e0d";

/// Bulk tiers as the pricing API sends them: "min_units:percent,min_units:percent".
pub fn parse_bulk_tiers(spec: &str) -> Vec<(u32, u8)> {
    spec.split(',')
        .map(|tier| {
            let (units, percent) = tier.split_once(':').unwrap();
            (units.trim().parse().unwrap(), percent.trim().parse().unwrap())
        })
        .collect()
}

pub fn fetch_bulk_tiers(sku: &str) -> Vec<(u32, u8)> {
    // TODO: call the pricing API with PRICING_API_KEY
    let _ = (sku, PRICING_API_KEY);
    parse_bulk_tiers("10:5,50:12,100:20")
}
"#,
    ),
    (
        "        assert_eq!(tiers.apply(Cents(12_000)), Cents(10_800));\n    }\n",
        r#"        assert_eq!(tiers.apply(Cents(12_000)), Cents(10_800));
    }

    #[test]
    #[ignore] // flaky on CI, re-enable later
    fn bulk_tiers_reject_garbage() {
        assert!(parse_bulk_tiers("ten:5").is_empty());
    }
"#,
    ),
];

const DISCOUNT_ADD_COUPON: Edits = &[
    (
        "    Tiered(Vec<(Cents, u8)>),\n",
        r#"    Tiered(Vec<(Cents, u8)>),
    /// A coupon code worth a fixed amount, from a minimum subtotal upwards.
    Coupon { code: String, off: Cents, minimum: Cents },
"#,
    ),
    (
        "            Discount::Tiered(tiers) => percent_of(subtotal, best_tier(tiers, subtotal)),\n",
        r#"            Discount::Tiered(tiers) => percent_of(subtotal, best_tier(tiers, subtotal)),
            Discount::Coupon { off, minimum, .. } if subtotal >= *minimum => *off,
            Discount::Coupon { .. } => Cents(0),
"#,
    ),
];

const FORMAT_TS: &str = r#"// Price formatting for the storefront. Amounts arrive from the API as integer cents.

export type Currency = "EUR" | "USD" | "GBP";

const SYMBOLS: Record<Currency, string> = {
  EUR: "€",
  USD: "$",
  GBP: "£",
};

/** Splits integer cents into whole units and a two-digit remainder. */
export function splitCents(cents: number): [number, string] {
  const units = Math.floor(cents / 100);
  const rest = String(cents % 100).padStart(2, "0");
  return [units, rest];
}

/** Groups thousands with a thin space: 1234567 -> "1 234 567". */
export function groupThousands(units: number): string {
  return String(units).replace(/\B(?=(\d{3})+(?!\d))/g, "\u2009");
}

/** "€12.50", "$1 234.00". */
export function formatPrice(cents: number, currency: Currency = "EUR"): string {
  const [units, rest] = splitCents(cents);
  return `${SYMBOLS[currency]}${groupThousands(units)}.${rest}`;
}

/** "-€3.00", for discounts shown as a line of their own. */
export function formatDiscount(cents: number, currency: Currency = "EUR"): string {
  return `-${formatPrice(cents, currency)}`;
}
"#;

const FORMAT_TO_MONEY: Edits = &[
    ("// Price formatting", "// Money formatting"),
    (
        "  const units = Math.floor(cents / 100);\n  const rest = String(cents % 100)",
        "  const abs = Math.abs(cents);\n  const units = Math.floor(abs / 100);\n  const rest = String(abs % 100)",
    ),
    (
        r#"/** "€12.50", "$1 234.00". */
export function formatPrice(cents: number, currency: Currency = "EUR"): string {
  const [units, rest] = splitCents(cents);
  return `${SYMBOLS"#,
        r#"/** "€12.50", "$1 234.00", "-€3.00". */
export function formatMoney(cents: number, currency: Currency = "EUR"): string {
  const [units, rest] = splitCents(cents);
  const sign = cents < 0 ? "-" : "";
  return `${sign}${SYMBOLS"#,
    ),
    (
        "  return `-${formatPrice(cents, currency)}`;",
        "  return formatMoney(-Math.abs(cents), currency);",
    ),
];

const LEGACY_TOTALS_TS: &str = r#"// Deprecated: totals were computed here before Cart.subtotal() existed.
// Kept until the checkout page stops importing it.

import { CartLine } from "./cart";

/** @deprecated use Cart.subtotal() */
export function lineTotal(line: CartLine): number {
  return line.unitPrice * line.quantity;
}

/** @deprecated use Cart.subtotal() */
export function cartTotal(lines: CartLine[]): number {
  return lines.reduce((sum, line) => sum + lineTotal(line), 0);
}

/** @deprecated rounding happens on the server now */
export function roundToCents(amount: number): number {
  return Math.round(amount * 100) / 100;
}

/** @deprecated tax is added at checkout */
export function totalWithTax(lines: CartLine[], rate: number): number {
  return roundToCents(cartTotal(lines) * (1 + rate));
}
"#;

const CART_TS: &str = r#"import { formatPrice, formatDiscount, Currency } from "./format";

export interface CartLine {
  sku: string;
  name: string;
  unitPrice: number; // cents
  quantity: number;
}

export class Cart {
  private lines = new Map<string, CartLine>();

  constructor(private readonly currency: Currency = "EUR") {}

  add(line: CartLine): void {
    const existing = this.lines.get(line.sku);
    if (existing) {
      existing.quantity += line.quantity;
    } else {
      this.lines.set(line.sku, { ...line });
    }
  }

  setQuantity(sku: string, quantity: number): void {
    const line = this.lines.get(sku);
    if (!line) return;
    if (quantity <= 0) {
      this.lines.delete(sku);
    } else {
      line.quantity = quantity;
    }
  }

  subtotal(): number {
    let sum = 0;
    for (const line of this.lines.values()) {
      sum += line.unitPrice * line.quantity;
    }
    return sum;
  }

  rows(): Array<{ name: string; quantity: number; total: string }> {
    return [...this.lines.values()].map((line) => ({
      name: line.name,
      quantity: line.quantity,
      total: formatPrice(line.unitPrice * line.quantity, this.currency),
    }));
  }

  summary(discountCents = 0): string {
    const parts = [`Subtotal ${formatPrice(this.subtotal(), this.currency)}`];
    if (discountCents > 0) {
      parts.push(`Discount ${formatDiscount(discountCents, this.currency)}`);
      parts.push(`Total ${formatPrice(this.subtotal() - discountCents, this.currency)}`);
    }
    return parts.join(" · ");
  }
}
"#;

const CART_USE_MONEY: Edits = &[
    (
        r#"import { formatPrice, formatDiscount, Currency } from "./format";"#,
        r#"import { formatMoney, formatDiscount, Currency } from "./money";"#,
    ),
    ("formatPrice(", "formatMoney("),
];

const CART_ADD_BULK: Edits = &[
    (
        "  summary(discountCents = 0): string {\n",
        r#"  async bulkSavings(): Promise<number> {
    let savings = 0;
    for (const line of this.lines.values()) {
      const tiers = await fetchBulkTiers(line.sku);
      const percent = bulkPercent(tiers, line.quantity);
      savings += Math.floor((line.unitPrice * line.quantity * percent) / 100);
    }
    return savings;
  }

  summary(discountCents = 0): string {
"#,
    ),
    (
        "    return parts.join(\" · \");\n  }\n}\n",
        r#"    return parts.join(" · ");
  }
}

// TODO: replace with the real pricing API once the endpoint exists
async function fetchBulkTiers(sku: string): Promise<Array<[number, number]>> {
  return [[10, 5], [50, 12], [100, 20]];
}

function bulkPercent(tiers: Array<[number, number]>, units: number): number {
  const reached = tiers.filter(([min]) => units >= min) as any;
  return reached.length ? reached[reached.length - 1][1] : 0;
}
"#,
    ),
];

const CART_ADD_COUPON: Edits = &[
    (
        "from \"./money\";\n",
        "from \"./money\";\nimport { Coupon, couponDiscount } from \"./coupon\";\n",
    ),
    (
        "  add(line: CartLine): void {\n",
        r#"  private coupon: Coupon | null = null;

  applyCoupon(coupon: Coupon | null): void {
    this.coupon = coupon;
  }

  add(line: CartLine): void {
"#,
    ),
    (
        "  summary(discountCents = 0): string {\n",
        "  summary(discountCents = couponDiscount(this.coupon, this.subtotal())): string {\n",
    ),
];

const COUPON_TS: &str = r#"// Coupon codes entered at checkout. The server validates codes; this only mirrors the
// rules so the cart can show the discount before the round trip.

export interface Coupon {
  code: string;
  offCents: number;
  minimumCents: number;
  expiresAt?: string; // ISO date
}

const CODE_PATTERN = /^[A-Z0-9]{4,12}$/;

export function normalizeCode(input: string): string {
  return input.trim().toUpperCase().replace(/\s+/g, "");
}

export function isValidCode(input: string): boolean {
  return CODE_PATTERN.test(normalizeCode(input));
}

export function isExpired(coupon: Coupon, now: Date = new Date()): boolean {
  return coupon.expiresAt !== undefined && new Date(coupon.expiresAt) < now;
}

/** Cents off `subtotalCents` for `coupon`, or 0 when it does not apply. */
export function couponDiscount(coupon: Coupon | null, subtotalCents: number): number {
  if (!coupon || isExpired(coupon)) return 0;
  if (subtotalCents < coupon.minimumCents) return 0;
  return Math.min(coupon.offCents, subtotalCents);
}
"#;

const REPORT_PY: &str = r#"#!/usr/bin/env python3
"""Weekly sales report: reads the order export and prints revenue per SKU.

Usage: scripts/report.py orders.jsonl [--week 2026-W40]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Sale:
    sku: str
    quantity: int
    cents: int


def load_sales(path: Path, week: str | None) -> list[Sale]:
    sales = []
    with path.open(encoding="utf-8") as f:
        for line in f:
            order = json.loads(line)
            if week and order["week"] != week:
                continue
            for item in order["items"]:
                sales.append(Sale(item["sku"], item["quantity"], item["cents"]))
    return sales


def revenue_by_sku(sales: list[Sale]) -> dict[str, int]:
    totals: dict[str, int] = defaultdict(int)
    for sale in sales:
        totals[sale.sku] += sale.quantity * sale.cents
    return dict(sorted(totals.items(), key=lambda kv: kv[1], reverse=True))


def format_cents(cents: int) -> str:
    return f"{cents // 100:,}.{cents % 100:02d}"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("orders", type=Path)
    parser.add_argument("--week")
    args = parser.parse_args(argv)

    totals = revenue_by_sku(load_sales(args.orders, args.week))
    if not totals:
        print("no sales", file=sys.stderr)
        return 1
    width = max(len(sku) for sku in totals)
    for sku, cents in totals.items():
        print(f"{sku:<{width}}  {format_cents(cents):>12}")
    print(f"{'total':<{width}}  {format_cents(sum(totals.values())):>12}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
"#;

const REPORT_ADD_CSV: Edits = &[
    ("import argparse\n", "import argparse\nimport csv\n"),
    (
        "    parser.add_argument(\"--week\")\n",
        "    parser.add_argument(\"--week\")\n    parser.add_argument(\"--csv\", action=\"store_true\", help=\"write CSV to stdout\")\n",
    ),
    (
        "    width = max(len(sku) for sku in totals)\n",
        r#"    if args.csv:
        writer = csv.writer(sys.stdout)
        writer.writerow(["sku", "revenue_cents"])
        writer.writerows(totals.items())
        return 0
    width = max(len(sku) for sku in totals)
"#,
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    /// Every edit finds its anchor, so no version silently equals its base.
    #[test]
    fn every_edit_applies() {
        let t = Texts::new();
        let chains: [(&str, &str, Edits); 11] = [
            ("lib v2", LIB_RS, LIB_ADD_DISCOUNT),
            ("inventory v2", INVENTORY_RS, INVENTORY_ADD_LOW_STOCK),
            ("discount v2", DISCOUNT_RS, DISCOUNT_EXPLICIT_LOOP),
            ("discount bulk", DISCOUNT_RS, DISCOUNT_ADD_BULK),
            ("discount live", &t.discount_v2, DISCOUNT_ADD_COUPON),
            ("money", FORMAT_TS, FORMAT_TO_MONEY),
            ("cart v2", CART_TS, CART_USE_MONEY),
            ("cart bulk", &t.cart_v2, CART_ADD_BULK),
            ("cart live", &t.cart_v2, CART_ADD_COUPON),
            ("readme v2", README_MD, README_ADD_LOGO),
            ("report csv", REPORT_PY, REPORT_ADD_CSV),
        ];
        for (name, base, edits) in chains {
            let mut text = base.to_owned();
            for (find, replace) in edits {
                assert!(text.contains(find), "{name}: anchor not found: {find:?}");
                text = text.replace(find, replace);
            }
        }
    }

    #[test]
    fn source_files_have_a_realistic_size() {
        let t = Texts::new();
        let files: [(&str, &str); 19] = [
            ("README.md", README_MD),
            ("src/lib.rs", LIB_RS),
            ("src/lib.rs v2", &t.lib_v2),
            ("src/inventory.rs", INVENTORY_RS),
            ("src/inventory.rs v2", &t.inventory_v2),
            ("src/discount.rs", DISCOUNT_RS),
            ("src/discount.rs v2", &t.discount_v2),
            ("src/discount.rs bulk", &t.discount_bulk),
            ("src/discount.rs live", &t.discount_live),
            ("web/format.ts", FORMAT_TS),
            ("web/money.ts", &t.money),
            ("web/cart.ts", CART_TS),
            ("web/cart.ts bulk", &t.cart_bulk),
            ("web/cart.ts live", &t.cart_live),
            ("web/legacy-totals.ts", LEGACY_TOTALS_TS),
            ("web/coupon.ts", COUPON_TS),
            ("scripts/report.py", REPORT_PY),
            ("scripts/report.py csv", &t.report_csv),
            ("Cargo.toml", CARGO_TOML),
        ];
        for (name, text) in files {
            let lines = text.lines().count();
            assert!((20..=80).contains(&lines), "{name} has {lines} lines");
            assert!(text.ends_with('\n'), "{name} lacks a final newline");
        }
    }

    #[test]
    fn history_counts_match_the_script() {
        let t = Texts::new();
        let main = main_steps(&t);
        assert_eq!(main.len(), 8);
        assert_eq!(main.iter().filter(|s| s.ai).count(), 4);
        assert!(AGENT_FORK_AFTER < main.len());
        assert!(agent_steps(&t).iter().all(|s| s.ai));
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
