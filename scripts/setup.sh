#!/usr/bin/env bash
# Installs every build, run and test dependency of Vaarta from Debian's packages.
# Safe to run again: apt-get skips what is already installed.
set -euo pipefail

# --with-browser adds Debian's Chromium, which only the browser tests need.
with_browser=false
[[ "${1:-}" == "--with-browser" ]] && with_browser=true

packages=(
  build-essential cmake ninja-build pkg-config ccache git ca-certificates
  libboost-dev libboost-system-dev
  nlohmann-json3-dev libtomlplusplus-dev libcli11-dev
  libsqlite3-dev libpqxx-dev libpq-dev
  libargon2-dev libssl-dev libcurl4-openssl-dev
  libphonenumber-dev libicu-dev libexpat1-dev libzip-dev zlib1g-dev libuchardet-dev sqlite3
  libfasttext-dev libespeak-ng-dev espeak-ng-data libsamplerate0-dev
  libxlsxwriter-dev libpango1.0-dev libcairo2-dev fonts-noto-core
  libgtest-dev libgmock-dev poppler-utils
  postgresql postgresql-client
  wrk curl procps jq
)

$with_browser && packages+=(chromium)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
echo "setup: dependencies present"

# Node.js runs the twilio npm agreement test (and later the dashboard build). The machine's
# own Node.js is used when present; otherwise Debian's.
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "setup: installing nodejs npm"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
fi
