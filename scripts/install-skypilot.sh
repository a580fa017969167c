#!/usr/bin/env bash
# Installs every SkyPilot release the contract tests (test/contract/) run against, one cached virtual
# environment each (scripts/python-venv.sh: a no-op once an environment is ready). Installs run one after
# another: pip resolving six SkyPilot trees at once would starve a small CI machine.
#
#   scripts/install-skypilot.sh            all versions
#   scripts/install-skypilot.sh 0.9.3 ...  only these
set -euo pipefail
cd "$(dirname "$0")/.."
# The versions proven against; test/contract/skypilot-versions.ts lists the same ones.
versions=(0.9.3 0.10.5 0.11.2 0.12.3.post1 0.13.0 0.14.1)
[ $# -gt 0 ] && versions=("$@")
for v in "${versions[@]}"; do
  extra=()
  case "$v" in
    # Before 0.14 the API server passes FastAPI an argument FastAPI >= 0.116 refuses (`FastAPI(prefix=...)`):
    # pin the FastAPI of their time.
    0.9.*|0.12.*|0.13.*) extra=('fastapi==0.115.12') ;;
    # 0.10 and 0.11 also need greenlet for their async database layer, which their dependencies do not pull in.
    0.10.*|0.11.*) extra=('fastapi==0.115.12' 'greenlet') ;;
    *) ;;
  esac
  scripts/python-venv.sh "skypilot-$v" "skypilot==$v" "${extra[@]}" >/dev/null
  echo "skypilot-$v ready"
done
