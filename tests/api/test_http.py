"""Black-box tests of kaiku's HTTP layer: routing (404/405), body limits
(413), the body's media type (415), strict JSON, identity data (R10), languages (R36), cookie sessions
with CSRF, rate limiting of card lookups (429), the access log, and a clean
shutdown on SIGTERM and on SIGINT that lets a request in flight finish and
closes the database. It must see the error codes of kaikutest.HTTP_LAYER_PAIRS.

Usage: python3 test_http.py /path/to/kaiku
"""

import http.client
import json
import os
import signal
import time

import kaikutest

PW = "a-long-password-1"
MIB = 1024 * 1024


def run(t):
    t.require_codes(kaikutest.HTTP_LAYER_PAIRS)
    s = t.start()
    call = s.call
    nat = s.login(kaikutest.NATIONAL, kaikutest.PASSWORD)

    r = call("GET", "/healthz")
    t.check("healthz", r[0] == 200 and r[1] == {"status": "ok"}, r)
    t.expect("unknown path", call("GET", "/api/v1/nothing", token=nat), 404, "not_found")
    t.expect("unknown path unauthenticated", call("GET", "/api/v1/nope"), 404, "not_found")
    r = call("PUT", "/api/v1/regions", token=nat)
    t.expect("wrong method", r, 405, "method_not_allowed")
    t.check("Allow header", set(r[2].get("allow", "").split(", ")) == {"GET", "POST"}, r[2])
    r = call("DELETE", "/api/v1/cards/P1", token=nat)
    t.check("Allow for cards", r[0] == 405 and r[2].get("allow") == "GET", r)

    # ---- body limits (413) ----
    r = s.raw(b"POST /api/v1/stock HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + nat.encode() +
              b"\r\nContent-Type: application/json\r\nContent-Length: 2000000\r\n\r\n")
    t.expect("413 from Content-Length, before the body", r, 413, "body_too_large")
    big = b'{"unit":"u1","kind":"personal","codes":["' + b"A" * (MIB + 10) + b'"]}'
    chunked = b"".join(b"%x\r\n%s\r\n" % (len(big[i:i + 65536]), big[i:i + 65536])
                       for i in range(0, len(big), 65536)) + b"0\r\n\r\n"
    r = s.raw(b"POST /api/v1/stock HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + nat.encode() +
              b"\r\nTransfer-Encoding: chunked\r\n\r\n" + chunked)
    t.expect("413 chunked", r, 413, "body_too_large")
    r = call("POST", "/api/v1/regions", raw=b'{"id":"r1","name":"' + b"x" * (MIB - 100) + b'"}',
             token=nat)
    t.expect("just under 1 MiB is read (and refused by its own rules)", r, 400, "invalid_request")

    # ---- strict JSON ----
    t.expect("malformed JSON", call("POST", "/api/v1/regions", raw=b'{"id": "r1",', token=nat),
             400, "invalid_request")
    t.expect("not an object", call("POST", "/api/v1/regions", raw=b'["r1"]', token=nat), 400,
             "invalid_request")
    t.expect("duplicate keys", call("POST", "/api/v1/regions",
             raw=b'{"id":"r1","id":"r2","name":"X"}', token=nat), 400, "invalid_request")
    r = call("POST", "/api/v1/regions", {"id": "r1", "name": "X", "colour": "red"}, nat)
    t.expect("unknown field", r, 400, "invalid_request")
    t.check("unknown field named", r[1]["details"].get("field") == "colour", r)
    t.expect("wrong type", call("POST", "/api/v1/regions", {"id": 1, "name": "X"}, nat), 400,
             "invalid_request")
    t.expect("float for integer", call("POST", "/api/v1/events",
             {"venue": "v1", "name": "X", "kind": "daily", "starts_at": "2030-01-01T10:00",
              "capacity": 10.5}, nat), 400, "invalid_request")
    t.expect("integer out of range", call("POST", "/api/v1/events",
             {"venue": "v1", "name": "X", "kind": "daily", "starts_at": "2030-01-01T10:00",
              "capacity": 10 ** 12}, nat), 400, "invalid_request")
    t.expect("body on a route without one", call("POST", "/api/v1/logout", {"x": 1}, nat), 400,
             "invalid_request")
    t.expect("control characters", call("POST", "/api/v1/regions", {"id": "r1", "name": "a\u0001"},
             nat), 400, "invalid_request")
    t.expect("query given twice", call("GET", "/api/v1/units?region=a&region=b", token=nat), 400,
             "invalid_request")
    t.expect("unknown query parameter", call("GET", "/api/v1/regions?x=1", token=nat), 400,
             "invalid_request")
    t.expect("ok after all that", call("POST", "/api/v1/regions", {"id": "r1", "name": "Espoo"},
             nat), 201)

    # ---- identity data (R10) ----
    hetu = "131052-308T"
    cases = [
        ("identity key on handouts", "/api/v1/handouts", {"card": "P1", "first_name": "Matti"}),
        ("identity key wins over unknown field", "/api/v1/regions",
         {"id": "r2", "name": "X", "hetu": "x"}),
        ("identity code in a name", "/api/v1/regions", {"id": "r2", "name": "Matti " + hetu}),
        ("identity code nested", "/api/v1/stock",
         {"unit": "u1", "kind": "personal", "codes": ["A1", hetu]}),
        ("identity code in reason", "/api/v1/cards/P1/cancel", {"reason": "owner " + hetu}),
        ("identity code lower case", "/api/v1/regions", {"id": "r2", "name": "131052-308t"}),
        ("phone field", "/api/v1/users", {"username": "x", "phone": "0401234567"}),
    ]
    for name, path, body in cases:
        t.expect(name, call("POST", path, body, nat), 400, "identity_data_refused")
    t.expect("identity before sign-in", call("POST", "/api/v1/regions", {"email": "a@b.fi"}), 400,
             "identity_data_refused")
    t.expect("ordinary numbers pass", call("POST", "/api/v1/regions",
             {"id": "r2", "name": "Alue 131052 308"}, nat), 201)
    t.expect("nothing stored", call("GET", "/api/v1/units?region=r1", token=nat), 200)

    # ---- languages (R36) ----
    msgs = {}
    for lang in ("fi", "sv", "en"):
        r = call("GET", "/api/v1/regions", lang=lang)
        msgs[lang] = r[1]["message"]
    t.check("messages differ by language", len(set(msgs.values())) == 3, msgs)
    t.check("default English", call("GET", "/api/v1/regions")[1]["message"] == msgs["en"])
    t.check("unknown language English", call("GET", "/api/v1/regions", lang="de")[1]["message"] ==
            msgs["en"])
    t.check("region subtag and q", call("GET", "/api/v1/regions",
            lang="de, sv-FI;q=0.8, fi;q=0.5")[1]["message"] == msgs["sv"])
    t.check("q order", call("GET", "/api/v1/regions", lang="en;q=0.1, fi")[1]["message"] ==
            msgs["fi"])

    # ---- cookie sessions and CSRF ----
    r = call("POST", "/api/v1/login", {"username": kaikutest.NATIONAL,
             "password": kaikutest.PASSWORD})
    cookie = r[2].get("set-cookie", "")
    t.check("cookie attributes", cookie.startswith("kaiku_session=" + r[1]["token"]) and
            "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/" in cookie and
            "Secure" not in cookie, cookie)
    t.check("login body", r[1]["role"] == "national" and len(r[1]["csrf"]) > 20, r[1])
    jar = {"Cookie": "kaiku_session=" + r[1]["token"]}
    csrf = r[1]["csrf"]
    t.expect("cookie GET", call("GET", "/api/v1/regions", headers=jar), 200)
    t.expect("cookie POST without CSRF", call("POST", "/api/v1/regions",
             {"id": "r3", "name": "X"}, headers=jar), 403, "forbidden")
    t.expect("cookie POST wrong CSRF", call("POST", "/api/v1/regions", {"id": "r3", "name": "X"},
             headers=dict(jar, **{"X-CSRF-Token": "x" * len(csrf)})), 403, "forbidden")
    t.expect("cookie POST with CSRF", call("POST", "/api/v1/regions", {"id": "r3", "name": "X"},
             headers=dict(jar, **{"X-CSRF-Token": csrf})), 201)
    t.expect("bearer POST needs no CSRF", call("POST", "/api/v1/regions", {"id": "r4",
             "name": "X"}, nat), 201)
    r = call("POST", "/api/v1/logout", headers=dict(jar, **{"X-CSRF-Token": csrf}))
    t.check("cookie logout clears", r[0] == 204 and "Max-Age=0" in r[2].get("set-cookie", ""), r)
    t.expect("cookie after logout", call("GET", "/api/v1/regions", headers=jar), 401,
             "unauthenticated")
    t.expect("malformed Authorization", call("GET", "/api/v1/regions",
             headers={"Authorization": "Basic abc"}), 401, "unauthenticated")

    # ---- rate limiting of failed card lookups ----
    call("POST", "/api/v1/units", {"id": "u1", "region": "r1", "name": "U"}, nat)
    call("POST", "/api/v1/users", {"username": "d1", "password": PW, "role": "distributor",
         "unit": "u1"}, nat)
    d1 = s.login("d1", PW)
    fails = [call("GET", "/api/v1/cards/NX%d" % i, token=d1)[0] for i in range(100)]
    t.check("100 failures allowed", fails == [404] * 100, set(fails))
    r = call("GET", "/api/v1/cards/NX100", token=d1)
    t.expect("rate_limited", r, 429, "rate_limited")
    ra = r[2].get("retry-after", "")
    t.check("Retry-After", ra.isdigit() and 1 <= int(ra) <= 600, r[2])
    t.expect("limited per user", call("GET", "/api/v1/cards/NX101", token=nat), 404,
             "card_unknown")
    # Every route that takes card codes spends the same budget: 100 unknown
    # codes to cancel, then even a lookup is refused.
    call("POST", "/api/v1/users", {"username": "d2", "password": PW, "role": "distributor",
         "unit": "u1"}, nat)
    d2 = s.login("d2", PW)
    fails = [call("POST", "/api/v1/cards/NY%d/cancel" % i, {"reason": "lost"}, d2)[0]
             for i in range(100)]
    t.check("cancel failures counted", fails == [404] * 100, set(fails))
    t.expect("cancel budget spent", call("GET", "/api/v1/cards/NY100", token=d2), 429,
             "rate_limited")
    # An address is no principal: 1,000 unknown codes from 127.0.0.1 by many
    # users (box offices behind one proxy) do not lock a fresh user out.
    spent = 201  # d1's 100 + nat's 1 + d2's 100
    n = 0
    while spent < 1000:
        n += 1
        call("POST", "/api/v1/users", {"username": "g%d" % n, "password": PW,
             "role": "distributor", "unit": "u1"}, nat)
        g = s.login("g%d" % n, PW)
        for i in range(min(100, 1000 - spent)):
            call("GET", "/api/v1/cards/NZ%d" % i, token=g)
            spent += 1
    call("POST", "/api/v1/users", {"username": "fresh", "password": PW, "role": "distributor",
         "unit": "u1"}, nat)
    t.expect("one address's failures lock out nobody else", call("GET", "/api/v1/cards/NZ0",
             token=s.login("fresh", PW)), 404, "card_unknown")

    # ---- access log: no card codes, no query strings ----
    call("GET", "/api/v1/units?region=r1", token=nat)
    time.sleep(0.2)
    log = s.log_text()
    t.check("log masks card codes", "GET /api/v1/cards/* 404" in log and "NX1" not in log,
            log[-500:])
    t.check("log has no query", "GET /api/v1/units 200" in log and "region=r1" not in log)
    t.check("log has durations", "ms\n" in log)

    # ---- the body's media type (415): the API reads JSON only ----
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    r = call("POST", "/api/v1/regions", raw=b"id=r-form&name=Form", token=nat, headers=form)
    t.expect("a form to the API", r, 415, "unsupported_media_type")
    r = call("POST", "/api/v1/regions", raw=b'{"id":"r-text","name":"T"}', token=nat,
             headers={"Content-Type": "text/plain"})
    t.expect("JSON sent as text/plain", r, 415, "unsupported_media_type")
    r = call("POST", "/api/v1/regions", raw=b"id=r-form&name=Form", headers=form)
    t.expect("415 comes before sign-in", r, 415, "unsupported_media_type")
    r = call("GET", "/api/v1/regions", token=nat)
    t.check("nothing refused was stored",
            r[0] == 200 and not {"r-form", "r-text"} & {g["id"] for g in r[1]["regions"]}, r)
    for i, ctype in enumerate(("application/json; charset=utf-8", "Application/JSON",
                               " application/json;charset=UTF-8")):
        r = call("POST", "/api/v1/regions", {"id": "r-ct%d" % i, "name": "C"}, nat,
                 headers={"Content-Type": ctype})
        t.expect("JSON as %r" % ctype, r, 201)
    conn = http.client.HTTPConnection("127.0.0.1", s.port, timeout=10)
    conn.request("POST", "/api/v1/regions", body=b'{"id":"r-none","name":"N"}',
                 headers={"Authorization": "Bearer " + nat})
    resp = conn.getresponse()
    resp.read()
    conn.close()
    t.check("no Content-Type is taken as JSON", resp.status == 201, resp.status)
    r = call("POST", "/api/v1/logout", token=s.login(kaikutest.NATIONAL, kaikutest.PASSWORD),
             headers=form)
    t.expect("no body: its Content-Type is not looked at", r, 204)

    # ---- clean shutdown on SIGTERM and SIGINT ----
    def shutdown(srv, sig, token):
        """Sends sig while a password change (two argon2id hashes) is in flight:
        the request must finish, the exit status be 0, and the database be
        closed, which SQLite shows by removing the WAL file (PostgreSQL has no
        file of kaiku's to look at)."""
        name = signal.Signals(sig).name
        wal = srv.db + "-wal"
        if srv.pg:
            t.skip("%s: the WAL file" % name, "SQLite's own file; the database is PostgreSQL")
        else:
            t.check("%s: the WAL file exists while serving" % name, os.path.exists(wal),
                    os.listdir(srv.dir))
        conn = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=60)
        conn.request("POST", "/api/v1/me/password",
                     body=json.dumps({"old": kaikutest.PASSWORD, "new": kaikutest.PASSWORD}),
                     headers={"Authorization": "Bearer " + token,
                              "Content-Type": "application/json"})
        time.sleep(0.03)  # the request has arrived; hashing takes longer than this
        rc = srv.stop(sig)
        try:
            resp = conn.getresponse()
            status = resp.status
            resp.read()
        except (OSError, http.client.HTTPException) as e:
            status = repr(e)
        finally:
            conn.close()
        t.check("%s: exit status 0" % name, rc == 0, rc)
        t.check("%s: the request in flight finished" % name, status == 204, status)
        if not srv.pg:
            t.check("%s: the database was closed (no WAL file left)" % name,
                    not os.path.exists(wal), os.listdir(srv.dir))

    shutdown(s, signal.SIGTERM, nat)
    s2 = t.start()
    t.expect("second server: a change", s2.call("POST", "/api/v1/regions",
             {"id": "r1", "name": "Espoo"}, s2.login(kaikutest.NATIONAL, kaikutest.PASSWORD)), 201)
    shutdown(s2, signal.SIGINT, s2.login(kaikutest.NATIONAL, kaikutest.PASSWORD))


if __name__ == "__main__":
    kaikutest.main(run)
