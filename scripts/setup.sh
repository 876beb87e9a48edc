#!/usr/bin/env bash
# Installs what is missing to build (`setup.sh run`) or also to test (`setup.sh test`) Redline:
# Debian packages, the Rust components, npm packages and tauri-driver. Idempotent and quiet
# when everything is there.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$REDLINE_ROOT"
mode=${1:-run}

say() { printf '\033[1;34m==>\033[0m %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# Tauri's WebKitGTK toolchain, then what the tests drive: a virtual display, the WebKit
# WebDriver, Chromium for browser tests, ImageMagick for screenshots.
packages=(build-essential pkg-config curl wget file git libwebkit2gtk-4.1-dev libxdo-dev
  libssl-dev libayatana-appindicator3-dev librsvg2-dev)
if [ "$mode" = test ]; then
  packages+=(xvfb xauth webkit2gtk-driver chromium imagemagick)
fi
command -v node >/dev/null 2>&1 || packages+=(nodejs npm)

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' ||
    missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  command -v apt-get >/dev/null 2>&1 ||
    die "missing packages ${missing[*]} and no apt-get: install them with your package manager"
  sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || die "installing ${missing[*]} needs root or sudo"
    sudo=(sudo)
  fi
  say "installing Debian packages: ${missing[*]}"
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
fi

node_major=$(node -p 'process.versions.node.split(".")[0]')
[ "$node_major" -ge 20 ] || die "Node.js 20.19 or newer is needed (found $(node --version))"

command -v cargo >/dev/null 2>&1 ||
  die "Rust is missing: install it with rustup (https://rustup.rs), then run this again"
if ! cargo clippy --version >/dev/null 2>&1 || ! cargo fmt --version >/dev/null 2>&1; then
  say "adding the clippy and rustfmt components"
  rustup component add clippy rustfmt
fi

# npm ci only when package-lock.json changed since the last install.
stamp=node_modules/.redline-lock
lock_hash=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$lock_hash" ]; then
  say "installing npm packages"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$lock_hash" >"$stamp"
fi

if [ "$mode" = test ] && ! command -v tauri-driver >/dev/null 2>&1; then
  say "installing tauri-driver (once, about a minute)"
  cargo install tauri-driver --locked --quiet
fi
