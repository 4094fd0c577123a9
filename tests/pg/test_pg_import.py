"""kaiku import on PostgreSQL against SQLite (issue 18): the demo is built
into a file and copied into PostgreSQL, then the same sheets (CSV and XLSX,
handouts and uses, good ones and ones with every kind of bad row, the same
file twice, a user out of scope) are imported into both, through --db and
through KAIKU_DB. Each import must answer the same on both (exit status,
the rows recorded, every problem listed), and afterwards both stores must
hold the same records and give the same reports through the API.
Usage: tests/pg/with-postgres.sh python3 tests/pg/test_pg_import.py KAIKU
(CTest's pg_import, label pg)."""

import datetime
import json
import os
import re
import subprocess
import sys
import zoneinfo

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True  # no __pycache__ left in the source tree
sys.path.insert(0, os.path.join(HERE, "..", "api"))
import kaikutest  # noqa: E402

HKI = zoneinfo.ZoneInfo("Europe/Helsinki")
EPOCH = datetime.date(1970, 1, 1)
UNIT, COORD, DIST = "espoo-leppavaara", "koord-espoo", "jakaja-leppavaara"
VENUE, BOX = "teatteri-hilla", "kassa-hilla"
H_HEAD = ["Kortin koodi", "Jakopäivä", "Syntymävuosi", "Äidinkieli", "Sukupuoli", "Postinumero",
          "Elämäntilanne", "Edellinen kortti"]
U_HEAD = ["Card code", "Adult tickets", "Child tickets (under 16)", "Event", "Date"]


def day(n):
    return (EPOCH + datetime.timedelta(days=n)).isoformat()


def write_csv(path, rows, sep=";"):
    with open(path, "w", encoding="utf-8", newline="") as f:
        for row in rows:
            f.write(sep.join('"%s"' % str(c).replace('"', '""') if sep in str(c) else str(c)
                             for c in row) + "\r\n")


def write_xlsx(path, rows):
    subprocess.run([sys.executable, os.path.join(HERE, "..", "cli", "make_xlsx.py"), path,
                    json.dumps(rows)], check=True, timeout=60)


def named_uses(srv, rows):
    """Rows with every "use:ID" named by the use's card and event instead, as the
    ids of the two stores may differ (gaps on PostgreSQL)."""
    uses = {"use:%d" % i: "use:%s@%d" % (c, e) for i, c, e in srv.query(
        "SELECT id, card, event FROM uses")}
    return [[uses.get(v, v) if isinstance(v, str) else v for v in row] for row in rows]


def run(t):
    today = datetime.datetime.now(HKI).date()
    now_day = (today - EPOCH).days
    work = os.path.join(t.tmp.name, "work")
    os.mkdir(work)
    sq = kaikutest.Server(t.binary, work, os.path.join(work, "kaiku.db"))
    t.servers.append(sq)
    pg = t.server()
    if not t.check("the test runs under tests/pg/with-postgres.sh", pg.pg, pg.db):
        return
    r = sq.demo()
    if not t.check("the demo into a file", r.returncode == 0, r.stderr[-2000:]):
        return
    r = pg.demo(copy_of=sq.db)
    if not t.check("the same demo copied into PostgreSQL", r.returncode == 0, r.stderr[-2000:]):
        return

    def both(name, args, status, env=None):
        """One import into both stores: the same answer on each, with status."""
        out = []
        for srv in (sq, pg):
            e = dict(os.environ)
            a = list(args)
            if env == "KAIKU_DB":  # the store from the environment, as other commands
                e["KAIKU_DB"] = srv.db
            else:
                a[1:1] = ["--db", srv.db]
            p = subprocess.run([t.binary, "import", *a], capture_output=True, text=True,
                               timeout=300, env=e)
            out.append((p.returncode, p.stdout, p.stderr))
        t.check("%s: exit %d" % (name, status), out[0][0] == out[1][0] == status, out)
        t.check("%s: the same answer on PostgreSQL as on SQLite" % name, out[0] == out[1], out)
        return out[1]

    # ---- what the sheets are made of, read from the demo (the same in both) ----
    q = sq.query
    free = [c for (c,) in q("SELECT c.code FROM cards c LEFT JOIN handouts h ON h.card = c.code "
                            "WHERE h.card IS NULL AND c.cancelled_at IS NULL AND "
                            "c.kind = 'personal' AND c.unit = ? ORDER BY c.code", (UNIT,))]
    other_free = q("SELECT c.code FROM cards c LEFT JOIN handouts h ON h.card = c.code "
                   "WHERE h.card IS NULL AND c.cancelled_at IS NULL AND c.kind = 'personal' "
                   "AND c.unit <> ? ORDER BY c.code LIMIT 1", (UNIT,))[0][0]
    issued = q("SELECT card FROM handouts WHERE unit = ? ORDER BY card LIMIT 1", (UNIT,))[0][0]
    cancelled = q("SELECT code FROM cards WHERE unit = ? AND cancelled_at IS NOT NULL "
                  "AND handed_out_on IS NULL ORDER BY code LIMIT 1", (UNIT,))
    community = q("SELECT c.code FROM cards c LEFT JOIN handouts h ON h.card = c.code "
                  "WHERE h.card IS NULL AND c.kind = 'community' AND c.unit = ? "
                  "ORDER BY c.code LIMIT 1", (UNIT,))[0][0]
    valid = [c for (c,) in q("SELECT c.code FROM cards c JOIN handouts h ON h.card = c.code "
                             "WHERE c.cancelled_at IS NULL AND c.kind = 'personal' "
                             "AND h.handed_out_on <= ? AND h.valid_until >= ? ORDER BY c.code",
                             (now_day - 30, now_day + 5))]
    if not t.check("the demo has the cards the sheets need", len(free) >= 18 and
                   len(valid) >= 8, (len(free), len(valid))):
        return
    # Hilla's past performances of one show a day, with room for the sheet's tickets
    # (and one with its cap reached).
    events = []
    for eid, name, starts in q("SELECT id, name, starts_at FROM events WHERE venue = ? "
                               "AND excluded = 0 AND kind = 'performance' AND starts_at < ? "
                               "AND starts_at > ? AND capacity - used >= 4 "
                               "AND (cap IS NULL OR cap - used >= 4) ORDER BY starts_at DESC",
                               (VENUE, int(datetime.datetime.now().timestamp()) - 86400,
                                int(datetime.datetime.now().timestamp()) - 25 * 86400)):
        date = datetime.datetime.fromtimestamp(starts, HKI).date().isoformat()
        same = [n for _, n, s in q("SELECT id, name, starts_at FROM events WHERE venue = ? "
                                   "AND name = ?", (VENUE, name))
                if datetime.datetime.fromtimestamp(s, HKI).date().isoformat() == date]
        if len(same) == 1:
            events.append((eid, name, date))
    if not t.check("the demo has two past shows at Hilla", len(events) >= 2, events):
        return
    (e1, n1, d1), (e2, n2, d2) = events[:2]
    full = [(n, datetime.datetime.fromtimestamp(s, HKI).date().isoformat()) for n, s in q(
        "SELECT name, starts_at FROM events WHERE venue = ? AND cap = used AND starts_at < ? "
        "ORDER BY starts_at DESC LIMIT 1", (VENUE, int(datetime.datetime.now().timestamp())))]
    used_in = {e: {c for (c,) in q("SELECT card FROM uses WHERE event = ?", (e,))}
               for e in (e1, e2)}
    fresh = [c for c in valid if c not in used_in[e1] and c not in used_in[e2]]

    # ---- handouts: every kind of bad row in one sheet, then the good rows ----
    y = today.year
    good = [[free[0], "2.1.%d" % y, 1980, "fi", "Nainen", "02600", "Työtön, Opiskelija", ""],
            [free[1], "%d-01-03" % y, 1975, "sv", "male", "02600", "retired", issued],
            [community, "%d-01-04" % y, "", "", "", "", "", ""]]
    bad = good + [
        [free[2], "5.1.%d" % y, y - 10, "fi", "female", "02600", "student", ""],  # too young
        [free[3], (today + datetime.timedelta(days=2)).isoformat(), 1980, "fi", "female",
         "02600", "student", ""],  # in the future
        ["ZZ999", "5.1.%d" % y, 1980, "fi", "female", "02600", "student", ""],  # no such card
        [other_free, "5.1.%d" % y, 1980, "fi", "female", "02600", "student", ""],  # not ours
        [issued, "5.1.%d" % y, 1980, "fi", "female", "02600", "student", ""],  # issued
        [free[0], "6.1.%d" % y, 1980, "fi", "female", "02600", "student", ""],  # twice here
        [free[4], "5.1.%d" % y, 1980, "fi", "female", "2600x", "student", ""],  # postal code
        [free[5], "5.1.%d" % y, 1980, "xx", "female", "02600", "student", ""],  # language
        [free[6], "5.1.%d" % y, 1980, "fi", "sometimes", "02600", "student", ""],  # gender
        [free[7], "5.1.%d" % y, 1980, "fi", "female", "02600", "astronaut", ""],  # situation
        [free[8], "5.1.%d" % y, 1980, "fi", "female", "131052-308T", "student", ""],  # R10
        [free[9], "5.1.%d" % y, 1980, "fi", "female", "02600", "student", "ZZ998"],  # renews
        [free[10], "31.2.%d" % y, 1980, "fi", "female", "02600", "student", ""],  # no such day
    ]
    if cancelled:
        bad.append([cancelled[0][0], "5.1.%d" % y, 1980, "fi", "female", "02600", "student", ""])
    write_csv(os.path.join(work, "h-bad.csv"), [H_HEAD] + bad)
    out = both("handouts with bad rows", ["handouts", "--file", os.path.join(work, "h-bad.csv"),
               "--as", COORD, "--unit", UNIT], 2)
    t.check("each bad row listed", len(re.findall(r"^kaiku: import: Row \d+", out[2], re.M)) >=
            len(bad) - len(good), out[2])
    both("the problems in Finnish", ["handouts", "--file", os.path.join(work, "h-bad.csv"),
         "--as", COORD, "--unit", UNIT, "--lang", "fi"], 2)
    write_csv(os.path.join(work, "h.csv"), [H_HEAD] + good)
    out = both("the good handouts", ["handouts", "--file", os.path.join(work, "h.csv"), "--as",
               COORD, "--unit", UNIT], 0)
    t.check("three handouts recorded", out[1].startswith("3 rows recorded"), out)
    out = both("the same file again, KAIKU_DB", ["handouts", "--file",
               os.path.join(work, "h.csv"), "--as", DIST], 0, env="KAIKU_DB")
    t.check("nothing recorded twice", re.match(r"0 rows recorded .*\(3 recorded before\)",
                                               out[1]) is not None, out)
    rows = [H_HEAD] + [[c, "%d-01-07" % y, 1990, "ar", "not_told", "00100", "single_parent",
                        ""] for c in free[11:13]]
    write_xlsx(os.path.join(work, "h.xlsx"), rows)
    both("handouts as XLSX", ["handouts", "--file", os.path.join(work, "h.xlsx"), "--as", DIST],
         0, env="KAIKU_DB")

    # A row that kaiku's rules let through and only the schema refuses (a
    # rule added here for the test): PostgreSQL ends the transaction at the
    # error, SQLite does not; either way the row is listed with the others.
    sq.execute("CREATE TRIGGER test_refuse BEFORE INSERT ON handouts "
               "WHEN NEW.postal_code = '99999' BEGIN SELECT RAISE(ABORT, 'test'); END")
    pg.execute("ALTER TABLE handouts ADD CONSTRAINT test_refuse "
               "CHECK (postal_code IS DISTINCT FROM '99999') NOT VALID")
    rows = [H_HEAD] + [[free[14], "%d-01-08" % y, 1990, "fi", "female", "02600", "student", ""],
                       [free[15], "%d-01-08" % y, 1990, "fi", "female", "99999", "student", ""],
                       [free[16], "%d-01-08" % y, y - 5, "fi", "female", "02600", "student", ""],
                       [free[17], "%d-01-08" % y, 1991, "fi", "female", "99999", "student", ""]]
    write_csv(os.path.join(work, "h-schema.csv"), rows)
    out = both("rows only the schema refuses", ["handouts", "--file",
               os.path.join(work, "h-schema.csv"), "--as", DIST], 2)
    t.check("the schema's refusals listed with the rules' one",
            re.findall(r"^kaiku: import: Row (\d+)", out[2], re.M) == ["3", "4", "5"], out[2])
    sq.execute("DROP TRIGGER test_refuse")
    pg.execute("ALTER TABLE handouts DROP CONSTRAINT test_refuse")

    # ---- uses: bad rows, then the good ones, CSV and XLSX ----
    first_used = sorted(used_in[e1])[:1]
    ubad = [[fresh[0], 1, 2, n1, d1], [fresh[1], 0, 1, n2, d2],
            [fresh[2], 1, 0, "No such show", d1],  # no event
            [fresh[0], 1, 0, n1, d1],  # R24: a second adult ticket in the sheet
            ["ZZ997", 1, 0, n1, d1],  # no such card
            [free[13] if len(free) > 13 else other_free, 1, 0, n1, d1],  # not handed out
            [fresh[3], 1, 0, n1, "30.2.%d" % y],  # no such day
            [fresh[3], "x", 0, n1, d1],  # not a number
            ["Total", 3, 3, "", ""]]
    if first_used:
        ubad.append([first_used[0], 1, 0, n1, d1])  # R24 against the store
    if full:
        ubad.append([fresh[5], 0, 1, *full[0]])  # the cap reached
    write_csv(os.path.join(work, "u-bad.csv"), [U_HEAD] + ubad, sep=",")
    out = both("uses with bad rows", ["uses", "--file", os.path.join(work, "u-bad.csv"), "--as",
               BOX], 2)
    t.check("each bad use listed", len(re.findall(r"^kaiku: import: Row \d+", out[2], re.M)) >=
            len(ubad) - 3, out[2])
    write_csv(os.path.join(work, "u.csv"), [U_HEAD] + ubad[:2] + [["Total", 1, 3, "", ""]],
              sep=",")
    out = both("the good uses", ["uses", "--file", os.path.join(work, "u.csv"), "--as", BOX], 0)
    t.check("two uses recorded", out[1].startswith("2 rows recorded"), out)
    write_xlsx(os.path.join(work, "u.xlsx"), [U_HEAD] + ubad[:2] + [[fresh[4], 0, 2, n2, d2]])
    out = both("uses as XLSX, two recorded before", ["uses", "--file",
               os.path.join(work, "u.xlsx"), "--as", COORD, "--venue", VENUE], 0, env="KAIKU_DB")
    t.check("one new use", re.match(r"1 row recorded .*\(2 recorded before\)", out[1])
            is not None, out)
    both("R32: another venue's staff", ["uses", "--file", os.path.join(work, "u.csv"), "--as",
         "kassa-kamu", "--venue", VENUE], 1)
    both("an unknown user", ["uses", "--file", os.path.join(work, "u.csv"), "--as", "nobody"], 1)

    # ---- the same records in both ----
    for name, sql in (
            ("handouts", "SELECT card, unit, handed_out_on, valid_until, birth_year, "
             "mother_tongue, gender, postal_code, life_situations, renews, recorded_by, purged "
             "FROM handouts ORDER BY card"),
            ("cards", "SELECT code, unit, handed_out_on, valid_until, live_uses FROM cards "
             "ORDER BY code"),
            # in the same order; PostgreSQL's ids may have gaps (docs/decisions.md)
            ("uses", "SELECT card, event, adult, child, companion, channel, recorded_by "
             "FROM uses ORDER BY id"),
            ("events", "SELECT id, used, n_uses, n_adult, n_child FROM events ORDER BY id"),
            ("imported rows", "SELECT layout, place, imported_by, count(*) FROM import_rows "
             "GROUP BY layout, place, imported_by ORDER BY layout, place, imported_by"),
            ("audit", "SELECT \"user\", action, object, region FROM audit ORDER BY id")):
        a, b = [named_uses(srv, srv.query(sql)) for srv in (sq, pg)]
        t.check("the same %s in both (%d rows)" % (name, len(a)), a == b,
                [x for x in zip(a, b) if x[0] != x[1]][:5] or (len(a), len(b)))
    for srv, label in ((sq, "SQLite"), (pg, "PostgreSQL")):
        r = srv.run("counts", "check", "--db", srv.db)
        t.check("%s: the kept counts agree with the records" % label, r.returncode == 0, r.stdout)

    # ---- the same reports through the API ----
    for srv in (sq, pg):
        srv.serve()
    paths = ["/api/v1/reports/national?year=%d" % y,
             "/api/v1/reports/statistics?year=%d" % y,
             "/api/v1/reports/cardholders?year=%d" % y,
             "/api/v1/reports/cardholders?year=%d&region=espoo" % (y - 1),
             "/api/v1/reports/venue-usage?venue=%s&from=%s&to=%s" % (VENUE, min(d1, d2),
                                                                     max(d1, d2)),
             "/api/v1/cards/%s" % free[0], "/api/v1/cards/%s" % fresh[4],
             "/api/v1/events/%d" % e1, "/api/v1/events/%d" % e2]
    answers = []
    for srv in (sq, pg):
        tok = srv.login("tuki", "kaikukortti-demo")
        answers.append([srv.call("GET", p, token=tok)[:2] for p in paths])
    for p, a, b in zip(paths, *answers):
        t.check("the same answer to %s" % p, a[0] == 200 and a == b, (a, b))


if __name__ == "__main__":
    kaikutest.main(run)
