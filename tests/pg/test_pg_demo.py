#!/usr/bin/env python3
"""`kaiku demo` into PostgreSQL (issue 18), against the same demo in a
SQLite file: `tests/pg/with-postgres.sh python3 tests/pg/test_pg_demo.py
KAIKU` (CTest's pg_demo, label pg).

Both demos are built with one seed, started together (the demo is the same
for a seed and a moment: events still ahead and bookings depend on the
clock), then must print the same summary and logins; served by two kaiku
servers, the logins of every role must work on both and the network, the
events, the uses, the audit and the reports (R28, R30, R31; JSON and CSV)
must read the same and not be empty, and the kept counts must equal a
recount. The demo must leave no scratch file in
$TMPDIR, refuse a database that holds data and leave it as it was, and fill
one that holds only the schema of `kaiku init`."""
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

KAIKU = sys.argv[1]
BASE_URL = os.environ["KAIKU_PG_URL"]  # postgresql:///kaiku?host=…
PASSWORD = "kaikukortti-demo"
SEED = "5"
TMP = tempfile.TemporaryDirectory()
FAILED = []


def check(name, cond, info=""):
    if cond:
        print("ok   " + name)
    else:
        FAILED.append(name)
        print("FAIL " + name + ("\n     " + str(info)[:600] if info else ""))


def database(name):
    """A new, empty database on the cluster, as a URL."""
    subprocess.run(["createdb", name], check=True, timeout=60)
    return BASE_URL.replace("/kaiku?", "/%s?" % name, 1)


def psql(url, sql):
    r = subprocess.run(["psql", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-d", url, "-c", sql],
                       capture_output=True, text=True, timeout=60)
    return r.stdout.strip() if r.returncode == 0 else "error: " + r.stderr.strip()


def kaiku(*args, env=None):
    return subprocess.run([KAIKU, *args], capture_output=True, text=True, timeout=600,
                          env=env)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, db):
        self.base = "http://127.0.0.1:%d" % free_port()
        self.proc = subprocess.Popen([KAIKU, "serve", "--db", db, "--listen",
                                      self.base[len("http://"):], "--quiet", "--threads", "2"])
        for _ in range(400):
            try:
                urllib.request.urlopen(self.base + "/healthz", timeout=1)
                return
            except OSError:
                time.sleep(0.05)
        self.stop()
        sys.exit("test_pg_demo.py: the server on %s did not start" % db)

    def stop(self):
        self.proc.terminate()
        self.proc.wait()

    def call(self, method, path, body=None, token=None):
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = "Bearer " + token
        req = urllib.request.Request(self.base + path, method=method, headers=headers,
                                     data=json.dumps(body).encode() if body is not None else None)
        try:
            with urllib.request.urlopen(req, timeout=60) as r:
                return r.status, r.read().decode()
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode()

    def login(self, username):
        status, body = self.call("POST", "/api/v1/login",
                                 {"username": username, "password": PASSWORD})
        return json.loads(body)["token"] if status == 200 else None


def empty(body):
    """A CSV of its header only, or JSON with no item in any list and no
    count above 0 (a report's figures) but its year."""
    try:
        doc = json.loads(body)
    except ValueError:
        return len(body.strip().splitlines()) < 2

    def values(v, key=""):
        if isinstance(v, dict):
            return sum(values(x, k) for k, x in v.items())
        if isinstance(v, list):
            return len(v) + sum(values(x) for x in v)
        return 1 if isinstance(v, int) and not isinstance(v, bool) and v > 0 and key != "year" \
            else 0
    return values(doc) == 0


def summary(out):
    """The demo's output without the time it took."""
    return re.sub(r", in [0-9.]+ s\n", "\n", out)


# ---- the two demos, started together ----
pg = database("kaiku_demo")
file_db = os.path.join(TMP.name, "demo.db")
scratch = os.path.join(TMP.name, "scratch")
os.mkdir(scratch)
env = dict(os.environ, TMPDIR=scratch)
procs = [subprocess.Popen([KAIKU, "demo", "--db", db, "--seed", SEED], stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True, env=env) for db in (file_db, pg)]
(s_out, s_err), (p_out, p_err) = [p.communicate(timeout=900) for p in procs]
check("the demo into a file", procs[0].returncode == 0, s_err)
check("the demo into PostgreSQL", procs[1].returncode == 0, p_err)
if FAILED:
    sys.exit(1)
check("the same summary and logins", summary(s_out) == summary(p_out),
      "sqlite: %s\npg:     %s" % (s_out[:300], p_out[:300]))
check("no scratch file left in $TMPDIR", os.listdir(scratch) == [], os.listdir(scratch))
logins = re.findall(r"^  (\S+) +(national|coordinator|distributor|venue) ", p_out, re.M)
check("the demo printed its logins", len(logins) >= 20, p_out[-400:])

r = kaiku("counts", "check", "--db", pg)
lines = r.stdout.strip().splitlines()
check("the kept counts on PostgreSQL equal a recount (kaiku counts check)",
      r.returncode == 0 and len(lines) >= 7 and all(line.endswith(": same") for line in lines),
      r.stdout + r.stderr)

# ---- a database with data is refused and left as it was ----
audit = psql(pg, "SELECT count(*) FROM audit")
r = kaiku("demo", "--db", pg, "--seed", SEED)
check("a second demo into the same database is refused",
      r.returncode == 1 and "already has regions" in r.stderr, r.stderr)
check("… and the database is left as it was", psql(pg, "SELECT count(*) FROM audit") == audit,
      audit)
users_only = database("kaiku_users_only")
kaiku("init", "--db", users_only)
r = subprocess.run([KAIKU, "user", "add", "--db", users_only, "--username", "tuki", "--role",
                    "national", "--password-stdin"], input="a-long-password-1\n",
                   capture_output=True, text=True, timeout=60)
check("a user added to another database", r.returncode == 0, r.stderr)
r = kaiku("demo", "--db", users_only)
check("a demo into a database with a user is refused",
      r.returncode == 1 and "already has users" in r.stderr, r.stderr)
check("… which keeps only its user", psql(users_only, "SELECT count(*) FROM regions") == "0")

# ---- the same answers from both ----
# What the demo wrote at its `now` (bookings; their audit rows) may be a
# second apart in the two: the uses and the audit are read up to two days
# ago.
year = int(time.strftime("%Y"))
before = time.strftime("%Y-%m-%d", time.localtime(time.time() - 2 * 86400))
first = {role: name for name, role in reversed(logins)}  # the first login of each role
reads = {
    "national": ["/api/v1/regions", "/api/v1/units", "/api/v1/venues", "/api/v1/users",
                 "/api/v1/transfers", "/api/v1/audit?to=" + before,
                 "/api/v1/events?venue=teatteri-hilla&from=%d-01-01&to=%d-12-31" % (year, year),
                 "/api/v1/uses?venue=teatteri-hilla&to=" + before,
                 "/api/v1/reports/venue-usage?venue=teatteri-hilla&from=2020-02-01&to=2020-02-29",
                 "/api/v1/reports/venue-usage?venue=kamu-espoo&from=%d-01-01&to=%d-12-31"
                 % (year - 1, year),
                 "/api/v1/reports/cardholders?region=espoo&year=%d&suppress=false" % (year - 1),
                 "/api/v1/reports/cardholders?region=kainuu&year=%d" % year,
                 "/api/v1/reports/national?year=%d" % (year - 1),
                 "/api/v1/reports/national?year=%d" % year,
                 "/api/v1/reports/national?year=%d&format=csv" % (year - 1)],
    "coordinator": ["/api/v1/users", "/api/v1/audit?to=" + before,
                    "/api/v1/reports/cardholders?region=espoo&year=%d" % year],
    "distributor": ["/api/v1/transfers"],
    "venue": ["/api/v1/uses?to=" + before,
              "/api/v1/reports/venue-usage?venue=teatteri-hilla&from=%d-01-01&to=%d-12-31"
              % (year, year),
              "/api/v1/reports/venue-usage?venue=teatteri-hilla&from=%d-01-01&to=%d-12-31"
              "&format=csv" % (year - 1, year - 1)],
}
servers = [Server(file_db), Server(pg)]
try:
    for role in ("national", "coordinator", "distributor", "venue"):
        name = first.get(role)
        tokens = [s.login(name) for s in servers] if name else [None, None]
        check("%s's login (%s) on both" % (role, name), all(tokens), tokens)
        if not all(tokens):
            continue
        for path in reads[role]:
            (s_status, s_body), (p_status, p_body) = [
                srv.call("GET", path, token=t) for srv, t in zip(servers, tokens)]
            check("%s: %s the same on both, not empty" % (role, path),
                  s_status == p_status == 200 and s_body == p_body and not empty(p_body),
                  "sqlite %d: %s\n     pg %d: %s" % (s_status, s_body[:250], p_status,
                                                    p_body[:250]))
finally:
    for s in servers:
        s.stop()
print("pg_demo: %d failed" % len(FAILED))
sys.exit(1 if FAILED else 0)
