fn main() {
    // Declaring the app's commands makes Tauri generate an `allow-<command>` permission for
    // each, and refuse any command a capability in tauri.conf.json does not grant.
    let manifest = tauri_build::AppManifest::new().commands(&[
        "app_context",
        "opened_repository",
        "recent_repositories",
        "open_repository",
        "open_demo",
        "settings",
        "save_settings",
        "list_targets",
        "resolve_target",
        "open_review",
        "file_diff",
        "file_lines",
        "file_structure",
        "review_findings",
        "file_findings",
        "findings_rules",
        "model_status",
        "prepare_explain",
        "explain",
        "cancel_explain",
        "explain_every_hunk",
        "pin_explanation",
        "learn",
        "highlight",
        "authorship",
        "provenance",
        "target_agents",
        "commit_details",
        "older_commits",
        "uncommitted_evidence",
        "review_notes",
        "add_note",
        "reply_to_note",
        "resolve_note",
        "set_note_kind",
        "save_draft",
        "preview_markdown",
        "review_progress",
        "mark_viewed",
        "decide",
        "target_statuses",
        "sync_status",
        "sync_reviews",
        "agent_sessions",
        "mark_turn",
        "since_last_review",
        "send_to_agent",
        "agent_markdown",
        "undo_hunk",
        "redo_undo",
        "watch_repository",
        "unwatch_repository",
    ]);
    if let Err(error) =
        tauri_build::try_build(tauri_build::Attributes::new().app_manifest(manifest))
    {
        // A build script reports failure by exiting non-zero; cargo prints this.
        eprintln!("tauri-build failed: {error:#}");
        std::process::exit(1);
    }
}
