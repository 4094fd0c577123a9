"""Shared helpers of kaiku's black-box API tests (Python standard library only).

A test file does:

    t = kaikutest.Suite(sys.argv[1])      # path to the kaiku binary
    t.require_codes({(404, "not_found")}) # error replies finish() insists on
    srv = t.start()                       # init, national user, serve on a free port
    st, body, hdrs = srv.call("GET", "/healthz")
    t.check("healthz", st == 200, body)
    st, data, hdrs = srv.fetch("/api/v1/reports/national?year=2020&format=csv", token)
    t.expect("unknown path", srv.call("GET", "/api/v1/nope"), 404, "not_found")
    ...
    sys.exit(t.finish())                  # prints "N passed, M failed"

An error code counts as seen only when expect() accepted a real reply with
it (srv.call, or srv.raw for bytes that http.client will not send).
"""

import datetime
import http.client
import json
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.parse
import zoneinfo

NATIONAL = "nat"
PASSWORD = "national-password-1"

# The error table of api.md ("Error codes"), status -> codes. It is mirrored here
# because CI checks out kaiku alone, without ../shared/spec.
ERROR_TABLE = {
    400: ("invalid_request", "invalid_card_code", "invalid_birth_year", "invalid_postal_code",
          "invalid_language", "invalid_gender", "invalid_life_situation",
          "identity_data_refused"),
    401: ("unauthenticated",),
    403: ("forbidden",),
    404: ("not_found", "card_unknown"),
    409: ("code_taken", "already_exists", "card_already_issued", "idempotency_conflict"),
    413: ("body_too_large",),
    415: ("unsupported_media_type",),
    422: ("too_young", "handout_in_future", "card_not_in_unit_stock", "card_not_issued",
          "card_cancelled", "card_expired", "event_excluded", "community_card_course",
          "course_child_ticket", "duplicate_adult_ticket", "booking_not_open",
          "collection_not_open", "cap_too_low", "cap_below_used", "cap_reached"),
    429: ("rate_limited",),
    503: ("unavailable",),
}
# The codes kaiku adds to that table (docs/api.md, "Errors").
ERROR_EXTRAS = {405: ("method_not_allowed",), 409: ("transfer_not_pending", "api_key_limit"),
                422: ("renews_invalid",), 500: ("internal",)}
# (status, code) pairs that a test run must see in real replies: all of the
# above except internal (500), which no correct request can provoke.
ERROR_PAIRS = {(st, code) for table in (ERROR_TABLE, ERROR_EXTRAS) for st, codes in table.items()
               for code in codes if st != 500}
# The pairs whose tests live in test_http.py; test_api.py must see all others.
HTTP_LAYER_PAIRS = {(400, "identity_data_refused"), (405, "method_not_allowed"),
                    (413, "body_too_large"), (415, "unsupported_media_type"),
                    (429, "rate_limited")}


HELSINKI = zoneinfo.ZoneInfo("Europe/Helsinki")


def later_today(hours, now=None):
    """An API date-time `hours` after `now` (default: now) that is still
    today on Finnish clocks, the day the box office lists and a handout's
    day: or a minute before midnight when that would be tomorrow (a
    back-entry is fine)."""
    now = (now or datetime.datetime.now(datetime.timezone.utc)).astimezone(HELSINKI)
    midnight = datetime.datetime.combine(now.date() + datetime.timedelta(days=1),
                                         datetime.time(), HELSINKI)
    at = min(now + datetime.timedelta(hours=hours), midnight - datetime.timedelta(minutes=1))
    return at.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S+00:00")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


PG_DATABASES = []
PG_WRITE_LOCK = 1801544053  # src/store/pg/backend.c: WRITE_LOCK_KEY


def pg_database():
    """A new, empty PostgreSQL database on the throw-away cluster of
    tests/pg/with-postgres.sh (KAIKU_PG_URL names its first one), as a URL."""
    name = "kaiku_%d_%d" % (os.getpid(), len(PG_DATABASES))
    subprocess.run(["createdb", name], check=True, timeout=60)
    PG_DATABASES.append(name)
    return os.environ["KAIKU_PG_URL"].replace("/kaiku?", "/%s?" % name, 1)


def sql_literal(v):
    """A parameter of Server.query() or execute() written into PostgreSQL's text."""
    if v is None:
        return "NULL"
    if isinstance(v, int):
        return str(v)
    return "'" + str(v).replace("'", "''") + "'"


class Server:
    def __init__(self, binary, workdir, db=None):
        """A server of the database db; by default a new one: kaiku.db in workdir, or
        under tests/pg/with-postgres.sh a new PostgreSQL database."""
        self.binary = binary
        self.dir = workdir
        self.db = db or os.path.join(workdir, "kaiku.db")
        if db is None and os.environ.get("KAIKU_PG_URL"):
            self.db = pg_database()
        self.port = free_port()
        self.log_path = os.path.join(workdir, "serve.log")
        self.proc = None
        self.serve_args = []  # more options for kaiku serve

    @property
    def pg(self):
        """True when the database is PostgreSQL's (a URL), False for a SQLite file. A check
        of SQLite's own files (the file's mode, its WAL) says it is skipped (Suite.skip)."""
        return self.db.startswith(("postgresql://", "postgres://"))

    def run(self, *args, stdin=None):
        return subprocess.run([self.binary, *args], input=stdin, capture_output=True, text=True,
                              timeout=60)

    def query(self, text, params=()):
        """The rows (lists) of a SELECT on the database, read behind kaiku's back to count
        records another way. The text must mean the same to SQLite and PostgreSQL; ?
        marks a parameter (int, str or None; never put a ? into a literal)."""
        return self._sql(text, params, True)

    def execute(self, text, params=()):
        """One statement run on the database behind kaiku's back, for what the API cannot
        do (rows recorded back then); as query()."""
        self._sql(text, params, False)

    def _sql(self, text, params, rows):
        if not self.pg:
            con = sqlite3.connect(self.db, timeout=30)
            try:
                with con:
                    return [list(row) for row in con.execute(text, params)]
            finally:
                con.close()
        parts = text.split("?")
        if len(parts) != len(params) + 1:
            raise ValueError("%d parameters for %d ?: %s" % (len(params), len(parts) - 1, text))
        text = parts[0] + "".join(sql_literal(p) + rest for p, rest in zip(params, parts[1:]))
        if rows:  # as JSON (json, not jsonb: the columns in order, also two of one name)
            text = "SELECT coalesce(json_agg(q), '[]') FROM (%s) q" % text
        r = subprocess.run(["psql", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-d", self.db,
                            "-c", text], capture_output=True, text=True, timeout=300)
        if r.returncode != 0:
            raise RuntimeError("psql: %s: %s" % (text[:200], r.stderr))
        if not rows:
            return None
        return json.loads(r.stdout, object_pairs_hook=lambda pairs: [v for _, v in pairs])

    def demo(self, copy_of=None):
        """kaiku demo's network and history in the database: a CompletedProcess. With
        copy_of (a demo file built before), that file copied in with `kaiku copy`."""
        if copy_of:
            return self.run("copy", "--from", copy_of, "--to", self.db)
        return self.run("demo", "--db", self.db)

    def start(self):
        """A new database with the national user, then serve()."""
        r = self.run("init", "--db", self.db)
        assert r.returncode == 0, r.stderr
        r = self.run("user", "add", "--db", self.db, "--username", NATIONAL, "--role", "national",
                     "--password-stdin", stdin=PASSWORD + "\n")
        assert r.returncode == 0, r.stderr
        return self.serve()

    def serve(self, *args):
        """Runs kaiku serve on the database as it is, on a free port (a new one each time,
        so that a restart never waits for the old socket), until /healthz answers. The log
        of every run goes to the same file."""
        self.port = free_port()
        self.log = open(self.log_path, "a")
        self.proc = subprocess.Popen(
            [self.binary, "serve", "--db", self.db, "--listen", "127.0.0.1:%d" % self.port,
             *self.serve_args, *args], stdout=self.log, stderr=self.log)
        deadline = time.time() + 20
        while time.time() < deadline:
            try:
                st, _, _ = self.call("GET", "/healthz")
                if st == 200:
                    return self
            except OSError:
                pass
            if self.proc.poll() is not None:
                break
            time.sleep(0.05)
        raise RuntimeError("kaiku serve did not come up: " + self.log_text()[-2000:])

    def kill(self):
        """SIGKILL: the process dies at once, as in a crash; returns the exit status."""
        self.proc.send_signal(signal.SIGKILL)
        rc = self.proc.wait()
        self.proc = None
        self.log.close()
        return rc

    def stop(self, sig=signal.SIGTERM):
        """Sends sig (SIGTERM by default); returns the exit status."""
        if self.proc is None:
            return None
        self.proc.send_signal(sig)
        try:
            rc = self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            rc = self.proc.wait()
        self.proc = None
        self.log.close()
        return rc

    def log_text(self):
        if not os.path.exists(self.log_path):  # never served
            return ""
        with open(self.log_path) as f:
            return f.read()

    def connect(self):
        """A connection to keep for many calls (HTTP/1.1 keep-alive), as a till keeps one:
        heavy traffic on fresh connections would tie up thousands of local ports in
        TIME_WAIT, which other tests running at the same time may want."""
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)

    def call(self, method, path, body=None, token=None, headers=None, raw=None, lang=None,
             conn=None):
        """One request, on conn or on a fresh connection: (status, parsed JSON or None,
        headers dict)."""
        h = {}
        if token:
            h["Authorization"] = "Bearer " + token
        if lang:
            h["Accept-Language"] = lang
        data = raw
        if body is not None:
            data = json.dumps(body).encode()
        if data is not None:
            h["Content-Type"] = "application/json"
        h.update(headers or {})
        fresh = conn is None
        if fresh:
            conn = self.connect()
        try:
            conn.request(method, path, body=data, headers=h)
            resp = conn.getresponse()
            text = resp.read()
            hdrs = {k.lower(): v for k, v in resp.getheaders()}
            parsed = None
            if text:
                try:
                    parsed = json.loads(text)
                except ValueError:
                    parsed = {"_raw": text.decode("utf-8", "replace")}
            return resp.status, parsed, hdrs
        finally:
            if fresh:
                conn.close()

    def fetch(self, path, token=None, lang=None):
        """GET path on a fresh connection, for replies that are not JSON (CSV,
        XLSX): (status, body bytes, headers dict)."""
        h = {"Authorization": "Bearer " + token} if token else {}
        if lang:
            h["Accept-Language"] = lang
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            conn.request("GET", path, headers=h)
            resp = conn.getresponse()
            return resp.status, resp.read(), {k.lower(): v for k, v in resp.getheaders()}
        finally:
            conn.close()

    def raw(self, data, timeout=10):
        """Sends raw bytes on a fresh connection and reads one reply, even when
        the server answers before it has read everything: (status, parsed JSON
        or None, headers dict), as call() returns; status 0 if no reply came."""
        sock = socket.create_connection(("127.0.0.1", self.port), timeout=timeout)
        buf = b""
        try:
            try:
                sock.sendall(data)
            except (BrokenPipeError, ConnectionResetError):
                pass
            while True:
                try:
                    chunk = sock.recv(65536)
                except (ConnectionResetError, socket.timeout):
                    break
                if not chunk:
                    break
                buf += chunk
                head, sep, rest = buf.partition(b"\r\n\r\n")
                m = re.search(rb"(?im)^content-length:[ \t]*(\d+)", head)
                if sep and m and len(rest) >= int(m.group(1)):
                    break
        finally:
            sock.close()
        head, _, rest = buf.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        first = lines[0].split(" ")
        status = int(first[1]) if len(first) > 1 and first[1].isdigit() else 0
        hdrs = {}
        for line in lines[1:]:
            k, _, v = line.partition(":")
            hdrs[k.strip().lower()] = v.strip()
        if "content-length" in hdrs and hdrs["content-length"].isdigit():
            rest = rest[:int(hdrs["content-length"])]
        parsed = None
        if rest:
            try:
                parsed = json.loads(rest)
            except ValueError:
                parsed = {"_raw": rest.decode("utf-8", "replace")}
        return status, parsed, hdrs

    def login(self, username, password):
        st, body, hdrs = self.call("POST", "/api/v1/login",
                                   {"username": username, "password": password})
        if st != 200:
            raise RuntimeError("login %s: %s %s" % (username, st, body))
        return body["token"]


class Suite:
    def __init__(self, binary):
        self.binary = os.path.abspath(binary)
        self.passed = 0
        self.failed = 0
        self.tmp = tempfile.TemporaryDirectory(prefix="kaiku-api-")
        self.servers = []
        self.codes_seen = set()      # (status, code) of error replies that expect() accepted
        self.codes_required = set()  # (status, code) that must be among them by finish()

    def server(self):
        """A server in a directory of its own, not yet started; finish() checks its log."""
        d = os.path.join(self.tmp.name, "srv%d" % len(self.servers))
        os.mkdir(d)
        srv = Server(self.binary, d)
        self.servers.append(srv)
        return srv

    def start(self):
        return self.server().start()

    def check(self, name, cond, info=None):
        if cond:
            self.passed += 1
        else:
            self.failed += 1
            print("FAIL %s: %s" % (name, info if info is not None else ""), flush=True)
        return cond

    def skip(self, name, reason):
        """A check that does not apply here (say, to SQLite's files on PostgreSQL): said so."""
        print("SKIP %s: %s" % (name, reason), flush=True)

    def expect(self, name, result, status, code=None):
        """Checks (status, body, headers) against a status and error code."""
        st, body, _ = result
        ok = st == status
        if code is not None:
            ok = ok and isinstance(body, dict) and body.get("error") == code
            if ok:
                self.codes_seen.add((status, code))
        return self.check(name, ok, "got %s %s, want %s %s" % (st, body, status, code or ""))

    def require_codes(self, pairs):
        """finish() fails unless expect() has accepted a real reply with each of
        these (status, code) pairs."""
        self.codes_required |= set(pairs)

    def finish(self):
        for srv in self.servers:
            if srv.proc is not None:
                srv.stop()
            log = srv.log_text()
            self.check("no sanitizer reports in the server log",
                       "Sanitizer" not in log and "runtime error:" not in log, log[-2000:])
        missing = sorted(self.codes_required - self.codes_seen)
        self.check("every required error code came in a real reply", not missing,
                   ", ".join("%d %s" % m for m in missing))
        print("%d passed, %d failed" % (self.passed, self.failed), flush=True)
        self.tmp.cleanup()
        return 0 if self.failed == 0 else 1


def main(run):
    if len(sys.argv) != 2:
        print("usage: %s /path/to/kaiku" % sys.argv[0], file=sys.stderr)
        sys.exit(2)
    suite = Suite(sys.argv[1])
    try:
        run(suite)
    except Exception as e:  # a crash of the test itself is a failure
        import traceback
        traceback.print_exc()
        suite.check("test ran to the end", False, repr(e))
    sys.exit(suite.finish())
