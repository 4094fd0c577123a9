#!/usr/bin/env python3
"""Moving a register between SQLite and PostgreSQL with `kaiku copy` (issue 18,
item 6): `tests/pg/with-postgres.sh python3 tests/pg/test_pg_copy.py KAIKU`
(CTest's pg_copy, label pg). The demo is built into a file, copied into
PostgreSQL and from there into a new file: every table of the round-tripped
file must be the original's, and every report and listing served from
PostgreSQL the one served from the original file. After the copy, new writes
on PostgreSQL get ids after the copied ones (the identity sequences were set:
every identity column of the schema is checked). The refusals: a target with
data, a served file, a source of an older schema, a bad URL, a bad command
line; each with its exit status and message, and nothing written."""
import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "api"))
import kaikutest  # noqa: E402

KAIKU = sys.argv[1]
PG = os.environ.get("KAIKU_PG_URL") or sys.exit("run under tests/pg/with-postgres.sh")
PW = "kaikukortti-demo"
YEAR = int(time.strftime("%Y"))
TMP = tempfile.mkdtemp()
DEMO, BACK = os.path.join(TMP, "demo.db"), os.path.join(TMP, "back.db")

passed = failed = 0


def check(name, ok, detail=""):
    global passed, failed
    if ok:
        passed += 1
        print(f"ok   {name}")
    else:
        failed += 1
        print(f"FAIL {name}" + (f"\n     {str(detail)[:600]}" if detail else ""))
    return ok


def kaiku(*args):
    r = subprocess.run([KAIKU, *args], capture_output=True, text=True)
    return r.returncode, r.stdout, r.stderr


def psql(sql):
    r = subprocess.run(["psql", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-c", sql],
                       capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError(r.stderr)
    return r.stdout.strip()


def pg_rows():
    """Rows per table of PostgreSQL's public schema."""
    tables = psql("SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                  "ORDER BY tablename").split()
    return {t: int(psql(f"SELECT count(*) FROM {t}")) for t in tables}


def sqlite_tables(path):
    """Every table of a SQLite file, every row sorted, and the schema version."""
    con = sqlite3.connect(path)
    out = {"user_version": con.execute("PRAGMA user_version").fetchone()[0]}
    for (t,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"):
        rows = con.execute(f'SELECT * FROM "{t}"').fetchall()
        out[t] = sorted(rows, key=repr)
    con.close()
    return out


def expect_refusal(name, args, status, words):
    rc, out, err = kaiku("copy", *args)
    check(name, rc == status and err.startswith("kaiku: copy: ") and
          all(w in err for w in words) and err.count("\n") == 1 and out == "",
          f"exit {rc}, stdout {out!r}, stderr {err!r}")


# ---- a server and the API ----

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, db):
        port = free_port()
        self.p = subprocess.Popen([KAIKU, "serve", "--db", db, "--listen", f"127.0.0.1:{port}",
                                   "--quiet", "--threads", "2"], stderr=subprocess.PIPE)
        self.base = f"http://127.0.0.1:{port}"
        for _ in range(400):
            try:
                urllib.request.urlopen(self.base + "/healthz", timeout=1)
                break
            except OSError:
                if self.p.poll() is not None:
                    raise RuntimeError(f"kaiku serve on {db}: " + self.p.stderr.read().decode())
                time.sleep(0.05)
        self.tokens = {}

    def call(self, method, path, body=None, user="tuki"):
        if user not in self.tokens:
            self.tokens[user] = json.loads(self.raw("POST", "/api/v1/login", {
                "username": user, "password": PW})[1])["token"]
        return self.raw(method, path, body, self.tokens[user])

    def raw(self, method, path, body=None, token=None):
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        req = urllib.request.Request(self.base + path, method=method, headers=headers,
                                     data=json.dumps(body).encode() if body is not None else None)
        try:
            with urllib.request.urlopen(req, timeout=30) as r:
                return r.status, r.read()
        except urllib.error.HTTPError as e:
            return e.code, e.read()

    def json(self, method, path, body=None, user="tuki"):
        status, data = self.call(method, path, body, user)
        try:
            return status, json.loads(data)
        except ValueError:
            return status, data

    def stop(self):
        self.p.terminate()
        self.p.wait()


def views(db):
    """What the API shows of a store: every report (JSON and CSV) and listing."""
    con = sqlite3.connect(DEMO)  # the names are the same in every copy
    venues = [v for (v,) in con.execute("SELECT id FROM venues ORDER BY id")]
    regions = [r for (r,) in con.execute("SELECT id FROM regions ORDER BY id")]
    con.close()
    paths = []
    for y in (YEAR - 1, YEAR):
        paths.append(f"/api/v1/reports/national?year={y}")
        paths.append(f"/api/v1/reports/statistics?year={y}")
        for r in regions:
            paths.append(f"/api/v1/reports/cardholders?region={r}&year={y}&suppress=false")
            paths.append(f"/api/v1/reports/cardholders?region={r}&year={y}")
            paths.append(f"/api/v1/reports/statistics?year={y}&region={r}")
    for v in venues:
        paths.append(f"/api/v1/reports/venue-usage?venue={v}&from={YEAR - 1}-01-01"
                     f"&to={YEAR + 1}-12-31")
        paths.append(f"/api/v1/events?venue={v}")
    paths.append(f"/api/v1/reports/national?year={YEAR}&format=csv")
    paths.append(f"/api/v1/reports/cardholders?region=espoo&year={YEAR}&format=csv")
    paths += ["/api/v1/regions", "/api/v1/units", "/api/v1/venues", "/api/v1/users",
              "/api/v1/transfers"]
    s = Server(db)
    try:
        out = {p: s.call("GET", p) for p in paths}
        for name in ("uses", "audit"):  # paged: every page, 1,000 rows a page
            path = f"/api/v1/{name}?limit=1000"
            while path:
                status, body = out[path] = s.call("GET", path)
                after = json.loads(body).get("next") if status == 200 else None
                path = f"/api/v1/{name}?limit=1000&after={after}" if after else None
        return out
    finally:
        s.stop()


def main():
    rc, _, err = kaiku("demo", "--db", DEMO)
    if not check("the demo built into a file", rc == 0, err):
        return
    before = sqlite_tables(DEMO)

    # ---- refusals before anything is copied ----
    expect_refusal("no --to: usage", ["--from", DEMO], 2, ["--to"])
    expect_refusal("the same database twice: usage", ["--from", DEMO, "--to", DEMO], 2,
                   ["same database"])
    expect_refusal("a source that does not exist", ["--from", DEMO + ".none", "--to", PG], 1,
                   ["no database at"])
    check("... and is not created", not os.path.exists(DEMO + ".none"))
    bad = "postgresql:///nosuchdb?host=" + TMP + "/nosocket"
    expect_refusal("a bad PostgreSQL URL as target", ["--from", DEMO, "--to", bad], 1,
                   ["cannot open database"])
    expect_refusal("a bad PostgreSQL URL as source", ["--from", bad, "--to", BACK], 1,
                   ["cannot open database"])
    check("... and no target file is left", not os.path.exists(BACK))
    old = os.path.join(TMP, "old.db")
    shutil.copy(DEMO, old)
    con = sqlite3.connect(old)
    con.execute(f"PRAGMA user_version = {before['user_version'] - 1}")
    con.commit()
    con.close()
    expect_refusal("a source of an older schema", ["--from", old, "--to", PG], 1,
                   [f"schema version {before['user_version'] - 1}", "kaiku init --db " + old])
    con = sqlite3.connect(old)
    check("... which is not migrated",
          con.execute("PRAGMA user_version").fetchone()[0] == before["user_version"] - 1)
    con.close()
    check("... and PostgreSQL got nothing", sum(pg_rows().values()) == 0, pg_rows())

    # ---- into PostgreSQL ----
    rc, out, err = kaiku("copy", "--from", DEMO, "--to", PG)
    check("copy into PostgreSQL", rc == 0 and err == "", err)
    printed = {line.split()[0]: int(line.split()[1]) for line in out.splitlines()[1:]}
    rows = pg_rows()
    check("it prints the rows of every table it copied",
          all(printed.get(t) == len(before[t]) == rows[t] for t in printed if t != "total") and
          printed["total"] == sum(v for t, v in printed.items() if t != "total") and
          printed["uses"] > 1000 and len(printed) == 18, (out, rows))
    check("every table holds the original's rows",
          all(rows[t] == len(before[t]) for t in rows if t in before) and
          set(before) - {"user_version"} == set(rows) - {"kaiku_schema"}, (rows, before.keys()))

    identity = psql("SELECT table_name FROM information_schema.columns WHERE is_identity = 'YES' "
                    "AND table_schema = 'public' ORDER BY 1").split()
    behind = []
    for t in identity:
        seq = psql(f"SELECT pg_get_serial_sequence('{t}', 'id')")
        nxt = int(psql(f"SELECT last_value + is_called::int FROM {seq}"))
        top = int(psql(f"SELECT coalesce(max(id), 0) FROM {t}"))
        if nxt <= top:
            behind.append((t, nxt, top))
    check(f"every identity sequence goes on after the copied ids ({len(identity)} tables)",
          len(identity) >= 6 and not behind, behind)

    snapshot = pg_rows()
    expect_refusal("copying into PostgreSQL again: it holds data", ["--from", DEMO, "--to", PG], 1,
                   ["holds data already", "nothing was copied", "(already_exists)"])
    check("... and nothing was written", pg_rows() == snapshot)

    # ---- back into a new file ----
    rc, out, err = kaiku("copy", "--from", PG, "--to", BACK)
    check("copy from PostgreSQL into a new file", rc == 0 and "total" in out, err)
    after = sqlite_tables(BACK)
    diff = [t for t in set(before) | set(after) if before.get(t) != after.get(t)]
    check(f"every table of the round trip is the original's ({len(before) - 1} tables)",
          not diff and len(before) > 20, diff)
    check("the file is its owner's only", os.stat(BACK).st_mode & 0o077 == 0,
          oct(os.stat(BACK).st_mode))

    digest = sqlite_tables(DEMO)
    expect_refusal("copying into a file with data", ["--from", PG, "--to", DEMO], 1,
                   ["holds data already", "(already_exists)"])
    check("... which is left as it was", sqlite_tables(DEMO) == digest)

    served = os.path.join(TMP, "served.db")
    kaiku("init", "--db", served)
    s = Server(served)
    try:
        expect_refusal("copying into a file being served", ["--from", PG, "--to", served], 1,
                       ["being served", "stop the server"])
    finally:
        s.stop()
    con = sqlite3.connect(served)
    check("... which stays empty", con.execute("SELECT count(*) FROM users").fetchone()[0] == 0)
    con.close()
    rc, _, err = kaiku("copy", "--from", PG, "--to", served)
    check("... and takes the copy once the server is stopped", rc == 0, err)

    # ---- the same reports and listings ----
    theirs, ours = views(DEMO), views(PG)
    same = [p for p in theirs if theirs[p] == ours[p] and theirs[p][0] == 200]
    differ = [(p, theirs[p][0], ours[p][0], theirs[p][1][:200], ours[p][1][:200])
              for p in theirs if p not in same]
    check(f"every report and listing served from PostgreSQL is the original's "
          f"({len(same)} compared)", not differ and len(same) > 60, differ[:3])
    nonempty = json.loads(theirs[f"/api/v1/reports/national?year={YEAR}"][1])
    check("... and they are not empty",
          nonempty["combined"]["uses"] > 0 and nonempty["combined"]["handed_out"] > 0, nonempty)

    # ---- new writes on PostgreSQL take new ids ----
    top = {t: int(psql(f"SELECT coalesce(max(id), 0) FROM {t}"))
           for t in ("events", "uses", "audit", "api_keys", "series", "transfers")}
    card = psql("SELECT min(code) FROM cards WHERE unit = 'espoo-leppavaara' AND kind = 'personal'"
                " AND handed_out_on IS NULL AND cancelled_at IS NULL")
    s = Server(PG)
    try:
        r = s.json("POST", "/api/v1/handouts", {
            "card": card, "birth_year": 1980, "mother_tongue": "fi", "gender": "female",
            "postal_code": "02100", "life_situation": ["unemployed"]}, "jakaja-leppavaara")
        check("a handout on PostgreSQL after the copy", r[0] == 201, r)
        starts = kaikutest.later_today(1)  # the card is valid from today's handout
        r = s.json("POST", "/api/v1/events", {"venue": "teatteri-hilla", "name": "Uusi näytös",
                                               "kind": "performance", "starts_at": starts,
                                               "capacity": 50}, "kassa-hilla")
        check("a new event gets an id after the copied ones",
              r[0] == 201 and r[1]["id"] > top["events"], (r, top))
        event = r[1].get("id") if isinstance(r[1], dict) else None
        r = s.json("POST", "/api/v1/uses", {"card": card, "event": event, "adult": 1,
                                             "child": 0}, "kassa-hilla")
        check("a new use gets an id after the copied ones",
              r[0] == 201 and r[1]["id"] > top["uses"], (r, top))
        r = s.json("POST", "/api/v1/venues/teatteri-hilla/api-keys", {"label": "Lippupalvelu"},
                   "kassa-hilla")
        check("a new API key gets an id after the copied ones",
              r[0] == 201 and r[1]["id"] > top["api_keys"], (r, top))
    finally:
        s.stop()
    check("the audit went on after the copied entries",
          int(psql(f"SELECT count(*) FROM audit WHERE id > {top['audit']}")) >= 4,
          psql(f"SELECT action FROM audit WHERE id > {top['audit']}"))
    rc, out, err = kaiku("counts", "check", "--db", PG)
    check("the kept counts on PostgreSQL are right after the copy and the writes", rc == 0,
          out + err)


try:
    main()
finally:
    shutil.rmtree(TMP, ignore_errors=True)
print(f"pg_copy: {passed} passed, {failed} failed")
sys.exit(1 if failed or not passed else 0)
