"""Storage faults under a running server (issue 15 item 6): a full disk, an
I/O error on write and one on fsync, injected into kaiku serve's writes of
the database and its WAL (tests/api/faultfs/faultfs.c, LD_PRELOAD, built
here with the system's cc). Each makes POST /uses answer 503 unavailable
(nothing stored, retry); reads and /healthz go on answering; once the fault
is gone the same server records again; in the end every acknowledged use is
stored, nothing refused is, and the database passes its integrity check.
Usage: python3 test_faults.py /path/to/kaiku"""

import datetime
import os
import sqlite3
import subprocess

import kaikutest

VENUE = "teatteri-hilla"
VENUE_USER = "kassa-hilla"
DEMO_PASSWORD = "kaikukortti-demo"
FAULTS = ("full", "eio-write", "eio-sync")


def run(t):
    srv = t.server()
    here = os.path.dirname(os.path.abspath(__file__))
    shim = os.path.join(srv.dir, "faultfs.so")
    cc = subprocess.run(["cc", "-shared", "-fPIC", "-O1", "-o", shim,
                         os.path.join(here, "faultfs", "faultfs.c"), "-ldl"],
                        capture_output=True, text=True)
    assert cc.returncode == 0, cc.stderr
    control = os.path.join(srv.dir, "fault")
    with open(control, "w") as f:
        f.write("none\n")

    r = srv.run("demo", "--db", srv.db)
    assert r.returncode == 0, r.stderr
    saved = {k: os.environ.get(k) for k in ("LD_PRELOAD", "KAIKU_FAULT_CONTROL",
                                            "KAIKU_FAULT_MATCH", "ASAN_OPTIONS")}
    os.environ.update(LD_PRELOAD=shim, KAIKU_FAULT_CONTROL=control,
                      KAIKU_FAULT_MATCH=os.path.realpath(srv.db),
                      # the sanitizer build's runtime need not come first
                      ASAN_OPTIONS=(saved["ASAN_OPTIONS"] + ":" if saved["ASAN_OPTIONS"]
                                    else "") + "verify_asan_link_order=0")
    try:
        srv.serve()
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v

    token = srv.login(VENUE_USER, DEMO_PASSWORD)
    day = datetime.date.today() + datetime.timedelta(days=3)
    st, ev, _ = srv.call("POST", "/api/v1/events", {
        "venue": VENUE, "name": "Vikasieto", "kind": "performance",
        "starts_at": "%sT19:00" % day.isoformat(), "capacity": 100000}, token)
    assert st == 201, (st, ev)
    con = sqlite3.connect("file:%s?mode=ro" % srv.db, uri=True)
    card = con.execute(
        "SELECT code FROM cards WHERE cancelled_at IS NULL AND handed_out_on <= ? AND "
        "valid_until >= ? AND kind = 'personal' ORDER BY code LIMIT 1",
        ((day - datetime.date(1970, 1, 1)).days,) * 2).fetchone()[0]
    con.close()
    body = {"card": card, "event": ev["id"], "adult": 0, "child": 1}
    acked, refused = [], 0

    def use(name, want):
        nonlocal refused
        r = srv.call("POST", "/api/v1/uses", body, token)
        ok = t.expect(name, r, want, "unavailable" if want == 503 else None)
        if r[0] == 201:
            acked.append(r[1]["id"])
        elif r[0] == 503:
            refused += 1
            t.check(name + ": Retry-After", "retry-after" in r[2], r[2])
        return ok

    for i in range(5):
        use("before the faults, use %d" % i, 201)
    for fault in FAULTS:
        with open(control, "w") as f:
            f.write(fault + "\n")
        for i in range(3):
            use("%s: use %d is 503 unavailable" % (fault, i), 503)
        t.expect("%s: /healthz still answers" % fault, srv.call("GET", "/healthz"), 200)
        t.expect("%s: card lookups still answer" % fault,
                 srv.call("GET", "/api/v1/cards/" + card, token=token), 200)
        st, got, _ = srv.call("GET", "/api/v1/events/%d" % ev["id"], token=token)
        t.check("%s: nothing refused was counted" % fault, st == 200 and
                got["used"] == len(acked), (st, got, len(acked)))
        with open(control, "w") as f:
            f.write("none\n")
        for i in range(3):
            use("%s gone: use %d recorded again" % (fault, i), 201)

    st, listed, _ = srv.call("GET", "/api/v1/uses?event=%d" % ev["id"], token=token)
    t.check("exactly the acknowledged uses are listed",
            st == 200 and sorted(u["id"] for u in listed["uses"]) == sorted(acked),
            (st, listed, acked))
    t.check("the server kept serving: a clean stop", srv.stop() == 0)
    con = sqlite3.connect("file:%s?mode=ro" % srv.db, uri=True)
    try:
        t.check("integrity_check after the faults",
                [r[0] for r in con.execute("PRAGMA integrity_check")] == ["ok"])
        stored = sorted(r[0] for r in con.execute("SELECT id FROM uses WHERE event = ?",
                                                  (ev["id"],)))
        used = con.execute("SELECT used FROM events WHERE id = ?", (ev["id"],)).fetchone()[0]
    finally:
        con.close()
    t.check("every acknowledged use is stored, nothing refused is", stored == sorted(acked),
            (len(stored), len(acked)))
    t.check("used is the acknowledged tickets", used == len(acked), (used, len(acked)))
    print("faults: %s; acknowledged: %d, refused (503): %d, lost: %d" % (
        ", ".join(FAULTS), len(acked), refused, len(set(acked) - set(stored))), flush=True)


if __name__ == "__main__":
    kaikutest.main(run)
