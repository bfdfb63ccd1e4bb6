#!/usr/bin/env bash
# The whole test run (called by `make test`).
#
#   bash scripts/test.sh            ruff, pytest on SQLite, the browser suite (skipped without Chromium);
#                                   under CI=true additionally PostgreSQL, and the browser suite is mandatory
#   bash scripts/test.sh unit       only pytest on SQLite (no browser tests)
#   bash scripts/test.sh browser    only the browser suite (Chromium + Playwright + axe-core)
#   bash scripts/test.sh postgres   only pytest against a throwaway PostgreSQL (scripts/pg.sh)
#
# Extra arguments after the mode go to pytest, e.g. `bash scripts/test.sh unit -k tenancy -x`.
# Every suite runs even when an earlier one failed; the exit status is non-zero when any failed.
set -uo pipefail
cd "$(dirname "$0")/.."

MODE="${1:-all}"
shift || true
export DAKS_TESTING=true
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
PYTEST=(.venv/bin/pytest)
CHROMIUM="${DAKS_CHROMIUM:-/usr/bin/chromium}"

is_ci() { [[ "${CI:-}" == "true" || "${CI:-}" == "1" ]]; }

declare -a RESULTS=()
FAILED=0
START_ALL=$SECONDS

banner() { printf '\n=== %s ===\n' "$*"; }

record() { # name, exit status, start second
  local name="$1" status="$2" started="$3" verdict
  case "$status" in
    0) verdict="ok" ;;
    skip) verdict="skipped" ;;
    *) verdict="FAILED (exit $status)"; FAILED=1 ;;
  esac
  RESULTS+=("$(printf '%-22s %-18s %4ss' "$name" "$verdict" "$((SECONDS - started))")")
}

run_lint() {
  local t=$SECONDS
  banner "ruff check"
  .venv/bin/ruff check .
  record "ruff" $? "$t"
}

run_unit() {
  local t=$SECONDS
  banner "pytest on SQLite (all tests except the browser suite)"
  env -u DATABASE_URL "${PYTEST[@]}" -m "not browser" "$@"
  record "pytest sqlite" $? "$t"
}

run_browser() {
  local t=$SECONDS status
  banner "browser suite (Chromium, Playwright, axe-core)"
  bash scripts/browser-deps.sh
  status=$?
  if [[ $status == 3 ]]; then
    record "pytest browser" skip "$t"
    return
  elif [[ $status != 0 ]]; then
    echo "browser suite: prerequisites missing (scripts/browser-deps.sh exit $status)"
    record "pytest browser" "$status" "$t"
    return
  fi
  env -u DATABASE_URL "${PYTEST[@]}" -m browser tests/browser "$@"
  record "pytest browser" $? "$t"
}

PG_STARTED=0
stop_pg() {
  if [[ $PG_STARTED == 1 ]]; then
    bash scripts/pg.sh stop || true
    PG_STARTED=0
  fi
}
trap stop_pg EXIT
trap 'stop_pg; exit 130' INT TERM

run_postgres() {
  local t=$SECONDS exports
  banner "pytest on PostgreSQL (all tests except the browser suite)"
  PG_STARTED=1
  if ! exports="$(bash scripts/pg.sh start)"; then
    echo "PostgreSQL could not be started"
    record "pytest postgresql" 1 "$t"
    stop_pg
    return
  fi
  (
    eval "$exports"
    "${PYTEST[@]}" -m "not browser" "$@"
  )
  record "pytest postgresql" $? "$t"
  stop_pg
}

# CI: the browser suite (SQLite, Chromium) and the PostgreSQL suite share nothing but the machine; side by side
# on its two cores they take about two thirds of the time one after the other. The PostgreSQL output streams; the
# browser suite's is printed when both have finished.
run_browser_beside_postgres() {
  local dir pid
  dir="$(mktemp -d)"
  (
    RESULTS=()
    run_browser "$@" > "$dir/browser.log" 2>&1
    printf '%s\n' "${RESULTS[@]}" > "$dir/browser.result"
    exit $FAILED
  ) &
  pid=$!
  run_postgres "$@"
  wait "$pid" || FAILED=1
  cat "$dir/browser.log"
  RESULTS+=("$(cat "$dir/browser.result" 2>/dev/null || echo "pytest browser         FAILED (no result)")")
  rm -rf "$dir"
}

case "$MODE" in
  all)
    run_lint
    run_unit "$@"
    if is_ci; then
      run_browser_beside_postgres "$@"
    elif [[ -x "$CHROMIUM" ]]; then
      run_browser "$@"
    else
      banner "browser suite"
      echo "Browser suite skipped: install chromium ($CHROMIUM is missing; Debian/Ubuntu: sudo apt-get install chromium)"
      RESULTS+=("$(printf '%-22s %-18s %4ss' "pytest browser" "skipped" 0)")
    fi
    ;;
  unit) run_unit "$@" ;;
  browser) run_browser "$@" ;;
  postgres) run_postgres "$@" ;;
  *)
    echo "usage: $0 [all|unit|browser|postgres] [pytest arguments]" >&2
    exit 2
    ;;
esac

banner "summary ($((SECONDS - START_ALL))s${CI:+, CI=$CI})"
printf '%s\n' "${RESULTS[@]}"
exit $FAILED
