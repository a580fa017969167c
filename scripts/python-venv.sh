#!/usr/bin/env bash
# Creates (or reuses) a cached Python virtual environment for a real outside component used by the tests
# (SkyPilot at one version, an MLflow tracking server). The product stays TypeScript; these are test harnesses.
#
#   scripts/python-venv.sh NAME PIP_SPEC...      e.g. scripts/python-venv.sh skypilot-0.9.3 'skypilot==0.9.3'
#
# Environments live outside the repository, under $SKYLOOP_VENV_DIR (default ~/.cache/skyloop/venvs), so
# CI runs and later sessions on the same machine reuse them. An environment counts as ready only once its
# marker file records exactly the specs it was built with; a half-built one is rebuilt from scratch.
set -euo pipefail
[ $# -ge 2 ] || { echo "usage: $0 NAME PIP_SPEC..." >&2; exit 2; }
name=$1; shift
root=${SKYLOOP_VENV_DIR:-$HOME/.cache/skyloop/venvs}
venv="$root/$name"
want="$*"
if [ -f "$venv/.skyloop-ready" ] && [ "$(cat "$venv/.skyloop-ready")" = "$want" ]; then
  echo "$venv"; exit 0
fi
python=${SKYLOOP_PYTHON:-python3}
command -v "$python" >/dev/null || { echo "python-venv: $python not found; install Python 3.9+ with venv" >&2; exit 1; }
rm -rf "$venv"
mkdir -p "$root"
"$python" -m venv "$venv" >&2
"$venv/bin/pip" install --quiet --disable-pip-version-check --no-input "$@" >&2
printf '%s' "$want" > "$venv/.skyloop-ready"
echo "$venv"
