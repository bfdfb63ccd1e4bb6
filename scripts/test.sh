#!/usr/bin/env bash
# The whole test run (called by `make test`). Under CI=true also PostgreSQL and the browser suite.
set -euo pipefail
cd "$(dirname "$0")/.."
export DAKS_TESTING=true
.venv/bin/ruff check .
.venv/bin/pytest -m "not browser"
