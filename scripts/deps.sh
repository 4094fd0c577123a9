#!/usr/bin/env bash
# Installs the Debian packages kaiku needs to build, run and test, when they
# are missing. Safe to run again: it installs nothing when all are present.
set -euo pipefail

packages=(
  cmake make gcc clang clang-format pkg-config python3 tzdata sqlite3 curl openssl
  libclang-rt-14-dev libsqlite3-dev libsodium-dev libjansson-dev libmicrohttpd-dev libcmocka-dev
  libxlsxwriter-dev libutf8proc-dev gettext
  libzip-dev libexpat1-dev zlib1g-dev
  libpq-dev postgresql
  chromium
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
    missing+=("$p")
  fi
done
# Node.js and npm for the browser tests (tests/web): Debian's, unless the
# machine already has a node and npm of its own (a newer npm is kept).
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  missing+=(nodejs npm)
fi

if [ ${#missing[@]} -gt 0 ]; then
  echo "kaiku: installing ${missing[*]}" >&2
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
