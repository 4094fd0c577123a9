"""kaiku backup and kaiku restore (issue 15): a backup taken while the
server records uses as fast as it can is consistent (integrity_check, every
event's `used` the sum of its uses' tickets, one audit row per use) and holds
only what the server had committed; restored into a new database it is equal
to the backup in every table, row for row, and a server on it answers; the
refusals (an existing backup file, a database with data without --force, a
file that is no backup) change nothing; --help documents each command.
Usage: python3 test_backup.py /path/to/kaiku"""

import datetime
import http.client
import os
import sqlite3
import threading
import time

import kaikutest

VENUE = "teatteri-hilla"
VENUE_USER = "kassa-hilla"
DEMO_PASSWORD = "kaikukortti-demo"
WORKERS = 6


def tables(path):
    con = sqlite3.connect("file:%s?mode=ro" % path, uri=True)
    try:
        names = [r[0] for r in con.execute(
            "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name")]
        # Sorted here: some tables are WITHOUT ROWID, and a row's order on
        # disk is no part of what a restore must keep.
        return {n: sorted(con.execute('SELECT * FROM "%s"' % n).fetchall(), key=repr)
                for n in names}, con.execute("PRAGMA user_version").fetchone()[0]
    finally:
        con.close()


def consistency(t, path, what):
    con = sqlite3.connect("file:%s?mode=ro" % path, uri=True)
    try:
        t.check(what + ": integrity_check",
                [r[0] for r in con.execute("PRAGMA integrity_check")] == ["ok"])
        t.check(what + ": foreign_key_check", con.execute("PRAGMA foreign_key_check").fetchall()
                == [])
        off = con.execute(
            "SELECT e.id, e.used, COALESCE(SUM(u.adult + u.child), 0) FROM events e "
            "LEFT JOIN uses u ON u.event = e.id AND u.undone_at IS NULL GROUP BY e.id "
            "HAVING e.used != COALESCE(SUM(u.adult + u.child), 0)").fetchall()
        t.check(what + ": every event's used is its uses' tickets (R16)", off == [], off[:5])
        orphan = con.execute(
            "SELECT count(*) FROM uses u WHERE NOT EXISTS (SELECT 1 FROM audit a WHERE "
            "a.action = 'use.record' AND a.object = 'use:' || u.id)").fetchone()[0]
        t.check(what + ": an audit row for every use (R34)", orphan == 0, orphan)
        return con.execute("SELECT count(*) FROM uses").fetchone()[0]
    finally:
        con.close()


def load(srv, token, body, stop, acked, errors):
    conn = srv.connect()
    try:
        while not stop.is_set():
            try:
                st, reply, _ = srv.call("POST", "/api/v1/uses", body, token, conn=conn)
            except (OSError, http.client.HTTPException) as e:
                errors.append(repr(e))
                return
            if st == 201:
                acked.append(reply["id"])
            elif st != 503:
                errors.append((st, reply))
    finally:
        conn.close()


def run(t):
    srv = t.server()
    kaiku = srv.run
    work = srv.dir

    # --help and usage errors.
    for cmd, words in (("backup", ["--to FILE", "online", "never overwritten"]),
                       ("restore", ["--from FILE", "--force", "all or nothing"])):
        r = kaiku(cmd, "--help")
        t.check("%s --help" % cmd, r.returncode == 0 and all(w in r.stdout for w in words),
                r.stdout)
    r = kaiku("--help")
    t.check("kaiku --help lists backup and restore",
            "backup" in r.stdout and "restore" in r.stdout, r.stdout)
    r = kaiku("backup", "--db", srv.db)
    t.check("backup without --to is a usage error", r.returncode == 2 and
            r.stderr.startswith("kaiku: backup:"), (r.returncode, r.stderr))
    r = kaiku("restore", "--db", srv.db)
    t.check("restore without --from is a usage error", r.returncode == 2, (r.returncode, r.stderr))
    r = kaiku("backup", "--db", os.path.join(work, "none.db"), "--to",
              os.path.join(work, "none.bak"))
    t.check("backup of no database fails", r.returncode == 1 and
            not os.path.exists(os.path.join(work, "none.bak")), (r.returncode, r.stderr))

    r = kaiku("demo", "--db", srv.db)
    assert r.returncode == 0, r.stderr
    srv.serve("--quiet")
    token = srv.login(VENUE_USER, DEMO_PASSWORD)
    day = datetime.date.today() + datetime.timedelta(days=3)
    st, ev, _ = srv.call("POST", "/api/v1/events", {
        "venue": VENUE, "name": "Varmuuskopio", "kind": "performance",
        "starts_at": "%sT19:00" % day.isoformat(), "capacity": 1000000}, token)
    assert st == 201, (st, ev)
    con = sqlite3.connect("file:%s?mode=ro" % srv.db, uri=True)
    card = con.execute(
        "SELECT code FROM cards WHERE cancelled_at IS NULL AND handed_out_on <= ? AND "
        "valid_until >= ? AND kind = 'personal' ORDER BY code LIMIT 1",
        ((day - datetime.date(1970, 1, 1)).days,) * 2).fetchone()[0]
    con.close()
    body = {"card": card, "event": ev["id"], "adult": 0, "child": 1}

    # The backup is taken while every worker records uses.
    stop, acked, errors = threading.Event(), [], []
    threads = [threading.Thread(target=load, args=(srv, token, body, stop, acked, errors))
               for _ in range(WORKERS)]
    for th in threads:
        th.start()
    time.sleep(0.5)
    backup = os.path.join(work, "kaiku.backup")
    before = len(acked)
    started = time.time()
    r = kaiku("backup", "--db", srv.db, "--to", backup)
    took = time.time() - started
    during = len(acked) - before
    time.sleep(0.3)
    stop.set()
    for th in threads:
        th.join()
    t.check("backup under load succeeds", r.returncode == 0 and "written to" in r.stdout,
            (r.returncode, r.stdout, r.stderr))
    t.check("no load errors", not errors, errors[:3])
    print("backup took %.2f s; %d uses acknowledged meanwhile, %d in all" % (took, during,
                                                                            len(acked)), flush=True)
    t.check("uses were recorded while the backup ran", during > 0 or took < 0.05, during)
    t.check("the backup is readable by its owner only",
            os.stat(backup).st_mode & 0o777 == 0o600, oct(os.stat(backup).st_mode))
    t.check("the backup is one file", not os.path.exists(backup + "-wal"))
    t.check("no temporary file left beside it",
            not [f for f in os.listdir(work) if ".tmp-" in f], os.listdir(work))
    backed_up = consistency(t, backup, "backup")
    srv.stop()
    live = consistency(t, srv.db, "live database")
    t.check("the live database went on after the backup", live > backed_up, (live, backed_up))

    # What the backup holds, the server had committed: every use row of the
    # backup is in the live database as it is.
    bk_tables, bk_version = tables(backup)
    live_tables, live_version = tables(srv.db)
    live_uses = set(live_tables["uses"])
    t.check("every use of the backup is in the live database, unchanged",
            all(u in live_uses for u in bk_tables["uses"]))
    t.check("the backup holds every use acknowledged before it began",
            set(acked[:before]) <= {u[0] for u in bk_tables["uses"]})

    r = kaiku("backup", "--db", srv.db, "--to", backup)
    t.check("an existing backup file is not overwritten", r.returncode == 1 and
            "exists" in r.stderr and tables(backup)[0] == bk_tables, (r.returncode, r.stderr))

    # Restore into a new database: equal to the backup in every table.
    restored = os.path.join(work, "restored.db")
    r = kaiku("restore", "--from", backup, "--db", restored)
    t.check("restore into a new database", r.returncode == 0, (r.returncode, r.stderr))
    got, version = tables(restored)
    t.check("restored: the same tables", sorted(got) == sorted(bk_tables), sorted(got))
    for name in sorted(bk_tables):
        t.check("restored: table %s equal row for row (%d rows)" % (name, len(bk_tables[name])),
                got.get(name) == bk_tables[name])
    t.check("restored: the schema version", version == bk_version == live_version,
            (version, bk_version, live_version))

    # Refusals leave the database as it was.
    r = kaiku("restore", "--from", backup, "--db", srv.db)
    t.check("restore over a database with data is refused", r.returncode == 1 and
            "--force" in r.stderr and tables(srv.db)[0] == live_tables, (r.returncode, r.stderr))
    junk = os.path.join(work, "junk.backup")
    with open(junk, "wb") as f:
        f.write(b"not a database" * 100)
    empty = os.path.join(work, "empty.db")
    r = kaiku("restore", "--from", junk, "--db", empty)
    t.check("a file that is no backup is refused, no database left", r.returncode == 1 and
            "not a kaiku backup" in r.stderr and not os.path.exists(empty),
            (r.returncode, r.stderr))
    r = kaiku("restore", "--from", junk, "--db", srv.db, "--force")
    t.check("--force with a file that is no backup changes nothing", r.returncode == 1 and
            tables(srv.db)[0] == live_tables, (r.returncode, r.stderr))

    # --force replaces a database with data, all of it.
    r = kaiku("restore", "--from", backup, "--db", srv.db, "--force")
    t.check("restore --force over the live database", r.returncode == 0, (r.returncode, r.stderr))
    t.check("restored with --force: equal to the backup", tables(srv.db)[0] == bk_tables)

    # A server on the restored database answers as the backup says.
    srv.serve("--quiet")
    token = srv.login(VENUE_USER, DEMO_PASSWORD)
    st, got_ev, _ = srv.call("GET", "/api/v1/events/%d" % ev["id"], token=token)
    con = sqlite3.connect("file:%s?mode=ro" % backup, uri=True)
    used = con.execute("SELECT used FROM events WHERE id = ?", (ev["id"],)).fetchone()[0]
    con.close()
    t.check("the restored register serves what the backup holds",
            st == 200 and got_ev["used"] == used > 0, (st, got_ev, used))
    t.expect("and records again", srv.call("POST", "/api/v1/uses", body, token), 201)
    srv.stop()


if __name__ == "__main__":
    kaikutest.main(run)
