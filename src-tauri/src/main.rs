//! `redline-desktop [PATH]`: the Redline window, on the repository containing PATH (default:
//! the current directory, or the demo repository when that is not inside a repository).
#![forbid(unsafe_code)]
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() -> std::process::ExitCode {
    redline_desktop::run()
}
