#!/usr/bin/env bash
# kaiku import (issue 17 item 4): a handout sheet and a venue's usage sheet,
# CSV and XLSX, all or nothing, the bad rows named with their column, the
# same file twice recording nothing twice, and who imports in the audit
# (R34). Usage: test_import.sh PATH/TO/kaiku
set -euo pipefail
KAIKU=$(realpath "$1")
HERE=$(cd "$(dirname "$0")" && pwd)
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
PASS=0 FAIL=0
ok() { PASS=$((PASS + 1)); echo "ok   $1"; }
bad() { FAIL=$((FAIL + 1)); echo "FAIL $1"; [ -z "${2:-}" ] || echo "     $2"; }
run() { set +e; "$@" >"$TMP/out" 2>"$TMP/err"; STATUS=$?; set -e; }
status() { if [ "$STATUS" -eq "$2" ]; then ok "$1"; else bad "$1" "exit $STATUS: $(head -c 600 "$TMP/err")"; fi; }
expect() { if grep -Eq -- "$2" "$3"; then ok "$1"; else bad "$1" "no /$2/ in: $(head -c 600 "$3")"; fi; }
sql() { sqlite3 "$DB" "$1"; }
command -v sqlite3 >/dev/null || { echo "sqlite3 is needed"; exit 1; }

DB=$TMP/kaiku.db
"$KAIKU" demo --db "$DB" >/dev/null
mapfile -t CARDS < <(sql "SELECT c.code FROM cards c LEFT JOIN handouts h ON h.card = c.code
  WHERE h.card IS NULL AND c.cancelled_at IS NULL AND c.kind = 'personal'
  AND c.unit = 'espoo-leppavaara' ORDER BY c.code LIMIT 3")
YEAR=$(date +%Y)
HANDOUTS=$(sql "SELECT count(*) FROM handouts")

# ---- handouts: Finnish headings, ';', a BOM; row 3 too young (R11) ----
printf '\xEF\xBB\xBFKortin koodi;Jakopäivä;Syntymävuosi;Äidinkieli;Sukupuoli;Postinumero;Elämäntilanne\r\n' >"$TMP/h.csv"
printf '%s;1.1.%s;1980;fi;Nainen;02600;Työtön, Opiskelija\r\n' "${CARDS[0]}" "$YEAR" >>"$TMP/h.csv"
printf '%s;%s-01-02;%s;sv;male;02600;retired\r\n' "${CARDS[1]}" "$YEAR" "$((YEAR - 10))" >>"$TMP/h.csv"
printf '%s;2.1.%s;1970;other;not_told;02600;debt|other\r\n' "${CARDS[2]}" "$YEAR" >>"$TMP/h.csv"
run "$KAIKU" import handouts --db "$DB" --file "$TMP/h.csv" --as koord-espoo --unit espoo-leppavaara
status "a sheet with a bad row: exit 2" 2
expect "the bad row named with its column and reason" '^kaiku: import: Row 3, column “Syntymävuosi”: The cardholder must be at least 16' "$TMP/err"
expect "nothing recorded, said so" 'nothing recorded: 1 problem in ' "$TMP/err"
expect "progress on stderr" 'rows checked' "$TMP/err"
[ "$(sql "SELECT count(*) FROM handouts")" = "$HANDOUTS" ] && ok "all or nothing: no handout recorded" || bad "all or nothing: no handout recorded"
run "$KAIKU" import handouts --db "$DB" --file "$TMP/h.csv" --as koord-espoo --unit espoo-leppavaara --lang fi
expect "the problems in Finnish" 'Rivi 3, sarake ”Syntymävuosi”' "$TMP/err"

sed -i "s/;$((YEAR - 10));/;1990;/" "$TMP/h.csv"
run "$KAIKU" import handouts --db "$DB" --file "$TMP/h.csv" --as koord-espoo --unit espoo-leppavaara
status "the fixed sheet: exit 0" 0
expect "three rows recorded" '^3 rows recorded' "$TMP/out"
[ "$(sql "SELECT count(*) FROM handouts")" = "$((HANDOUTS + 3))" ] && ok "three handouts" || bad "three handouts"
[ "$(sql "SELECT gender || life_situations FROM handouts WHERE card = '${CARDS[0]}'")" = "female5" ] && ok "labels read as values (Nainen, Työtön + Opiskelija)" || bad "labels read as values" "$(sql "SELECT gender, life_situations FROM handouts WHERE card = '${CARDS[0]}'")"
expect_audit() { [ "$(sql "SELECT count(*) FROM audit WHERE user = '$2' AND action = '$3'")" = "$4" ] && ok "$1" || bad "$1"; }
expect_audit "R34: the audit names who imported" koord-espoo import.handouts 1
expect_audit "R34: each handout in the audit under their name" koord-espoo handout.record 3

run "$KAIKU" import handouts --db "$DB" --file "$TMP/h.csv" --as jakaja-leppavaara
status "the same file again (the unit's own desk): exit 0" 0
expect "nothing recorded twice" '^0 rows recorded .*\(3 recorded before\)' "$TMP/out"
[ "$(sql "SELECT count(*) FROM handouts")" = "$((HANDOUTS + 3))" ] && ok "still three handouts" || bad "still three handouts"

# ---- uses: the R28 layout as the venue usage report writes it ----
EV=$(sql "SELECT e.id || '|' || e.name || '|' || date(e.starts_at, 'unixepoch', 'localtime')
  FROM events e WHERE e.venue = 'teatteri-hilla' AND e.excluded = 0 AND e.kind <> 'course'
  AND e.starts_at < strftime('%s', 'now') - 86400 AND e.starts_at > strftime('%s', 'now') - 20 * 86400
  AND (e.cap IS NULL OR e.cap - e.used >= 6) AND e.capacity - e.used >= 6
  AND (SELECT count(*) FROM events o WHERE o.venue = e.venue AND o.name = e.name
       AND date(o.starts_at, 'unixepoch', 'localtime') = date(e.starts_at, 'unixepoch', 'localtime')) = 1
  ORDER BY e.starts_at DESC LIMIT 1")
IFS='|' read -r EID ENAME EDATE <<<"$EV"
USED=$(sql "SELECT used FROM events WHERE id = $EID")
USES=$(sql "SELECT count(*) FROM uses")
{
    echo 'Card code,Adult tickets,Child tickets (under 16),Event,Date'
    echo "${CARDS[0]},1,2,\"$ENAME\",$EDATE"
    echo "${CARDS[1]},1,0,\"$ENAME\",$EDATE"
    echo "${CARDS[1]},0,1,Nothing on that day,$EDATE"
    echo 'Total,2,3,,'
} >"$TMP/u.csv"
run "$KAIKU" import uses --db "$DB" --file "$TMP/u.csv" --as kassa-hilla
status "a usage sheet with an unknown event: exit 2" 2
expect "the unknown event named" 'Row 4, column “Event”: The venue has no event of this name on this date' "$TMP/err"
[ "$(sql "SELECT count(*) FROM uses")" = "$USES" ] && ok "all or nothing: no use recorded" || bad "all or nothing: no use recorded"
sed -i '/Nothing on that day/d' "$TMP/u.csv"
run "$KAIKU" import uses --db "$DB" --file "$TMP/u.csv" --as kassa-hilla
status "the fixed usage sheet (totals row skipped): exit 0" 0
[ "$(sql "SELECT used FROM events WHERE id = $EID")" = "$((USED + 4))" ] && ok "R16: the event's tickets counted" || bad "R16: the event's tickets counted"
[ "$(sql "SELECT count(*) FROM uses WHERE event = $EID AND channel = 'paper' AND recorded_by = 'kassa-hilla'")" = 2 ] && ok "R19: the uses recorded on channel paper" || bad "R19: channel paper"

# The same uses as an XLSX workbook (inline strings, numbers): nothing twice.
python3 "$HERE/make_xlsx.py" "$TMP/u.xlsx" "[[\"Kortin tunnus\", \"Lippu aikuiselle\", \"Lippu lapselle (alle 16 v.)\", \"Esityksen nimi\", \"Päivämäärä\"], [\"${CARDS[0]}\", 1, 2, \"$ENAME\", \"$EDATE\"], [\"${CARDS[1]}\", 1, 0, \"$ENAME\", \"$EDATE\"], [\"Yhteensä\", 2, 2]]"
run "$KAIKU" import uses --db "$DB" --file "$TMP/u.xlsx" --as koord-espoo --venue teatteri-hilla
status "the same uses as XLSX: exit 0" 0
expect "nothing recorded twice across formats" '^0 rows recorded .*\(2 recorded before\)' "$TMP/out"
# A second adult ticket for the same card and event is refused (R24).
python3 "$HERE/make_xlsx.py" "$TMP/u2.xlsx" "[[\"card\", \"adult\", \"child\", \"event\", \"date\"], [\"${CARDS[2]}\", 1, 0, \"$ENAME\", \"$EDATE\"], [\"${CARDS[2]}\", 1, 0, \"$ENAME\", \"$EDATE\"]]"
run "$KAIKU" import uses --db "$DB" --file "$TMP/u2.xlsx" --as kassa-hilla
status "R24 in a file: exit 2" 2
expect "R24: the second adult ticket refused" 'Row 3, column “adult”: A card gets one adult ticket per event' "$TMP/err"

# The samples of docs/imports/: the operating model's example (R28), whose
# uses the demo holds already, so each row is refused for R24: both files
# are read and every row finds its card and event.
for f in uses-sample.csv uses-sample.xlsx; do
    run "$KAIKU" import uses --db "$DB" --file "$HERE/../../docs/imports/$f" --as kassa-hilla
    status "docs/imports/$f: exit 2" 2
    expect "docs/imports/$f: row 2 read (R24)" 'Row 2, column “Lippu aikuiselle”: A card gets one adult ticket per event' "$TMP/err"
    expect "docs/imports/$f: row 3 read (R24)" 'Row 3, column “Lippu aikuiselle”: A card gets one adult ticket per event' "$TMP/err"
done

# ---- who imports, and bad command lines ----
run "$KAIKU" import uses --db "$DB" --file "$TMP/u.csv" --as kassa-kamu --venue teatteri-hilla
status "R32: another venue's staff: exit 1" 1
expect "R32: forbidden" 'forbidden' "$TMP/err"
run "$KAIKU" import uses --db "$DB" --file "$TMP/u.csv"
status "--as is required: exit 2" 2
run "$KAIKU" import uses --db "$DB" --file "$TMP/u.csv" --as nobody
status "an unknown user: exit 1" 1
run "$KAIKU" import cards --db "$DB" --file "$TMP/u.csv" --as kassa-hilla
status "an unknown layout: exit 2" 2
printf 'PK\003\004not a workbook' >"$TMP/bad.xlsx"
run "$KAIKU" import uses --db "$DB" --file "$TMP/bad.xlsx" --as kassa-hilla
status "a broken workbook: exit 2" 2
expect "a broken workbook said plainly" 'The file cannot be read' "$TMP/err"
printf 'Card code,Name,Adult tickets\n' >"$TMP/cols.csv"
run "$KAIKU" import uses --db "$DB" --file "$TMP/cols.csv" --as kassa-hilla
status "R10: a name column: exit 2" 2
expect "R10: the name column refused" 'column “Name”: .*' "$TMP/err"
expect "a missing column named" 'column “Event”: The column is missing' "$TMP/err"
run "$KAIKU" import --help
expect "import --help" 'kaiku import handouts' "$TMP/out"

echo "$PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
