#!/usr/bin/env bash
# The black-box API tests that hold for both backends, run again on
# PostgreSQL: `tests/pg/with-postgres.sh bash tests/pg/test_pg_api.sh KAIKU`
# (CTest's pg_api, label pg). Each server of a test gets a new database on
# the throw-away cluster (tests/api/kaikutest.py, pg_database); a test that
# needs the demo gets it built into PostgreSQL (`kaiku demo --db URL`,
# Server.demo), and a check of SQLite's own files (a file's mode, the WAL)
# prints SKIP. Left out: the tests of SQLite's own files (backup, crash,
# faults, power cut).
set -euo pipefail
KAIKU=${1:?usage: test_pg_api.sh /path/to/kaiku}
: "${KAIKU_PG_URL:?run under tests/pg/with-postgres.sh}"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
failed=""
for t in api paging signin identity schema web uploads users http reports web_desk holes \
  shutdown flood guessing tls; do
  echo "== test_$t.py on PostgreSQL"
  python3 "$ROOT/tests/api/test_$t.py" "$KAIKU" || failed="$failed $t"
done
if [ -n "$failed" ]; then
  echo "failed on PostgreSQL:$failed" >&2
  exit 1
fi
