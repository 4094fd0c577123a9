"""Two servers, one PostgreSQL database (issue 18): racing uses for the last
places of a capped event from both at once. R15/R16: exactly the cap's
worth succeed, the others get 422 cap_reached, and the event's count and
the uses in the database agree. Run under tests/pg/with-postgres.sh:
python3 test_pg_race.py /path/to/kaiku"""

import datetime
import os
import subprocess
import sys
import threading

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "api"))
import kaikutest  # noqa: E402

PW = "race-correct-horse-1"
CAP = 7
RACERS = 40


def run(t):
    a = t.start()
    b = t.server()
    b.db = a.db  # the second server serves the first one's database
    b.serve()
    call = a.call
    nat = a.login(kaikutest.NATIONAL, kaikutest.PASSWORD)
    call("POST", "/api/v1/regions", {"id": "r1", "name": "Espoo"}, nat)
    call("POST", "/api/v1/units", {"id": "u1", "region": "r1", "name": "Unit"}, nat)
    call("POST", "/api/v1/venues", {"id": "v1", "region": "r1", "name": "Hilla",
         "category": "theatre"}, nat)
    codes = ["R%d" % i for i in range(RACERS)]
    t.expect("stock", call("POST", "/api/v1/stock", {"unit": "u1", "kind": "personal",
             "codes": codes}, nat), 201)
    for name, role, scope in (("d1", "distributor", {"unit": "u1"}),
                              ("v1", "venue", {"venue": "v1"})):
        t.expect("user " + name, call("POST", "/api/v1/users", dict(
            {"username": name, "password": PW, "role": role}, **scope), nat), 201)
    d1 = a.login("d1", PW)
    form = {"birth_year": 1980, "mother_tongue": "fi", "gender": "female",
            "postal_code": "02100", "life_situation": ["student"]}
    for c in codes:
        call("POST", "/api/v1/handouts", dict(form, card=c), d1)
    ahead = (datetime.datetime.now() + datetime.timedelta(days=30)).strftime("%Y-%m-%dT18:00")
    va, vb = a.login("v1", PW), b.login("v1", PW)
    r = call("POST", "/api/v1/events", {"venue": "v1", "name": "Viimeiset paikat",
             "kind": "performance", "starts_at": ahead, "capacity": 100, "cap": CAP}, va)
    t.expect("capped event", r, 201)
    ev = r[1]["id"]

    results = [None] * RACERS
    start = threading.Barrier(RACERS)

    def racer(i):
        srv, tok = (a, va) if i % 2 == 0 else (b, vb)
        start.wait()
        results[i] = srv.call("POST", "/api/v1/uses", {"card": codes[i], "event": ev,
                              "adult": 1, "child": 0}, tok)

    threads = [threading.Thread(target=racer, args=(i,)) for i in range(RACERS)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    won = [r for r in results if r[0] == 201]
    lost = [r for r in results if r[0] == 422 and r[1].get("error") == "cap_reached"]
    t.check("R16 exactly the cap's worth of uses succeed across two servers",
            len(won) == CAP, [r[0] for r in results])
    t.check("R15 the others are refused: 422 cap_reached", len(lost) == RACERS - CAP,
            [r for r in results if r[0] != 201][:3])
    t.check("both servers answered their racers (which wins is up to the race)",
            all(results[i][0] in (201, 422) for i in (0, 1)), results[:2])
    for srv, tok in ((a, va), (b, vb)):
        r = srv.call("GET", "/api/v1/events/%d" % ev, token=tok)
        t.check("R16 the event's count, as each server reads it", r[0] == 200 and
                r[1].get("remaining") == 0, r)
    got = subprocess.run(["psql", "-X", "-At", a.db, "-c",
                          "SELECT count(*), (SELECT used FROM events WHERE id = %d) FROM uses "
                          "WHERE event = %d AND undone_at IS NULL" % (ev, ev)],
                         capture_output=True, text=True, timeout=60).stdout.strip()
    t.check("R16 the database holds the cap's worth of uses", got == "%d|%d" % (CAP, CAP), got)
    t.check("clean shutdown of both", a.stop() == 0 and b.stop() == 0)


if __name__ == "__main__":
    kaikutest.main(run)
