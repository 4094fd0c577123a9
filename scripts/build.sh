#!/usr/bin/env bash
# Configures and builds one flavour of kaiku into build/ (default),
# build-clang/ (KAIKU_CC=clang) or build-asan/ (KAIKU_SANITIZE=1).
# Usage: scripts/build.sh [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."

cc=${KAIKU_CC:-gcc}
sanitize=${KAIKU_SANITIZE:-0}
dir=${1:-build}
flags=(-DCMAKE_C_COMPILER="$cc" -DCMAKE_BUILD_TYPE=RelWithDebInfo)
[ "$sanitize" = 1 ] && flags+=(-DKAIKU_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug)

cmake -S . -B "$dir" "${flags[@]}" >/dev/null
cmake --build "$dir" -j"$(nproc)" >/dev/null
