#!/usr/bin/env bash
# ./x test: set up, then every check and test of Redline. Each step's output is shown as it
# runs; the last line is the total over all steps: "N passed, N failed". A step that is a
# single check (fmt, clippy, type check, build) counts as one; test suites count their tests.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$REDLINE_ROOT"
"$REDLINE_ROOT/scripts/setup.sh" test || { echo "setup failed"; echo "0 passed, 1 failed"; exit 1; }
# The real model the LLM tests run against. Not fatal here: without it those tests fail on their
# own, saying how to install it, and every other step still runs.
"$REDLINE_ROOT/scripts/llm-server.sh" install ||
  echo "warning: llama-server and SmolLM2 could not be installed; the real-model tests will fail" >&2

results=$REDLINE_ROOT/test-results
rm -rf "$results" && mkdir -p "$results"
passed=0
failed=0
failures=()

banner() { printf '\n\033[1;34m==> %s\033[0m\n' "$*"; }
record() { # name, passed count, failed count
  passed=$((passed + $2))
  failed=$((failed + $3))
  [ "$3" -eq 0 ] || failures+=("$1")
}
check() { # name, command...: one check, passes when the command succeeds
  local name=$1
  shift
  banner "$name"
  if "$@"; then record "$name" 1 0; else record "$name" 0 1; fi
}
cargo_tests() { # name, cargo test arguments...: counts the "test result:" lines
  local name=$1 log=$results/$1.log
  shift
  banner "$name"
  cargo test "$@" 2>&1 | tee "$log"
  local status=${PIPESTATUS[0]}
  local ok bad
  read -r ok bad < <(awk '/^test result:/ { for (i = 1; i < NF; i++) {
      if ($(i + 1) ~ /^passed/) p += $i; if ($(i + 1) ~ /^failed/) f += $i } }
    END { print p + 0, f + 0 }' "$log")
  # A build failure or crash prints no result line for the broken suite: count it.
  if [ "$status" -ne 0 ] && [ "$bad" -eq 0 ]; then bad=1; fi
  record "$name" "$ok" "$bad"
}
vitest_suite() { # name, npm script: counts tests from the JSON report the suite writes
  local name=$1 script=$2 report=$results/$1.json
  shift 2
  banner "$name"
  "$@" npm run --silent "$script"
  local status=$?
  if [ -f "$report" ]; then
    local ok bad
    ok=$(node -p "require('$report').numPassedTests")
    bad=$(node -p "const r = require('$report'); r.numFailedTests + (r.numFailedTestSuites || 0)")
    if [ "$status" -ne 0 ] && [ "$bad" -eq 0 ]; then bad=1; fi
    record "$name" "$ok" "$bad"
  else
    record "$name" 0 1
  fi
}

check "ui-build" npm run --silent build
check "rustfmt" cargo fmt --all --check
check "clippy" cargo clippy --workspace --all-targets --quiet -- -D warnings
# --no-fail-fast: every test binary runs even when an earlier one fails, so the count is true.
cargo_tests "rust" --workspace --no-fail-fast
check "cargo-build" cargo build --workspace --bins --quiet
check "svelte-check" npm run --silent check
vitest_suite "unit" test:unit
vitest_suite "browser" test:browser
if [ -n "${DISPLAY:-}" ]; then
  vitest_suite "e2e" test:e2e
else
  # -noreset: by default Xvfb resets when its last client disconnects, and the reset drops a
  # client that connected meanwhile (an app starting as the previous one quits), whose GTK
  # then fails to open the display (4 loops opening and closing the display: 11 of 1,200
  # connections lost without it, 0 with it).
  vitest_suite "e2e" test:e2e xvfb-run -a -s "-screen 0 1440x900x24 -noreset"
fi

echo
if [ ${#failures[@]} -gt 0 ]; then echo "failed steps: ${failures[*]}"; fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
