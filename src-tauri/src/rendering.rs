//! How WebKitGTK draws the window where there is no GPU.
//!
//! Without a GPU render node (a VM, a remote desktop, Xvfb), WebKitGTK's accelerated
//! compositing runs on software GL (Mesa's llvmpipe): measured here by
//! `scripts/measure-start.sh`, it cost the window 0.5 s of its start (ready at 1.16 s against
//! 0.65 s) and 100 MB of memory (the web process at 291 MB RSS against 197 MB), for nothing a
//! code review needs. Where a render node exists, WebKit's own choice stands; a user's own
//! `WEBKIT_DISABLE_COMPOSITING_MODE` always wins.

use std::path::Path;

/// The variable WebKitGTK reads.
const COMPOSITING_OFF: &str = "WEBKIT_DISABLE_COMPOSITING_MODE";

/// Whether to turn compositing off: only when the user did not choose and there is no GPU.
pub fn compositing_off(user_choice: Option<&str>, has_render_node: bool) -> bool {
    user_choice.is_none() && !has_render_node
}

/// A GPU render node (`/dev/dri/renderD*`) is there to draw with.
fn has_render_node(dri: &Path) -> bool {
    std::fs::read_dir(dri).is_ok_and(|entries| {
        entries
            .flatten()
            .any(|entry| entry.file_name().to_string_lossy().starts_with("renderD"))
    })
}

/// Sets the rendering defaults in this process's environment, for WebKit to read as it starts.
/// Called first in `main`, before any thread exists (changing the environment is only sound
/// while no other thread reads it).
pub fn set_defaults() {
    if !cfg!(target_os = "linux") {
        return;
    }
    let user_choice = std::env::var(COMPOSITING_OFF).ok();
    if compositing_off(user_choice.as_deref(), has_render_node(Path::new("/dev/dri"))) {
        std::env::set_var(COMPOSITING_OFF, "1");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn off_only_without_a_gpu_and_without_the_users_choice() {
        assert!(compositing_off(None, false));
        assert!(!compositing_off(None, true));
        assert!(!compositing_off(Some("0"), false));
        assert!(!compositing_off(Some("1"), true));
    }

    #[test]
    fn a_render_node_is_found_by_its_name() {
        let dir = tempfile::tempdir().expect("temp dir");
        assert!(!has_render_node(dir.path()));
        std::fs::write(dir.path().join("card0"), b"").expect("write");
        assert!(!has_render_node(dir.path()));
        std::fs::write(dir.path().join("renderD128"), b"").expect("write");
        assert!(has_render_node(dir.path()));
        assert!(!has_render_node(&dir.path().join("missing")));
    }
}
