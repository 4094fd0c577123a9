"""PostgreSQL restarted under load (issue 18, item 5). Client threads record
uses with idempotency keys on a capped and an uncapped event and look up
cards while PostgreSQL is stopped (once -m fast, once -m immediate) and
started again. During the outage every answer is a success or 503 with
Retry-After, within a bound, and kaiku stays up; once PostgreSQL is back,
kaiku answers 2xx again without a restart; every use acknowledged with 201
is in the database; the uses answered 503, and some acknowledged ones,
sent again with the same key after the outage, are recorded once. Last,
`kaiku serve` with PostgreSQL down, or not answering, fails at once,
saying why. Run under
tests/pg/with-postgres.sh (it exports KAIKU_PG_CTL):
python3 test_pg_restart.py /path/to/kaiku"""

import datetime
import http.client
import json
import os
import shlex
import socket
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "api"))
import kaikutest  # noqa: E402

PW = "restart-correct-horse-1"
CARDS = 12
CLIENT_TIMEOUT = 20  # seconds: no answer by then is a hang
OUTAGE_ANSWER_MAX = 5.0  # seconds: the slowest answer while PostgreSQL is down
RECOVERY_MAX = 15.0  # seconds from PostgreSQL's start to kaiku's first 2xx use
OUTAGE = 3  # seconds PostgreSQL stays down


def pg_ctl(*args):
    r = subprocess.run(shlex.split(os.environ["KAIKU_PG_CTL"]) + list(args),
                       capture_output=True, text=True, timeout=120)
    if r.returncode != 0:
        raise RuntimeError("pg_ctl %s: %s%s" % (" ".join(args), r.stdout, r.stderr))


class Load:
    """Client threads, each on its own keep-alive connection, until stopped."""

    def __init__(self, srv, token, events, cards):
        self.srv, self.token, self.events, self.cards = srv, token, events, cards
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.down = False  # PostgreSQL is stopped (set by the test)
        self.acked = {}  # idempotency key -> (event, use id) answered 201
        self.unanswered = {}  # key -> (event, body) answered 503: sent again later
        self.bad = []  # anything but a success or 503 with Retry-After
        self.counts = {"201": 0, "503": 0, "lookups": 0, "lookup503": 0}
        self.slowest_down = 0.0  # the slowest answer while PostgreSQL was down
        self.first_ok_after = None  # time of the first 201 after the latest start
        self.threads = []

    def request(self, conn, method, path, body):
        h = {"Authorization": "Bearer " + self.token}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            h["Content-Type"] = "application/json"
        began = time.monotonic()
        down = self.down
        try:
            conn.request(method, path, body=data, headers=h)
            resp = conn.getresponse()
            text = resp.read()
            st, hdrs = resp.status, {k.lower(): v for k, v in resp.getheaders()}
        except (OSError, http.client.HTTPException) as e:
            conn.close()  # a reset or a timeout: reconnects on the next request
            with self.lock:
                self.bad.append((method, path, "no answer after %.1fs: %r"
                                 % (time.monotonic() - began, e)))
            return None, None
        took = time.monotonic() - began
        if down:
            with self.lock:
                self.slowest_down = max(self.slowest_down, took)
        parsed = json.loads(text) if text else None
        if st == 503 and (not hdrs.get("retry-after") or
                          not isinstance(parsed, dict) or parsed.get("error") != "unavailable"):
            with self.lock:
                self.bad.append((method, path, "503 without Retry-After or unavailable: %s %s"
                                 % (hdrs, parsed)))
        return st, parsed

    def user(self, n):
        conn = http.client.HTTPConnection("127.0.0.1", self.srv.port, timeout=CLIENT_TIMEOUT)
        event = self.events[n % len(self.events)]
        i = 0
        while not self.stop.is_set():
            key = "t%d-%d" % (n, i)
            body = {"card": self.cards[(n + i) % len(self.cards)], "event": event, "adult": 0,
                    "child": 1, "idempotency_key": key}
            i += 1
            st, parsed = self.request(conn, "POST", "/api/v1/uses", body)
            with self.lock:
                if st == 201:
                    self.counts["201"] += 1
                    self.acked[key] = (event, parsed["id"])
                    if self.first_ok_after is None:
                        self.first_ok_after = time.monotonic()
                elif st == 503:
                    self.counts["503"] += 1
                    self.unanswered[key] = (event, body)
                elif st is not None:
                    self.bad.append(("POST", "/api/v1/uses", "%s %s" % (st, parsed)))
                else:
                    self.unanswered[key] = (event, body)
            time.sleep(0.005)
        conn.close()

    def looker(self, n):
        conn = http.client.HTTPConnection("127.0.0.1", self.srv.port, timeout=CLIENT_TIMEOUT)
        i = 0
        while not self.stop.is_set():
            code = self.cards[(n + i) % len(self.cards)]
            i += 1
            st, parsed = self.request(conn, "GET", "/api/v1/cards/" + code, None)
            with self.lock:
                self.counts["lookups"] += 1
                if st == 503:
                    self.counts["lookup503"] += 1
                elif st is not None and not (st == 200 and parsed.get("status") == "valid"):
                    self.bad.append(("GET", "/api/v1/cards/" + code, "%s %s" % (st, parsed)))
            time.sleep(0.005)
        conn.close()

    def start(self):
        for n in range(4):
            self.threads.append(threading.Thread(target=self.user, args=(n,)))
        for n in range(2):
            self.threads.append(threading.Thread(target=self.looker, args=(n,)))
        for th in self.threads:
            th.start()

    def finish(self):
        self.stop.set()
        for th in self.threads:
            th.join(CLIENT_TIMEOUT + 5)
        return not any(th.is_alive() for th in self.threads)


def restart(t, srv, load, mode):
    """Stops PostgreSQL (mode fast or immediate) under load, keeps it down
    for OUTAGE seconds, starts it and waits for kaiku's first 201."""
    time.sleep(1.5)  # load on a healthy database first
    before = dict(load.counts)
    load.down = True
    pg_ctl("-m", mode, "-w", "stop")
    time.sleep(OUTAGE)
    with load.lock:
        during = {k: load.counts[k] - before[k] for k in load.counts}
        load.first_ok_after = None
    pg_ctl("-w", "start")
    started = time.monotonic()
    load.down = False
    while time.monotonic() - started < RECOVERY_MAX and load.first_ok_after is None:
        time.sleep(0.1)
    took = load.first_ok_after - started if load.first_ok_after else None
    t.check("%s stop: uses were answered 503 while PostgreSQL was down" % mode,
            during["503"] > 0 and during["lookup503"] > 0, during)
    t.check("%s stop: kaiku stays up" % mode, srv.proc.poll() is None, srv.log_text()[-2000:])
    t.check("%s stop: kaiku records uses again within %ds of PostgreSQL's start, unrestarted"
            % (mode, RECOVERY_MAX), took is not None, srv.log_text()[-2000:])
    print("%s stop: %d uses acknowledged, %d answered 503, %d lookups (%d 503) in %ds down; "
          "2xx again %.2fs after the start" % (mode, during["201"], during["503"],
                                                during["lookups"], during["lookup503"], OUTAGE,
                                                took if took is not None else -1), flush=True)


def listed_uses(srv, token, event):
    """The event's uses through the API, every page: {id: card}."""
    out, after = {}, 0
    while True:
        st, body, _ = srv.call("GET", "/api/v1/uses?event=%d&limit=1000%s"
                               % (event, "&after=%s" % after if after else ""), token=token)
        if st != 200:
            raise RuntimeError("listing uses: %s %s" % (st, body))
        for u in body["uses"]:
            out[u["id"]] = u
        if "next" not in body:
            return out
        after = body["next"]


def run(t):
    srv = t.start()
    call = srv.call
    nat = srv.login(kaikutest.NATIONAL, kaikutest.PASSWORD)
    call("POST", "/api/v1/regions", {"id": "r1", "name": "Espoo"}, nat)
    call("POST", "/api/v1/units", {"id": "u1", "region": "r1", "name": "Unit"}, nat)
    call("POST", "/api/v1/venues", {"id": "v1", "region": "r1", "name": "Hilla",
         "category": "theatre"}, nat)
    cards = ["RS%d" % i for i in range(CARDS)]
    t.expect("stock", call("POST", "/api/v1/stock", {"unit": "u1", "kind": "personal",
             "codes": cards}, nat), 201)
    for name, role, scope in (("d1", "distributor", {"unit": "u1"}),
                              ("v1", "venue", {"venue": "v1"})):
        t.expect("user " + name, call("POST", "/api/v1/users", dict(
            {"username": name, "password": PW, "role": role}, **scope), nat), 201)
    d1 = srv.login("d1", PW)
    form = {"birth_year": 1980, "mother_tongue": "fi", "gender": "female",
            "postal_code": "02100", "life_situation": ["student"]}
    for c in cards:
        t.expect("handout " + c, call("POST", "/api/v1/handouts", dict(form, card=c), d1), 201)
    ahead = (datetime.datetime.now() + datetime.timedelta(days=30)).strftime("%Y-%m-%dT18:00")
    v1 = srv.login("v1", PW)
    events = []
    for name, cap in (("Katto", 500000), ("Avoin", None)):
        body = {"venue": "v1", "name": name, "kind": "performance", "starts_at": ahead,
                "capacity": 1000000}
        if cap is not None:
            body["cap"] = cap
        r = call("POST", "/api/v1/events", body, v1)
        t.expect("event " + name, r, 201)
        events.append(r[1]["id"])

    load = Load(srv, v1, events, cards)
    load.start()
    try:
        restart(t, srv, load, "fast")
        restart(t, srv, load, "immediate")
        time.sleep(1.0)
    finally:
        all_ended = load.finish()
    t.check("every client thread ended (no request hung)", all_ended)
    t.check("during the outages every answer was a success or 503 with Retry-After, "
            "none hung, none reset", not load.bad, load.bad[:5])
    t.check("while PostgreSQL was down every answer came within %.0fs" % OUTAGE_ANSWER_MAX,
            load.slowest_down <= OUTAGE_ANSWER_MAX, load.slowest_down)

    # After the outage: the uses answered 503 are sent again with their keys
    # (201 if they were not recorded, 200 if they were, before the answer was
    # lost), and some acknowledged ones too (200, the same use).
    final = {}  # key -> use id, exactly one per key sent
    wrong, replayed = [], 0
    for key, (event, body) in sorted(load.unanswered.items()):
        r = call("POST", "/api/v1/uses", body, v1)
        if r[0] in (200, 201):
            final[key] = r[1]["id"]
            replayed += r[0] == 200
        else:
            wrong.append((key, r))
    t.check("every use answered 503, sent again with its key, is recorded (201), or was "
            "already (200)", not wrong, wrong[:5])
    replays = sorted(load.acked.items())[::max(1, len(load.acked) // 20)]
    wrong = []
    for key, (event, use_id) in replays:
        body = {"card": None, "event": event, "adult": 0, "child": 1, "idempotency_key": key}
        n, i = key[1:].split("-")
        body["card"] = cards[(int(n) + int(i)) % len(cards)]
        r = call("POST", "/api/v1/uses", body, v1)
        if not (r[0] == 200 and r[1]["id"] == use_id):
            wrong.append((key, use_id, r))
    t.check("acknowledged uses sent again with their keys are the same uses (200)",
            replays and not wrong, wrong[:5])
    for key, (event, use_id) in load.acked.items():
        final[key] = use_id

    listed = {}
    for ev in events:
        listed.update(listed_uses(srv, v1, ev))
    lost = [k for k, (ev, use_id) in load.acked.items() if use_id not in listed]
    t.check("every use acknowledged with 201 is in the database (read through the API)",
            not lost, lost[:5])
    t.check("one use per idempotency key, none doubled: the uses listed are exactly those "
            "answered", sorted(listed) == sorted(final.values()),
            (len(listed), len(final)))
    got = subprocess.run(["psql", "-X", "-At", srv.db, "-c",
                          "SELECT count(*), (SELECT sum(used) FROM events WHERE id IN (%d, %d)) "
                          "FROM uses WHERE event IN (%d, %d) AND undone_at IS NULL"
                          % (events[0], events[1], events[0], events[1])],
                         capture_output=True, text=True, timeout=60).stdout.strip()
    t.check("the database holds the same uses, and the events' counts agree",
            got == "%d|%d" % (len(final), len(final)), (got, len(final)))
    print("acknowledged %d, 503s %d (uses) + %d (lookups), sent again %d (%d had been "
          "recorded), lost %d" % (len(load.acked), load.counts["503"], load.counts["lookup503"],
                                  len(load.unanswered), replayed, len(lost)), flush=True)

    log = srv.log_text()
    t.check("the log says when PostgreSQL went away and came back",
            "PostgreSQL unavailable" in log and "PostgreSQL available again" in log,
            log[-2000:])
    t.check("clean shutdown", srv.stop() == 0)

    # kaiku serve with PostgreSQL down: fails at once, and says why.
    pg_ctl("-m", "fast", "-w", "stop")
    try:
        began = time.monotonic()
        r = subprocess.run([srv.binary, "serve", "--db", srv.db, "--listen",
                            "127.0.0.1:%d" % kaikutest.free_port()],
                           capture_output=True, text=True, timeout=60)
        took = time.monotonic() - began
    finally:
        pg_ctl("-w", "start")
    t.check("kaiku serve with PostgreSQL down exits with status 1 within 10 s",
            r.returncode == 1 and took < 10, (r.returncode, took))
    t.check("…in one line that names the database and gives libpq's reason",
            r.stderr.count("\n") == 1 and r.stderr.startswith("kaiku: serve: cannot open database")
            and "PostgreSQL refused or did not answer" in r.stderr
            and "No such file or directory" in r.stderr, r.stderr)

    # …and against a server that accepts but never answers (a hung host):
    # the connect timeout kaiku adds to the URL ends the wait.
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)  # never accepted: the kernel completes the handshake, nobody speaks
        began = time.monotonic()
        r = subprocess.run([srv.binary, "serve", "--db", "postgresql://kaiku@127.0.0.1:%d/kaiku"
                            % silent.getsockname()[1], "--listen",
                            "127.0.0.1:%d" % kaikutest.free_port()],
                           capture_output=True, text=True, timeout=60)
        took = time.monotonic() - began
    t.check("kaiku serve against a server that never answers gives up within 10 s, saying so",
            r.returncode == 1 and took < 10 and r.stderr.count("\n") == 1
            and "timeout expired" in r.stderr,
            (r.returncode, took, r.stderr))


if __name__ == "__main__":
    kaikutest.main(run)
