#!/usr/bin/env bash
# The PostgreSQL schema (src/store/pg/migrations) against a throw-away
# cluster: run as `tests/pg/with-postgres.sh bash tests/pg/test_pg_schema.sh`
# (CTest does, label pg). Checks that
#   - every migration applies, each in one transaction, in order;
#   - it twins SQLite's (src/store/sqlite/migrations): the same tables, the
#     same columns with the same NOT NULL, the same indexes by name;
#   - the database refuses what the rules forbid, with the SQLSTATE the
#     backend maps to the error code of backend.h (23505 ALREADY_EXISTS,
#     23503 NOT_FOUND, 23514 INVALID_REQUEST).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
: "${PGHOST:?run under tests/pg/with-postgres.sh}"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

PASS=0
FAIL=0
ok() { PASS=$((PASS + 1)); echo "ok   $1"; }
bad() { FAIL=$((FAIL + 1)); echo "FAIL $1"; if [ -n "${2:-}" ]; then echo "     $2"; fi; }

q() { psql -X -q -At -v ON_ERROR_STOP=1 "$@"; }

# ---- migrations ----
n=0
for f in "$ROOT"/src/store/pg/migrations/*.sql; do
  n=$((n + 1))
  if out=$(q --single-transaction -f "$f" 2>&1); then
    ok "migration $(basename "$f") applies"
  else
    bad "migration $(basename "$f") applies" "$out"
  fi
done
sqlite_n=$(ls "$ROOT"/src/store/sqlite/migrations/*.sql | wc -l)
if [ "$n" -eq "$sqlite_n" ]; then ok "as many migrations as SQLite ($n)"; else
  bad "as many migrations as SQLite" "pg $n, sqlite $sqlite_n"; fi

# ---- the twin of SQLite's schema ----
db="$TMP/twin.db"
for f in "$ROOT"/src/store/sqlite/migrations/*.sql; do sqlite3 "$db" <"$f"; done
sqlite3 "$db" "SELECT m.name || '.' || p.name || ' ' || (p.\"notnull\" OR p.pk > 0)
  FROM sqlite_schema m, pragma_table_info(m.name) p WHERE m.type = 'table' ORDER BY 1" \
  | sed 's/ 1$/ NOT NULL/; s/ 0$//' | sort >"$TMP/sqlite-cols"
q -c "SELECT table_name || '.' || column_name || CASE is_nullable WHEN 'NO' THEN ' NOT NULL' ELSE '' END
  FROM information_schema.columns WHERE table_schema = 'public' ORDER BY 1" | sort >"$TMP/pg-cols"
if diff -u "$TMP/sqlite-cols" "$TMP/pg-cols" >"$TMP/diff"; then
  ok "the same tables and columns as SQLite ($(wc -l <"$TMP/pg-cols"))"
else
  bad "the same tables and columns as SQLite" "$(cat "$TMP/diff")"
fi
sqlite3 "$db" "SELECT name FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL" \
  | sort >"$TMP/sqlite-idx"
q -c "SELECT indexname FROM pg_indexes WHERE schemaname = 'public' AND indexname NOT LIKE '%_pkey'
  AND indexname NOT LIKE '%_key'" | sort >"$TMP/pg-idx"
if diff -u "$TMP/sqlite-idx" "$TMP/pg-idx" >"$TMP/diff"; then
  ok "the same indexes as SQLite ($(wc -l <"$TMP/pg-idx"))"
else
  bad "the same indexes as SQLite" "$(cat "$TMP/diff")"
fi

# ---- constraints ----
q <<'SQL'
INSERT INTO regions (id, name) VALUES ('uusimaa', 'Uusimaa');
INSERT INTO units (id, region, name) VALUES ('u1', 'uusimaa', 'Unit');
INSERT INTO venues (id, region, name, category) VALUES ('v1', 'uusimaa', 'Venue', 'theatre');
INSERT INTO cards (code, kind, unit, added_at) VALUES ('A1', 'personal', 'u1', 1), ('A2', 'personal', 'u1', 1);
INSERT INTO handouts (card, unit, handed_out_on, valid_until, recorded_by, recorded_at)
    VALUES ('A1', 'u1', 20000, 20365, 'dist', 2);
INSERT INTO events (venue, name, kind, starts_at, capacity, cap) VALUES ('v1', 'Play', 'performance', 9, 10, 2);
INSERT INTO uses (card, event, adult, child, recorded_by, recorded_at) VALUES ('A1', 1, 1, 0, 'v', 3);
INSERT INTO audit (at, "user", action, object) VALUES (1, 'cli', 'x', 'y');
SQL

# refuses SQLSTATE NAME SQL: the statement fails with that SQLSTATE.
refuses() {
  local want=$1 name=$2 sql=$3 got
  got=$({ psql -X -q -At -v VERBOSITY=sqlstate -c "$sql" 2>&1 >/dev/null || true; } |
    sed -n 's/^ERROR: *//p')
  if [ "$got" = "$want" ]; then ok "$name ($want)"; else bad "$name" "wanted $want, got '$got'"; fi
}
refuses 23505 "R24/R26 a second adult ticket of a card for an event" \
  "INSERT INTO uses (card, event, adult, child, recorded_by, recorded_at) VALUES ('A1', 1, 1, 0, 'v', 4)"
refuses 23514 "R16 an event's used beyond its cap" "UPDATE events SET used = 3 WHERE id = 1"
refuses 23514 "R34 the audit cannot be changed" "UPDATE audit SET action = 'z'"
refuses 23514 "R34 the audit cannot be deleted" "DELETE FROM audit"
refuses 23514 "R34 the audit cannot be truncated" "TRUNCATE audit"
refuses 23503 "a use of a card that does not exist" \
  "INSERT INTO uses (card, event, adult, child, recorded_by, recorded_at) VALUES ('ZZ', 1, 0, 1, 'v', 4)"
refuses 23505 "R1 a card code exists once" \
  "INSERT INTO cards (code, kind, unit, added_at) VALUES ('A1', 'personal', 'u1', 1)"
refuses 23514 "a region id of a-z 0-9 -" "INSERT INTO regions (id, name) VALUES ('Uusimaa', 'x')"
refuses 23514 "R2 a card kind" "INSERT INTO cards (code, kind, unit, added_at) VALUES ('A3', 'x', 'u1', 1)"
refuses 23514 "R27 username rule: not cli" \
  "INSERT INTO users (username, password_hash, role, created_at) VALUES ('cli', 'h', 'national', 1)"
refuses 23514 "R27 username rule: not key:1" \
  "INSERT INTO users (username, password_hash, role, created_at) VALUES ('key:1', 'h', 'national', 1)"
refuses 23514 "R32 a coordinator needs a region" \
  "INSERT INTO users (username, password_hash, role, created_at) VALUES ('c', 'h', 'coordinator', 1)"
refuses 23514 "R12 a handout is kept as recorded" "UPDATE handouts SET valid_until = 20400"
refuses 23514 "R12 a card's validity is its handout's" "UPDATE cards SET valid_until = 20400 WHERE code = 'A1'"
got=$(q -c "SELECT handed_out_on || '-' || valid_until FROM cards WHERE code = 'A1'")
if [ "$got" = "20000-20365" ]; then ok "R12 the handout's days are copied onto the card"; else
  bad "R12 the handout's days are copied onto the card" "got $got"; fi
if q -c "INSERT INTO uses (card, event, adult, child, recorded_by, recorded_at, undone_by, undone_at)
         VALUES ('A1', 1, 1, 0, 'v', 5, 'v', 6)" >/dev/null 2>&1; then
  ok "R25 an undone adult ticket does not hold the place"
else bad "R25 an undone adult ticket does not hold the place"; fi

echo "$PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
