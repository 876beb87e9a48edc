//! What a rule sees of one changed file: both sides (bytes, tree, symbols), which lines the
//! change added and removed, and where the file sits (test code, examples, build scripts).

use crate::diff::{FileStatus, Hunk, LineKind};
use crate::syntax::{FileSymbols, Language, SyntaxTree};

/// One side of a changed file, as the composer read and parsed it.
pub struct SideInput<'a> {
    /// The side's path.
    pub path: &'a str,
    /// The side's bytes.
    pub bytes: &'a [u8],
    /// Its syntax tree; `None` when the language is not parsed or the side was over a limit.
    pub tree: Option<&'a SyntaxTree>,
    /// Its symbols (empty when not parsed).
    pub symbols: &'a FileSymbols,
}

/// One changed file, everything a rule may look at.
pub struct FileInput<'a> {
    /// The display path (new path; old path for deletions).
    pub path: &'a str,
    pub status: FileStatus,
    /// The language both sides were parsed as, if any.
    pub language: Option<&'static Language>,
    /// `None` for an added file, or a side that could not be read.
    pub old: Option<SideInput<'a>>,
    /// `None` for a deleted file, or a side that could not be read.
    pub new: Option<SideInput<'a>>,
    pub hunks: &'a [Hunk],
    /// Files of the new side a rule asked the composer for (see
    /// [`super::dependencies::lockfiles_for`]): path and bytes; a file that does not exist
    /// is absent from the list.
    pub companions: &'a [(String, Vec<u8>)],
}

impl<'a> FileInput<'a> {
    /// The new side's line numbers that the change added, ascending.
    pub fn added_lines(&self) -> Vec<u32> {
        self.lines_of(LineKind::Added)
    }

    /// The old side's line numbers that the change removed, ascending.
    pub fn removed_lines(&self) -> Vec<u32> {
        self.lines_of(LineKind::Removed)
    }

    fn lines_of(&self, kind: LineKind) -> Vec<u32> {
        let mut lines: Vec<u32> = self
            .hunks
            .iter()
            .flat_map(|hunk| hunk.lines())
            .filter(|line| line.kind == kind)
            .filter_map(|line| match kind {
                LineKind::Removed => line.old_line,
                _ => line.new_line,
            })
            .collect();
        lines.sort_unstable();
        lines.dedup();
        lines
    }

    /// Where the file sits: test, example, benchmark or build code is held to other
    /// standards than library code.
    pub fn placement(&self) -> Placement {
        Placement::of(self.path)
    }
}

/// What kind of code a path holds, by the conventions of the languages Redline reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placement {
    /// Library or application code.
    Production,
    /// Tests: `tests/`, `test/`, `__tests__/`, `spec/`, `*_test.go`, `test_*.py`,
    /// `*_test.py`, `*.test.ts`, `*.spec.js`, `conftest.py`, `*Test.java`, `*Tests.cs`, …
    Test,
    /// `examples/`, `benches/`, Rust build scripts (`build.rs`), `scripts/`, `tools/`, docs:
    /// code run by developers, not shipped as the library.
    Tooling,
}

impl Placement {
    /// Classifies `path` (a repository path with `/` separators).
    pub fn of(path: &str) -> Placement {
        let lower = path.to_ascii_lowercase();
        let name = lower.rsplit('/').next().unwrap_or(&lower);
        let dirs: Vec<&str> = lower.split('/').collect();
        let dirs = &dirs[..dirs.len().saturating_sub(1)];
        let test_dir = dirs.iter().any(|d| {
            matches!(
                *d,
                "test"
                    | "tests"
                    | "__tests__"
                    | "spec"
                    | "specs"
                    | "testing"
                    | "testdata"
                    | "e2e"
                    | "__mocks__"
                    | "fixtures"
                    | "test_utils"
                    | "testutils"
            )
        });
        let stem = name.split('.').next().unwrap_or(name);
        let test_name = name.ends_with("_test.go")
            || (name.ends_with(".py") && (stem.starts_with("test_") || stem.ends_with("_test")))
            || name == "conftest.py"
            || [".test.", ".spec.", "_spec.", "_test."]
                .iter()
                .any(|marker| name.contains(marker))
            || ((name.ends_with(".java") || name.ends_with(".cs") || name.ends_with(".kt"))
                && (stem.ends_with("test") || stem.ends_with("tests")))
            || (name.ends_with(".rs") && (stem == "tests" || stem.ends_with("_tests")))
            || (name.ends_with(".c") || name.ends_with(".cc") || name.ends_with(".cpp"))
                && (stem.starts_with("test_") || stem.ends_with("_test"));
        if test_dir || test_name {
            return Placement::Test;
        }
        let tooling_dir = dirs.iter().any(|d| {
            matches!(
                *d,
                "examples"
                    | "example"
                    | "benches"
                    | "bench"
                    | "benchmarks"
                    | "scripts"
                    | "script"
                    | "tools"
                    | "xtask"
                    | "docs"
                    | "doc"
            )
        });
        if tooling_dir || name == "build.rs" {
            return Placement::Tooling;
        }
        Placement::Production
    }
}

#[cfg(test)]
mod tests {
    use super::Placement;

    #[test]
    fn paths_are_classified_by_convention() {
        for path in [
            "tests/cli.rs",
            "src/parser/tests.rs",
            "pkg/server/handler_test.go",
            "app/test_views.py",
            "app/views_test.py",
            "conftest.py",
            "ui/src/lib/visible.test.ts",
            "web/__tests__/App.jsx",
            "src/test/java/com/acme/ParserTest.java",
            "spec/models/user_spec.rb",
        ] {
            assert_eq!(Placement::of(path), Placement::Test, "{path}");
        }
        for path in [
            "examples/demo.rs",
            "benches/syntax.rs",
            "build.rs",
            "scripts/release.py",
        ] {
            assert_eq!(Placement::of(path), Placement::Tooling, "{path}");
        }
        for path in [
            "src/lib.rs",
            "src/contest.rs",
            "src/testament/mod.rs",
            "pkg/server/handler.go",
            "app/views.py",
            "src/main/java/com/acme/Parser.java",
        ] {
            assert_eq!(Placement::of(path), Placement::Production, "{path}");
        }
    }
}
