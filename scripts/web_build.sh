#!/usr/bin/env bash
# Builds the dashboard (web/) into web/dist, which `vaarta serve` serves: `npm ci` from the
# committed package-lock.json when node_modules is missing or older than it, then the
# TypeScript check and Vite's production build (a few seconds).
set -euo pipefail
cd "$(dirname "$0")/../web"

installed=node_modules/.package-lock.json
if [[ ! -f "$installed" || package-lock.json -nt "$installed" || package.json -nt "$installed" ]]; then
  if ! command -v npm >/dev/null; then
    echo "web_build: npm is missing; run scripts/setup.sh" >&2
    exit 1
  fi
  echo "web_build: npm ci in web/"
  npm ci --no-audit --no-fund
  touch "$installed"
fi
npm run --silent build >/dev/null
echo "web_build: dashboard built in web/dist"
