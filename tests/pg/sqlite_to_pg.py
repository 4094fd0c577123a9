#!/usr/bin/env python3
"""Copy every table of a kaiku SQLite file into the PostgreSQL database that
libpq's environment (PGHOST, PGPORT, PGDATABASE, PGUSER) names, which holds
the schema (`kaiku init`) and nothing else: for tests/pg/test_pg_purge.sh,
which needs a store with a year of history, something `kaiku demo` builds
only into a file. The rows go as they are, ids and kept counts included,
with triggers and foreign keys off for the session (the copy is of a
consistent store); the identity columns then continue after the ids copied.
Usage: sqlite_to_pg.py FILE.db"""
import sqlite3
import subprocess
import sys

# Parents before children; every table of the schema (checked below).
TABLES = ["regions", "units", "venues", "users", "sessions", "api_keys", "cards", "handouts",
          "transfers", "transfer_cards", "series", "events", "uses", "audit", "import_rows",
          "counts_cards", "counts_stock", "counts_valid", "counts_handouts", "counts_background",
          "purged_event_uses", "purged_background", "failure_counts"]


def cell(v):
    if v is None:
        return ""
    if isinstance(v, bytes):
        v = "\\x" + v.hex()
    if isinstance(v, str):
        return '"' + v.replace('"', '""') + '"'
    return str(v)


def main():
    db = sqlite3.connect(sys.argv[1])
    names = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    left = sorted(names - set(TABLES) - {"sqlite_sequence"})
    if left:
        sys.exit(f"sqlite_to_pg.py: tables it does not copy: {left}")
    out = ["SET session_replication_role = replica;"]
    for t in TABLES:
        cols = [r[1] for r in db.execute(f"PRAGMA table_info({t})")]
        qc = ", ".join(f'"{c}"' for c in cols)
        out.append(f"COPY {t} ({qc}) FROM STDIN WITH (FORMAT csv);")
        out.extend(",".join(cell(v) for v in row) for row in db.execute(f"SELECT {qc} FROM {t}"))
        out.append("\\.")
        if "id" in cols and t not in ("regions", "units", "venues"):
            out.append(f"SELECT setval(pg_get_serial_sequence('{t}', 'id'), "
                       f"(SELECT coalesce(max(id), 1) FROM {t}));")
    r = subprocess.run(["psql", "-X", "-q", "-o", "/dev/null", "-v", "ON_ERROR_STOP=1",
                        "--single-transaction"], input="\n".join(out) + "\n", text=True)
    sys.exit(r.returncode)


main()
