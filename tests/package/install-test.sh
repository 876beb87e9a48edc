#!/usr/bin/env bash
# tests/package/install-test.sh DEB: installs Redline's .deb with apt-get, checks what it put on
# the system (the app, the CLI, the desktop entry, the icons), starts the installed app on a demo
# repository under Xvfb and waits until the window shows the review, checks `redline --version`,
# then removes the package and checks that everything it installed is gone.
# Run by `./x package --test` (the release build is too slow for ./x test and CI). Needs root
# (or sudo) for apt-get; removes the package again even when a check fails.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)

deb=${1:?usage: tests/package/install-test.sh DEB}
deb=$(realpath "$deb")

# A display of our own: a screenshot of a real desktop would never be blank.
if [ -z "${REDLINE_PACKAGE_XVFB:-}" ]; then
  exec env REDLINE_PACKAGE_XVFB=1 xvfb-run -a -s "-screen 0 1280x800x24 -nolisten tcp" "$0" "$deb"
fi

sudo=()
[ "$(id -u)" -eq 0 ] || sudo=(sudo)
passed=0
ok() { passed=$((passed + 1)); printf '  ok   %s\n' "$*"; }
fail() { printf '  FAIL %s\n' "$*" >&2; exit 1; }
check() { # description, command...
  local what=$1
  shift
  if "$@"; then ok "$what"; else fail "$what"; fi
}

package=$(dpkg-deb --field "$deb" Package)
version=$(dpkg-deb --field "$deb" Version)
scratch=$(mktemp -d)
app_pid=
installed=false
cleanup() {
  local status=$?
  if [ -n "$app_pid" ] && kill -0 "$app_pid" 2>/dev/null; then
    kill "$app_pid" 2>/dev/null || true
    wait "$app_pid" 2>/dev/null || true
  fi
  if $installed; then
    echo "  (removing $package after a failure)" >&2
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get remove -y -qq "$package" >/dev/null 2>&1 || true
  fi
  rm -rf "$scratch"
  if [ $status -eq 0 ]; then echo "package test: $passed passed, 0 failed"; else echo "package test: $passed passed, 1 failed"; fi
}
trap cleanup EXIT

echo "==> package test: $package $version from $deb"

if dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed'; then
  fail "$package is already installed; remove it first (apt-get remove $package)"
fi

# apt reads the file as the _apt user when it can; a copy in a world-readable place avoids its
# "unsandboxed download" notice.
cp "$deb" "$scratch/" && chmod 755 "$scratch" && chmod 644 "$scratch/$(basename "$deb")"
installed=true
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq "$scratch/$(basename "$deb")" >"$scratch/apt.log" 2>&1 ||
  { cat "$scratch/apt.log" >&2; fail "apt-get install ./$(basename "$deb")"; }
check "apt-get install ./$(basename "$deb")" \
  bash -c "dpkg-query -W -f='\${Status}' '$package' | grep -q 'install ok installed'"

# What the package put there, as dpkg knows it: every file must exist and be gone after removal.
mapfile -t files < <(dpkg -L "$package" | while read -r f; do [ -f "$f" ] && echo "$f"; done)
desktop_file=$(printf '%s\n' "${files[@]}" | grep '^/usr/share/applications/.*\.desktop$' | head -1)
check "the app is /usr/bin/redline-desktop" test -x /usr/bin/redline-desktop
check "the CLI is /usr/bin/redline, beside it" test -x /usr/bin/redline
check "both are on PATH" \
  bash -c '[ "$(command -v redline-desktop)" = /usr/bin/redline-desktop ] && [ "$(command -v redline)" = /usr/bin/redline ]'
check "a desktop entry ($desktop_file)" test -n "$desktop_file"
check "the desktop entry starts redline-desktop" grep -qx 'Exec=redline-desktop' "$desktop_file"
icon=$(sed -n 's/^Icon=//p' "$desktop_file")
check "the desktop entry is an application named Redline" \
  bash -c "grep -qx 'Type=Application' '$desktop_file' && grep -qx 'Name=Redline' '$desktop_file'"
if command -v desktop-file-validate >/dev/null 2>&1; then
  check "desktop-file-validate accepts the entry" desktop-file-validate "$desktop_file"
fi
mapfile -t icons < <(printf '%s\n' "${files[@]}" | grep "^/usr/share/icons/hicolor/.*/apps/$icon\.png$")
check "icons named $icon in the hicolor theme (${#icons[@]}: ${icons[*]##*/hicolor/})" test ${#icons[@]} -ge 2
for png in "${icons[@]}"; do
  check "  ${png#/usr/share/icons/hicolor/} is a PNG ($(identify -format '%m %wx%h' "$png"))" \
    bash -c "[ \"\$(identify -format '%m' '$png')\" = PNG ]"
done

cli_version=$(/usr/bin/redline --version)
check "redline --version says $version ($cli_version)" bash -c "[[ '$cli_version' == *' $version' ]]"

# The installed app, started as a user would, on the demo repository the installed CLI builds.
home=$scratch/home
mkdir -p "$home"
run_env=(env -u XDG_CONFIG_HOME -u XDG_DATA_HOME -u XDG_STATE_HOME -u XDG_CACHE_HOME
  HOME="$home" GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1 REDLINE_DATA_DIR="$scratch/data")
"${run_env[@]}" redline demo "$scratch/demo" >/dev/null
check "redline demo built the demo repository" test -d "$scratch/demo/.git"
(cd "$scratch" && exec "${run_env[@]}" redline-desktop "$scratch/demo") >"$scratch/app.log" 2>&1 &
app_pid=$!

# Poll the screen until the window shows the review, for up to 30 s: text (many colours) in the
# file list (the left quarter) and in the diff (the rest), between the header and the status
# bar. A blank window has one colour there, the loading screen too.
shot=$scratch/screen.png
deadline=$((SECONDS + 30))
colours() { convert "$shot" -crop "$1" +repage -format '%k' info:; }
while :; do
  kill -0 "$app_pid" 2>/dev/null || { cat "$scratch/app.log" >&2; fail "the app exited on start"; }
  import -window root "$shot"
  list=$(colours 320x660+0+70)
  diff=$(colours 960x660+320+70)
  [ "$list" -gt 100 ] && [ "$diff" -gt 100 ] && break
  [ $SECONDS -lt $deadline ] ||
    { cat "$scratch/app.log" >&2; fail "the window did not show the review within 30 s (colours: list $list, diff $diff)"; }
done
mkdir -p "$root/test-results"
cp "$shot" "$root/test-results/package-installed.png"
check "the installed app shows the review (colours: list $list, diff $diff; test-results/package-installed.png)" true
check "the app is still running" kill -0 "$app_pid"
kill "$app_pid"
wait "$app_pid" 2>/dev/null || true
app_pid=

DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get remove -y -qq "$package" >"$scratch/apt.log" 2>&1 ||
  { cat "$scratch/apt.log" >&2; fail "apt-get remove -y $package"; }
installed=false
check "apt-get remove -y $package" \
  bash -c "! dpkg-query -W -f='\${Status}' '$package' 2>/dev/null | grep -q 'install ok installed'"
left=()
for f in "${files[@]}"; do [ -e "$f" ] && left+=("$f"); done
check "all ${#files[@]} files it installed are gone" test ${#left[@]} -eq 0
check "redline and redline-desktop are no longer on PATH" \
  bash -c '! command -v redline >/dev/null && ! command -v redline-desktop >/dev/null'
