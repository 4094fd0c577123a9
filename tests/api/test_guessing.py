"""Black-box tests of the guessing budget (issue 15, item 2): budgets per
principal (a user; a venue with all its API keys) that never punish another
principal, and POST /stock and POST /transfers, which must not tell for free
whether codes exist outside the caller's scope.

Usage: python3 test_guessing.py /path/to/kaiku
"""

import time

import kaikutest

PW = "a-long-password-1"


def run(t):
    s = t.start()
    call = s.call
    nat = s.login(kaikutest.NATIONAL, kaikutest.PASSWORD)
    for reg in ("r1", "r2"):
        call("POST", "/api/v1/regions", {"id": reg, "name": "Region " + reg}, nat)
    for unit, reg in (("u1", "r1"), ("u2", "r1"), ("u3", "r2")):
        call("POST", "/api/v1/units", {"id": unit, "region": reg, "name": "Unit " + unit}, nat)
    call("POST", "/api/v1/venues", {"id": "v1", "region": "r1", "name": "V", "category":
         "theatre"}, nat)
    users = (("venue1", "venue", "venue", "v1"), ("coord2", "coordinator", "region", "r2"),
             ("dist1", "distributor", "unit", "u1"), ("dist1b", "distributor", "unit", "u1"))
    for name, role, field, scope in users:
        r = call("POST", "/api/v1/users", {"username": name, "password": PW, "role": role,
                 field: scope}, nat)
        assert r[0] == 201, r
    t.expect("stock u1", call("POST", "/api/v1/stock", {"unit": "u1", "kind": "personal",
             "codes": ["A%d" % i for i in range(5)]}, nat), 201)
    t.expect("stock u2", call("POST", "/api/v1/stock", {"unit": "u2", "kind": "personal",
             "codes": ["B1"]}, nat), 201)
    t.expect("stock u3", call("POST", "/api/v1/stock", {"unit": "u3", "kind": "personal",
             "codes": ["C1"]}, nat), 201)

    # ---- a venue's API keys share one budget ----
    venue1 = s.login("venue1", PW)
    keys = [call("POST", "/api/v1/venues/v1/api-keys", {"label": "k%d" % i}, venue1)[1]["key"]
            for i in range(3)]
    fails = [call("GET", "/api/v1/cards/KX%d" % i, token=keys[0])[0] for i in range(100)]
    t.check("a key's 100 unknown codes", fails == [404] * 100, set(fails))
    r = call("GET", "/api/v1/cards/KX100", token=keys[1])
    t.expect("another key of the venue: the same budget", r, 429, "rate_limited")
    t.check("with Retry-After", r[2].get("retry-after", "").isdigit(), r[2])
    t.expect("a third key too", call("GET", "/api/v1/cards/A1", token=keys[2]), 429,
             "rate_limited")
    t.expect("the venue's user is another principal", call("GET", "/api/v1/cards/KX0",
             token=venue1), 404, "card_unknown")
    t.expect("a user at the same address is not punished", call(
        "GET", "/api/v1/cards/KX0", token=s.login("dist1b", PW)), 404, "card_unknown")

    # ---- POST /stock: a code taken outside the caller's scope ----
    coord2 = s.login("coord2", PW)
    guesses = ["G%05d" % i for i in range(2000)] + ["A3"]
    r = call("POST", "/api/v1/stock", {"unit": "u3", "kind": "personal", "codes": guesses},
             coord2)
    t.expect("stock: a code of another region refuses the add", r, 409, "code_taken")
    t.check("stock: ... without naming it", "A3" not in str(r[1]) and
            r[1]["details"].get("field") == "codes", r[1])
    r = call("POST", "/api/v1/stock", {"unit": "u3", "kind": "personal", "codes": ["G1", "C1"]},
             coord2)
    t.expect("stock: a code of one's own region", r, 409, "code_taken")
    t.check("stock: ... is named", r[1]["details"].get("code") == "C1", r[1])
    r = call("POST", "/api/v1/stock", {"unit": "u1", "kind": "personal", "codes": ["B1"]}, nat)
    t.check("stock: national sees all, so it is named", r[0] == 409 and
            r[1]["details"].get("code") == "B1", r)
    # Each such refusal spends a guess: 99 more, then the budget is spent.
    sts = [call("POST", "/api/v1/stock", {"unit": "u3", "kind": "personal", "codes": ["A1"]},
                coord2)[0] for _ in range(99)]
    t.check("stock: refusals spend the budget", sts == [409] * 99, set(sts))
    t.expect("stock: then refused", call("POST", "/api/v1/stock", {"unit": "u3",
             "kind": "personal", "codes": ["Q1"]}, coord2), 429, "rate_limited")
    t.expect("stock: and lookups too", call("GET", "/api/v1/cards/C1", token=coord2), 429,
             "rate_limited")

    # ---- POST /transfers: a card outside the caller's scope is as unknown ----
    dist1 = s.login("dist1", PW)
    for code, where in (("C1", "another region"), ("B1", "another unit of the region")):
        r = call("POST", "/api/v1/transfers", {"codes": ["A1", code], "from_unit": "u1",
                 "to_unit": "u2"}, dist1)
        t.expect("transfer: a card of " + where, r, 404, "card_unknown")
        r2 = call("POST", "/api/v1/transfers", {"codes": ["A1", "ZZ9"], "from_unit": "u1",
                  "to_unit": "u2"}, dist1)
        t.check("transfer: ... answered as an unknown code is", r[1]["message"] ==
                r2[1]["message"] and set(r[1]["details"]) == set(r2[1]["details"]), (r, r2))
    sts = [call("POST", "/api/v1/transfers", {"codes": ["C1"], "from_unit": "u1",
                "to_unit": "u2"}, dist1)[0] for _ in range(96)]
    t.check("transfer: each spends a guess", sts == [404] * 96, set(sts))
    t.expect("transfer: then refused", call("POST", "/api/v1/transfers", {"codes": ["A1"],
             "from_unit": "u1", "to_unit": "u2"}, dist1), 429, "rate_limited")

    # ---- 80,000 codes (880 kB) are sorted in n log n (a shell sort took seconds) ----
    codes = ["D%06d" % i for i in range(79999)] + ["D000007"]
    start = time.perf_counter()
    r = call("POST", "/api/v1/transfers", {"codes": codes, "from_unit": "u1", "to_unit": "u2"},
             s.login("dist1b", PW))
    took = time.perf_counter() - start
    t.expect("a code twice among 80,000", r, 400, "invalid_request")
    t.check("... is found", r[1]["details"].get("code") == "D000007", r[1])
    t.check("... within a second", took < 1.0, took)


if __name__ == "__main__":
    kaikutest.main(run)
