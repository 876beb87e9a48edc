//! Started where there is no display (an SSH session, a container), the window says why and
//! exits; it does not panic with a backtrace from inside Tauri's event loop.
#![allow(clippy::unwrap_used, clippy::expect_used)]
#![cfg(target_os = "linux")]

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[test]
fn without_a_display_the_window_explains_and_exits() {
    let scratch = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_redline-desktop"))
        .arg(scratch.path())
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .env_remove("XDG_DATA_HOME")
        // GTK would still find a Wayland compositor's socket in the runtime directory
        .env("XDG_RUNTIME_DIR", scratch.path())
        .env("HOME", scratch.path())
        .env("REDLINE_DATA_DIR", scratch.path())
        .env("RUST_BACKTRACE", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // a window that opened after all would never exit: end it and fail
    let deadline = Instant::now() + Duration::from_secs(30);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            child.kill().unwrap();
            panic!("the window started without a display");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let output = child.wait_with_output().unwrap();
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
