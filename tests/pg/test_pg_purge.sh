#!/usr/bin/env bash
# Retention (R35) and the kept counts on PostgreSQL, against SQLite's
# figures: `tests/pg/with-postgres.sh bash tests/pg/test_pg_purge.sh KAIKU`
# (CTest's pg_purge, label pg). The demo's year of history is built into a
# file, copied into PostgreSQL (`kaiku copy`), and then both stores are
# purged before the current month: the dry run, the purge, what the tables
# of migration 009 keep, `kaiku counts check` and `counts rebuild` must give
# the same on both (S_PURGE_*, S_COUNTS_FILL_* and S_COUNTS_CLEAR_* of
# src/store/pg/sql.c against src/store/sqlite/sql.c), and PostgreSQL's
# handouts_are_kept (migration 009) must let only the purge's clearing pass.
set -uo pipefail
KAIKU=${1:?usage: test_pg_purge.sh /path/to/kaiku}
: "${KAIKU_PG_URL:?run under tests/pg/with-postgres.sh}"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
PG=$KAIKU_PG_URL
F=$TMP/demo.db

PASS=0
FAIL=0
ok() { PASS=$((PASS + 1)); echo "ok   $1"; }
bad() { FAIL=$((FAIL + 1)); echo "FAIL $1"; if [ -n "${2:-}" ]; then echo "     $2"; fi; }
same() { # name, what SQLite says, what PostgreSQL says
  if [ "$2" = "$3" ]; then ok "$1"; else bad "$1" "sqlite: $(echo "$2" | tr '\n' ' ') / pg: $(echo "$3" | tr '\n' ' ')"; fi
}
q() { psql -X -q -At -v ON_ERROR_STOP=1 -c "$1" 2>&1; }
# The figures of a purge's or dry run's table, without the line naming the store.
figures() { "$KAIKU" purge "$@" 2>&1 | grep -v ' records of '; }
clean_check() { # name, db: counts check exits 0 and finds every table the same
  local out
  if out=$("$KAIKU" counts check --db "$2" 2>&1) && [ "$(echo "$out" | grep -vc ': same$')" = 0 ] \
    && [ "$(echo "$out" | grep -c ': same$')" -ge 7 ]; then
    ok "$1"
  else
    bad "$1" "$out"
  fi
}

this_month=$(TZ=Europe/Helsinki date +%Y-%m-01)
"$KAIKU" demo --db "$F" >/dev/null 2>&1 || bad "demo into a file"
if "$KAIKU" copy --from "$F" --to "$PG" >/dev/null; then ok "the demo copied into PostgreSQL"; else
  bad "the demo copied into PostgreSQL"; fi
clean_check "counts check on PostgreSQL before a purge" "$PG"

before=$(q "SELECT count(*) FROM uses")
same "dry run: the same figures" "$(figures --db "$F" --before "$this_month" --dry-run)" \
  "$(figures --db "$PG" --before "$this_month" --dry-run)"
same "dry run changes nothing on PostgreSQL" "$before" "$(q "SELECT count(*) FROM uses")"
s=$(figures --db "$F" --before "$this_month")
p=$(figures --db "$PG" --before "$this_month")
same "purge: the same figures" "$s" "$p"
gone=$(echo "$p" | awk '$1 == "total" { print $3 }')
if [ "${gone:-0}" -gt 0 ]; then ok "the purge took uses ($gone)"; else bad "the purge took uses" "$p"; fi

kept="SELECT count(*), sum(n_uses), sum(n_adult), sum(n_child), sum(n_companion) FROM purged_event_uses;
SELECT count(*), sum(n), sum(dim * key) FROM purged_background;
SELECT count(*) FROM handouts WHERE purged = 1;
SELECT count(*) FROM handouts WHERE purged = 1 AND (birth_year IS NOT NULL OR gender IS NOT NULL
  OR postal_code IS NOT NULL OR mother_tongue IS NOT NULL OR life_situations IS NOT NULL);
SELECT count(*), sum(adult) FROM uses;
SELECT sum(purged_uses), sum(live_uses) FROM cards;
SELECT count(*) FROM audit WHERE action = 'records.purge';"
same "what migration 009's tables keep" "$(sqlite3 -separator '|' "$F" "$kept")" \
  "$(psql -X -q -At -v ON_ERROR_STOP=1 <<<"$kept" 2>&1)"
clean_check "counts check on PostgreSQL after the purge" "$PG"
if "$KAIKU" counts rebuild --db "$PG" >/dev/null 2>&1; then ok "counts rebuild after the purge"; else
  bad "counts rebuild after the purge"; fi
clean_check "counts check after the rebuild: purged counts kept" "$PG"
dump="SELECT sum(n_uses), sum(n_adult), sum(n_child), sum(n_companion) FROM events;
SELECT sum(handed_out), sum(renewals), sum(cancelled), sum(used_once) FROM counts_cards;
SELECT count(*), sum(n), sum(dim * key) FROM counts_background;"
"$KAIKU" counts rebuild --db "$F" >/dev/null 2>&1
same "the rebuilt counts are SQLite's" "$(sqlite3 -separator '|' "$F" "$dump")" \
  "$(psql -X -q -At -v ON_ERROR_STOP=1 <<<"$dump" 2>&1)"

# The reports read what the purge kept: the same on both.
if python3 "$ROOT/tests/pg/pg_reports.py" "$KAIKU" "$F" "$PG"; then ok "the reports after a purge are SQLite's"; else
  bad "the reports after a purge are SQLite's"; fi

# handouts_are_kept: a purged handout is still kept as recorded.
card=$(q "SELECT min(card) FROM handouts WHERE purged = 1")
out=$(q "UPDATE handouts SET unit = unit, purged = 1 WHERE card = '$card'")
case $out in *"kept as recorded"*) ok "a purged handout cannot be changed" ;; *) bad "a purged handout cannot be changed" "$out" ;; esac
out=$(q "DELETE FROM handouts WHERE card = '$card'")
case $out in *"kept as recorded"*) ok "a handout cannot be deleted" ;; *) bad "a handout cannot be deleted" "$out" ;; esac
card=$(q "SELECT min(card) FROM handouts WHERE purged = 0 AND birth_year IS NOT NULL")
out=$(q "UPDATE handouts SET birth_year = NULL WHERE card = '$card'")
case $out in *"kept as recorded"*) ok "a background is not cleared without purged" ;; *) bad "a background is not cleared without purged" "$out" ;; esac
out=$(q "UPDATE handouts SET birth_year = NULL, mother_tongue = NULL, gender = NULL,
  postal_code = NULL, life_situations = NULL, purged = 1, valid_until = valid_until + 1 WHERE card = '$card'")
case $out in *"kept as recorded"*) ok "a clearing that changes more is refused" ;; *) bad "a clearing that changes more is refused" "$out" ;; esac
out=$(q "UPDATE handouts SET birth_year = NULL, mother_tongue = NULL, gender = NULL,
  postal_code = NULL, life_situations = NULL, purged = 1 WHERE card = '$card'")
same "the purge's clearing passes" "1|" \
  "$out$(q "SELECT purged, coalesce(gender, '') FROM handouts WHERE card = '$card'")"
echo "pg_purge: $PASS passed, $FAIL failed"
[ "$FAIL" = 0 ]
