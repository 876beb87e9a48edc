//! Started where there is no display (an SSH session, a container), the window says why and
//! exits; it does not panic with a backtrace from inside Tauri's event loop.
#![allow(clippy::unwrap_used, clippy::expect_used)]
#![cfg(target_os = "linux")]

use std::process::Command;

#[test]
fn without_a_display_the_window_explains_and_exits() {
    let scratch = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_redline-desktop"))
        .arg(scratch.path())
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .env_remove("XDG_DATA_HOME")
        .env("HOME", scratch.path())
        .env("REDLINE_DATA_DIR", scratch.path())
        .env("RUST_BACKTRACE", "1")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "stderr: {stderr}");
    assert!(
        stderr.contains(
            "error: the Redline window could not start: GTK could not open a display \
             (DISPLAY unset, WAYLAND_DISPLAY unset); run it in a graphical session, or use the `redline` command"
        ),
        "stderr: {stderr}"
    );
    assert!(!stderr.contains("panicked"), "stderr: {stderr}");
}
