"""Black-box tests of kaiku's JSON API (api.md): every endpoint, the error
codes of its table (each must come in a real reply; those of the HTTP layer
in test_http.py), the authorization matrix of every route and every actor,
in and out of scope (R32), idempotent uses (R27), caps under concurrency
(R15, R16), audit and its scope (R34).

Usage: python3 test_api.py /path/to/kaiku
"""

import datetime
import zoneinfo
import sqlite3
import subprocess
import threading

import kaikutest

PW = "a-long-password-1"
UTC = datetime.timezone.utc


def iso(dt):
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00")


# The contract: every route of api.md (plus GET /api/v1/events/{id}). The
# OpenAPI document must list exactly these, and the authorization matrix
# covers each (the reports' contents are tested in test_reports.py).
ROUTES = {
    ("get", "/healthz"), ("get", "/api/v1/openapi.json"),
    ("post", "/api/v1/login"), ("post", "/api/v1/logout"), ("post", "/api/v1/me/password"),
    ("post", "/api/v1/regions"), ("get", "/api/v1/regions"), ("patch", "/api/v1/regions/{id}"),
    ("post", "/api/v1/units"), ("get", "/api/v1/units"),
    ("post", "/api/v1/venues"), ("get", "/api/v1/venues"),
    ("post", "/api/v1/venues/{id}/api-keys"), ("get", "/api/v1/venues/{id}/api-keys"),
    ("delete", "/api/v1/venues/{id}/api-keys/{key_id}"),
    ("post", "/api/v1/users"), ("get", "/api/v1/users"),
    ("post", "/api/v1/users/{username}/disable"), ("post", "/api/v1/users/{username}/password"),
    ("post", "/api/v1/users/{username}/enable"),
    ("post", "/api/v1/stock"), ("post", "/api/v1/transfers"), ("get", "/api/v1/transfers"),
    ("post", "/api/v1/transfers/{id}/approve"), ("post", "/api/v1/transfers/{id}/reject"),
    ("post", "/api/v1/handouts"), ("get", "/api/v1/cards/{code}"),
    ("post", "/api/v1/cards/{code}/cancel"),
    ("post", "/api/v1/events"), ("get", "/api/v1/events"), ("get", "/api/v1/events/{id}"),
    ("patch", "/api/v1/events/{id}"),
    ("post", "/api/v1/uses"), ("get", "/api/v1/uses"), ("delete", "/api/v1/uses/{id}"),
    ("get", "/api/v1/audit"),
    ("get", "/api/v1/reports/venue-usage"), ("get", "/api/v1/reports/cardholders"),
    ("get", "/api/v1/reports/national"), ("get", "/api/v1/reports/statistics"),
    ("patch", "/api/v1/venues/{id}"),
    ("post", "/api/v1/venues/{id}/series"), ("get", "/api/v1/venues/{id}/series"),
    ("post", "/api/v1/series/{id}/extend"), ("post", "/api/v1/series/{id}/close"),
}


def run(t):
    # Every error code of the table, except those test_http.py sees, must come in
    # a real reply below (kaikutest.Suite.finish checks).
    t.require_codes(kaikutest.ERROR_PAIRS - kaikutest.HTTP_LAYER_PAIRS)
    s = t.start()
    call = s.call
    now = datetime.datetime.now(UTC)
    today = now.astimezone(zoneinfo.ZoneInfo("Europe/Helsinki")).date()  # Finnish clocks
    year = today.year

    nat = s.login(kaikutest.NATIONAL, kaikutest.PASSWORD)
    key_venue = {}    # API key id -> venue, as the test creates keys
    card_region = {}  # card code -> region, as the test stocks cards
    t.expect("login wrong password", call("POST", "/api/v1/login",
             {"username": kaikutest.NATIONAL, "password": "wrong-password"}), 401,
             "unauthenticated")
    t.expect("login unknown user", call("POST", "/api/v1/login",
             {"username": "nobody", "password": "wrong-password"}), 401, "unauthenticated")
    t.expect("no token", call("GET", "/api/v1/regions"), 401, "unauthenticated")
    t.expect("bad token", call("GET", "/api/v1/regions", token="x" * 43), 401, "unauthenticated")

    # ---- network ----
    r = call("POST", "/api/v1/regions", {"id": "r1", "name": "Espoo"}, nat)
    t.expect("region r1", r, 201)
    t.check("region body", r[1] == {"id": "r1", "name": "Espoo", "pilot_ends_on": None}, r[1])
    t.expect("region r2", call("POST", "/api/v1/regions",
             {"id": "r2", "name": "Kainuu", "pilot_ends_on": "%d-12-31" % (year + 1)}, nat), 201)
    t.expect("region twice", call("POST", "/api/v1/regions", {"id": "r1", "name": "X"}, nat),
             409, "already_exists")
    t.expect("region bad id", call("POST", "/api/v1/regions", {"id": "R 1", "name": "X"}, nat),
             400, "invalid_request")
    t.expect("region bad date", call("POST", "/api/v1/regions",
             {"id": "r9", "name": "X", "pilot_ends_on": "31.12.2020"}, nat), 400, "invalid_request")
    r = call("GET", "/api/v1/regions", token=nat)
    t.check("regions list", r[0] == 200 and len(r[1]["regions"]) == 2, r)
    # PATCH: a pilot changed, then ended (null, R5); a field left out stays
    r = call("PATCH", "/api/v1/regions/r2", {"pilot_ends_on": "%d-06-30" % (year + 2)}, nat)
    t.check("region pilot changed", r[0] == 200 and r[1] == {
        "id": "r2", "name": "Kainuu", "pilot_ends_on": "%d-06-30" % (year + 2)}, r)
    r = call("PATCH", "/api/v1/regions/r2", {"name": "Kainuun maakunta"}, nat)
    t.check("region renamed, pilot kept", r[0] == 200 and r[1]["name"] == "Kainuun maakunta" and
            r[1]["pilot_ends_on"] == "%d-06-30" % (year + 2), r)
    r = call("PATCH", "/api/v1/regions/r2", {"pilot_ends_on": None}, nat)
    t.check("region pilot ended", r[0] == 200 and r[1]["pilot_ends_on"] is None and
            r[1]["name"] == "Kainuun maakunta", r)
    r = call("GET", "/api/v1/regions", token=nat)
    t.check("region change kept", {"id": "r2", "name": "Kainuun maakunta", "pilot_ends_on": None}
            in r[1]["regions"], r)
    t.expect("region patch unknown", call("PATCH", "/api/v1/regions/nope", {"name": "X"}, nat),
             404, "not_found")
    t.expect("region patch bad date", call("PATCH", "/api/v1/regions/r2",
             {"pilot_ends_on": "30.6.2030"}, nat), 400, "invalid_request")
    t.expect("region patch empty name", call("PATCH", "/api/v1/regions/r2", {"name": ""}, nat),
             400, "invalid_request")
    t.expect("region patch unknown field", call("PATCH", "/api/v1/regions/r2", {"id": "r3"}, nat),
             400, "invalid_request")
    t.expect("region patch back", call("PATCH", "/api/v1/regions/r2", {"name": "Kainuu",
             "pilot_ends_on": "%d-12-31" % (year + 1)}, nat), 200)

    for uid, reg in (("u1", "r1"), ("u1b", "r1"), ("u2", "r2")):
        t.expect("unit " + uid, call("POST", "/api/v1/units",
                 {"id": uid, "region": reg, "name": "Unit " + uid}, nat), 201)
    t.expect("unit unknown region", call("POST", "/api/v1/units",
             {"id": "u9", "region": "nope", "name": "X"}, nat), 404, "not_found")
    for vid, reg in (("v1", "r1"), ("v2", "r2"), ("popup", None)):
        t.expect("venue " + vid, call("POST", "/api/v1/venues",
                 {"id": vid, "region": reg, "name": "Venue " + vid, "category": "theatre",
                  "accessibility": "Ramp at the side door", "free_cloakroom": True}, nat), 201)
    t.expect("venue bad category", call("POST", "/api/v1/venues",
             {"id": "v9", "region": "r1", "name": "X", "category": "opera"}, nat), 400,
             "invalid_request")
    r = call("GET", "/api/v1/venues")
    t.check("venues public", r[0] == 200 and len(r[1]["venues"]) == 3, r)
    r = call("GET", "/api/v1/venues?region=r1")
    t.check("venues by region", r[0] == 200 and [v["id"] for v in r[1]["venues"]] == ["v1"], r)
    t.check("venue facts R20", r[1]["venues"][0]["free_cloakroom"] is True and
            r[1]["venues"][0]["accessibility"] == "Ramp at the side door", r)

    users = {"coord1": ("coordinator", {"region": "r1"}),
             "coord2": ("coordinator", {"region": "r2"}),
             "dist1": ("distributor", {"unit": "u1"}),
             "dist1b": ("distributor", {"unit": "u1b"}),
             "dist2": ("distributor", {"unit": "u2"}),
             "venue1": ("venue", {"venue": "v1"}),
             "venue2": ("venue", {"venue": "v2"})}
    for name, (role, scope) in users.items():
        body = {"username": name, "password": PW, "role": role}
        body.update(scope)
        t.expect("user " + name, call("POST", "/api/v1/users", body, nat), 201)
    t.expect("user twice", call("POST", "/api/v1/users",
             {"username": "dist1", "password": PW, "role": "distributor", "unit": "u1"}, nat),
             409, "already_exists")
    t.expect("user scope missing", call("POST", "/api/v1/users",
             {"username": "x1", "password": PW, "role": "distributor"}, nat), 400,
             "invalid_request")
    t.expect("user short password", call("POST", "/api/v1/users",
             {"username": "x1", "password": "short", "role": "national"}, nat), 400,
             "invalid_request")
    # R27/R34: one username rule (core's username_check): an API key acts as
    # "key:ID" and the command line as "cli"; no user may take those names.
    for bad in ["key:1", "key:2", "cli", "matti.meikäläinen", "e ve", "", "a" * 65]:
        r = call("POST", "/api/v1/users", {"username": bad, "password": PW, "role": "national"},
                 nat)
        t.check("username %r refused" % bad, r[0] == 400 and r[1]["error"] == "invalid_request"
                and r[1].get("details", {}).get("field") == "username", r)
    t.expect("username of 64 bytes", call("POST", "/api/v1/users",
             {"username": "a" * 64, "password": PW, "role": "national"}, nat), 201)
    r = call("GET", "/api/v1/users", token=nat)
    t.check("no refused username stored", r[0] == 200 and not
            {"key:1", "key:2", "cli", "a" * 65} & {u["username"] for u in r[1]["users"]}, r)
    tok = {name: s.login(name, PW) for name in users}
    tok["nat"] = nat
    coord1 = tok["coord1"]
    t.expect("coordinator adds user in region", call("POST", "/api/v1/users",
             {"username": "venue1b", "password": PW, "role": "venue", "venue": "v1"}, coord1), 201)
    t.expect("coordinator adds user elsewhere", call("POST", "/api/v1/users",
             {"username": "venue2b", "password": PW, "role": "venue", "venue": "v2"}, coord1), 403,
             "forbidden")
    r = call("GET", "/api/v1/users", token=coord1)
    names = {u["username"] for u in r[1]["users"]} if r[0] == 200 else set()
    t.check("users list scoped", r[0] == 200 and "venue1" in names and "venue2" not in names, r)
    r = call("GET", "/api/v1/units", token=tok["coord2"])
    t.check("units scoped", r[0] == 200 and [u["id"] for u in r[1]["units"]] == ["u2"], r)

    # ---- stock, transfers ----
    p = ["P%d" % i for i in range(1, 21)]
    t.expect("stock personal", call("POST", "/api/v1/stock",
             {"unit": "u1", "kind": "personal", "codes": [c.lower() + " " for c in p]}, nat), 201)
    t.expect("stock community", call("POST", "/api/v1/stock",
             {"unit": "u1", "kind": "community", "codes": ["C1", "C2"]}, coord1), 201)
    r = call("POST", "/api/v1/stock", {"unit": "u2", "kind": "personal", "codes": ["Q1", "Q2"]},
             tok["coord2"])
    t.check("stock added", r[0] == 201 and r[1] == {"added": 2}, r)
    t.expect("stock taken", call("POST", "/api/v1/stock",
             {"unit": "u2", "kind": "personal", "codes": ["Q3", "P1"]}, nat), 409, "code_taken")
    t.expect("stock all or nothing", call("GET", "/api/v1/cards/Q3", token=nat), 404,
             "card_unknown")
    t.expect("stock invalid code", call("POST", "/api/v1/stock",
             {"unit": "u2", "kind": "personal", "codes": ["Q-4"]}, nat), 400, "invalid_card_code")
    t.expect("stock other region", call("POST", "/api/v1/stock",
             {"unit": "u1", "kind": "personal", "codes": ["Z1"]}, tok["coord2"]), 403, "forbidden")

    r = call("POST", "/api/v1/transfers", {"codes": ["P19"], "from_unit": "u1",
             "to_unit": "u1b"}, tok["dist1"])
    t.check("transfer requested", r[0] == 201 and r[1]["status"] == "requested", r)
    tr1 = r[1]["id"]
    r = call("POST", "/api/v1/transfers", {"codes": ["P20"], "from_unit": "u1",
             "to_unit": "u1b"}, coord1)
    tr2 = r[1]["id"]
    t.expect("transfer from other unit", call("POST", "/api/v1/transfers",
             {"codes": ["P18"], "from_unit": "u1", "to_unit": "u1b"}, tok["dist2"]), 403,
             "forbidden")
    r = call("GET", "/api/v1/transfers?status=requested", token=coord1)
    t.check("transfers list", r[0] == 200 and len(r[1]["transfers"]) == 2, r)
    t.expect("transfer approve by national", call("POST", "/api/v1/transfers/%d/approve" % tr1,
             token=nat), 403, "forbidden")
    t.expect("transfer approve other region", call("POST", "/api/v1/transfers/%d/approve" % tr1,
             token=tok["coord2"]), 403, "forbidden")
    r = call("POST", "/api/v1/transfers/%d/approve" % tr1, token=coord1)
    t.check("transfer approved", r[0] == 200 and r[1] == {"id": tr1, "status": "approved"}, r)
    r = call("POST", "/api/v1/transfers/%d/reject" % tr2, token=coord1)
    t.check("transfer rejected", r[0] == 200 and r[1]["status"] == "rejected", r)
    t.expect("transfer twice", call("POST", "/api/v1/transfers/%d/reject" % tr2, token=coord1),
             409, "transfer_not_pending")
    t.expect("transfer unknown", call("POST", "/api/v1/transfers/999999/approve", token=coord1),
             404, "not_found")

    # ---- handouts and cards ----
    dist1 = tok["dist1"]
    form = {"birth_year": 1980, "mother_tongue": "fi", "gender": "female",
            "postal_code": "02100", "life_situation": ["unemployed", "debt"]}

    def handout(code, token=dist1, **kw):
        body = dict(form, card=code)
        body.update(kw)
        return call("POST", "/api/v1/handouts", body, token)

    r = handout("p1")
    valid_until = today.replace(year=today.year + 1) if not (today.month == 2 and today.day == 29) \
        else today.replace(year=today.year + 1, day=28)
    t.check("handout", r[0] == 201 and r[1]["card"] == "P1" and r[1]["kind"] == "personal" and
            r[1]["valid_until"] == valid_until.isoformat(), r)
    for code in ("P2", "P3", "P4", "P5", "P6"):
        t.expect("handout " + code, handout(code), 201)
    r = call("POST", "/api/v1/handouts", {"card": "C1"}, dist1)
    t.check("community handout", r[0] == 201 and r[1]["kind"] == "community", r)
    old = (today - datetime.timedelta(days=800)).isoformat()
    t.expect("handout in the past", handout("P7", handed_out_on=old), 201)
    t.expect("renewal R14", handout("P8", renews="P7"), 201)
    t.expect("handout ten days ago", handout(
        "P11", handed_out_on=(today - datetime.timedelta(days=10)).isoformat()), 201)
    t.expect("card_already_issued", handout("P1"), 409, "card_already_issued")
    t.expect("handout_in_future", handout("P9", handed_out_on=(today + datetime.timedelta(days=2))
             .isoformat()), 422, "handout_in_future")
    t.expect("too_young", handout("P9", birth_year=year - 10), 422, "too_young")
    t.expect("invalid_birth_year", handout("P9", birth_year=1800), 400, "invalid_birth_year")
    t.expect("invalid_language", handout("P9", mother_tongue="xx1"), 400, "invalid_language")
    t.expect("invalid_gender", handout("P9", gender="robot"), 400, "invalid_gender")
    t.expect("invalid_postal_code", handout("P9", postal_code="123"), 400, "invalid_postal_code")
    t.expect("invalid_life_situation", handout("P9", life_situation=["rich"]), 400,
             "invalid_life_situation")
    t.expect("invalid card code", handout("P-9"), 400, "invalid_card_code")
    t.expect("over-long card code R1", handout("P" * 100), 400, "invalid_card_code")
    t.expect("over-long renews code R1", handout("P9", renews="P" * 100), 400,
             "invalid_card_code")
    t.expect("card_not_in_unit_stock", handout("Q1"), 422, "card_not_in_unit_stock")
    t.expect("handout by coordinator", handout("P9", token=coord1), 403, "forbidden")
    t.expect("renews_invalid", handout("P9", renews="P1"), 422, "renews_invalid")

    r = call("GET", "/api/v1/cards/p1", token=tok["venue1"])
    t.check("card lookup R33", r[0] == 200 and r[1] == {"code": "P1", "kind": "personal",
            "status": "valid", "valid_until": valid_until.isoformat()}, r)
    r = call("GET", "/api/v1/cards/P10", token=nat)
    t.check("card not issued", r[0] == 200 and r[1]["status"] == "not_issued" and
            r[1]["valid_until"] is None, r)
    r = call("GET", "/api/v1/cards/P7", token=nat)
    t.check("card expired", r[0] == 200 and r[1]["status"] == "expired", r)
    t.expect("card_unknown", call("GET", "/api/v1/cards/NOPE1", token=nat), 404, "card_unknown")
    t.expect("card lookup invalid", call("GET", "/api/v1/cards/ab-c", token=nat), 400,
             "invalid_card_code")
    t.expect("cancel other unit", call("POST", "/api/v1/cards/P3/cancel", {"reason": "lost"},
             tok["dist2"]), 403, "forbidden")
    t.expect("cancel needs reason", call("POST", "/api/v1/cards/P3/cancel", {}, dist1), 400,
             "invalid_request")
    r = call("POST", "/api/v1/cards/P3/cancel", {"reason": "lost"}, dist1)
    t.check("cancel", r[0] == 200 and r[1]["status"] == "cancelled", r)
    r = call("POST", "/api/v1/cards/P4/cancel", {"reason": "misused"}, coord1)
    t.check("cancel by coordinator", r[0] == 200 and r[1]["status"] == "cancelled", r)

    # ---- events ----
    venue1 = tok["venue1"]
    ahead = now + datetime.timedelta(days=30)

    def event(token=venue1, **kw):
        body = {"venue": "v1", "name": "Taikuri Matti", "kind": "performance",
                "starts_at": iso(ahead), "capacity": 100}
        body.update(kw)
        return call("POST", "/api/v1/events", body, token)

    r = event(cap=10)
    t.check("event", r[0] == 201 and r[1]["cap"] == 10 and r[1]["remaining"] == 10 and
            r[1]["excluded"] is False and r[1]["booking_opens_days"] is None, r)
    ev = r[1]["id"]
    t.expect("cap_too_low", event(capacity=200, cap=1), 422, "cap_too_low")
    r = event(capacity=200, cap=1)
    t.check("cap_too_low minimum", r[1].get("details", {}).get("minimum") == 10, r)
    t.expect("event other venue", event(token=tok["venue2"]), 403, "forbidden")
    t.expect("event by national", event(token=nat, venue="popup"), 201)
    t.expect("event bad kind", event(kind="opera"), 400, "invalid_request")
    t.expect("event bad time", event(starts_at="tomorrow"), 400, "invalid_request")
    t.expect("event missing field", call("POST", "/api/v1/events", {"venue": "v1"}, venue1), 400,
             "invalid_request")
    r = event(name="Kesäyöntaika", booking_opens_days=7)
    t.check("event R17 booking", r[0] == 201 and r[1]["booking_opens_days"] == 7 and
            "booking_opens_at" in r[1], r)
    ev_booking = r[1]["id"]
    r = event(starts_at=iso(now + datetime.timedelta(days=2)), collection_opens_minutes=30)
    t.check("event R17 collection", r[0] == 201 and "collection_opens_at" in r[1], r)
    ev_collect = r[1]["id"]
    # R17: one limit each for the restrictions, shared by the API and the core
    # (core/rules.h): the last allowed value and the first refused one.
    for field, last in [("booking_opens_days", 366), ("collection_opens_minutes", 7 * 24 * 60)]:
        r = event(**{field: last})
        t.check("event R17 %s %d allowed" % (field, last), r[0] == 201 and r[1][field] == last, r)
        r = event(**{field: last + 1})
        t.check("event R17 %s %d refused" % (field, last + 1), r[0] == 400 and
                r[1]["error"] == "invalid_request" and
                r[1].get("details", {}).get("field") == field, r)
        r = call("PATCH", "/api/v1/events/%d" % ev, {field: last + 1}, venue1)
        t.check("event R17 PATCH %s %d refused" % (field, last + 1), r[0] == 400 and
                r[1].get("details", {}).get("field") == field, r)
    r = event(excluded=True, exclusion_reason="Premiere")
    t.check("event excluded", r[0] == 201 and r[1]["excluded"] is True and
            r[1]["exclusion_reason"] == "Premiere", r)
    ev_excluded = r[1]["id"]
    ev_course = event(kind="course", capacity=20)[1]["id"]
    ev_race = event(capacity=20, cap=3)[1]["id"]
    ev_past = event(starts_at=iso(now - datetime.timedelta(days=3)))[1]["id"]
    r = call("GET", "/api/v1/events?venue=v1&from=%s&to=%s" % (
        today.isoformat(), (today + datetime.timedelta(days=40)).isoformat()), token=tok["dist2"])
    listed = {e["id"]: e for e in r[1]["events"]} if r[0] == 200 else {}
    t.check("events list", r[0] == 200 and ev in listed and ev_past not in listed and
            listed[ev_booking]["booking_opens_days"] == 7 and
            listed[ev_excluded]["exclusion_reason"] == "Premiere", r)
    t.expect("events list bad date", call("GET", "/api/v1/events?from=2020-13-01", token=nat), 400,
             "invalid_request")
    t.expect("events list unknown param", call("GET", "/api/v1/events?colour=red", token=nat), 400,
             "invalid_request")
    r = call("GET", "/api/v1/events/%d" % ev, token=tok["dist1"])
    t.check("event get", r[0] == 200 and r[1]["id"] == ev, r)
    t.expect("event get unknown", call("GET", "/api/v1/events/999999", token=nat), 404,
             "not_found")
    r = call("PATCH", "/api/v1/events/%d" % ev, {"name": "Taikuri Matti II", "cap": 12}, venue1)
    t.check("event patch", r[0] == 200 and r[1]["name"] == "Taikuri Matti II" and
            r[1]["cap"] == 12 and r[1]["capacity"] == 100, r)
    t.expect("event patch other venue", call("PATCH", "/api/v1/events/%d" % ev, {"cap": 20},
             tok["venue2"]), 403, "forbidden")
    t.expect("event patch cap too low", call("PATCH", "/api/v1/events/%d" % ev, {"cap": 2},
             venue1), 422, "cap_too_low")

    # ---- a venue's details (R20): PATCH /api/v1/venues/{id} ----
    r = call("PATCH", "/api/v1/venues/v1", {"accessibility": "Luiska sivuovella",
                                            "accessibility_sv": "Ramp vid sidodörren",
                                            "accessibility_en": "A ramp at the side door",
                                            "free_cloakroom": False}, venue1)
    t.check("venue patch R20 by staff", r[0] == 200 and r[1]["accessibility"] ==
            "Luiska sivuovella" and r[1]["accessibility_sv"] == "Ramp vid sidodörren" and
            r[1]["accessibility_en"] == "A ramp at the side door" and
            r[1]["free_cloakroom"] is False and r[1]["name"] == "Venue v1", r)
    r = call("GET", "/api/v1/venues?region=r1")
    t.check("venue patch shown publicly", r[0] == 200 and
            r[1]["venues"][0]["accessibility_sv"] == "Ramp vid sidodörren", r)
    r = call("PATCH", "/api/v1/venues/v1", {"name": "Renamed"}, venue1)
    t.check("venue patch name by staff refused", r[0] == 403 and
            r[1]["error"] == "forbidden" and r[1].get("details", {}).get("field") == "name", r)
    t.expect("venue patch category by staff refused",
             call("PATCH", "/api/v1/venues/v1", {"category": "music"}, venue1), 403, "forbidden")
    r = call("PATCH", "/api/v1/venues/v1", {"name": "Venue v1 (renamed)", "category": "music"},
             tok["coord1"])
    t.check("venue patch name and category by coordinator", r[0] == 200 and
            r[1]["name"] == "Venue v1 (renamed)" and r[1]["category"] == "music" and
            r[1]["accessibility"] == "Luiska sivuovella", r)
    t.expect("venue patch other region", call("PATCH", "/api/v1/venues/v2", {"accessibility": ""},
             tok["coord1"]), 403, "forbidden")
    t.expect("venue patch pop-up by coordinator", call("PATCH", "/api/v1/venues/popup",
             {"free_cloakroom": False}, tok["coord1"]), 403, "forbidden")
    t.expect("venue patch other venue's staff", call("PATCH", "/api/v1/venues/v1",
             {"accessibility": ""}, tok["venue2"]), 403, "forbidden")
    t.expect("venue patch unknown", call("PATCH", "/api/v1/venues/nope", {"accessibility": ""},
             nat), 404, "not_found")
    t.expect("venue patch identity data (R10)", call("PATCH", "/api/v1/venues/v1",
             {"accessibility_en": "Ask for 131052-308T"}, venue1), 400, "identity_data_refused")
    t.expect("venue patch too long", call("PATCH", "/api/v1/venues/v1",
             {"accessibility": "x" * 2001}, venue1), 400, "invalid_request")
    t.expect("venue patch empty name", call("PATCH", "/api/v1/venues/v1", {"name": ""}, nat), 400,
             "invalid_request")
    t.expect("venue patch bad category", call("PATCH", "/api/v1/venues/v1", {"category": "opera"},
             nat), 400, "invalid_request")
    r = call("GET", "/api/v1/venues?region=r1")
    t.check("venue patch refusals changed nothing", r[0] == 200 and
            r[1]["venues"][0]["accessibility_en"] == "A ramp at the side door" and
            r[1]["venues"][0]["name"] == "Venue v1 (renamed)", r)

    # ---- recurring admissions: a series of day tickets (R15's daily line) ----
    def day(n):
        return (today + datetime.timedelta(days=n)).isoformat()

    week = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    sbody = {"name": "Uinti", "first_day": day(10), "last_day": day(16), "weekdays": week,
             "opens_at": "07:00", "capacity": 400, "cap": 20}
    r = call("POST", "/api/v1/venues/v1/series", sbody, venue1)
    t.check("series add: a week of days", r[0] == 201 and r[1]["days"] == 7 and
            r[1]["weekdays"] == week and r[1]["cap"] == 20 and r[1]["opens_at"] == "07:00" and
            r[1]["closed_at"] is None, r)
    sid = r[1]["id"] if r[0] == 201 else 0
    r = call("GET", "/api/v1/events?venue=v1&from=%s&to=%s" % (day(10), day(17)), token=nat)
    sdays = [e for e in r[1]["events"] if e["name"] == "Uinti"] if r[0] == 200 else []
    t.check("series days are daily events, each with the cap", len(sdays) == 7 and
            all(e["kind"] == "daily" and e["cap"] == 20 and e["capacity"] == 400
                for e in sdays), r)
    r = call("POST", "/api/v1/venues/v1/series", dict(sbody, cap=19), venue1)
    t.check("series R15 daily: min(20, 5 % of 400) = 20", r[0] == 422 and
            r[1]["error"] == "cap_too_low" and r[1]["details"]["minimum"] == 20, r)
    for what, body in (("unknown weekday", dict(sbody, weekdays=["mon", "funday"])),
                       ("longer than a year", dict(sbody, last_day=day(10 + 366))),
                       ("reversed", dict(sbody, last_day=day(9))),
                       ("no day left", dict(sbody, last_day=day(10), exceptions=[day(10)])),
                       ("bad exception", dict(sbody, exceptions=["10.1.2027"])),
                       ("bad opening time", dict(sbody, opens_at="7"))):
        t.expect("series refused: " + what, call("POST", "/api/v1/venues/v1/series", body,
                                                 venue1), 400, "invalid_request")
    t.expect("series at another venue", call("POST", "/api/v1/venues/v2/series", sbody, venue1),
             403, "forbidden")
    t.expect("series at an unknown venue", call("POST", "/api/v1/venues/nope/series", sbody, nat),
             404, "not_found")
    r = call("GET", "/api/v1/venues/v1/series", token=venue1)
    t.check("series refusals wrote nothing", r[0] == 200 and
            [x["id"] for x in r[1]["series"]] == [sid], r)
    r = call("POST", "/api/v1/series/%d/extend" % sid, {"last_day": day(20),
                                                         "exceptions": [day(18)]}, venue1)
    t.check("series extended: 4 days less an exception", r[0] == 200 and r[1]["days"] == 10 and
            r[1]["last_day"] == day(20), r)
    t.expect("series extended backwards", call("POST", "/api/v1/series/%d/extend" % sid,
             {"last_day": day(15)}, venue1), 400, "invalid_request")
    t.expect("series of another venue", call("POST", "/api/v1/series/%d/close" % sid, {},
             tok["venue2"]), 403, "forbidden")
    r = call("POST", "/api/v1/series/%d/close" % sid, {"from": day(12)}, venue1)
    t.check("series closed: days from then on without uses removed", r[0] == 200 and
            r[1]["removed"] == 8 and r[1]["days"] == 2 and r[1]["closed_at"] is not None and
            r[1]["last_day"] == day(11), r)
    t.expect("series closed twice", call("POST", "/api/v1/series/%d/close" % sid, {}, venue1),
             400, "invalid_request")
    t.expect("series extended once closed", call("POST", "/api/v1/series/%d/extend" % sid,
             {"last_day": day(30)}, venue1), 400, "invalid_request")
    mbody = {"name": "M", "first_day": day(50), "last_day": day(51), "weekdays": week,
             "opens_at": "10:00", "capacity": 10}
    msid = call("POST", "/api/v1/venues/v1/series", mbody, nat)[1]["id"]
    vsid = call("POST", "/api/v1/venues/v1/series", mbody, nat)[1]["id"]
    mlast = [51]

    def next_last():
        mlast[0] += 7
        return day(mlast[0])

    def new_series():
        return call("POST", "/api/v1/venues/v1/series", mbody, nat)[1]["id"]

    # ---- uses ----
    def use(card, event_id, token=venue1, **kw):
        body = {"card": card, "event": event_id, "adult": 1, "child": 0}
        body.update(kw)
        return call("POST", "/api/v1/uses", body, token)

    r = use("p1", ev, child=2)
    t.check("use", r[0] == 201 and r[1]["card"] == "P1" and r[1]["adult"] == 1 and
            r[1]["child"] == 2 and r[1]["companion"] == 0, r)
    use1 = r[1]["id"]
    t.expect("duplicate_adult_ticket", use("P1", ev), 422, "duplicate_adult_ticket")
    t.expect("card_unknown use", use("NOPE2", ev, adult=-1), 404, "card_unknown")
    t.expect("card_not_issued", use("P10", ev), 422, "card_not_issued")
    # R1: one answer for a value that is not a code, however long, on every
    # route that takes codes (the card lookup and stock say the same).
    for bad in ("P-9", "P" * 17, "P" * 100):
        t.expect("use with invalid code %d" % len(bad), use(bad, ev), 400, "invalid_card_code")
    t.expect("card_cancelled", use("P3", ev), 422, "card_cancelled")
    t.expect("card_expired", use("P7", ev), 422, "card_expired")
    t.expect("event_excluded", use("P2", ev_excluded), 422, "event_excluded")
    t.expect("community_card_course", use("C1", ev_course), 422, "community_card_course")
    t.expect("course_child_ticket", use("P2", ev_course, child=1), 422, "course_child_ticket")
    t.expect("counts all zero", use("P2", ev, adult=0), 400, "invalid_request")
    t.expect("negative count", use("P2", ev, child=-1), 400, "invalid_request")
    r = use("P2", ev_booking)
    t.expect("booking_not_open", r, 422, "booking_not_open")
    t.check("booking opens_at", isinstance(r[1], dict) and "opens_at" in r[1].get("details", {}),
            r)
    t.expect("collection_not_open", use("P2", ev_collect), 422, "collection_not_open")
    t.expect("phone skips collection window", use("P2", ev_collect, channel="phone"), 201)
    t.expect("bad channel", use("P2", ev, channel="web_shop"), 400, "invalid_request")
    t.expect("past event back-entry", use("P11", ev_past, channel="paper"), 201)
    t.expect("use by national", use("P2", ev, token=nat), 403, "forbidden")
    t.expect("use other venue", use("P2", ev, token=tok["venue2"]), 403, "forbidden")
    t.expect("use by coordinator", use("P5", ev, token=coord1, adult=0, child=1, companion=1), 201)
    t.expect("use unknown event", use("P2", 999999), 404, "not_found")

    # Idempotency (R27): body key and header.
    r1 = use("P2", ev, idempotency_key="till-1-0001")
    r2 = use("P2", ev, idempotency_key="till-1-0001")
    t.check("idempotent first", r1[0] == 201, r1)
    t.check("idempotent replay 200 same id", r2[0] == 200 and r2[1]["id"] == r1[1]["id"], r2)
    t.expect("idempotency_conflict", use("P2", ev, idempotency_key="till-1-0001", child=1), 409,
             "idempotency_conflict")
    h = {"Idempotency-Key": "till-1-0002"}
    body = {"card": "P6", "event": ev, "adult": 1, "child": 0}
    r1 = call("POST", "/api/v1/uses", body, venue1, headers=h)
    r2 = call("POST", "/api/v1/uses", body, venue1, headers=h)
    t.check("idempotency header", r1[0] == 201 and r2[0] == 200 and r1[1]["id"] == r2[1]["id"],
            (r1, r2))
    t.expect("idempotency key mismatch", call("POST", "/api/v1/uses",
             dict(body, idempotency_key="other"), venue1, headers=h), 400, "invalid_request")
    # R10: a personal identity code as the header's key is refused like one in the body.
    t.expect("R10 hetu in Idempotency-Key", call("POST", "/api/v1/uses", body, venue1,
             headers={"Idempotency-Key": "131052-308T"}), 400, "identity_data_refused")
    t.expect("R10 hetu in idempotency_key", use("P6", ev, idempotency_key="131052-308T"), 400,
             "identity_data_refused")

    # R15/R16 under concurrency: 10 racers for a cap of 3; exactly 3 win.
    results = []
    lock = threading.Lock()

    def racer(i):
        res = use("P1", ev_race, adult=0, child=1)
        with lock:
            results.append(res)

    threads = [threading.Thread(target=racer, args=(i,)) for i in range(10)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    wins = [r for r in results if r[0] == 201]
    losses = [r for r in results if r[0] != 201]
    t.check("race: exactly cap succeed", len(wins) == 3 and len(losses) == 7,
            [(r[0], r[1]) for r in results])
    for r in losses:
        if t.expect("race: a loser gets cap_reached", r, 422, "cap_reached"):
            t.check("race: cap_reached remaining", r[1]["details"].get("remaining") == 0, r)
    r = use("P2", ev_race, adult=0, child=1)
    t.expect("cap_reached after the race", r, 422, "cap_reached")
    t.check("cap_reached remaining 0", isinstance(r[1], dict) and
            r[1].get("details", {}).get("remaining") == 0, r)
    t.expect("cap_below_used", call("PATCH", "/api/v1/events/%d" % ev_race, {"cap": 1}, venue1),
             422, "cap_below_used")

    # Undo (R25).
    t.expect("undo other venue", call("DELETE", "/api/v1/uses/%d" % use1, token=tok["venue2"]),
             403, "forbidden")
    r = call("DELETE", "/api/v1/uses/%d" % use1, token=venue1)
    t.check("undo 204", r[0] == 204 and r[1] is None, r)
    t.expect("undo twice", call("DELETE", "/api/v1/uses/%d" % use1, token=venue1), 404,
             "not_found")
    t.expect("adult again after undo", use("P1", ev), 201)
    r = call("GET", "/api/v1/uses?event=%d" % ev, token=venue1)
    undone = [u for u in r[1]["uses"] if u["id"] == use1] if r[0] == 200 else []
    t.check("uses list undone_at", len(undone) == 1 and undone[0]["undone_at"] and
            undone[0]["undone_by"] == "venue1", r)
    r = call("GET", "/api/v1/uses", token=tok["venue2"])
    t.check("uses list scoped", r[0] == 200 and r[1]["uses"] == [], r)
    # Another venue's uses are refused before any is read (they were all
    # read, then all left out: 784 ms on 300,000 uses to answer nothing).
    t.expect("uses of another venue: venue staff", call("GET", "/api/v1/uses?venue=v1",
             token=tok["venue2"]), 403, "forbidden")
    t.expect("uses of another region's venue: coordinator", call(
        "GET", "/api/v1/uses?venue=v1", token=tok["coord2"]), 403, "forbidden")
    t.expect("uses of another venue's event: venue staff", call(
        "GET", "/api/v1/uses?event=%d" % ev, token=tok["venue2"]), 403, "forbidden")
    t.expect("uses of another region's event: coordinator", call(
        "GET", "/api/v1/uses?event=%d" % ev, token=tok["coord2"]), 403, "forbidden")
    r = call("GET", "/api/v1/uses?event=999999", token=tok["venue2"])
    t.check("uses of an event that does not exist: none", r[0] == 200 and r[1]["uses"] == [], r)
    r = call("GET", "/api/v1/uses?venue=nowhere", token=tok["venue2"])
    t.check("uses of a venue that does not exist: none", r[0] == 200 and r[1]["uses"] == [], r)
    r = call("GET", "/api/v1/uses?venue=v1&from=%s&to=%s" % (
        today.isoformat(), (today + datetime.timedelta(days=60)).isoformat()), token=coord1)
    t.check("uses list coordinator", r[0] == 200 and len(r[1]["uses"]) >= 5, r)
    t.expect("uses list bad event", call("GET", "/api/v1/uses?event=abc", token=nat), 400,
             "invalid_request")

    # ---- API keys ----
    r = call("POST", "/api/v1/venues/v1/api-keys", {"label": "Lippupiste"}, venue1)
    t.check("api key created", r[0] == 201 and len(r[1].get("key", "")) >= 32, r)
    key, key_id = r[1]["key"], r[1]["id"]
    r = call("GET", "/api/v1/venues/v1/api-keys", token=coord1)
    t.check("api keys listed without key", r[0] == 200 and r[1]["api_keys"][0]["id"] == key_id and
            "key" not in r[1]["api_keys"][0], r)
    t.expect("api keys other venue", call("GET", "/api/v1/venues/v1/api-keys",
             token=tok["venue2"]), 403, "forbidden")
    t.expect("api key acts as venue", use("P5", ev, token=key), 201)
    ev_v2 = event(token=tok["venue2"], venue="v2")[1]["id"]
    t.expect("api key other venue", use("P5", ev_v2, token=key), 403, "forbidden")
    t.expect("api key lookup", call("GET", "/api/v1/cards/P5", token=key), 200)
    t.expect("api key no password", call("POST", "/api/v1/me/password",
             {"old": "x", "new": "y" * 12}, key), 403, "forbidden")
    t.expect("api key no key management", call("GET", "/api/v1/venues/v1/api-keys", token=key),
             403, "forbidden")
    r = call("DELETE", "/api/v1/venues/v1/api-keys/%d" % key_id, token=venue1)
    t.check("api key revoked", r[0] == 204, r)
    t.expect("revoked key", call("GET", "/api/v1/cards/P5", token=key), 401, "unauthenticated")
    t.expect("revoke unknown key", call("DELETE", "/api/v1/venues/v1/api-keys/999999",
             token=venue1), 404, "not_found")
    # A venue holds at most 20 keys not revoked (each has no budget of its
    # own, but each is a way in); a revoked one frees its place.
    held = len(call("GET", "/api/v1/venues/v1/api-keys", token=venue1)[1]["api_keys"])
    made = [call("POST", "/api/v1/venues/v1/api-keys", {"label": "k%d" % i}, venue1)
            for i in range(20 - held)]
    t.check("keys up to the cap", all(m[0] == 201 for m in made), [m[0] for m in made])
    r = call("POST", "/api/v1/venues/v1/api-keys", {"label": "one too many"}, venue1)
    t.expect("the 21st key", r, 409, "api_key_limit")
    t.expect("the cap holds for the coordinator too", call(
        "POST", "/api/v1/venues/v1/api-keys", {"label": "x"}, coord1), 409, "api_key_limit")
    call("DELETE", "/api/v1/venues/v1/api-keys/%d" % made[0][1]["id"], token=venue1)
    r = call("POST", "/api/v1/venues/v1/api-keys", {"label": "after a revoke"}, venue1)
    t.expect("a revoked key frees its place", r, 201)
    capped = [m[1]["id"] for m in made] + [r[1]["id"]]
    for k in capped[1:]:
        call("DELETE", "/api/v1/venues/v1/api-keys/%d" % k, token=venue1)

    # ---- passwords, disable, logout ----
    a = s.login("venue1b", PW)
    b = s.login("venue1b", PW)
    t.expect("other session works", call("GET", "/api/v1/regions", token=b), 200)
    t.expect("password wrong old", call("POST", "/api/v1/me/password",
             {"old": "wrong-password", "new": "another-password-2"}, a), 403, "forbidden")
    t.expect("password too short", call("POST", "/api/v1/me/password",
             {"old": PW, "new": "short"}, a), 400, "invalid_request")
    t.expect("password changed", call("POST", "/api/v1/me/password",
             {"old": PW, "new": "another-password-2"}, a), 204)
    t.expect("this session stays", call("GET", "/api/v1/regions", token=a), 200)
    t.expect("other sessions end", call("GET", "/api/v1/regions", token=b), 401,
             "unauthenticated")
    t.check("login with new password", bool(s.login("venue1b", "another-password-2")))
    t.expect("disable other region", call("POST", "/api/v1/users/venue1b/disable",
             token=tok["coord2"]), 403, "forbidden")
    r = call("POST", "/api/v1/users/venue1b/disable", token=coord1)
    t.check("disable", r[0] == 200 and r[1]["disabled"] is True, r)
    t.expect("disabled session ends", call("GET", "/api/v1/regions", token=a), 401,
             "unauthenticated")
    t.expect("disabled cannot log in", call("POST", "/api/v1/login",
             {"username": "venue1b", "password": "another-password-2"}), 401, "unauthenticated")
    t.expect("disable unknown", call("POST", "/api/v1/users/nobody/disable", token=nat), 404,
             "not_found")
    t.expect("nobody disables themselves", call("POST", "/api/v1/users/coord1/disable",
             token=coord1), 403, "forbidden")
    t.expect("not even national", call("POST", "/api/v1/users/%s/disable" % kaikutest.NATIONAL,
             token=nat), 403, "forbidden")
    # Passwords of only blanks are refused wherever a password is set.
    for blank in (" " * 12, " \t" * 6, "\u00a0" * 12):
        t.expect("blank password, new user %r" % blank, call("POST", "/api/v1/users", {
            "username": "blank", "password": blank, "role": "venue", "venue": "v1"}, nat),
            400, "invalid_request")
        t.expect("blank password, own", call("POST", "/api/v1/me/password",
                 {"old": PW, "new": blank}, coord1), 400, "invalid_request")
        t.expect("blank password, set by national", call(
            "POST", "/api/v1/users/dist1b/password", {"new": blank}, nat), 400,
            "invalid_request")
    # The national service sets a password: the user's sessions end, the old
    # password no longer signs in, the new one does.
    old = s.login("dist1b", PW)
    r = call("POST", "/api/v1/users/dist1b/password", {"new": "reset-password-3"}, nat)
    t.check("national sets a password", r[0] == 200 and r[1]["username"] == "dist1b", r)
    t.expect("the user's sessions end", call("GET", "/api/v1/regions", token=old), 401,
             "unauthenticated")
    t.expect("the old password fails", call("POST", "/api/v1/login",
             {"username": "dist1b", "password": PW}), 401, "unauthenticated")
    t.check("the new one signs in", bool(s.login("dist1b", "reset-password-3")))
    t.expect("a coordinator of another region cannot", call(
        "POST", "/api/v1/users/dist1b/password", {"new": "reset-password-4"}, tok["coord2"]), 403,
        "forbidden")
    t.expect("unknown user", call("POST", "/api/v1/users/nobody/password",
             {"new": "reset-password-4"}, nat), 404, "not_found")
    t.expect("the coordinator of its region can", call(
        "POST", "/api/v1/users/dist1b/password", {"password": PW}, coord1), 200)
    lo = s.login("dist1b", PW)
    t.expect("logout", call("POST", "/api/v1/logout", token=lo), 204)
    t.expect("logged out", call("GET", "/api/v1/regions", token=lo), 401, "unauthenticated")

    # ---- authorization matrix: every route x every actor (R32) ----
    # Every object targeted lies in region r1, unit u1 or venue v1. coord2, dist2,
    # venue2 and key2 hold the same roles elsewhere (r2, u2, v2), so the matrix
    # tests both the role and the scope of each route.
    key_venue[key_id] = "v1"
    key_venue.update({k: "v1" for k in capped})
    card_region.update({c: "r1" for c in p + ["C1", "C2"]})
    card_region.update(Q1="r2", Q2="r2")
    scopes = {"nat": ("national", ""), "coord1": ("coordinator", "r1"),
              "coord2": ("coordinator", "r2"), "dist1": ("distributor", "u1"),
              "dist2": ("distributor", "u2"), "venue1": ("venue", "v1"),
              "venue2": ("venue", "v2"), "key1": ("venue", "v1"), "key2": ("venue", "v2")}
    actors = ["nat", "coord1", "coord2", "dist1", "dist2", "venue1", "venue2", "key1", "key2",
              None]  # None: anonymous

    def label(who):
        return who or "anonymous"

    def password_of(who):
        return kaikutest.PASSWORD if who == "nat" else PW

    def in_scope(who, place):
        """R32 on a place (region, unit, venue)."""
        role, scope = scopes[who]
        region, unit, venue = place
        return {"national": True, "coordinator": region == scope,
                "distributor": unit == scope, "venue": venue == scope}[role]

    def new_key(venue, token=nat):
        r = call("POST", "/api/v1/venues/%s/api-keys" % venue, {"label": "matrix"}, token)
        t.expect("matrix: key for " + venue, r, 201)
        key_venue[r[1]["id"]] = venue
        return r[1]["id"], r[1]["key"]

    tok["key1"] = new_key("v1", venue1)[1]
    tok["key2"] = new_key("v2", tok["venue2"])[1]
    # Something to see in r2 too: a transfer, a handout and a use.
    t.expect("unit u2b", call("POST", "/api/v1/units", {"id": "u2b", "region": "r2",
             "name": "Unit u2b"}, tok["coord2"]), 201)
    t.expect("transfer in r2", call("POST", "/api/v1/transfers", {"codes": ["Q2"],
             "from_unit": "u2", "to_unit": "u2b"}, tok["dist2"]), 201)
    t.expect("handout in r2", handout("Q1", token=tok["dist2"]), 201)
    t.expect("use in r2", use("Q1", ev_v2, token=tok["venue2"]), 201)
    matrix_codes = ["M%d" % i for i in range(1, 80)]
    card_region.update({c: "r1" for c in matrix_codes})
    fresh = iter(matrix_codes)
    t.expect("matrix stock", call("POST", "/api/v1/stock", {"unit": "u1", "kind": "personal",
             "codes": matrix_codes}, nat), 201)
    ev_m = event(name="Matrix", kind="daily", capacity=1000)[1]["id"]

    def issued():
        code = next(fresh)
        t.expect("matrix: handout " + code, handout(code), 201)
        return code

    def new_use():
        r = use(issued(), ev_m)
        t.expect("matrix: use", r, 201)
        return r[1]["id"]

    def pending_transfer():
        r = call("POST", "/api/v1/transfers", {"codes": [next(fresh)], "from_unit": "u1",
                 "to_unit": "u1b"}, tok["dist1"])
        t.expect("matrix: transfer", r, 201)
        return r[1]["id"]

    def new_user(name):
        t.expect("matrix: user " + name, call("POST", "/api/v1/users", {"username": name,
                 "password": PW, "role": "venue", "venue": "v1"}, nat), 201)
        return name

    def disabled_user(name):
        new_user(name)
        t.expect("matrix: disable " + name, call("POST", "/api/v1/users/%s/disable" % name,
                 token=nat), 200)
        return name

    # Targets of the refused cells, checked untouched after each row.
    victim = {"key": new_key("v1"), "user": new_user("m-victim"), "transfer": pending_transfer(),
              "stock": next(fresh), "card": issued(), "use": new_use(),
              "disabled": disabled_user("m-victim-off")}
    new_user("m-login")

    # What the test knows of the network, for placing listed rows (learn()
    # refreshes it from national's listings before every listing row).
    net = {"unit": {}, "venue": {}, "user": {}, "transfer": {}, "use": {}, "event": {}}

    def learn():
        for coll, field in (("units", "region"), ("venues", "region"), ("users", None),
                            ("transfers", "region"), ("uses", "venue")):
            r = call("GET", "/api/v1/" + coll, token=nat)
            if not t.check("matrix: national lists " + coll, r[0] == 200, r):
                continue
            ident = "username" if coll == "users" else "id"
            net[coll[:-1]] = {x[ident]: (x[field] or "") if field else x for x in r[1][coll]}

    def unit_region(unit):
        return net["unit"].get(unit)

    def venue_region(venue):
        return net["venue"].get(venue)

    def user_place(u):
        if "region" in u:
            return (u["region"], "", "")
        if "unit" in u:
            return (unit_region(u["unit"]), u["unit"], "")
        if "venue" in u:
            return (venue_region(u["venue"]), "", u["venue"])
        return ("", "", "")  # national

    def event_region(event_id):
        if event_id not in net["event"]:
            r = call("GET", "/api/v1/events/%d" % event_id, token=nat)
            net["event"][event_id] = (r[1]["region"] or "") if r[0] == 200 else None
        return net["event"][event_id]

    def audit_region(obj):
        """The region of an audit row's object ("kind:id"); None if unknown."""
        kind, _, ident = obj.partition(":")
        if kind == "region":
            return ident
        if kind == "unit":
            return unit_region(ident)
        if kind == "venue":
            return venue_region(ident)
        if kind == "user":
            return user_place(net["user"][ident])[0] if ident in net["user"] else None
        if kind == "card":
            return card_region.get(ident)
        if not ident.isdigit():
            return None
        n = int(ident)
        if kind == "transfer":
            return net["transfer"].get(n)
        if kind == "event":
            return event_region(n)
        if kind == "use":
            return venue_region(net["use"][n]) if n in net["use"] else None
        if kind == "api_key":
            return venue_region(key_venue[n]) if n in key_venue else None
        if kind == "series":  # every series of this test is at venue v1
            r = call("GET", "/api/v1/venues/v1/series", token=nat)
            ids = [x["id"] for x in r[1]["series"]] if r[0] == 200 else []
            return venue_region("v1") if n in ids else None
        return None

    def audit_row_region(e):
        """The region of an audit row. A handout's row as a coordinator sees it names no
        card (R30, docs/privacy.md): it lies in the region of the distributor's unit."""
        if e["action"] == "handout.record" and e["object"] == "card":
            u = net["user"].get(e["user"])
            return user_place(u)[0] if u else None
        return audit_region(e["object"])

    thrown = {}  # the throwaway session of the current logout cell

    def logout_req(who, ok):
        thrown["token"] = None
        if ok and not who.startswith("key"):
            thrown["token"] = s.login(who, password_of(who))
            return "/api/v1/logout", None, thrown["token"]
        return "/api/v1/logout", None

    def logout_check(who, r):
        if thrown["token"]:
            t.expect("matrix %s logout ended that session" % who,
                     call("GET", "/api/v1/regions", token=thrown["token"]), 401, "unauthenticated")
        t.expect("matrix %s logout left the other session or the key" % who,
                 call("GET", "/api/v1/regions", token=tok[who]), 200)

    def get(path):
        return lambda who, ok: (path, None)

    def after_key_revoke():
        t.expect("matrix: refused revokes left the key working", call(
            "GET", "/api/v1/cards/" + victim["card"], token=victim["key"][1]), 200)

    def after_disable():
        r = call("GET", "/api/v1/users", token=nat)
        t.check("matrix: refused disables left the user enabled", r[0] == 200 and
                [u["disabled"] for u in r[1]["users"] if u["username"] == victim["user"]] ==
                [False], r)

    def after_enable():
        r = call("GET", "/api/v1/users", token=nat)
        t.check("matrix: refused re-enables left the user disabled", r[0] == 200 and
                [u["disabled"] for u in r[1]["users"] if u["username"] == victim["disabled"]] ==
                [True], r)

    def after_set_password():
        t.expect("matrix: refused password changes left the password",
                 call("POST", "/api/v1/login", {"username": victim["user"], "password": PW}), 200)

    def after_decide():
        r = call("GET", "/api/v1/transfers?status=requested", token=nat)
        t.check("matrix: refused decisions left the transfer pending", r[0] == 200 and
                victim["transfer"] in [x["id"] for x in r[1]["transfers"]], r)

    def after_card(status):
        def check():
            r = call("GET", "/api/v1/cards/" + (victim["stock"] if status == "not_issued"
                                                 else victim["card"]), token=nat)
            t.check("matrix: refused calls left the card " + status, r[0] == 200 and
                    r[1]["status"] == status, r)
        return check

    def after_patch():
        r = call("GET", "/api/v1/events/%d" % ev_m, token=nat)
        t.check("matrix: the last allowed PATCH won", r[0] == 200 and
                r[1]["name"] == "Matrix key1", r)

    def after_venue_patch():
        r = call("GET", "/api/v1/venues?region=r1")
        v1 = [v for v in r[1]["venues"] if v["id"] == "v1"] if r[0] == 200 else []
        t.check("matrix: the last allowed venue PATCH won",
                v1 and v1[0]["accessibility"] == "Matrix venue1", r)

    def after_uses():
        r = call("GET", "/api/v1/uses?event=%d" % ev_m, token=nat)
        mine = [u for u in r[1]["uses"] if u["card"] == victim["card"]] if r[0] == 200 else None
        t.check("matrix: refused uses recorded nothing", mine == [], r)
        t.check("matrix: refused undos left the use counting", r[0] == 200 and
                [u["undone_at"] for u in r[1]["uses"] if u["id"] == victim["use"]] == [None], r)

    def row(route, cells, req, check=None, after=None, listing=None):
        return route, cells.split(), req, check, after, listing

    # One row per route; one outcome per actor, in the order of `actors`:
    #   a status: exactly that (403 is forbidden, 401 unauthenticated);
    #   STATUS/CODE: that status with that error code;
    #   F: 200 and a listing holding exactly the rows national sees that lie in
    #      the caller's scope (R32); `listing` says where each row lies.
    # req(who, ok) returns (path, body[, token]); ok says the cell succeeds, so
    # that a destructive call gets a target of its own and a refused one the
    # shared victim.
    matrix = [
        #    nat c1  c2  d1  d2  v1  v2  k1  k2  anonymous (c: coordN, d: distN, v: venueN, k: keyN)
        row("GET /healthz",
            "200 200 200 200 200 200 200 200 200 200", get("/healthz")),
        row("GET /api/v1/openapi.json",
            "200 200 200 200 200 200 200 200 200 200", get("/api/v1/openapi.json")),
        row("POST /api/v1/login",
            "200 200 200 200 200 200 200 200 200 200",
            lambda who, ok: ("/api/v1/login", {"username": "m-login", "password": PW})),
        row("POST /api/v1/logout",
            "204 204 204 204 204 204 204 204 204 401", logout_req, check=logout_check),
        row("POST /api/v1/me/password",
            "204 204 204 204 204 204 204 403 403 401",
            lambda who, ok: ("/api/v1/me/password", {"old": password_of(who),
                                                     "new": password_of(who)})),
        row("POST /api/v1/regions",
            "201 403 403 403 403 403 403 403 403 401",
            lambda who, ok: ("/api/v1/regions", {"id": "m-" + label(who), "name": "M"})),
        row("GET /api/v1/regions",
            "200 200 200 200 200 200 200 200 200 401", get("/api/v1/regions")),
        row("PATCH /api/v1/regions/{id}",
            "200 403 403 403 403 403 403 403 403 401",
            lambda who, ok: ("/api/v1/regions/r1", {"name": "Espoo"})),
        row("POST /api/v1/units",
            "201 201 403 403 403 403 403 403 403 401",
            lambda who, ok: ("/api/v1/units", {"id": "mu-" + label(who), "region": "r1",
                                               "name": "M"})),
        row("GET /api/v1/units",
            "F   F   F   F   F   F   F   F   F   401", get("/api/v1/units"),
            listing=("units", "id", lambda u: [(u["region"], u["id"], "")])),
        row("POST /api/v1/venues",
            "201 201 403 403 403 403 403 403 403 401",
            lambda who, ok: ("/api/v1/venues", {"id": "mv-" + label(who), "region": "r1",
                                                "name": "M", "category": "museum"})),
        row("GET /api/v1/venues",  # public facts (R20)
            "200 200 200 200 200 200 200 200 200 200", get("/api/v1/venues")),
        row("POST /api/v1/venues/{id}/api-keys",
            "201 201 403 403 403 201 403 403 403 401",
            lambda who, ok: ("/api/v1/venues/v1/api-keys", {"label": "M"}),
            check=lambda who, r: key_venue.update({r[1]["id"]: "v1"})),
        row("GET /api/v1/venues/{id}/api-keys",
            "200 200 403 403 403 200 403 403 403 401", get("/api/v1/venues/v1/api-keys")),
        row("DELETE /api/v1/venues/{id}/api-keys/{key_id}",
            "204 204 403 403 403 204 403 403 403 401",
            lambda who, ok: ("/api/v1/venues/v1/api-keys/%d" % (
                new_key("v1")[0] if ok else victim["key"][0]), None),
            after=after_key_revoke),
        row("POST /api/v1/users",
            "201 201 403 403 403 403 403 403 403 401",
            lambda who, ok: ("/api/v1/users", {"username": "m-" + label(who), "password": PW,
                                               "role": "venue", "venue": "v1"})),
        row("GET /api/v1/users",
            "F   F   F   403 403 403 403 403 403 401", get("/api/v1/users"),
            listing=("users", "username", lambda u: [user_place(u)])),
        row("POST /api/v1/users/{username}/disable",
            "200 200 403 403 403 403 403 403 403 401",
            lambda who, ok: ("/api/v1/users/%s/disable" % (
                new_user("md-" + label(who)) if ok else victim["user"]), None),
            after=after_disable),
        row("POST /api/v1/users/{username}/password",
            "200 200 403 403 403 403 403 403 403 401",
            lambda who, ok: ("/api/v1/users/%s/password" % (
                new_user("mp-" + label(who)) if ok else victim["user"]),
                {"new": "new-password-" + label(who)}),
            after=after_set_password),
        row("POST /api/v1/users/{username}/enable",
            "200 200 403 403 403 403 403 403 403 401",
            lambda who, ok: ("/api/v1/users/%s/enable" % (
                disabled_user("me-" + label(who)) if ok else victim["disabled"]), None),
            after=after_enable),
        row("POST /api/v1/stock",
            "201 201 403 403 403 403 403 403 403 401",
            lambda who, ok: ("/api/v1/stock", {"unit": "u1", "kind": "personal",
                                               "codes": ["MS%d" % actors.index(who)]})),
        row("POST /api/v1/transfers",
            "403 201 403 201 403 403 403 403 403 401",
            lambda who, ok: ("/api/v1/transfers", {"codes": [next(fresh) if ok else
                                                             victim["stock"]],
                                                   "from_unit": "u1", "to_unit": "u1b"})),
        row("GET /api/v1/transfers",
            "F   F   F   F   F   403 403 403 403 401", get("/api/v1/transfers"),
            listing=("transfers", "id", lambda x: [(x["region"], x["from_unit"], ""),
                                                    (unit_region(x["to_unit"]), x["to_unit"],
                                                     "")])),
        row("POST /api/v1/transfers/{id}/approve",
            "403 200 403 403 403 403 403 403 403 401",
            lambda who, ok: ("/api/v1/transfers/%d/approve" % (
                pending_transfer() if ok else victim["transfer"]), None),
            after=after_decide),
        row("POST /api/v1/transfers/{id}/reject",
            "403 200 403 403 403 403 403 403 403 401",
            lambda who, ok: ("/api/v1/transfers/%d/reject" % (
                pending_transfer() if ok else victim["transfer"]), None),
            after=after_decide),
        row("POST /api/v1/handouts",  # R3: another unit's card
            "403 403 403 201 422/card_not_in_unit_stock 403 403 403 403 401",
            lambda who, ok: ("/api/v1/handouts", dict(form, card=next(fresh) if ok else
                                                      victim["stock"])),
            after=after_card("not_issued")),
        row("GET /api/v1/cards/{code}",
            "200 200 200 200 200 200 200 200 200 401", get("/api/v1/cards/" + victim["card"])),
        row("POST /api/v1/cards/{code}/cancel",
            "403 200 403 200 403 403 403 403 403 401",
            lambda who, ok: ("/api/v1/cards/%s/cancel" % (issued() if ok else victim["card"]),
                             {"reason": "lost"}),
            after=after_card("valid")),
        row("POST /api/v1/events",
            "201 201 403 403 403 201 403 201 403 401",
            lambda who, ok: ("/api/v1/events", {"venue": "v1", "name": "M", "kind": "daily",
                                                "starts_at": iso(ahead), "capacity": 10})),
        row("GET /api/v1/events",
            "200 200 200 200 200 200 200 200 200 401", get("/api/v1/events")),
        row("GET /api/v1/events/{id}",
            "200 200 200 200 200 200 200 200 200 401", get("/api/v1/events/%d" % ev_m)),
        row("PATCH /api/v1/events/{id}",
            "200 200 403 403 403 200 403 200 403 401",
            lambda who, ok: ("/api/v1/events/%d" % ev_m, {"name": "Matrix " + label(who)}),
            after=after_patch),
        row("POST /api/v1/uses",
            "403 201 403 403 403 201 403 201 403 401",
            lambda who, ok: ("/api/v1/uses", {"card": issued() if ok else victim["card"],
                                              "event": ev_m, "adult": 1, "child": 0}),
            after=after_uses),
        row("GET /api/v1/uses",
            "F   F   F   403 403 F   F   F   F   401", get("/api/v1/uses"),
            listing=("uses", "id", lambda u: [(venue_region(u["venue"]), "", u["venue"])])),
        row("DELETE /api/v1/uses/{id}",
            "403 204 403 403 403 204 403 204 403 401",
            lambda who, ok: ("/api/v1/uses/%d" % (new_use() if ok else victim["use"]), None),
            after=after_uses),
        row("GET /api/v1/audit",
            "F   F   F   403 403 403 403 403 403 401", get("/api/v1/audit"),
            listing=("audit", "id", lambda e: [(audit_row_region(e), "", "")])),
        # R28, R29: venue staff (and the venue's API key), the region's coordinator, national
        row("GET /api/v1/reports/venue-usage",
            "200 200 403 403 403 200 403 200 403 401", get("/api/v1/reports/venue-usage?venue=v1")),
        row("GET /api/v1/reports/cardholders",  # R30
            "200 200 403 403 403 403 403 403 403 401",
            get("/api/v1/reports/cardholders?region=r1&year=%d" % year)),
        row("GET /api/v1/reports/national",  # R31
            "200 403 403 403 403 403 403 403 403 401",
            get("/api/v1/reports/national?year=%d" % year)),
        # R20: the venue's staff (not its API key), the region's coordinator, national
        row("POST /api/v1/venues/{id}/series",
            "201 201 403 403 403 201 403 201 403 401",
            lambda who, ok: ("/api/v1/venues/v1/series", mbody)),
        row("GET /api/v1/venues/{id}/series",
            "200 200 403 403 403 200 403 200 403 401", get("/api/v1/venues/v1/series")),
        row("POST /api/v1/series/{id}/extend",
            "200 200 403 403 403 200 403 200 403 401",
            lambda who, ok: ("/api/v1/series/%d/extend" % msid, {"last_day": next_last()})),
        row("POST /api/v1/series/{id}/close",
            "200 200 403 403 403 200 403 200 403 401",
            lambda who, ok: ("/api/v1/series/%d/close" % (new_series() if ok else vsid), {})),
        row("PATCH /api/v1/venues/{id}",
            "200 200 403 403 403 200 403 403 403 401",
            lambda who, ok: ("/api/v1/venues/v1", {"accessibility": "Matrix " + label(who)}),
            after=after_venue_patch),
        row("GET /api/v1/reports/statistics",  # R31, issue 16: national, the region's coordinator
            "200 200 403 403 403 403 403 403 403 401",
            get("/api/v1/reports/statistics?region=r1&year=%d" % year)),
    ]
    covered = {(route.split()[0].lower(), route.split()[1]) for route, *_ in matrix}
    t.check("matrix covers every route", covered == ROUTES,
            (sorted(ROUTES - covered), sorted(covered - ROUTES)))
    for route, cells, req, check, after, listing in matrix:
        method = route.split()[0]
        t.check("matrix %s: one outcome per actor" % route, len(cells) == len(actors), cells)
        reference = None
        if listing:
            learn()
        for who, want in zip(actors, cells):
            ok = want == "F" or want.startswith("2")
            got = req(who, ok)
            token = got[2] if len(got) > 2 else tok.get(who)
            r = call(method, got[0], got[1], token)
            name = "matrix %s %s" % (label(who), route)
            if want != "F":
                status, _, code = want.partition("/")
                status = int(status)
                code = code or {401: "unauthenticated", 403: "forbidden"}.get(status)
                if t.expect(name, r, status, code) and ok and check:
                    check(who, r)
                continue
            coll, ident, places = listing
            if not t.check(name + " 200", r[0] == 200, r):
                continue
            rows = r[1][coll]
            if who == "nat":
                reference = rows
                t.check(name + " not empty", len(rows) > 0, r)
                continue
            leaks = [x for x in rows if not any(in_scope(who, pl) for pl in places(x))]
            t.check(name + " holds no row outside the caller's scope", not leaks, leaks)
            if reference is not None:
                want_ids = {x[ident] for x in reference
                            if any(in_scope(who, pl) for pl in places(x))}
                got_ids = {x[ident] for x in rows}
                t.check(name + " holds every row of the caller's scope", got_ids == want_ids,
                        "missing %s, extra %s" % (sorted(want_ids - got_ids),
                                                  sorted(got_ids - want_ids)))
        if after:
            after()

    # ---- audit (R34) ----
    r = call("GET", "/api/v1/audit?from=%s&to=%s" % (
        (today - datetime.timedelta(days=1)).isoformat(), (today + datetime.timedelta(days=1))
        .isoformat()), token=nat)
    entries = r[1]["audit"] if r[0] == 200 else []
    t.check("audit national", r[0] == 200 and len(entries) > 20 and
            set(entries[0]) >= {"at", "user", "action", "object", "address"} and
            entries[-1]["address"] == "127.0.0.1", r[1] if r[0] != 200 else entries[-2:])
    learn()
    r = call("GET", "/api/v1/audit", token=nat)
    everything = r[1]["audit"] if r[0] == 200 else []
    unknown = [e for e in everything if audit_region(e["object"]) is None]
    t.check("audit: the test can place every object", everything and not unknown, unknown[:5])
    in_r1 = {e["object"] for e in everything if audit_region(e["object"]) == "r1"}
    in_r2 = {e["object"] for e in everything if audit_region(e["object"]) == "r2"}
    t.check("audit: changes in both regions", len(in_r1) > 20 and len(in_r2) > 5,
            (len(in_r1), len(in_r2)))

    def audit_of(who, region, others):
        """The audit as coordinator `who` sees it, row by row: every entry concerns
        an object of `region` and none of an object known to lie in `others`;
        and it holds every entry of the region that national sees."""
        r = call("GET", "/api/v1/audit", token=tok[who])
        rows = r[1]["audit"] if t.check("audit %s 200" % who, r[0] == 200, r) else []
        for e in rows:
            t.check("audit %s row %d (%s %s by %s) concerns %s" % (
                who, e["id"], e["action"], e["object"], e["user"], region),
                e["object"] not in others and audit_row_region(e) == region, e)
            t.check("audit %s row %d names no handed-out card (R30)" % (who, e["id"]),
                    e["action"] != "handout.record" or e["object"] == "card", e)
        want = {e["id"] for e in everything if audit_region(e["object"]) == region}
        got = {e["id"] for e in rows}
        t.check("audit %s holds every change in %s" % (who, region), want <= got,
                sorted(want - got))
        return rows

    audit_of("coord2", "r2", in_r1)
    rows = audit_of("coord1", "r1", in_r2)
    seen = {(e["user"], e["action"], e["object"]) for e in rows}
    for action, obj in (("stock.add", "unit:u1"), ("transfer.request", "transfer:%d" % tr2),
                        ("transfer.approve", "transfer:%d" % tr1),
                        ("transfer.reject", "transfer:%d" % tr2), ("card.cancel", "card:P4"),
                        ("user.add", "user:venue1b"), ("user.disable", "user:venue1b"),
                        ("user.password", "user:coord1")):
        t.check("audit coord1 sees its own %s %s" % (action, obj),
                ("coord1", action, obj) in seen, sorted(x for x in seen if x[0] == "coord1"))
    t.check("audit holds no holder data", "1980" not in str(everything) and "02100" not in
            str(everything), everything[:3])
    t.expect("audit bad date", call("GET", "/api/v1/audit?from=yesterday", token=nat), 400,
             "invalid_request")

    # ---- OpenAPI: generated from the router; must match the contract ----
    r = call("GET", "/api/v1/openapi.json")
    doc = r[1] if r[0] == 200 else {}
    got = {(m, p) for p, item in doc.get("paths", {}).items() for m in item}
    t.check("openapi version", doc.get("openapi", "").startswith("3.1"), doc.get("openapi"))
    t.check("openapi routes missing", not (ROUTES - got), sorted(ROUTES - got))
    t.check("openapi routes extra", not (got - ROUTES), sorted(got - ROUTES))
    # The error codes the server declares against the table of api.md (mirrored
    # in kaikutest) and the additions documented in docs/api.md.
    enum = doc.get("components", {}).get("schemas", {}).get("Error", {}).get(
        "properties", {}).get("error", {}).get("enum", [])
    table = {c for codes in kaikutest.ERROR_TABLE.values() for c in codes}
    extras = {c for codes in kaikutest.ERROR_EXTRAS.values() for c in codes}
    t.check("openapi error codes: each once", len(enum) == len(set(enum)), enum)
    t.check("openapi error codes: the whole table of api.md", not (table - set(enum)),
            sorted(table - set(enum)))
    t.check("openapi error codes: the documented additions", not (extras - set(enum)),
            sorted(extras - set(enum)))
    t.check("openapi error codes: nothing undocumented", not (set(enum) - table - extras),
            sorted(set(enum) - table - extras))

    # ---- 503 unavailable: the database stays locked by another process ----
    if s.pg:  # PostgreSQL: another session holds the write lock
        holder = subprocess.Popen(["psql", "-X", "-q", "-At", s.db], stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, text=True)
        holder.stdin.write("BEGIN; SELECT pg_advisory_xact_lock(%d); SELECT 'held';\n"
                           % kaikutest.PG_WRITE_LOCK)
        holder.stdin.flush()
        while holder.stdout.readline().strip() != "held":
            pass
        try:
            t.expect("unavailable", call("POST", "/api/v1/regions", {"id": "r7", "name": "Lock"},
                                         nat), 503, "unavailable")
        finally:
            holder.communicate("ROLLBACK;\n", timeout=30)
    else:
        db = sqlite3.connect(s.db, timeout=1, isolation_level=None)
        db.execute("BEGIN EXCLUSIVE")
        try:
            t.expect("unavailable", call("POST", "/api/v1/regions", {"id": "r7", "name": "Lock"},
                                         nat), 503, "unavailable")
        finally:
            db.execute("ROLLBACK")
            db.close()
    t.expect("available again", call("POST", "/api/v1/regions", {"id": "r7", "name": "Lock"}, nat),
             201)

    t.check("clean shutdown", s.stop() == 0)


if __name__ == "__main__":
    kaikutest.main(run)
