#!/usr/bin/env bash
# Installs the npm packages the tests use (today: the official `twilio` package for
# tests/twilio_npm/agreement.test.js), exactly as pinned by the committed package-lock.json.
# Runs `npm ci` only when node_modules is missing or older than the lockfile, so calling it
# before every test run costs nothing. Needs node and npm (Debian: nodejs, npm) and the npm
# registry.
set -euo pipefail
cd "$(dirname "$0")/.."

for dir in tests/twilio_npm; do
  lock="$dir/package-lock.json"
  # npm writes its own copy of the lockfile into node_modules on every install.
  installed="$dir/node_modules/.package-lock.json"
  if [[ -f "$installed" && ! "$lock" -nt "$installed" && ! "$dir/package.json" -nt "$installed" ]]; then
    continue
  fi
  if ! command -v npm >/dev/null; then
    echo "npm_test_deps: npm is missing; install Debian's nodejs and npm packages" >&2
    exit 1
  fi
  echo "npm_test_deps: npm ci in $dir"
  (cd "$dir" && npm ci --no-audit --no-fund)
  touch "$installed"
done
