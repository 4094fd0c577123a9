#!/usr/bin/env bash
# The newcomer's first command: installs what is missing, builds kaiku,
# creates a fresh demo database and serves it.
# Usage: scripts/run.sh [HOST:PORT]   (default 127.0.0.1:8080)
set -euo pipefail
cd "$(dirname "$0")/.."

listen=${1:-127.0.0.1:8080}
db=${KAIKU_DEMO_DB:-$PWD/kaiku-demo.db}

scripts/deps.sh
echo "kaiku: building…" >&2
scripts/build.sh build

rm -f "$db" "$db-wal" "$db-shm"
./build/kaiku init --db "$db"
./build/kaiku demo --db "$db"
echo
echo "kaiku is serving the demo on $listen:"
echo "  the pages: http://$listen/ (sign in with a login above; a venue's opens its box office)"
echo "  the API:   http://$listen/api/v1, described at http://$listen/api/v1/openapi.json"
echo "Stop it with Ctrl-C."
exec ./build/kaiku serve --db "$db" --listen "$listen"
