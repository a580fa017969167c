#!/usr/bin/env bash
# Installs the real MLflow tracking server the results tests run against (and `npm run demo` uses when present)
# into a cached virtual environment (scripts/python-venv.sh; a no-op once ready). Prints the environment's path.
set -euo pipefail
cd "$(dirname "$0")/.."
exec scripts/python-venv.sh mlflow 'mlflow==3.17.2'
