# Sourced by the scripts: where builds go. The cache lives outside the clone so a fresh clone
# (and CI) reuses it.
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/redline/target}
export PATH="$HOME/.cargo/bin:$PATH"
REDLINE_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export REDLINE_ROOT
