#!/usr/bin/env bash
# Prerequisites of the browser suite (tests/browser): Debian's Chromium and axe-core from npm.
#
# Exit status: 0 ready, 3 not available here (developer machine without Chromium: the caller skips the
# suite), anything else: an error. Under CI=true missing pieces are installed (Chromium via apt-get as
# root, axe-core via npm) and any failure is an error. Never downloads Playwright's own browsers.
set -euo pipefail
cd "$(dirname "$0")/.."

CHROMIUM="${DAKS_CHROMIUM:-/usr/bin/chromium}"
AXE_VERSION="4.11.4"
AXE_FILE="tests/browser/node_modules/axe-core/axe.min.js"
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

is_ci() { [[ "${CI:-}" == "true" || "${CI:-}" == "1" ]]; }
log() { echo "browser-deps: $*" >&2; }

if [[ ! -x "$CHROMIUM" ]]; then
  if is_ci; then
    if [[ "$(id -u)" != "0" ]]; then
      log "$CHROMIUM is missing and installing it needs root"
      exit 1
    fi
    log "installing Debian's chromium (apt-get)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq chromium >/dev/null
  else
    echo "Browser suite skipped: install chromium ($CHROMIUM is missing; Debian/Ubuntu: sudo apt-get install chromium)"
    exit 3
  fi
fi

installed_axe_version() {
  [[ -f tests/browser/node_modules/axe-core/package.json ]] || return 0
  sed -n 's/^ *"version": *"\([^"]*\)".*/\1/p' tests/browser/node_modules/axe-core/package.json | head -n1
}

if [[ ! -f "$AXE_FILE" || "$(installed_axe_version)" != "$AXE_VERSION" ]]; then
  if ! command -v npm >/dev/null 2>&1; then
    if is_ci; then
      log "npm is missing (needed to fetch axe-core@$AXE_VERSION)"
      exit 1
    fi
    echo "Browser suite skipped: install npm (needed once to fetch axe-core@$AXE_VERSION)"
    exit 3
  fi
  log "fetching axe-core@$AXE_VERSION from the npm registry"
  if ! npm install --no-save --no-audit --no-fund --loglevel=error --prefix tests/browser "axe-core@$AXE_VERSION" >&2; then
    if is_ci; then
      log "npm install axe-core@$AXE_VERSION failed"
      exit 1
    fi
    echo "Browser suite skipped: could not fetch axe-core@$AXE_VERSION with npm (offline?)"
    exit 3
  fi
  rm -f tests/browser/package-lock.json
fi
log "ready: $("$CHROMIUM" --version 2>/dev/null | head -n1), axe-core $(installed_axe_version)"
