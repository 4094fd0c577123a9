"""Black-box tests of the reports (api.md "Reports", R28-R32): the seed's
Teatteri Hilla example as JSON, CSV (exact bytes) and XLSX, on a network
built here and on `kaiku demo`'s; undone uses left out (R25); small counts
as "<5" (R30); national figures against what the test created (R31); who
may read which report (R32); bad parameters.

Usage: python3 test_reports.py /path/to/kaiku
"""

import collections
import datetime
import io
import os
import xml.etree.ElementTree as ET
import zipfile
import zoneinfo

import kaikutest

PW = "a-long-password-1"
V = "/api/v1/reports/venue-usage"
C = "/api/v1/reports/cardholders"
N = "/api/v1/reports/national"
ST = "/api/v1/reports/statistics"
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DASH = "\u2013"

# R28: the seed's report (000, Teatteri Hilla; 003 in Swedish), row for row.
HILLA_ROWS = [
    {"card": "E2251", "adult": 1, "child": 2, "event": "Taikuri Matti", "date": "2020-02-03"},
    {"card": "50141", "adult": 1, "child": 2, "event": "Kesäyöntaika", "date": "2020-02-09"},
]
HILLA_CSV = ("Kortin tunnus,Lippu aikuiselle,Lippu lapselle (alle 16 v.),Esityksen nimi,"
             "Päivämäärä\r\n"
             "E2251,1,2,Taikuri Matti,2020-02-03\r\n"
             "50141,1,2,Kesäyöntaika,2020-02-09\r\n"
             "Yhteensä,2,4,,\r\n").encode()
FEB_2020 = "from=2020-02-01&to=2020-02-29"


def xlsx_cells(data):
    """The cells of an XLSX's first sheet: {"A1": value}, strings resolved (shared or inline)."""
    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    z = zipfile.ZipFile(io.BytesIO(data))
    strings = []
    if "xl/sharedStrings.xml" in z.namelist():
        strings = [si.findtext("m:t", namespaces=ns)
                   for si in ET.fromstring(z.read("xl/sharedStrings.xml")).findall("m:si", ns)]
    cells = {}
    for row in ET.fromstring(z.read("xl/worksheets/sheet1.xml")).iter("{%s}row" % ns["m"]):
        col = 0  # a cell without a reference is the one after the previous (issue 16)
        for c in row.iter("{%s}c" % ns["m"]):
            if c.get("r"):
                col = 0
                for ch in c.get("r").rstrip("0123456789"):
                    col = col * 26 + ord(ch) - 64
                col -= 1
            name, n = "", col + 1
            while n:
                n, k = divmod(n - 1, 26)
                name = chr(65 + k) + name
            ref = name + row.get("r")
            col += 1
            if c.get("t") == "inlineStr":  # a workbook written row by row (issue 16)
                cells[ref] = c.findtext("m:is/m:t", namespaces=ns)
                continue
            v = c.findtext("m:v", namespaces=ns)
            cells[ref] = strings[int(v)] if c.get("t") == "s" else float(v)
    return cells


DOMAINS = {"theatre": "culture", "music": "culture", "dance": "culture", "circus": "culture",
           "cinema": "culture", "festival": "culture", "adult_education": "education",
           "library": "education", "museum": "science", "sports": "sports",
           "swimming": "sports", "other": "other"}


def demo_statistics_agree(demo, token):
    """R31's statistics of the demo against a count of its records (issue 16)."""
    hki = zoneinfo.ZoneInfo("Europe/Helsinki")

    def year_of_day(day):  # a day number
        return (datetime.date(1970, 1, 1) + datetime.timedelta(days=day)).year

    def year_of_instant(t):
        return datetime.datetime.fromtimestamp(t, hki).year

    today = (datetime.datetime.now(hki).date() - datetime.date(1970, 1, 1)).days
    q = demo.query
    regions = [r for (r,) in q("SELECT id FROM regions ORDER BY id")] + [""]
    unit_region = dict(q("SELECT id, region FROM units"))
    venue = {v: (r or "", c) for v, r, c in q("SELECT id, region, category FROM venues")}
    cards = q("SELECT code, unit, handed_out_on, valid_until, cancelled_at FROM cards")
    handouts = {c: (u, d, r) for c, u, d, r in
                q("SELECT card, unit, handed_out_on, renews FROM handouts")}
    events = {e: (v, s) for e, v, s in q("SELECT id, venue, starts_at FROM events")}
    uses = q("SELECT card, event, adult, child, companion FROM uses WHERE undone_at IS NULL")
    used = {u[0] for u in uses}
    this_year = datetime.datetime.now(hki).year
    ok = True
    for y in (this_year, this_year - 1):
        want = {r: collections.Counter() for r in regions}
        for r in regions:
            want[r]["venues"] = sum(1 for v in venue.values() if v[0] == r)
            want[r]["units"] = sum(1 for u in unit_region.values() if u == r)
        for code, unit, handed, valid, cancelled in cards:
            w = want[unit_region[unit]]
            w["in_stock"] += handed is None and cancelled is None
            w["valid_now"] += cancelled is None and handed is not None and handed <= today <= valid
            w["cancelled"] += cancelled is not None and year_of_instant(cancelled) == y
        for code, (unit, day, renews) in handouts.items():
            if year_of_day(day) == y:
                w = want[unit_region[unit]]
                w["handed_out"] += 1
                w["renewals"] += renews is not None
                w["used_at_least_once"] += code in used
        for ev, (v, starts) in events.items():
            if year_of_instant(starts) == y:
                want[venue[v][0]]["events"] += 1
        for card, ev, adult, child, companion in uses:
            v, starts = events[ev]
            if year_of_instant(starts) == y:
                w = want[venue[v][0]]
                w["uses"] += 1
                w["uses_" + DOMAINS[venue[v][1]]] += 1
                w.update(adult=adult, child=child, companion=companion)
        r = demo.call("GET", "/api/v1/reports/statistics?year=%d" % y, token=token)
        if r[0] != 200:
            return False
        got = {reg: {} for reg in regions}
        for row in r[1]["regions"]:
            got[row["region"]][row["figure"]] = row["value"]
        got[""] = {row["figure"]: row["value"] for row in r[1]["pop_up"]}
        for reg in regions:
            for k, v in got[reg].items():
                if k == "used_share":
                    h = want[reg]["handed_out"]
                    v_want = round(want[reg]["used_at_least_once"] / h, 3) if h else None
                else:
                    v_want = want[reg][k]
                if v != v_want:
                    print("R31 demo %d [%s] %s: %s, counted here %s" % (y, reg, k, v, v_want))
                    ok = False
        ok = ok and all(len(g) == 19 for g in got.values())
    return ok


def run(t):
    t.require_codes({(400, "invalid_request"), (401, "unauthenticated"), (403, "forbidden"),
                     (404, "not_found")})
    # The servers' temporary files (XLSX passes through one) go to a directory of
    # this test's own, which must be empty at the end.
    scratch = os.path.join(t.tmp.name, "tmp")
    os.mkdir(scratch)
    os.environ["TMPDIR"] = scratch
    s = t.start()
    call = s.call
    nat = s.login(kaikutest.NATIONAL, kaikutest.PASSWORD)
    today = datetime.datetime.now(zoneinfo.ZoneInfo("Europe/Helsinki")).date()
    year = today.year

    # ---- a small network ----
    for rid, name in (("r1", "Espoo"), ("r2", "Kainuu")):
        t.expect("region " + rid, call("POST", "/api/v1/regions", {"id": rid, "name": name}, nat),
                 201)
    for uid, reg in (("u1", "r1"), ("u2", "r1"), ("u3", "r2")):
        t.expect("unit " + uid, call("POST", "/api/v1/units",
                 {"id": uid, "region": reg, "name": "Unit " + uid}, nat), 201)
    for vid, reg, name in (("v1", "r1", "Teatteri Hilla"), ("v2", "r2", "Kajaanin teatteri"),
                           ("pop", None, "Ateneum")):
        t.expect("venue " + vid, call("POST", "/api/v1/venues",
                 {"id": vid, "region": reg, "name": name, "category": "theatre"}, nat), 201)
    users = {"coord1": ("coordinator", {"region": "r1"}),
             "coord2": ("coordinator", {"region": "r2"}),
             "dist1": ("distributor", {"unit": "u1"}), "dist3": ("distributor", {"unit": "u3"}),
             "venue1": ("venue", {"venue": "v1"}), "venue2": ("venue", {"venue": "v2"}),
             "venuep": ("venue", {"venue": "pop"})}
    for name, (role, scope) in users.items():
        t.expect("user " + name, call("POST", "/api/v1/users",
                 dict({"username": name, "password": PW, "role": role}, **scope), nat), 201)
    tok = {name: s.login(name, PW) for name in users}
    tok["nat"] = nat
    stock = (("u1", "personal", ["E2251", "50141", "E3"] + ["A%d" % i for i in range(1, 11)]),
             ("u1", "community", ["C1"]), ("u2", "personal", ["B1"]),
             ("u3", "personal", ["K1", "K2", "K3"]))
    for unit, kind, codes in stock:
        t.expect("stock " + unit, call("POST", "/api/v1/stock",
                 {"unit": unit, "kind": kind, "codes": codes}, nat), 201)

    def handout(code, day, who="dist1", **form):
        body = {"card": code, "handed_out_on": day, "birth_year": 1980, "mother_tongue": "fi",
                "gender": "female", "postal_code": "02100", "life_situation": ["unemployed"]}
        body.update(form)
        t.expect("handout " + code, call("POST", "/api/v1/handouts", body, tok[who]), 201)

    # The seed's cards (R28), and one more whose February use is undone (R25).
    handout("E2251", "2020-01-14")
    handout("50141", "2020-01-22")
    handout("E3", "2020-01-10")
    # R30 against differencing (docs/privacy.md): the cardholder reports read around
    # today's handouts (below) and the backdated ones above are the same; the report
    # counts what was recorded before this month began.
    around = [(y, call("GET", "%s?year=%d" % (C, y), token=tok["coord1"])) for y in (2020, year)]

    # The cardholders of 2021 in r1 (R30): 5 alike and one who differs, recorded back
    # then (written into the database as the desk did in 2021: the report counts only
    # handouts recorded before this month, and the server's clock is today's).
    def recorded_in_2021(code, day, unit="u1", birth_year=1980, mother_tongue="fi",
                         gender="female", life=1):
        d = datetime.date.fromisoformat(day)
        n = (d - datetime.date(1970, 1, 1)).days
        until = (d.replace(year=d.year + 1) - datetime.date(1970, 1, 1)).days  # R4
        at = int(datetime.datetime(d.year, d.month, d.day, 10,
                                   tzinfo=datetime.timezone.utc).timestamp())
        s.execute("INSERT INTO handouts (card, unit, handed_out_on, valid_until, birth_year, "
                  "mother_tongue, gender, postal_code, life_situations, recorded_by, "
                  "recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, '02100', ?, 'dist1', ?)",
                  (code, unit, n, until, birth_year, mother_tongue, gender, life, at))

    for i, born in enumerate((1984, 1985, 1986, 1987, 1988), start=1):
        recorded_in_2021("A%d" % i, "2021-01-%02d" % (4 + i), birth_year=born,
                         life=(1 | 1 << 7) if i % 2 == 0 else 1)  # unemployed (+ debt)
    recorded_in_2021("A6", "2021-03-10", birth_year=1995, mother_tongue="sv", gender="male")
    t.expect("community handout", call("POST", "/api/v1/handouts",
             {"card": "C1", "handed_out_on": "2021-05-01"}, tok["dist1"]), 201)
    recorded_in_2021("K1", "2021-02-01", unit="u3", birth_year=1970)
    # Rows written behind the store's back move no kept count (issue 16): recount.
    r = s.run("counts", "rebuild", "--db", s.db)
    t.check("counts rebuilt after the rows of 2021", r.returncode == 0, r.stderr)
    # This year: a new card, a renewal (R14) and a cancellation (R13).
    handout("A7", today.isoformat())
    handout("A8", today.isoformat(), renews="E2251")
    for y, before in around:
        r = call("GET", "%s?year=%d" % (C, y), token=tok["coord1"])
        t.check("R30 the %d report did not move with handouts recorded today" % y,
                before[0] == 200 and r[:2] == before[:2], (before, r))
        t.check("R30 the %d report covers closed months" % y, r[0] == 200 and r[1]["through"] == (
            "%d-12-31" % y if y < year else
            (today.replace(day=1) - datetime.timedelta(days=1)).isoformat()
            if today.month > 1 else None), r)
    # R34 with R30: the coordinator's audit says a card was handed out, not which.
    r = call("GET", "/api/v1/audit", token=tok["coord1"])
    mine = [e["object"] for e in r[1].get("audit", []) if e["action"] == "handout.record"]
    t.check("R30 a coordinator's audit names no handed-out card", r[0] == 200 and mine and
            set(mine) == {"card"}, r)
    r = call("GET", "/api/v1/audit", token=nat)
    theirs = [e["object"] for e in r[1].get("audit", []) if e["action"] == "handout.record"]
    t.check("R34 national's audit names it", "card:A8" in theirs, theirs)
    t.expect("cancel A6", call("POST", "/api/v1/cards/A6/cancel", {"reason": "lost"},
             tok["dist1"]), 200)

    def event(venue, name, starts, who="nat"):
        r = call("POST", "/api/v1/events", {"venue": venue, "name": name, "kind": "performance",
                 "starts_at": starts, "capacity": 120}, tok[who])
        t.expect("event " + name, r, 201)
        return r[1]["id"] if r[0] == 201 else 0

    def use(card, ev, adult, child, who, companion=0):
        r = call("POST", "/api/v1/uses", {"card": card, "event": ev, "adult": adult,
                 "child": child, "companion": companion}, tok[who])
        t.expect("use %s at %d" % (card, ev), r, 201)
        return r[1]["id"] if r[0] == 201 else 0

    matti = event("v1", "Taikuri Matti", "2020-02-03T18:00", "venue1")
    kesa = event("v1", "Kesäyöntaika", "2020-02-09T15:00", "venue1")
    march = event("v1", "Maaliskuun näytös", "2020-03-01T12:00", "venue1")
    kalevala = event("v2", 'Kalevala, "uusi"', "2021-03-01T18:00", "venue2")
    ateneum = event("pop", "Ateneum", "2021-04-01T10:00")
    use("E2251", matti, 1, 2, "venue1")
    use("50141", kesa, 1, 2, "venue1")
    undone = use("E3", matti, 1, 0, "venue1")
    t.expect("undo", call("DELETE", "/api/v1/uses/%d" % undone, token=tok["venue1"]), 204)
    use("E3", march, 1, 0, "venue1", companion=1)
    use("K1", kalevala, 1, 0, "venue2")
    use("A1", ateneum, 1, 1, "venuep")

    # ---- R28: venue usage, the seed's example ----
    hilla_json = {"venue": "v1", "from": "2020-02-01", "to": "2020-02-29", "rows": HILLA_ROWS,
                  "totals": {"adult": 2, "child": 4}}
    r = call("GET", "%s?venue=v1&%s" % (V, FEB_2020), token=tok["venue1"])
    t.check("R28 Hilla as JSON", r[0] == 200 and r[1] == hilla_json, r)
    t.check("R28 JSON content type", r[2].get("content-type") == "application/json; charset=utf-8",
            r[2])
    r = call("GET", "%s?%s" % (V, FEB_2020), token=tok["venue1"])
    t.check("R28 venue staff may leave out their venue", r[0] == 200 and r[1] == hilla_json, r)
    st, body, hdrs = s.fetch("%s?venue=v1&%s&format=csv" % (V, FEB_2020), tok["venue1"], "fi")
    t.check("R28 Hilla as CSV, byte for byte", st == 200 and body == HILLA_CSV, (st, body))
    t.check("R28 CSV content type", hdrs.get("content-type") == CSV_TYPE, hdrs)
    t.check("R28 CSV is a download", hdrs.get("content-disposition") ==
            'attachment; filename="venue-usage-v1-from-2020-02-01-to-2020-02-29.csv"', hdrs)
    st, body, _ = s.fetch("%s?venue=v1&%s&format=csv" % (V, FEB_2020), tok["venue1"], "sv")
    t.check("R36 CSV headings in Swedish (seed 003)", st == 200 and body.decode().startswith(
        "Kortets kod,Biljett för vuxna,Biljett för barn (under 16 år),Föreställningens namn,"
        "Datum\r\n") and body.endswith("Sammanlagt,2,4,,\r\n".encode()), body)
    st, body, _ = s.fetch("%s?venue=v1&%s&format=csv" % (V, FEB_2020), tok["venue1"])
    t.check("R36 CSV headings in English by default", st == 200 and body.decode().startswith(
        "Card code,Adult tickets,Child tickets (under 16),Event,Date\r\n") and
        body.endswith(b"Total,2,4,,\r\n"), body)
    st, body, hdrs = s.fetch("%s?venue=v1&%s&format=xlsx" % (V, FEB_2020), tok["coord1"], "fi")
    t.check("R28 XLSX content type and name", st == 200 and hdrs.get("content-type") ==
            XLSX_TYPE and hdrs.get("content-disposition", "").endswith('.xlsx"'), (st, hdrs))
    try:
        cells = xlsx_cells(body)
    except (zipfile.BadZipFile, KeyError, ET.ParseError, ValueError) as e:
        cells = {"error": repr(e)}
    t.check("R28 XLSX: the seed's table", cells == {
        "A1": "Kortin tunnus", "B1": "Lippu aikuiselle", "C1": "Lippu lapselle (alle 16 v.)",
        "D1": "Esityksen nimi", "E1": "Päivämäärä",
        "A2": "E2251", "B2": 1.0, "C2": 2.0, "D2": "Taikuri Matti", "E2": 43864.0,  # 3.2.2020
        "A3": "50141", "B3": 1.0, "C3": 2.0, "D3": "Kesäyöntaika", "E3": 43870.0,   # 9.2.2020
        "A4": "Yhteensä", "B4": 2.0, "C4": 4.0}, cells)

    r = call("GET", "%s?venue=v1" % V, token=tok["coord1"])
    t.check("R25 undone uses never appear; R29 the coordinator sees the venue", r[0] == 200 and
            [x["card"] for x in r[1]["rows"]] == ["E2251", "50141", "E3"] and
            r[1]["from"] is None and r[1]["to"] is None and
            r[1]["totals"] == {"adult": 3, "child": 4}, r)
    r = call("GET", "%s?venue=v1&from=2020-03-01" % V, token=nat)
    t.check("from alone", r[0] == 200 and [x["event"] for x in r[1]["rows"]] ==
            ["Maaliskuun näytös"], r)
    r = call("GET", "%s?venue=v1&to=2020-02-02" % V, token=nat)
    t.check("an empty report", r[0] == 200 and r[1]["rows"] == [] and
            r[1]["totals"] == {"adult": 0, "child": 0}, r)
    st, body, _ = s.fetch("%s?venue=v2&format=csv" % V, tok["venue2"])
    t.check("RFC 4180 quoting of an event name", st == 200 and body == (
        'Card code,Adult tickets,Child tickets (under 16),Event,Date\r\n'
        'K1,1,0,"Kalevala, ""uusi""",2021-03-01\r\nTotal,1,0,,\r\n').encode(), body)
    r = call("GET", "%s?venue=pop" % V, token=nat)
    t.check("R22 a pop-up venue's report (national)", r[0] == 200 and
            [x["card"] for x in r[1]["rows"]] == ["A1"], r)
    r = call("POST", "/api/v1/venues/v1/api-keys", {"label": "kassa"}, tok["venue1"])
    key = r[1]["key"] if r[0] == 201 else ""
    r = call("GET", "%s?%s" % (V, FEB_2020), token=key)
    t.check("the venue's API key reads its report", r[0] == 200 and r[1] == hilla_json, r)

    # ---- R32: who may read which report ----
    for who, path, code in (
            ("venue2", "%s?venue=v1" % V, 403), ("coord2", "%s?venue=v1" % V, 403),
            ("dist1", "%s?venue=v1" % V, 403), ("coord1", "%s?venue=pop" % V, 403),
            ("coord2", "%s?region=r1&year=2021" % C, 403), ("venue1", "%s?year=2021" % C, 403),
            ("dist1", "%s?year=2021" % C, 403), ("coord1", "%s?year=2021" % N, 403),
            ("venue1", "%s?year=2021" % N, 403), ("dist3", "%s?year=2021" % N, 403)):
        t.expect("R32 %s %s" % (who, path), call("GET", path, token=tok[who]), code, "forbidden")
    t.expect("R32 API key, cardholders", call("GET", "%s?year=2021" % C, token=key), 403,
             "forbidden")
    r = call("GET", "%s?year=2021&suppress=false" % C, token=tok["coord1"])
    t.expect("R30 suppression stays on for coordinators", r, 403, "forbidden")
    t.check("R30 ... and says why", r[1].get("details", {}).get("field") == "suppress", r)
    for path in ("%s?venue=v1" % V, "%s?year=2021" % C, "%s?year=2021" % N):
        t.expect("no sign-in " + path, call("GET", path), 401, "unauthenticated")

    # ---- R30: cardholders of r1 in 2021 ----
    months = {"2021-%02d" % m: 0 for m in range(1, 13)}
    life = {k: 0 for k in ("unemployed", "retired", "student", "single_parent",
                           "long_term_illness", "disability", "low_income_working", "debt",
                           "other")}
    exact = {"region": "r1", "year": 2021, "suppressed": False, "through": "2021-12-31",
             "total": 6,
             "birth_year_band": {"1980" + DASH + "1989": 5, "1990" + DASH + "1999": 1},
             "mother_tongue": {"fi": 5, "sv": 1},
             "gender": {"female": 5, "male": 1, "other": 0, "not_told": 0},
             "postal_code": {"02100": 6}, "life_situation": dict(life, unemployed=6, debt=2),
             "unit": {"u1": 6, "u2": 0}, "month": dict(months, **{"2021-01": 5, "2021-03": 1})}

    # R30 with complementary suppression (docs/privacy.md): the 1990s and sv are left out
    # (open breakdowns); beside a "<5" every count under five is "<5", zeros too, and the
    # first count of five or more is "≥5" (not in life situations, which overlap).
    GE5 = "\u22655"
    hidden = {"region": "r1", "year": 2021, "suppressed": True, "through": "2021-12-31",
              "total": 6,
              "birth_year_band": {"1980" + DASH + "1989": 5}, "mother_tongue": {"fi": 5},
              "gender": {"female": GE5, "male": "<5", "other": "<5", "not_told": "<5"},
              "postal_code": {"02100": 6},
              "life_situation": dict({k: "<5" for k in life}, unemployed=6),
              "unit": {"u1": 6, "u2": 0},
              "month": dict({k: "<5" for k in months}, **{"2021-01": GE5})}
    r = call("GET", "%s?year=2021" % C, token=tok["coord1"])
    t.check("R30 complementary suppression (coordinator, own region)",
            r[0] == 200 and r[1] == hidden, r)
    t.check("R30 the report's order", r[0] == 200 and list(r[1]) == [
        "region", "year", "suppressed", "through", "total", "birth_year_band", "mother_tongue", "gender",
        "postal_code", "life_situation", "unit", "month"], r)
    r = call("GET", "%s?region=r1&year=2021&suppress=true" % C, token=nat)
    t.check("R30 national, suppressed", r[0] == 200 and r[1] == hidden, r)
    r = call("GET", "%s?region=r1&year=2021&suppress=false" % C, token=nat)
    t.check("R30 national may see exact counts", r[0] == 200 and r[1] == exact, r)
    r = call("GET", "%s?year=2021&suppress=false" % C, token=nat)
    t.check("R30 the whole country", r[0] == 200 and r[1]["region"] is None and
            r[1]["total"] == 7 and r[1]["unit"] == {"u1": 6, "u2": 0, "u3": 1}, r)
    st, body, hdrs = s.fetch("%s?year=2021&format=csv" % C, tok["coord1"])
    lines = body.decode().split("\r\n") if st == 200 else []
    t.check("R30 as CSV", lines[:6] == [
        "Breakdown,Value,Count", "Total,,6", "Birth year,1980" + DASH + "1989,5",
        "Mother tongue,fi,5", "Gender,female," + GE5, "Gender,male,<5"] and
        "Life situation,debt,<5" in lines and "Month,2021-12,<5" in lines and
        len(lines) == 1 + 1 + 1 + 1 + 4 + 1 + 9 + 2 + 12 + 1, lines)
    t.check("R30 CSV name", hdrs.get("content-disposition") ==
            'attachment; filename="cardholders-r1-2021.csv"', hdrs)
    st, body, _ = s.fetch("%s?year=2021&format=xlsx" % C, tok["coord1"], "fi")
    cells = xlsx_cells(body) if st == 200 else {}
    t.check("R30 as XLSX", cells.get("A1") == "Peruste" and cells.get("C2") == 6.0 and
            cells.get("C5") == GE5 and cells.get("C6") == "<5" and cells.get("B4") == "fi", cells)

    # ---- R31: national figures of what this test created ----
    def fig(**kw):
        f = dict.fromkeys(("in_stock", "handed_out", "valid_now", "cancelled", "renewals", "uses",
                           "adult", "child", "companion", "used_at_least_once"), 0)
        f["used_share"] = None
        f.update(venues=0, units=0, events=0)
        f.update(kw)
        return f

    # Stock now: r1 A9, A10, B1; r2 K2, K3. Valid now: A7, A8.
    r1_now, r2_now = dict(in_stock=3, valid_now=2, venues=1, units=2), dict(in_stock=2, venues=1,
                                                                              units=1)
    want = {
        2020: {"year": 2020, "regions": [
            dict(fig(**r1_now, handed_out=3, uses=3, adult=3, child=4, companion=1,
                     used_at_least_once=3, used_share=1.0, events=3), region="r1", name="Espoo"),
            dict(fig(**r2_now), region="r2", name="Kainuu")],
            "pop_up": fig(venues=1),
            "combined": fig(in_stock=5, valid_now=2, handed_out=3, uses=3, adult=3, child=4,
                            companion=1, used_at_least_once=3, used_share=1.0, venues=3, units=3,
                            events=3)},
        2021: {"year": 2021, "regions": [
            # A1-A6 and C1; A1 was used (at the pop-up venue): 1 of 7
            dict(fig(**r1_now, handed_out=7, used_at_least_once=1, used_share=0.143),
                 region="r1", name="Espoo"),
            dict(fig(**r2_now, handed_out=1, uses=1, adult=1, used_at_least_once=1,
                     used_share=1.0, events=1), region="r2", name="Kainuu")],
            "pop_up": fig(uses=1, adult=1, child=1, venues=1, events=1),
            "combined": fig(in_stock=5, valid_now=2, handed_out=8, uses=2, adult=2, child=1,
                            used_at_least_once=2, used_share=0.25, venues=3, units=3, events=2)},
    }
    for y, doc in want.items():
        r = call("GET", "%s?year=%d" % (N, y), token=nat)
        t.check("R31 national %d" % y, r[0] == 200 and r[1] == doc, (r, doc))
    r = call("GET", "%s?year=%d" % (N, year), token=nat)
    mine = r[1]["regions"][0] if r[0] == 200 else {}
    t.check("R31 this year: handouts, a renewal (R14), a cancellation (R13)",
            (mine.get("handed_out"), mine.get("renewals"), mine.get("cancelled")) == (2, 1, 1), r)
    st, body, hdrs = s.fetch("%s?year=2021&format=csv" % N, nat)
    lines = body.decode().split("\r\n") if st == 200 else []
    t.check("R31 as CSV", len(lines) == 6 and lines[0].startswith(
        "Region,Name,Cards in stock,Cards handed out,") and
        lines[1] == "r1,Espoo,3,7,2,0,0,0,0,0,0,1,0.143,1,2,0" and
        lines[3] == ",Pop-up venues,0,0,0,0,0,1,1,1,0,0,,1,0,1" and
        lines[4] == ",Total,5,8,2,0,0,2,2,1,0,2,0.250,3,3,2" and lines[5] == "", lines)
    t.check("R31 CSV name", hdrs.get("content-disposition") ==
            'attachment; filename="national-2021.csv"', hdrs)
    # ---- R31 beside the previous year, uses by domain (issue 16) ----
    # Every figure of the statistics is the national report's of the same
    # year (the previous year's for previous_year; null for the figures of
    # now), and the uses split by domain add up to the uses.
    now_figures = ("in_stock", "valid_now", "venues", "units")
    for y in (2020, 2021):
        r = call("GET", "%s?year=%d" % (ST, y), token=nat)
        ok = r[0] == 200 and r[1]["year"] == y and r[1]["previous_year"] == y - 1
        this_year, before = want[y], want.get(y - 1) or {
            "regions": [dict(fig(), region=g["region"], name=g["name"])
                        for g in want[y]["regions"]], "pop_up": fig(), "combined": fig()}
        for i, reg in enumerate(this_year["regions"]):
            rows = {x["figure"]: x for x in r[1]["regions"] if x["region"] == reg["region"]} if ok else {}
            for k, v in reg.items():
                if k in ("region", "name"):
                    continue
                prev = None if k in now_figures else before["regions"][i][k]
                ok = ok and rows.get(k, {}).get("value") == v and \
                    rows[k]["previous_year"] == prev and rows[k]["name"] == reg["name"]
            ok = ok and sum(rows.get("uses_" + d, {}).get("value", -1) for d in
                            ("culture", "education", "science", "sports", "other")) == reg["uses"]
        for sec in ("pop_up", "combined"):
            rows = {x["figure"]: x for x in r[1][sec]} if ok else {}
            for k, v in this_year[sec].items():
                ok = ok and rows.get(k, {}).get("value") == v
        t.check("R31 statistics %d beside %d, as the national report" % (y, y - 1), ok, r)
    r = call("GET", "%s?year=2021" % ST, token=tok["coord2"])
    t.check("R31 statistics: a coordinator's own region", r[0] == 200 and
            r[1]["region"] == "r2" and {x["region"] for x in r[1]["regions"]} == {"r2"} and
            r[1]["pop_up"] == [] and
            {x["figure"]: x["value"] for x in r[1]["combined"]}["uses"] == 1, r)
    t.expect("R31 statistics: not another region's",
             call("GET", "%s?year=2021&region=r1" % ST, token=tok["coord2"]), 403, "forbidden")
    t.expect("R31 statistics: not for a distributor",
             call("GET", "%s?year=2021" % ST, token=tok["dist1"]), 403, "forbidden")
    t.expect("R31 statistics: a year whose previous year is one",
             call("GET", "%s?year=1900" % ST, token=nat), 400, "invalid_request")
    st, body, hdrs = s.fetch("%s?year=2021&region=r2&format=csv" % ST, nat)
    lines = body.decode().split("\r\n") if st == 200 else []
    t.check("R31 statistics as CSV", st == 200 and
            lines[0] == "Region,Name,Figure,Value,Previous year" and
            "r2,Kainuu,handed_out,1,0" in lines and "r2,Kainuu,in_stock,2," in lines and
            hdrs.get("content-disposition") ==
            'attachment; filename="statistics-r2-2021.csv"', (st, lines, hdrs))

    st, body, _ = s.fetch("%s?year=2021&format=xlsx" % N, nat)
    cells = xlsx_cells(body) if st == 200 else {}
    t.check("R31 as XLSX: the share is a number", cells.get("M2") == 0.143 and
            cells.get("B5") == "Total" and cells.get("D5") == 8.0, cells)

    # ---- bad parameters ----
    for path in ("%s?venue=v1&format=pdf" % V, "%s?venue=v1&from=2020-13-01" % V,
                 "%s?venue=v1&to=yesterday" % V, "%s?venue=v1&from=2020-03-01&to=2020-02-01" % V,
                 "%s?venue=V1" % V, "%s?venue=v1&region=r1" % V, "%s?venue=v1&venue=v2" % V,
                 "%s?from=2020-01-01" % V,  # national must name the venue
                 C, "%s?year=abc" % C, "%s?year=1899" % C, "%s?year=10000" % C,
                 "%s?year=2021&suppress=yes" % C, "%s?year=2021&region=R%%201" % C,
                 "%s?year=2021&format=xml" % C, N, "%s?year=20x" % N, "%s?year=2021&region=r1" % N,
                 "%s?year=2021&format=" % N + "csv&format=json"):
        t.expect("400 " + path, call("GET", path, token=nat), 400, "invalid_request")
    r = call("GET", "%s?venue=v1&format=pdf" % V, token=nat)
    t.check("400 says which parameter", r[1].get("details", {}).get("field") == "format", r)
    t.expect("an unknown venue", call("GET", "%s?venue=nowhere" % V, token=nat), 404, "not_found")
    t.expect("an unknown region", call("GET", "%s?region=nowhere&year=2021" % C, token=nat), 404,
             "not_found")
    t.expect("an error is JSON, also when CSV was asked for",
             call("GET", "%s?venue=v1&format=csv" % V, token=tok["venue2"]), 403, "forbidden")
    t.check("clean shutdown", s.stop() == 0)

    # ---- R28 on kaiku demo's network: Teatteri Hilla, February 2020 ----
    d = os.path.join(t.tmp.name, "demo")
    os.mkdir(d)
    demo = kaikutest.Server(t.binary, d)
    r = demo.demo()
    if not t.check("kaiku demo", r.returncode == 0, r.stderr):
        return
    demo.start()
    t.servers.append(demo)
    hilla = demo.login("kassa-hilla", "kaikukortti-demo")
    r = demo.call("GET", "%s?%s" % (V, FEB_2020), token=hilla)
    t.check("R28 demo: the seed's rows exactly", r[0] == 200 and r[1] == dict(
        hilla_json, venue="teatteri-hilla"), r)
    st, body, _ = demo.fetch("%s?venue=teatteri-hilla&%s&format=csv" % (V, FEB_2020),
                             demo.login("koord-espoo", "kaikukortti-demo"), "fi")
    t.check("R28 demo: the seed's report as CSV (R29: the coordinator's copy)",
            st == 200 and body == HILLA_CSV, (st, body))
    # R31 on the demo (issue 16, item 7): every figure of the statistics,
    # this year and the last, per region, the pop-up venues and combined,
    # counted here another way: from the records themselves, days on Finnish
    # clocks by Python's zoneinfo.
    tuki = demo.login("tuki", "kaikukortti-demo")
    t.check("R31 demo: every figure counted another way", demo_statistics_agree(demo, tuki), "")

    # A period with more than 100,000 uses is refused: a report is built in
    # memory. 100,001 uses go straight into the database for one Hilla event.
    [[ev_id, starts]] = demo.query("SELECT id, starts_at FROM events "
                                   "WHERE venue = 'teatteri-hilla' ORDER BY starts_at DESC LIMIT 1")
    day = datetime.datetime.fromtimestamp(starts, datetime.timezone.utc).date()
    first, last = day - datetime.timedelta(days=1), day + datetime.timedelta(days=1)
    [[card]] = demo.query("SELECT card FROM handouts ORDER BY card LIMIT 1")
    demo.execute("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?) "
                 "INSERT INTO uses (card, event, adult, child, recorded_by, recorded_at) "
                 "SELECT ?, ?, 0, 1, 'bulk', 0 FROM n", (100001, card, ev_id))
    r = demo.call("GET", "%s?venue=teatteri-hilla&from=%s&to=%s" % (V, first, last), token=hilla)
    t.expect("more than 100,000 rows", r, 400, "invalid_request")
    t.check("the limit is told", r[1].get("details") == {"field": "to", "max_rows": 100000}, r)
    t.check("demo: clean shutdown", demo.stop() == 0)
    t.check("no temporary file left behind", os.listdir(scratch) == [], os.listdir(scratch))


if __name__ == "__main__":
    kaikutest.main(run)
