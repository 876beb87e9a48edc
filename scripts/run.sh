#!/usr/bin/env bash
# ./x run [PATH]: set up, build the UI and the desktop app, open it on PATH (see ./x).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
start_dir=$PWD
"$REDLINE_ROOT/scripts/setup.sh" run
cd "$REDLINE_ROOT"
npm run --silent build
cargo build --workspace --bins
cd "$start_dir"
exec "$CARGO_TARGET_DIR/debug/redline-desktop" "$@"
