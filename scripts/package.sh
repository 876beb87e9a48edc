#!/usr/bin/env bash
# ./x package [--test]: builds the release .deb of Redline (the desktop app, its icon and desktop
# entry, and the `redline` CLI at /usr/bin/redline beside /usr/bin/redline-desktop) with the
# Tauri CLI from node_modules, and prints its path. With --test it then installs the package
# and checks it (tests/package/install-test.sh) and measures the release build's cold start
# and idle memory (scripts/measure-start.sh). The release build takes several minutes on a
# small machine, which is why this is not part of ./x test or CI.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$REDLINE_ROOT"

test=false
for arg in "$@"; do
  case "$arg" in
    --test) test=true ;;
    *) echo "usage: ./x package [--test]" >&2; exit 2 ;;
  esac
done

say() { printf '\033[1;34m==>\033[0m %s\n' "$*" >&2; }

if $test; then "$REDLINE_ROOT/scripts/setup.sh" test; else "$REDLINE_ROOT/scripts/setup.sh" run; fi

free_kb=$(df -Pk "$HOME" | awk 'NR == 2 { print $4 }')
if [ "$free_kb" -lt $((5 * 1024 * 1024)) ]; then
  echo "warning: less than 5 GB free on the disk of $CARGO_TARGET_DIR; the release build may not fit" >&2
fi

# One cargo build at a time on this machine (other sessions build in the same cache).
lock=(flock -o /tmp/redline-cargo.lock)

say "building the redline CLI (release)"
"${lock[@]}" cargo build --release --locked -p redline --bin redline

# The CLI goes in the package as a plain file of the .deb (bundle.linux.deb.files), mapped here
# because its path depends on CARGO_TARGET_DIR. tauri.conf.json's own bundle section holds what
# does not vary (icon, category, description, dependencies).
extra=$(mktemp --suffix=.json)
trap 'rm -f "$extra"' EXIT
printf '{"bundle":{"linux":{"deb":{"files":{"/usr/bin/redline":"%s"}}}}}\n' \
  "$CARGO_TARGET_DIR/release/redline" >"$extra"

say "building the desktop app and the .deb (release; minutes on a small machine)"
# tauri build runs `npm run build` (beforeBuildCommand) for the UI, then cargo, then the bundler.
"${lock[@]}" env TAURI_APP_PATH=src-tauri npx --no-install tauri build --ci --bundles deb --config "$extra"

version=$(node -p "require('./tauri.conf.json').version")
deb=$CARGO_TARGET_DIR/release/bundle/deb/Redline_${version}_$(dpkg --print-architecture).deb
[ -f "$deb" ] || { echo "error: the bundler made no $deb" >&2; exit 1; }
say "built $deb"
dpkg-deb --contents "$deb" | awk '/^-/ { p = $6; sub(/^\.?\/?/, "/", p)
  printf "    %s (%s)\n", p, ($3 > 1048576 ? sprintf("%.1f MiB", $3 / 1048576) : sprintf("%.1f KiB", $3 / 1024)) }'

if $test; then
  "$REDLINE_ROOT/tests/package/install-test.sh" "$deb"
  "$REDLINE_ROOT/scripts/measure-start.sh" --runs 3 "$CARGO_TARGET_DIR/release/redline-desktop"
fi
echo "$deb"
