#!/usr/bin/env bash
# Imports of 10,000 rows (issue 17 item 4: under 2 seconds each): a demo
# register with 10,000 more cards in a unit's stock and an event with room
# for them, then a generated handout sheet (CSV), a usage sheet in R28's
# layout (CSV) and the same uses for a second event as XLSX, each timed with
# `kaiku import` from start to exit (read, check, record, commit).
# Usage: bench/import.sh [build/kaiku] [ROWS]
set -euo pipefail
KAIKU=$(realpath "${1:-build/kaiku}")
ROWS=${2:-10000}
HERE=$(cd "$(dirname "$0")" && pwd)
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
DB=$TMP/bench.db
"$KAIKU" demo --db "$DB" >/dev/null
NOW=$(date +%s)
DAY=$(date -d yesterday +%F)
# The stock and two events of yesterday at Teatteri Hilla, with room for every row.
python3 - "$DB" "$ROWS" "$NOW" <<'PY'
import sqlite3, sys
db, rows, now = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
c = sqlite3.connect(db)
c.executemany("INSERT INTO cards (code, kind, unit, added_at) VALUES (?, 'personal', 'espoo-leppavaara', ?)",
              [(f"B{i:06d}", now) for i in range(rows)])
for name in ("Bench CSV", "Bench XLSX"):
    c.execute("INSERT INTO events (venue, name, kind, starts_at, capacity) VALUES "
              "('teatteri-hilla', ?, 'performance', ?, ?)", (name, now - 86400, 3 * rows))
c.commit()
PY
python3 - "$TMP" "$ROWS" "$DAY" <<'PY'
import sys
tmp, rows, day = sys.argv[1], int(sys.argv[2]), sys.argv[3]
langs = ["fi", "sv", "ar", "so", "ru", "other"]
lives = ["unemployed", "retired, student", "single_parent", "disability", "debt|other"]
with open(f"{tmp}/handouts.csv", "w", encoding="utf-8") as f:
    f.write("Kortin koodi;Jakopäivä;Syntymävuosi;Äidinkieli;Sukupuoli;Postinumero;Elämäntilanne\r\n")
    for i in range(rows):
        f.write(f"B{i:06d};{day};{1940 + i % 60};{langs[i % 6]};{['female','male','other','not_told'][i % 4]};"
                f"{2100 + i % 900:05d};{lives[i % 5]}\r\n")
with open(f"{tmp}/uses.csv", "w", encoding="utf-8") as f:
    f.write("Card code,Adult tickets,Child tickets (under 16),Event,Date\r\n")
    for i in range(rows):
        f.write(f"B{i:06d},1,{i % 3},Bench CSV,{day}\r\n")
    f.write(f"Total,{rows},{sum(i % 3 for i in range(rows))},,\r\n")
import json
json.dump([["card", "adult", "child", "event", "date"]] +
          [[f"B{i:06d}", 1, i % 2, "Bench XLSX", day] for i in range(rows)],
          open(f"{tmp}/uses.json", "w"))
PY
python3 "$HERE/../tests/cli/make_xlsx.py" "$TMP/uses.xlsx" "@$TMP/uses.json"

timed() {
    local what=$1
    shift
    local start end
    start=$(date +%s%N)
    "$@" >"$TMP/out" 2>"$TMP/err" || { echo "$what failed:"; tail -5 "$TMP/err"; exit 1; }
    end=$(date +%s%N)
    printf '%-32s %6d rows  %7.3f s  (%s)\n' "$what" "$ROWS" "$(echo "($end - $start) / 1000000000" | bc -l)" "$(cat "$TMP/out")"
}
timed "handouts, CSV" "$KAIKU" import handouts --db "$DB" --file "$TMP/handouts.csv" --as koord-espoo --unit espoo-leppavaara
timed "uses (R28 layout), CSV" "$KAIKU" import uses --db "$DB" --file "$TMP/uses.csv" --as kassa-hilla
timed "uses (R28 layout), XLSX" "$KAIKU" import uses --db "$DB" --file "$TMP/uses.xlsx" --as kassa-hilla
timed "uses, the same CSV again" "$KAIKU" import uses --db "$DB" --file "$TMP/uses.csv" --as kassa-hilla
