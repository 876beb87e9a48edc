//! The window's settings in the user's config file, and the recent repositories of the start
//! screen: real files in a temporary home.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::path::{Path, PathBuf};

use pretty_assertions::assert_eq;
use redline::error::{ErrorKind, ErrorReport};
use redline::review::{
    self, save_settings_in, settings_in, DiffView, SettingsError, Theme, WindowSettings,
};
use redline::store::Store;
use support::TestRepo;

/// `~/.config/redline/config.toml` under a fresh temporary home.
fn config_in(home: &tempfile::TempDir) -> PathBuf {
    home.path().join(".config/redline/config.toml")
}

fn dark(tab_width: u8) -> WindowSettings {
    WindowSettings {
        theme: Theme::Dark,
        diff_view: DiffView::Unified,
        tab_width,
        ignore_whitespace: false,
        context_lines: 3,
    }
}

/// What the window writes for `dark(tab_width)`, after `theme`.
fn written_after_theme(tab_width: u8) -> String {
    format!(
        "diff-view = \"unified\"\ntab-width = {tab_width}\nignore-whitespace = false\ncontext-lines = 3\n"
    )
}

#[test]
fn without_a_file_the_defaults_hold_and_saving_creates_the_file() {
    let home = tempfile::tempdir().unwrap();
    let path = config_in(&home);
    assert_eq!(settings_in(&path).unwrap(), WindowSettings::default());
    assert_eq!(WindowSettings::default().tab_width, 4);
    assert!(!WindowSettings::default().ignore_whitespace);
    assert_eq!(WindowSettings::default().context_lines, 3);
    assert!(!path.exists(), "reading creates nothing");

    assert_eq!(save_settings_in(&path, &dark(8)).unwrap(), dark(8));
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        format!("[window]\ntheme = \"dark\"\n{}", written_after_theme(8))
    );
    assert_eq!(settings_in(&path).unwrap(), dark(8));

    let light = WindowSettings {
        theme: Theme::Light,
        ..dark(2)
    };
    save_settings_in(&path, &light).unwrap();
    assert_eq!(settings_in(&path).unwrap(), light);
}

#[test]
fn other_sections_and_comments_stay_byte_for_byte() {
    let home = tempfile::tempdir().unwrap();
    let path = config_in(&home);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let before = "\
# Redline, my way.\n\
\n\
[provenance]   # who signs what\n\
[[provenance.signature]]\n\
agent = \"custom\"\n\
trailer = \"Co-Authored-By: Bot <bot@example.com>\"\n\
\n\
[llm]\n\
provider   =   'openai'   # aligned by hand\n\
base-url = \"http://127.0.0.1:8080/v1\"\n\
context-tokens = 32_768\n\
\n\
[window]\n\
# light in the day\n\
theme = \"light\"   # or dark\n\
\n\
[zzz]\n\
kept = [1, 2,   3]\n";
    std::fs::write(&path, before).unwrap();
    assert_eq!(
        settings_in(&path).unwrap(),
        WindowSettings {
            theme: Theme::Light,
            ..WindowSettings::default()
        }
    );

    save_settings_in(&path, &dark(3)).unwrap();
    let after = std::fs::read_to_string(&path).unwrap();
    // Only the window's values changed or were added; the comment after `theme` stays with it.
    let expected = before.replace(
        "theme = \"light\"   # or dark\n",
        &format!("theme = \"dark\"   # or dark\n{}", written_after_theme(3)),
    );
    assert_eq!(after, expected);
    assert_eq!(settings_in(&path).unwrap(), dark(3));

    // The other parts of Redline still read their sections.
    let table: toml::Table = toml::from_str(&after).unwrap();
    assert_eq!(table["llm"]["context-tokens"].as_integer(), Some(32_768));

    // Saving the same again changes nothing at all.
    save_settings_in(&path, &dark(3)).unwrap();
    assert_eq!(std::fs::read_to_string(&path).unwrap(), expected);
}

#[test]
fn a_file_without_a_window_section_gets_one_at_the_end() {
    let home = tempfile::tempdir().unwrap();
    let path = config_in(&home);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let before = "[llm]\nmodel = \"qwen\" # small\n";
    std::fs::write(&path, before).unwrap();
    save_settings_in(&path, &dark(4)).unwrap();
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        format!(
            "{before}\n[window]\ntheme = \"dark\"\n{}",
            written_after_theme(4)
        )
    );
}

fn invalid(path: &Path) -> (usize, String, ErrorReport) {
    match settings_in(path) {
        Err(error @ SettingsError::Invalid { line, .. }) => {
            let message = error.to_string();
            (line, message, ErrorReport::from(error))
        }
        other => panic!("expected an invalid file, got {other:?}"),
    }
}

#[test]
fn an_invalid_value_names_the_file_the_line_and_the_key() {
    let home = tempfile::tempdir().unwrap();
    let path = config_in(&home);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let cases = [
        (
            "[llm]\nmodel = \"m\"\n\n[window]\ntheme = \"purple\"\n",
            5,
            "window.theme: expected one of \"system\", \"light\", \"dark\", not \"purple\"",
        ),
        (
            "[window]\ntheme = \"dark\"\ntab-width = 0\n",
            3,
            "window.tab-width: expected a whole number from 1 to 16, not 0",
        ),
        (
            "[window]\ntab-width = \"4\"\n",
            2,
            "window.tab-width: expected a whole number from 1 to 16, not \"4\"",
        ),
        (
            "[window]\ndiff-view = \"side-by-side\"\n",
            2,
            "window.diff-view: expected one of \"unified\", \"split\", not \"side-by-side\"",
        ),
        (
            "[window]\nthem = \"dark\"\n",
            2,
            "window.them: unknown setting (known: theme, diff-view, tab-width, ignore-whitespace, context-lines)",
        ),
        (
            "[window]\ntheme = \"dark\"\n\nignore-whitespace = \"yes\"\n",
            4,
            "window.ignore-whitespace: expected true or false, not \"yes\"",
        ),
        (
            "[window]\nignore-whitespace = 1\n",
            2,
            "window.ignore-whitespace: expected true or false, not 1",
        ),
        (
            "[window]\ncontext-lines = 21\n",
            2,
            "window.context-lines: expected a whole number from 0 to 20, not 21",
        ),
        (
            "[window]\ncontext-lines = -1\n",
            2,
            "window.context-lines: expected a whole number from 0 to 20, not -1",
        ),
        (
            "[window]\ncontext-lines = 2.5\n",
            2,
            "window.context-lines: expected a whole number from 0 to 20, not 2.5",
        ),
        ("window = 3\n", 1, "`window` must be a table ([window])"),
    ];
    for (text, line, message) in cases {
        std::fs::write(&path, text).unwrap();
        let (found_line, shown, report) = invalid(&path);
        assert_eq!(found_line, line, "{text}");
        assert_eq!(shown, format!("{}:{line}: {message}", path.display()));
        assert_eq!(report.kind, ErrorKind::InvalidConfig);

        // Saving refuses to overwrite what the user must fix, and leaves the file as it was.
        assert!(matches!(
            save_settings_in(&path, &dark(4)),
            Err(SettingsError::Invalid { .. })
        ));
        assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
    }
}

#[test]
fn split_view_hidden_whitespace_and_context_lines_round_trip() {
    let home = tempfile::tempdir().unwrap();
    let path = config_in(&home);
    let chosen = WindowSettings {
        theme: Theme::System,
        diff_view: DiffView::Split,
        tab_width: 2,
        ignore_whitespace: true,
        context_lines: 0,
    };
    assert_eq!(save_settings_in(&path, &chosen).unwrap(), chosen);
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "[window]\ntheme = \"system\"\ndiff-view = \"split\"\ntab-width = 2\n\
         ignore-whitespace = true\ncontext-lines = 0\n"
    );
    assert_eq!(settings_in(&path).unwrap(), chosen);

    // Written by hand, with the widest context; the keys not given keep their defaults.
    std::fs::write(
        &path,
        "[window]\ncontext-lines = 20 # all I can get\nignore-whitespace = true\n",
    )
    .unwrap();
    assert_eq!(
        settings_in(&path).unwrap(),
        WindowSettings {
            ignore_whitespace: true,
            context_lines: 20,
            ..WindowSettings::default()
        }
    );
    // Saving keeps the comment beside the value it replaces.
    save_settings_in(
        &path,
        &WindowSettings {
            context_lines: 7,
            ..chosen
        },
    )
    .unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(
        text.starts_with("[window]\ncontext-lines = 7 # all I can get\nignore-whitespace = true\n"),
        "{text}"
    );
}

#[test]
fn out_of_range_values_are_refused_before_anything_is_written() {
    let home = tempfile::tempdir().unwrap();
    let path = config_in(&home);
    for (settings, message) in [
        (
            WindowSettings {
                context_lines: 21,
                ..WindowSettings::default()
            },
            "window.context-lines: expected a whole number from 0 to 20, not 21",
        ),
        (
            WindowSettings {
                tab_width: 17,
                ..WindowSettings::default()
            },
            "window.tab-width: expected a whole number from 1 to 16, not 17",
        ),
    ] {
        let error = save_settings_in(&path, &settings).unwrap_err();
        assert_eq!(
            error.to_string(),
            format!("{}:1: {message}", path.display())
        );
        assert!(!path.exists(), "nothing written for {settings:?}");
    }
}

#[test]
fn a_file_that_is_not_toml_is_reported_with_its_line_and_never_overwritten() {
    let home = tempfile::tempdir().unwrap();
    let path = config_in(&home);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let text = "[llm]\nmodel = \"m\"\n[window\ntheme = \"dark\"\n";
    std::fs::write(&path, text).unwrap();
    let (line, shown, _) = invalid(&path);
    assert_eq!(line, 3);
    assert!(
        shown.starts_with(&format!("{}:3: ", path.display())),
        "{shown}"
    );
    assert!(save_settings_in(&path, &dark(4)).is_err());
    assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
}

#[test]
fn the_window_reads_and_writes_the_config_file_of_the_home_directory() {
    // The only test here that sets the environment: the others pass their paths.
    let home = tempfile::tempdir().unwrap();
    std::env::set_var("HOME", home.path());
    std::env::remove_var("XDG_CONFIG_HOME");
    assert_eq!(
        redline::provenance::user_config_path().unwrap(),
        config_in(&home)
    );
    assert_eq!(review::settings().unwrap(), WindowSettings::default());
    review::save_settings(&dark(6)).unwrap();
    assert_eq!(review::settings().unwrap(), dark(6));
    assert!(std::fs::read_to_string(config_in(&home))
        .unwrap()
        .contains("tab-width = 6"));
}

#[test]
fn recent_repositories_are_the_existing_ones_most_recently_used_first() {
    let data = tempfile::tempdir().unwrap();
    let store = Store::open(data.path()).unwrap();
    assert_eq!(review::recent_repositories(&store).unwrap(), vec![]);

    let older = TestRepo::new();
    older.write("a.txt", "a\n").commit("first");
    let newer = TestRepo::new();
    newer.write("b.txt", "b\n").commit("first");
    let gone = TestRepo::new();
    gone.write("c.txt", "c\n").commit("first");
    let empty = TestRepo::empty_dir();

    for repo in [&older, &gone, &newer] {
        let workspace = review::open_workspace(&store, &repo.path());
        assert_eq!(workspace.repo_path, repo.path().display().to_string());
        assert!(!workspace.is_demo);
        // Distinct milliseconds, so the order is the order of use.
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    // A folder that is no repository opens (the window says why) but is not remembered.
    review::open_workspace(&store, &empty.path());
    let gone_path = gone.path();
    drop(gone);
    assert!(!gone_path.exists());

    let recent = review::recent_repositories(&store).unwrap();
    let paths: Vec<&str> = recent.iter().map(|r| r.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            newer.path().display().to_string(),
            older.path().display().to_string()
        ]
    );
    assert_eq!(
        recent[0].name,
        newer.path().file_name().unwrap().to_string_lossy()
    );
    assert!(recent[0].last_used >= recent[1].last_used);

    // Reviewing the older one (a viewed mark) makes it the most recent.
    std::thread::sleep(std::time::Duration::from_millis(5));
    let head = redline::repo::Target::Commit { rev: "HEAD".into() };
    review::mark_viewed(
        &store,
        &older.path(),
        &head,
        "a.txt",
        &review::HunkChoice::All,
        true,
    )
    .unwrap();
    let recent = review::recent_repositories(&store).unwrap();
    assert_eq!(recent[0].path, older.path().display().to_string());

    // Opening the newer one again, with nothing written in it, makes it the most recent.
    std::thread::sleep(std::time::Duration::from_millis(5));
    review::open_workspace(&store, &newer.path());
    let recent = review::recent_repositories(&store).unwrap();
    assert_eq!(recent[0].path, newer.path().display().to_string());
}

#[test]
fn outside_any_repository_the_window_starts_on_its_start_screen() {
    let outside = tempfile::tempdir().unwrap();
    assert_eq!(review::start_workspace(None, outside.path()), None);
    let repo = TestRepo::new();
    repo.write("a.txt", "a\n").commit("first");
    assert_eq!(
        review::start_workspace(None, &repo.path())
            .unwrap()
            .repo_path,
        repo.path().display().to_string()
    );
    assert_eq!(
        review::start_workspace(Some(outside.path()), &repo.path())
            .unwrap()
            .repo_path,
        outside.path().display().to_string()
    );
}
