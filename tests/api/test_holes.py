"""Black-box tests of issue 15's smaller holes (item 9): the access log
escapes control characters and masks identity codes; HEAD answers as GET
without a body; %00 in a path is refused, not cut; the database file is
its owner's only.

Usage: python3 test_holes.py /path/to/kaiku
"""

import glob
import http.client
import os
import stat
import time

import kaikutest


def run(t):
    s = t.start()
    call = s.call
    nat = s.login(kaikutest.NATIONAL, kaikutest.PASSWORD)
    call("POST", "/api/v1/regions", {"id": "r1", "name": "R"}, nat)
    call("POST", "/api/v1/units", {"id": "u1", "region": "r1", "name": "U"}, nat)
    t.expect("stock", call("POST", "/api/v1/stock", {"unit": "u1", "kind": "personal",
             "codes": ["A1"]}, nat), 201)

    # ---- the database and its companions: 0600 ----
    if s.pg:
        t.skip("the database file is its owner's only",
               "SQLite's own files; the database is PostgreSQL")
    else:
        for path in [s.db] + glob.glob(s.db + "-*"):
            mode = stat.S_IMODE(os.stat(path).st_mode)
            t.check("%s is its owner's only" % os.path.basename(path), mode & 0o077 == 0,
                    oct(mode))

    # ---- %00 does not cut a path value ----
    r = call("GET", "/api/v1/cards/A1%00ZZ", token=nat)
    t.expect("a NUL in a card code is refused, not A1's lookup", r, 400, "invalid_card_code")
    r = call("GET", "/api/v1/units?region=r1%00x", token=nat)
    t.check("a NUL in a query value is not cut to r1", r[0] == 400 or
            (r[0] == 200 and r[1]["units"] == []), r)

    # ---- HEAD: as GET, without a body ----
    for path in ("/healthz", "/api/v1/cards/A1", "/api/v1/regions"):
        conn = http.client.HTTPConnection("127.0.0.1", s.port, timeout=10)
        try:
            conn.request("GET", path, headers={"Authorization": "Bearer " + nat})
            g = conn.getresponse()
            gbody = g.read()
            conn.request("HEAD", path, headers={"Authorization": "Bearer " + nat})
            h = conn.getresponse()
            hbody = h.read()
        finally:
            conn.close()
        t.check("HEAD %s: GET's status, no body" % path, h.status == g.status == 200 and
                hbody == b"", (h.status, g.status, hbody[:80]))
        t.check("HEAD %s: GET's length and type" % path,
                h.getheader("Content-Length") == str(len(gbody)) and
                h.getheader("Content-Type") == g.getheader("Content-Type"), h.getheaders())
    r = call("HEAD", "/api/v1/uses/1", token=nat)
    t.check("HEAD where there is no GET: 405", r[0] == 405, r)

    # ---- the access log: no forged lines, no identity codes ----
    s.raw(b"GET /api/v1/x%0aFORGED%20200%201.0ms HTTP/1.1\r\nHost: x\r\n\r\n")
    s.raw(b"GET /api/v1/x%1b%5b31mred HTTP/1.1\r\nHost: x\r\n\r\n")
    call("GET", "/api/v1/events/131052-308T", token=nat)
    time.sleep(0.3)
    log = s.log_text()
    t.check("a %0a in a path writes no line of its own",
            not any(line.startswith("FORGED") for line in log.splitlines()) and
            "/api/v1/x\\x0aFORGED" in log, log[-600:])
    t.check("an escape sequence is written as text", "\x1b" not in log and
            "\\x1b[31mred" in log, log[-600:])
    t.check("an identity code in a path is masked", "131052" not in log and
            "GET /api/v1/events/* " in log, log[-600:])


if __name__ == "__main__":
    kaikutest.main(run)
