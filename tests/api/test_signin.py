"""Black-box tests of sign-in (issue 15, item 3): throttling per username and
per client address with growing delays, shared by the API's POST /login and
the pages' sign-in form; X-Forwarded-For believed only from a trusted proxy;
a bound on password hashes running at once; the same time for an unknown
user, a wrong password and a disabled user.

Usage: python3 test_signin.py /path/to/kaiku
"""

import threading
import time

import kaikutest
from test_web import Browser, field

PW = "a-long-password-1"


def peak_rss_mib(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0


def run(t):
    srv = t.server()
    # 64 threads: before the bound, 64 sign-ins hashed at once.
    srv.serve_args = ["--trusted-proxy", "127.0.0.1", "--threads", "64"]
    s = srv.start()
    call = s.call
    nat = s.login(kaikutest.NATIONAL, kaikutest.PASSWORD)
    call("POST", "/api/v1/regions", {"id": "r1", "name": "R"}, nat)
    call("POST", "/api/v1/venues", {"id": "v1", "region": "r1", "name": "V",
         "category": "theatre"}, nat)
    for i in range(40):
        r = call("POST", "/api/v1/users", {"username": "u%d" % i, "password": PW,
                 "role": "venue", "venue": "v1"}, nat)
        assert r[0] == 201, r

    def login(user, password, addr):
        return call("POST", "/api/v1/login", {"username": user, "password": password},
                    headers={"X-Forwarded-For": addr})

    # ---- per username: 5 failures free, then growing delays ----
    a = "198.51.100.1"
    sts = [login("u0", "wrong-password", a)[0] for _ in range(5)]
    t.check("five wrong passwords: 401", sts == [401] * 5, sts)
    r = login("u0", PW, "198.51.100.2")  # another address: the username waits
    t.expect("then the username waits, even with the right password", r, 429, "rate_limited")
    ra = int(r[2].get("retry-after", "0"))
    t.check("Retry-After 1-2 s", 1 <= ra <= 2, r[2])
    time.sleep(ra + 1)
    t.expect("after the delay: tried again", login("u0", "wrong-password", a), 401,
             "unauthenticated")
    r = login("u0", PW, a)
    t.expect("and waits again", r, 429, "rate_limited")
    time.sleep(int(r[2].get("retry-after", "0")) + 1)
    t.expect("the right password after the delay", login("u0", PW, a), 200)
    # The pages' sign-in shares the count (the form fetched before the failures).
    b = Browser(s)
    st, form, _ = b.go("GET", "/signin")
    sts = [login("u0", "wrong-password", a)[0] for _ in range(5)]
    t.check("a sign-in clears the username's count", sts == [401] * 5, sts)
    st, page, _ = b.request("POST", "/signin", {"csrf": field(form, "csrf"), "username": "u0",
                                                "password": PW})
    t.check("the sign-in page waits as the API does", st == 429, (st, page[:300]))
    t.expect("other usernames are not held up", login("u1", PW, a), 200)
    b = Browser(s)
    for i in range(5):
        st, page, _ = b.go("GET", "/signin")
        st, page, _ = b.request("POST", "/signin", {"csrf": field(page, "csrf"),
                                                    "username": "u2", "password": "wrong-pw-%d" % i})
    t.check("five wrong passwords by form: 401", st == 401, st)
    t.expect("then the API's sign-in waits", login("u2", PW, "198.51.100.3"), 429, "rate_limited")

    # ---- per address: 30 failures free (many users share an address) ----
    c = "203.0.113.5"
    sts = [login("u%d" % (3 + i // 3), "wrong-password", c)[0] for i in range(30)]
    t.check("thirty failures from one address, three per user", sts == [401] * 30, set(sts))
    t.expect("then the address waits", login("u20", PW, c), 429, "rate_limited")
    # Right away, while the address waits (2 s): X-Forwarded-For is the
    # proxy's to add: the proxy (127.0.0.1 here) is trusted, and the
    # rightmost entry it appended is the client.
    t.expect("a forged entry on the left changes nothing", call(
        "POST", "/api/v1/login", {"username": "u21", "password": PW},
        headers={"X-Forwarded-For": "10.9.9.9, " + c}), 429, "rate_limited")
    t.expect("another address does not", login("u20", PW, "203.0.113.6"), 200)

    # ---- the same time for unknown, wrong and disabled ----
    call("POST", "/api/v1/users/u30/disable", token=nat)
    call("POST", "/api/v1/users/u39/disable", token=nat)
    login("nobody", PW, "192.0.2.9")  # the first unknown user makes the stand-in hash

    def timed(user, password, addr):
        start = time.perf_counter()
        st = login(user, password, addr)[0]
        return st, time.perf_counter() - start

    times = {"unknown user": [], "wrong password": [], "disabled user": []}
    for i in range(6):  # each username fewer times than its free failures
        for what, user, pw in (("unknown user", "nobody%d" % i, PW),
                               ("wrong password", "u%d" % (31 + i), "wrong-password"),
                               ("disabled user", ("u30", "u39")[i % 2], PW)):
            st, dt = timed(user, pw, "192.0.2.%d" % (10 + i))
            t.check("%s: 401" % what, st == 401, st)
            times[what].append(dt)
    # The fastest of each (the work itself, without the noise of a shared
    # machine): within a factor of 2.5 of each other, where a refusal
    # without a hash would be some 20 times faster.
    least = {k: min(v) for k, v in times.items()}
    t.check("one hash each: unknown, wrong and disabled take as long",
            max(least.values()) < 2.5 * min(least.values()), least)

    # ---- a bound on hashes at once ----
    before = peak_rss_mib(s.proc.pid)
    results = []

    def one(i):
        results.append(login("u%d" % (5 + i % 24), PW, "192.0.2.%d" % (100 + i))[0:3:2])

    threads = [threading.Thread(target=one, args=(i,)) for i in range(48)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    grown = peak_rss_mib(s.proc.pid) - before
    sts = sorted(r[0] for r in results)
    t.check("48 sign-ins at once: each answered 200 or 503", set(sts) <= {200, 503}, sts)
    t.check("503 says when to retry", all(h.get("retry-after") for st, h in results
                                          if st == 503), results)
    t.check("memory stays bounded (at most 3 hashes of 19 MiB at once)", grown < 150,
            (before, grown))

    # ---- without --trusted-proxy, X-Forwarded-For is ignored ----
    s2 = t.start()
    sts = [s2.call("POST", "/api/v1/login", {"username": "x%d" % (i // 3), "password": "wrong"},
                   headers={"X-Forwarded-For": "198.51.100.%d" % i})[0] for i in range(30)]
    t.check("thirty failures, each with another forged address", sts == [401] * 30, set(sts))
    t.expect("the socket's address is the one that waits", s2.call(
        "POST", "/api/v1/login", {"username": kaikutest.NATIONAL, "password": kaikutest.PASSWORD},
        headers={"X-Forwarded-For": "192.0.2.200"}), 429, "rate_limited")


if __name__ == "__main__":
    kaikutest.main(run)
