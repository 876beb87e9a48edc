//! Which files a reviewer usually skips: lock files, vendored and generated code.
//!
//! The tables are data, kept short and conservative: a file wrongly collapsed hides code from
//! the reviewer, which is worse than one wrongly shown. `.gitattributes` wins over the tables
//! in both directions (`linguist-generated=false` un-collapses a path the table matches).

use super::file::Collapsed;

/// Dependency lock files, by file name.
const LOCK_FILES: &[&str] = &[
    "Cargo.lock",
    "package-lock.json",
    "npm-shrinkwrap.json",
    "yarn.lock",
    "pnpm-lock.yaml",
    "bun.lock",
    "bun.lockb",
    "Gemfile.lock",
    "composer.lock",
    "poetry.lock",
    "Pipfile.lock",
    "uv.lock",
    "pdm.lock",
    "go.sum",
    "flake.lock",
    "mix.lock",
    "pubspec.lock",
    "Podfile.lock",
    "packages.lock.json",
    "gradle.lockfile",
    "Package.resolved",
];

/// Directories holding third-party code, matched as a path component.
const VENDORED_DIRS: &[&str] = &[
    "vendor",
    "third_party",
    "third-party",
    "node_modules",
    "bower_components",
    "Pods",
];

/// File name endings of tool output.
const GENERATED_SUFFIXES: &[&str] = &[
    ".min.js",
    ".min.css",
    ".js.map",
    ".css.map",
    ".pb.go",
    "_pb2.py",
    "_pb2.pyi",
    "_pb2_grpc.py",
    ".pb.cc",
    ".pb.h",
    ".g.dart",
    ".freezed.dart",
    ".Designer.cs",
    ".designer.cs",
    "_generated.go",
];

/// Directories of generated code, matched as a path component.
const GENERATED_DIRS: &[&str] = &["__generated__", "__snapshots__"];

/// What `.gitattributes` says about a path (`None`: unspecified).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PathAttributes {
    /// `linguist-generated` set or unset.
    pub generated: Option<bool>,
    /// `linguist-vendored` set or unset.
    pub vendored: Option<bool>,
    /// `-diff` or `diff=false`: git shows no content.
    pub diff_disabled: bool,
}

/// Why `path` should start collapsed, if it should.
pub fn collapse_reason(path: &str, attributes: &PathAttributes) -> Option<Collapsed> {
    if attributes.diff_disabled {
        return Some(Collapsed::DiffDisabled);
    }
    match (attributes.generated, attributes.vendored) {
        (Some(true), _) => return Some(Collapsed::Generated),
        (_, Some(true)) => return Some(Collapsed::Vendored),
        _ => {}
    }
    let components: Vec<&str> = path.split('/').collect();
    let (dirs, name) = components.split_at(components.len().saturating_sub(1));
    let name = name.first().copied().unwrap_or_default();
    if attributes.generated.is_none() {
        if LOCK_FILES.contains(&name) {
            return Some(Collapsed::LockFile);
        }
        if GENERATED_SUFFIXES.iter().any(|s| name.ends_with(s))
            || dirs.iter().any(|d| GENERATED_DIRS.contains(d))
        {
            return Some(Collapsed::Generated);
        }
    }
    if attributes.vendored.is_none() && dirs.iter().any(|d| VENDORED_DIRS.contains(d)) {
        return Some(Collapsed::Vendored);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const NONE: PathAttributes = PathAttributes {
        generated: None,
        vendored: None,
        diff_disabled: false,
    };

    #[test]
    fn tables_classify_lock_vendored_and_generated_paths() {
        for (path, expected) in [
            ("Cargo.lock", Some(Collapsed::LockFile)),
            ("web/package-lock.json", Some(Collapsed::LockFile)),
            ("vendor/github.com/x/y.go", Some(Collapsed::Vendored)),
            ("a/third_party/lib.c", Some(Collapsed::Vendored)),
            ("static/app.min.js", Some(Collapsed::Generated)),
            ("api/user.pb.go", Some(Collapsed::Generated)),
            ("src/__generated__/schema.ts", Some(Collapsed::Generated)),
            ("src/lib.rs", None),
            ("docs/vendoring.md", None),
            ("src/Cargo.lock.rs", None),
        ] {
            assert_eq!(collapse_reason(path, &NONE), expected, "{path}");
        }
    }

    #[test]
    fn attributes_win_in_both_directions() {
        let generated = PathAttributes {
            generated: Some(true),
            ..NONE
        };
        assert_eq!(
            collapse_reason("src/schema.rs", &generated),
            Some(Collapsed::Generated)
        );
        let not_generated = PathAttributes {
            generated: Some(false),
            ..NONE
        };
        assert_eq!(collapse_reason("app.min.js", &not_generated), None);
        let not_vendored = PathAttributes {
            vendored: Some(false),
            ..NONE
        };
        assert_eq!(collapse_reason("vendor/ours.go", &not_vendored), None);
        let no_diff = PathAttributes {
            diff_disabled: true,
            ..NONE
        };
        assert_eq!(
            collapse_reason("src/lib.rs", &no_diff),
            Some(Collapsed::DiffDisabled)
        );
    }
}
