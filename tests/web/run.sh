#!/usr/bin/env bash
# The browser tests of kaiku's pages (CTest runs this as `web`).
# Usage: tests/web/run.sh PATH/TO/kaiku [test files...]
# Installs playwright-core and axe-core with `npm ci` from the committed
# lockfile when node_modules is missing or the lockfile changed since the
# last install; uses Debian's chromium (scripts/deps.sh), never downloads a
# browser. Each test file starts its own `kaiku serve` on a free loopback
# port and stops it after. Screenshots go to $KAIKU_WEB_SHOTS (below).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
[ $# -ge 1 ] || { echo "usage: $0 PATH/TO/kaiku [test files...]" >&2; exit 2; }
KAIKU=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
export KAIKU
shift
# Screenshots: web-shots/ beside the binary, unless KAIKU_WEB_SHOTS says
# otherwise. To refresh the guide's pictures:
#   KAIKU_WEB_SHOTS=docs/guide/img tests/web/run.sh build/kaiku
KAIKU_WEB_SHOTS=$(mkdir -p "${KAIKU_WEB_SHOTS:-$(dirname "$KAIKU")/web-shots}" &&
  cd "${KAIKU_WEB_SHOTS:-$(dirname "$KAIKU")/web-shots}" && pwd)
export KAIKU_WEB_SHOTS

chromium=${KAIKU_CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$chromium" ]; then
  echo "kaiku web tests: no chromium at $chromium; run scripts/deps.sh (Debian package chromium)" >&2
  exit 1
fi

files=()
for f in "$@"; do files+=("$(cd "$(dirname "$f")" && pwd)/$(basename "$f")"); done
cd "$here"
stamp=node_modules/.kaiku-lockfile.sha256
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "kaiku web tests: npm ci" >&2
  # no browser download, whatever a package's install script would like
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error >&2
  echo "$want" > "$stamp"
fi

if [ ${#files[@]} -eq 0 ]; then
  files=("$here"/*.test.mjs)
fi
set -- "${files[@]}"
# One file at a time (each drives a chromium of its own, and the machine may
# be running other tests beside it); every file runs even when one fails.
start=$SECONDS
failed=()
for f in "$@"; do
  node --test --test-reporter=spec "$f" || failed+=("$f")
done
echo "kaiku web tests: $# file(s) in $((SECONDS - start)) s; screenshots in $KAIKU_WEB_SHOTS" >&2
if [ ${#failed[@]} -gt 0 ]; then
  echo "kaiku web tests failed: ${failed[*]}" >&2
  exit 1
fi
