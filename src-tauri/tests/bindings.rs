//! The UI's IPC module is generated from the Rust command signatures. This test regenerates it
#![allow(clippy::unwrap_used, clippy::expect_used)]
//! and fails when the committed file differs, so a renamed field cannot drift silently.
//! `UPDATE_BINDINGS=1 cargo test -p redline-desktop --test bindings` rewrites it.

use std::path::Path;

use specta_typescript::Typescript;

#[test]
fn generated_bindings_are_committed_and_current() {
    let committed = Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/src/lib/bindings.ts");
    let scratch = tempfile::tempdir().unwrap();
    let fresh_path = scratch.path().join("bindings.ts");
    redline_desktop::specta_builder()
        .export(
            Typescript::default().header("// Generated from the Rust commands by tauri-specta. Do not edit: run `UPDATE_BINDINGS=1 cargo test -p redline-desktop --test bindings`.\n"),
            &fresh_path,
        )
        .unwrap();
    let fresh = std::fs::read_to_string(&fresh_path).unwrap();
    if std::env::var_os("UPDATE_BINDINGS").is_some() {
        std::fs::write(&committed, &fresh).unwrap();
        return;
    }
    let current = std::fs::read_to_string(&committed).unwrap_or_default();
    assert!(
        current == fresh,
        "ui/src/lib/bindings.ts is stale: run `UPDATE_BINDINGS=1 cargo test -p redline-desktop --test bindings` and commit it"
    );
}
