"""Paged listings: GET /api/v1/uses and GET /api/v1/audit take ?limit= and
?after= (the `next` of the previous page); following `next` visits every row
exactly once, in order, and malformed paging parameters are 400."""

import datetime

import kaikutest

PW = "a-long-password-1"


def run(t):
    s = t.start()
    call = s.call
    nat = s.login(kaikutest.NATIONAL, kaikutest.PASSWORD)
    call("POST", "/api/v1/regions", {"id": "r1", "name": "Espoo"}, nat)
    call("POST", "/api/v1/units", {"id": "u1", "region": "r1", "name": "Unit"}, nat)
    call("POST", "/api/v1/venues", {"id": "v1", "region": "r1", "name": "Hilla",
         "category": "theatre"}, nat)
    codes = ["P%d" % i for i in range(1, 8)]
    t.expect("stock", call("POST", "/api/v1/stock", {"unit": "u1", "kind": "personal",
             "codes": codes}, nat), 201)
    for name, role, scope in (("d1", "distributor", {"unit": "u1"}),
                              ("v1", "venue", {"venue": "v1"})):
        call("POST", "/api/v1/users", dict({"username": name, "password": PW, "role": role},
             **scope), nat)
    d1, v1 = s.login("d1", PW), s.login("v1", PW)
    form = {"birth_year": 1980, "mother_tongue": "fi", "gender": "female",
            "postal_code": "02100", "life_situation": ["student"]}
    for c in codes:
        t.expect("handout " + c, call("POST", "/api/v1/handouts", dict(form, card=c), d1), 201)
    ahead = (datetime.datetime.now() + datetime.timedelta(days=30)).strftime("%Y-%m-%dT18:00")
    evs = []
    for name in ("Taikuri Matti", "Kesäyöntaika"):
        r = call("POST", "/api/v1/events", {"venue": "v1", "name": name, "kind": "performance",
                 "starts_at": ahead, "capacity": 100}, v1)
        t.expect("event " + name, r, 201)
        evs.append(r[1]["id"])
    ids = []
    for i, c in enumerate(codes):
        r = call("POST", "/api/v1/uses", {"card": c, "event": evs[i % 2], "adult": 1,
                 "child": 0}, v1)
        t.expect("use " + c, r, 201)
        ids.append(r[1]["id"])

    def walk(path, name, limit, token):
        rows, pages, after = [], 0, None
        while pages < 50:
            q = "%s?limit=%d" % (path, limit) + ("&after=" + after if after else "")
            r = call("GET", q, token=token)
            if not t.check("page %s %d" % (path, pages), r[0] == 200 and
                           len(r[1][name]) <= limit, r):
                break
            rows += r[1][name]
            pages += 1
            after = r[1].get("next")
            if after is None:
                break
        return rows, pages

    everything = call("GET", "/api/v1/uses", token=v1)[1]["uses"]
    t.check("one page holds all by default", len(everything) == 7 and
            "next" not in call("GET", "/api/v1/uses", token=v1)[1], everything)
    rows, pages = walk("/api/v1/uses", "uses", 3, v1)
    t.check("uses: pages of 3", pages == 3, pages)
    t.check("uses: every row once, in the listing's order",
            [u["id"] for u in rows] == [u["id"] for u in everything] and
            sorted(u["id"] for u in rows) == sorted(ids), rows)
    rows, pages = walk("/api/v1/uses", "uses", 7, v1)
    t.check("uses: an exact page has a last, empty one or none", len(rows) == 7 and pages <= 2,
            (len(rows), pages))

    audit_all = call("GET", "/api/v1/audit", token=nat)[1]["audit"]
    rows, pages = walk("/api/v1/audit", "audit", 5, nat)
    t.check("audit: every entry once, in order",
            [a["id"] for a in rows] == [a["id"] for a in audit_all] and len(rows) >= 20,
            (len(rows), len(audit_all)))
    t.check("audit: several pages", pages == (len(audit_all) + 4) // 5, pages)

    for bad in ("limit=0", "limit=10001", "limit=x", "after=abc", "after=0", "after=-1",
                "after=1.5", "after=1e3", "after=%20"):
        t.expect("bad paging " + bad, call("GET", "/api/v1/uses?" + bad, token=v1), 400,
                 "invalid_request")
    t.expect("bad audit paging", call("GET", "/api/v1/audit?limit=-1", token=nat), 400,
             "invalid_request")

    # Unknown codes sent to POST /uses (answered after the store's group
    # commit, not by the handler) spend the same guessing budget as lookups.
    fails = [call("POST", "/api/v1/uses", {"card": "ZZ%d" % i, "event": evs[0], "adult": 1,
                                          "child": 0}, v1)[0] for i in range(100)]
    t.check("unknown cards in uses are 404", fails == [404] * 100, set(fails))
    t.expect("then lookups are limited", call("GET", "/api/v1/cards/P1", token=v1), 429,
             "rate_limited")


if __name__ == "__main__":
    kaikutest.main(run)
