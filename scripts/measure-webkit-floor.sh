#!/usr/bin/env bash
# scripts/measure-webkit-floor.sh [URL]: the idle memory of WebKitGTK itself, the floor under
# the Redline window's: WebKitGTK's own MiniBrowser on URL (about:blank by default), on a
# virtual display of its own, with a fresh HOME; after 8 s, the RSS and PSS of it and every
# process under it (web and network processes), summed from /proc/PID/smaps_rollup as
# scripts/measure-start.sh sums the app's. The app's compositing choice applies: set
# WEBKIT_DISABLE_COMPOSITING_MODE as for the app.
set -euo pipefail
browser=/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser
[ -x "$browser" ] || { echo "error: no MiniBrowser at $browser (package libwebkit2gtk-4.1-0)" >&2; exit 1; }
if [ -z "${REDLINE_FLOOR_XVFB:-}" ]; then
  exec env REDLINE_FLOOR_XVFB=1 xvfb-run -a -s "-screen 0 1280x800x24 -nolisten tcp" "$0" "$@"
fi
home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT
HOME=$home "$browser" "${1:-about:blank}" >/dev/null 2>&1 &
pid=$!
sleep 8
tree() { echo "$1"; for child in $(cat /proc/"$1"/task/*/children 2>/dev/null); do tree "$child"; done; }
rss=0
pss=0
for p in $(tree "$pid"); do
  r=$(awk '/^Rss:/ { print $2 }' /proc/"$p"/smaps_rollup 2>/dev/null || echo 0)
  s=$(awk '/^Pss:/ { print $2 }' /proc/"$p"/smaps_rollup 2>/dev/null || echo 0)
  echo "$(cat /proc/"$p"/comm 2>/dev/null): rss $((r / 1024)) MB, pss $((s / 1024)) MB"
  rss=$((rss + r))
  pss=$((pss + s))
done
echo "WebKitGTK floor: rss $((rss / 1024)) MB, pss $((pss / 1024)) MB"
kill "$pid"
