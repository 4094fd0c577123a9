#!/usr/bin/env bash
# The store's unit tests again on PostgreSQL:
# `tests/pg/with-postgres.sh bash tests/pg/test_pg_store.sh TEST…` (CTest's
# pg_store, label pg, with every tests/unit/store/test_store_* program). Each
# program's fixture (tests/unit/store/fixture.c) makes a new database per
# test on the throw-away cluster, copied from one it migrated, and drops it
# after the test; at the end none may be left. The tests of SQLite itself
# (test_sqlite, test_power_cut, test_migrate_*, test_schema) are not run
# here; the cases of the others that are about SQLite skip themselves.
set -uo pipefail
if [ $# -eq 0 ]; then
  echo "usage: $0 TEST..." >&2
  exit 2
fi
: "${KAIKU_PG_URL:?run under tests/pg/with-postgres.sh}"
export KAIKU_TEST_PG_URL=$KAIKU_PG_URL CMOCKA_MESSAGE_OUTPUT=stdout
failed=""
for t in "$@"; do
  name=$(basename "$t")
  echo "== $name on PostgreSQL"
  "$t" || failed="$failed $name"
done
left=$(psql -X -q -At -c "SELECT string_agg(datname, ' ') FROM pg_database
  WHERE datname LIKE 'kaiku\_test\_%'" 2>&1)
if [ -n "$left" ]; then
  echo "databases left behind: $left" >&2
  failed="$failed (cleanup)"
fi
if [ -n "$failed" ]; then
  echo "failed on PostgreSQL:$failed" >&2
  exit 1
fi
