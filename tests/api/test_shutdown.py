"""SIGTERM while many keep-alive clients record uses: kaiku exits 0 within the
grace period, every use it answered 201 is in the database, and nothing it
parked is left behind (libmicrohttpd aborts when stopped with a suspended
connection)."""

import datetime
import random
import signal
import subprocess
import threading
import time

import kaikutest

ROUNDS = 4
WORKERS = 32


def run(t):
    srv = t.server()
    r = srv.demo()
    if not t.check("demo database", r.returncode == 0, r.stderr):
        return
    day = datetime.date.today() + datetime.timedelta(days=3)
    dn = (day - datetime.date(1970, 1, 1)).days
    cards = [c for (c,) in srv.query(
        "SELECT c.code FROM cards c JOIN handouts h ON h.card = c.code "
        "WHERE c.cancelled_at IS NULL AND h.handed_out_on <= ? AND h.valid_until >= ?",
        (dn - 4, dn + 2))]
    srv.serve()
    token = srv.login("kassa-hilla", "kaikukortti-demo")
    st, ev, _ = srv.call("POST", "/api/v1/events", {
        "venue": "teatteri-hilla", "name": "Sulkeutuminen", "kind": "performance",
        "starts_at": "%sT19:00" % day.isoformat(), "capacity": 100000}, token)
    if not t.check("event", st == 201, (st, ev)):
        return
    created = []
    lock = threading.Lock()
    for rnd in range(ROUNDS):
        if rnd:
            srv.serve()
        stop = threading.Event()

        def load():
            conn = srv.connect()
            while not stop.is_set():
                try:
                    st, body, _ = srv.call("POST", "/api/v1/uses", {
                        "card": random.choice(cards), "event": ev["id"], "adult": 0,
                        "child": 1}, token, conn=conn)
                    if st == 201:
                        with lock:
                            created.append(body["id"])
                except Exception:  # the server closed the connection: reconnect
                    conn.close()
                    time.sleep(0.01)
                    conn = srv.connect()
            conn.close()

        threads = [threading.Thread(target=load) for _ in range(WORKERS)]
        for th in threads:
            th.start()
        time.sleep(random.uniform(0.3, 1.0))
        began = time.time()
        srv.proc.send_signal(signal.SIGTERM)
        try:
            rc = srv.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            rc = "hung"
            srv.proc.kill()
            srv.proc.wait()
        took = time.time() - began
        stop.set()
        for th in threads:
            th.join()
        srv.proc = None
        srv.log.close()
        t.check("round %d: exit 0 on SIGTERM under load" % rnd, rc == 0, rc)
        t.check("round %d: stopped within the grace period" % rnd, took < 12, took)
    log = srv.log_text()
    t.check("no suspended connection at stop", "suspended connections" not in log, log[-1500:])
    # What was kept, read through the API of a server started again (so the
    # test holds for any backend): every page of the event's uses, and its
    # counter of tickets.
    srv.serve()
    token = srv.login("kassa-hilla", "kaikukortti-demo")
    stored, after = set(), None
    while True:
        st, page, _ = srv.call("GET", "/api/v1/uses?event=%d&limit=1000%s" % (
            ev["id"], "&after=" + after if after else ""), token=token)
        if not t.check("uses readable after the rounds", st == 200, (st, page)):
            return
        stored |= {u["id"] for u in page["uses"] if not u.get("undone_at")}
        after = page.get("next")
        if not after:
            break
    st, got, _ = srv.call("GET", "/api/v1/events/%d" % ev["id"], token=token)
    used = got.get("used") if st == 200 else None
    t.check("every 201 is stored", set(created) <= stored, len(set(created) - stored))
    t.check("used counts the stored uses", used == len(stored), (used, len(stored)))
    t.check("some uses were recorded", len(created) > 0, len(created))


if __name__ == "__main__":
    kaikutest.main(run)
