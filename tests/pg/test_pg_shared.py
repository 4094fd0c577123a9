"""Two servers, one PostgreSQL database (issue 18, item 4): what decides who
may do what holds on both at once, whichever server changed it. Each check
first makes server B answer for the token (so that a cache, were there one,
would hold it), then changes it through server A and asks B right away:

  - a session signed in on A works on B; signed out on A, B refuses it;
  - a user disabled through A: B refuses their sessions and API keys;
  - a password changed (own) or set (by national) through A ends the
    sessions on B as on A; a key revoked through A is refused by B;
  - an idempotency key used on A and replayed on B gives the same use;
  - the guessing budget (100 unknown codes in 10 minutes per principal) is
    one budget across the servers;
  - the sign-in throttle of a username counts the failures of both, and a
    success on one clears it for both;
  - paging through /uses while both servers write never skips a row.

Run under tests/pg/with-postgres.sh: python3 test_pg_shared.py /path/to/kaiku"""

import datetime
import os
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "api"))
import kaikutest  # noqa: E402

PW = "shared-correct-horse-1"
WRITERS_CARDS = 30  # cards each server's writer records uses of (on two events)


def alive(srv, token):
    """The status of an authenticated GET on srv with token."""
    return srv.call("GET", "/api/v1/regions", token=token)[0]


def psql(db, sql):
    return subprocess.run(["psql", "-X", "-At", db, "-c", sql], capture_output=True, text=True,
                          timeout=60).stdout.strip()


def sessions_and_keys(t, a, b, nat_a):
    """Sign-out, disabling, passwords and keys, each changed on A and seen by B."""
    # ---- a session signed in on A works on B; signed out on A, refused on B ----
    tok = a.login("kassa1", PW)
    t.check("a session signed in on A works on B", alive(b, tok) == 200, alive(b, tok))
    t.check("... and on A", alive(a, tok) == 200)
    r = a.call("POST", "/api/v1/logout", token=tok)
    t.check("signed out on A (204)", r[0] == 204, r)
    t.expect("signed out on A: refused on B at once", b.call("GET", "/api/v1/regions",
             token=tok), 401, "unauthenticated")
    t.expect("... and on A", a.call("GET", "/api/v1/regions", token=tok), 401,
             "unauthenticated")
    tok = b.login("kassa1", PW)
    t.check("signed in on B, out on B", alive(a, tok) == 200 and
            b.call("POST", "/api/v1/logout", token=tok)[0] == 204 and alive(a, tok) == 401)

    # ---- a user disabled through A: sessions and API keys refused on B ----
    tok_b = b.login("kassa2", PW)
    tok_a = a.login("kassa2", PW)
    r = b.call("POST", "/api/v1/venues/v1/api-keys", {"label": "kassa2's"}, tok_b)
    t.expect("a key made on B by the user to be disabled", r, 201)
    key = r[1]["key"]
    t.check("... works on both", alive(a, key) == 200 and alive(b, key) == 200)
    t.check("the user's sessions work on B", alive(b, tok_b) == 200 and alive(b, tok_a) == 200)
    r = a.call("POST", "/api/v1/users/kassa2/disable", token=nat_a)
    t.expect("disabled through A", r, 200)
    for name, tok in (("the session of B", tok_b), ("the session of A", tok_a),
                      ("the API key the user made", key)):
        t.expect("disabled through A: %s refused on B at once" % name,
                 b.call("GET", "/api/v1/regions", token=tok), 401, "unauthenticated")
    t.expect("disabled: no new session on B", b.call("POST", "/api/v1/login", {
        "username": "kassa2", "password": PW}), 401, "unauthenticated")
    a.call("POST", "/api/v1/users/kassa2/enable", token=nat_a)
    t.check("re-enabled through A: signs in on B", alive(b, b.login("kassa2", PW)) == 200)
    t.check("... and the key stays revoked", alive(b, key) == 401)

    # ---- a password changed through A ends the other sessions on B ----
    on_b = b.login("kassa3", PW)
    on_a = a.login("kassa3", PW)
    t.check("two sessions, both known to B", alive(b, on_b) == 200 and alive(b, on_a) == 200)
    r = a.call("POST", "/api/v1/me/password", {"old": PW, "new": PW + "-2"}, on_a)
    t.check("own password changed on A (204)", r[0] == 204, r)
    t.expect("the other session is refused on B at once",
             b.call("GET", "/api/v1/regions", token=on_b), 401, "unauthenticated")
    t.check("the changing session goes on, on both", alive(b, on_a) == 200 and
            alive(a, on_a) == 200)
    r = a.call("POST", "/api/v1/users/kassa3/password", {"new": PW + "-3"}, nat_a)
    t.expect("national sets the password through A", r, 200)
    t.expect("then the user's last session is refused on B at once",
             b.call("GET", "/api/v1/regions", token=on_a), 401, "unauthenticated")
    t.check("... as on A", alive(a, on_a) == 401)
    t.check("the new password signs in on B", alive(b, b.login("kassa3", PW + "-3")) == 200)

    # ---- a key revoked through A is refused by B ----
    v1 = a.login("kassa1", PW)
    r = a.call("POST", "/api/v1/venues/v1/api-keys", {"label": "till"}, v1)
    t.expect("a key made on A", r, 201)
    key, key_id = r[1]["key"], r[1]["id"]
    t.check("... works on B", alive(b, key) == 200)
    r = a.call("DELETE", "/api/v1/venues/v1/api-keys/%d" % key_id, token=v1)
    t.check("revoked on A (204)", r[0] == 204, r)
    t.expect("revoked on A: refused on B at once", b.call("GET", "/api/v1/regions", token=key),
             401, "unauthenticated")


def idempotency(t, a, b, ev, codes):
    """A use recorded on A with a key and replayed on B is the same use."""
    va, vb = a.login("kassa1", PW), b.login("kassa1", PW)
    body = {"card": codes[0], "event": ev, "adult": 1, "child": 0}
    h = {"Idempotency-Key": "shared-till-0001"}
    r1 = a.call("POST", "/api/v1/uses", body, va, headers=h)
    r2 = b.call("POST", "/api/v1/uses", body, vb, headers=h)
    t.expect("R27 a use with a key on A", r1, 201)
    t.check("R27 the same request on B: 200, the same use", r2[0] == 200 and
            r1[0] == 201 and r2[1]["id"] == r1[1]["id"], (r1, r2))
    t.expect("R27 the key with another request on B", b.call(
        "POST", "/api/v1/uses", dict(body, child=1), vb, headers=h), 409, "idempotency_conflict")
    n = psql(a.db, "SELECT count(*) FROM uses WHERE idempotency_key = 'shared-till-0001'")
    t.check("R27 one use in the database, not two", n == "1", n)
    return {r1[1]["id"]} if r1[0] == 201 else set()


def guessing(t, a, b):
    """One budget of unknown codes per principal across both servers."""
    ga, gb = a.login("arvaaja", PW), b.login("arvaaja", PW)
    sts = [a.call("GET", "/api/v1/cards/ZA%d" % i, token=ga)[0] for i in range(60)]
    sts += [b.call("GET", "/api/v1/cards/ZB%d" % i, token=gb)[0] for i in range(40)]
    t.check("100 unknown codes, 60 on A and 40 on B: each 404", sts == [404] * 100, set(sts))
    r = b.call("GET", "/api/v1/cards/ZB100", token=gb)
    t.expect("then B refuses the principal", r, 429, "rate_limited")
    t.check("... with Retry-After", r[2].get("retry-after", "").isdigit(), r[2])
    t.expect("... and so does A", a.call("GET", "/api/v1/cards/ZA100", token=ga), 429,
             "rate_limited")
    fresh = b.login("arvaaja", PW)
    t.expect("a new session of the user on B: the same budget", b.call(
        "GET", "/api/v1/cards/ZB101", token=fresh), 429, "rate_limited")
    t.expect("another principal on B is not punished", b.call(
        "GET", "/api/v1/cards/ZB0", token=b.login("kassa1", PW)), 404, "card_unknown")


def signin_throttle(t, a, b):
    """Failures of a username on both servers count together."""
    def login(srv, password):
        return srv.call("POST", "/api/v1/login", {"username": "hidas", "password": password})

    sts = [login(a, "wrong-password")[0] for _ in range(3)]
    sts += [login(b, "wrong-password")[0] for _ in range(2)]
    t.check("five wrong passwords, three on A and two on B: 401", sts == [401] * 5, sts)
    r = login(a, PW)
    t.expect("then A holds the username up, even with the right password", r, 429,
             "rate_limited")
    wait = int(r[2].get("retry-after", "0"))
    t.check("Retry-After 1-2 s", 1 <= wait <= 2, r[2])
    time.sleep(wait + 1)
    t.expect("after the delay: a sixth wrong one, on B", login(b, "wrong-password"), 401,
             "unauthenticated")
    r = login(a, PW)
    t.expect("then A holds the username up again", r, 429, "rate_limited")
    wait = int(r[2].get("retry-after", "0"))
    t.check("for the doubled delay: Retry-After 3-4 s", 3 <= wait <= 4, r[2])
    t.expect("... and so does B", login(b, PW), 429, "rate_limited")
    time.sleep(wait + 1)
    t.expect("after the delay: the right password on B", login(b, PW), 200)
    sts = [login(a, "wrong-password")[0] for _ in range(4)]
    t.check("the success on B cleared the count on A: four more wrong ones are free",
            sts == [401] * 4, sts)
    t.expect("... and the right one signs in on A", login(a, PW), 200)


def paging(t, a, b, nat_a, nat_b, evs, codes, before):
    """Both servers record uses while a reader pages through /uses on both."""
    va, vb = a.login("kassa1", PW), b.login("kassa1", PW)
    written = {a: [], b: []}
    done = threading.Event()

    def writer(srv, tok, cards):
        conn = srv.connect()
        try:
            for ev in evs:
                for c in cards:
                    r = srv.call("POST", "/api/v1/uses", {"card": c, "event": ev, "adult": 1,
                                 "child": 0}, tok, conn=conn)
                    written[srv].append(r)
        finally:
            conn.close()

    seen, order, pages = [], [], 0
    threads = [threading.Thread(target=writer, args=(a, va, codes[1:1 + WRITERS_CARDS])),
               threading.Thread(target=writer, args=(b, vb, codes[1 + WRITERS_CARDS:]))]
    for th in threads:
        th.start()

    def waiter():
        for th in threads:
            th.join()
        done.set()

    threading.Thread(target=waiter).start()
    after, finished = None, False
    while not finished:
        last_round = done.is_set()  # the writers were done before this walk to the end
        while True:  # to the end of what is committed now, alternating servers
            srv, tok = (a, nat_a) if pages % 2 == 0 else (b, nat_b)
            q = "/api/v1/uses?limit=5" + ("&after=%s" % after if after else "")
            r = srv.call("GET", q, token=tok)
            pages += 1
            if not t.check("a page of /uses", r[0] == 200, r):
                return
            rows = r[1]["uses"]
            seen += [u["id"] for u in rows]
            if rows:
                after = str(rows[-1]["id"])
            if r[1].get("next") is None:
                break
            after = r[1]["next"]
        finished = last_round
        order.append(len(seen))
    ok = [r[1]["id"] for srv in (a, b) for r in written[srv] if r[0] == 201]
    t.check("every use recorded by the two writers (201)", len(ok) == 4 * WRITERS_CARDS and
            all(r[0] == 201 for srv in (a, b) for r in written[srv]),
            [r for srv in (a, b) for r in written[srv] if r[0] != 201][:3])
    t.check("both servers wrote", len(written[a]) > 0 and len(written[b]) > 0)
    t.check("the reader reached the end while rows were still being written",
            order[0] < len(seen), order)
    t.check("paging: ids in order, none twice", seen == sorted(set(seen)), seen[:20])
    everything = set(ok) | before
    missing = sorted(everything - set(seen))
    t.check("paging while both servers write skips no row", not missing, missing[:10])
    total = psql(a.db, "SELECT count(*) FROM uses")
    t.check("the reader saw every use in the database", total == str(len(seen)),
            (total, len(seen)))


def run(t):
    a = t.start()
    b = t.server()
    b.db = a.db  # the second server serves the first one's database
    b.serve()
    call = a.call
    nat_a = a.login(kaikutest.NATIONAL, kaikutest.PASSWORD)
    nat_b = b.login(kaikutest.NATIONAL, kaikutest.PASSWORD)
    call("POST", "/api/v1/regions", {"id": "r1", "name": "Espoo"}, nat_a)
    call("POST", "/api/v1/units", {"id": "u1", "region": "r1", "name": "Unit"}, nat_a)
    call("POST", "/api/v1/venues", {"id": "v1", "region": "r1", "name": "Hilla",
         "category": "theatre"}, nat_a)
    codes = ["S%d" % i for i in range(1 + 2 * WRITERS_CARDS)]
    t.expect("stock", call("POST", "/api/v1/stock", {"unit": "u1", "kind": "personal",
             "codes": codes}, nat_a), 201)
    users = [("d1", "distributor", {"unit": "u1"})] + [
        (name, "venue", {"venue": "v1"}) for name in ("kassa1", "kassa2", "kassa3", "arvaaja",
                                                       "hidas")]
    for name, role, scope in users:
        t.expect("user " + name, call("POST", "/api/v1/users", dict(
            {"username": name, "password": PW, "role": role}, **scope), nat_a), 201)
    d1 = b.login("d1", PW)
    form = {"birth_year": 1980, "mother_tongue": "fi", "gender": "female",
            "postal_code": "02100", "life_situation": ["student"]}
    for i, c in enumerate(codes):  # handed out through both servers
        srv = a if i % 2 == 0 else b
        srv.call("POST", "/api/v1/handouts", dict(form, card=c), d1)
    ahead = (datetime.datetime.now() + datetime.timedelta(days=30)).strftime("%Y-%m-%dT18:00")
    v1 = a.login("kassa1", PW)
    evs = []
    for name in ("Taikuri Matti", "Kesäyöntaika"):
        r = call("POST", "/api/v1/events", {"venue": "v1", "name": name, "kind": "performance",
                 "starts_at": ahead, "capacity": 1000}, v1)
        t.expect("event " + name, r, 201)
        evs.append(r[1]["id"])

    sessions_and_keys(t, a, b, nat_a)
    before = idempotency(t, a, b, evs[0], codes)
    guessing(t, a, b)
    signin_throttle(t, a, b)
    paging(t, a, b, nat_a, nat_b, evs, codes, before)
    t.check("clean shutdown of both", a.stop() == 0 and b.stop() == 0)


if __name__ == "__main__":
    kaikutest.main(run)
