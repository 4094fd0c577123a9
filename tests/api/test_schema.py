"""The OpenAPI description against real replies: every route of the API is
called until it succeeds, and its reply must match the schema the
description gives for that status (request bodies mark their required
fields; every success reply has its typed schema). Errors must match the
Error schema. The small validator below covers the JSON-Schema subset the
description uses (type, also as a list with "null", properties, required,
additionalProperties, items, enum, oneOf, $ref, format date and date-time),
and is itself tested first on samples it must refuse.

Usage: python3 test_schema.py /path/to/kaiku
"""

import datetime
import zoneinfo
import re

import kaikutest

PW = "a-long-password-1"
UTC = datetime.timezone.utc
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$")
TYPES = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
}
KNOWN = {"type", "properties", "required", "additionalProperties", "items", "enum", "oneOf",
         "$ref", "format", "description", "minItems", "contentMediaType"}


def problems(schema, value, doc, where="$"):
    """The ways value breaks schema (an empty list when it matches)."""
    unknown = set(schema) - KNOWN
    if unknown:  # a keyword this validator would silently ignore
        return ["%s: schema keywords not understood: %s" % (where, sorted(unknown))]
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        target = doc.get("components", {}).get("schemas", {}).get(name)
        if target is None:
            return ["%s: no schema %s" % (where, schema["$ref"])]
        return problems(target, value, doc, where)
    if "oneOf" in schema:
        matching = [s for s in schema["oneOf"] if not problems(s, value, doc, where)]
        if len(matching) != 1:
            return ["%s: matches %d of oneOf, not exactly one" % (where, len(matching))]
        return []
    out = []
    if "type" in schema:
        types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        if not any(TYPES[t](value) for t in types):
            return ["%s: %r is not %s" % (where, value, "/".join(types))]
    if "enum" in schema and value not in schema["enum"]:
        out.append("%s: %r not in %s" % (where, value, schema["enum"]))
    fmt = schema.get("format")
    if isinstance(value, str) and fmt in ("date", "date-time"):
        if not (DATE if fmt == "date" else DATETIME).match(value):
            out.append("%s: %r is not a %s" % (where, value, fmt))
    if isinstance(value, list):
        if len(value) < schema.get("minItems", 0):
            out.append("%s: fewer than %d items" % (where, schema["minItems"]))
        for i, item in enumerate(value):
            out += problems(schema.get("items", {}), item, doc, "%s[%d]" % (where, i))
    if isinstance(value, dict):
        props = schema.get("properties", {})
        for key in schema.get("required", []):
            if key not in value:
                out.append("%s: %s missing" % (where, key))
        extra = schema.get("additionalProperties", True)
        for key, item in value.items():
            if key in props:
                out += problems(props[key], item, doc, "%s.%s" % (where, key))
            elif extra is False:
                out.append("%s: %s not in the schema" % (where, key))
            elif isinstance(extra, dict):
                out += problems(extra, item, doc, "%s.%s" % (where, key))
    return out


def test_validator(t):
    """The validator refuses what it must, or a green run would prove nothing."""
    doc = {"components": {"schemas": {
        "Thing": {"type": "object", "required": ["id", "when"], "additionalProperties": False,
                  "properties": {"id": {"type": "integer"},
                                 "when": {"type": "string", "format": "date-time"},
                                 "day": {"type": ["string", "null"], "format": "date"},
                                 "kind": {"type": "string", "enum": ["a", "b"]},
                                 "tags": {"type": "array", "items": {"type": "string"}},
                                 "counts": {"type": "object", "additionalProperties": {
                                     "oneOf": [{"type": "integer"},
                                               {"type": "string", "enum": ["<5"]}]}},
                                 "next": {"$ref": "#/components/schemas/Next"}}},
        "Next": {"type": "object", "required": ["n"], "additionalProperties": False,
                 "properties": {"n": {"type": "number"}}}}}}
    ref = {"$ref": "#/components/schemas/Thing"}
    good = {"id": 1, "when": "2026-02-03T18:00:00+02:00", "day": None, "kind": "a",
            "tags": ["x"], "counts": {"fi": 3, "sv": "<5"}, "next": {"n": 0.5}}
    t.check("validator: a good sample passes", not problems(ref, good, doc),
            problems(ref, good, doc))
    bad = [
        ("wrong type", dict(good, id="1")),
        ("a boolean is no integer", dict(good, id=True)),
        ("required missing", {k: v for k, v in good.items() if k != "when"}),
        ("an extra key", dict(good, colour="red")),
        ("null where not nullable", dict(good, id=None)),
        ("not in the enum", dict(good, kind="c")),
        ("a bad item", dict(good, tags=["x", 2])),
        ("a bad map value", dict(good, counts={"fi": "4"})),
        ("a bad date-time", dict(good, when="2026-02-03 18:00")),
        ("a bad date", dict(good, day="3.2.2026")),
        ("a bad $ref value", dict(good, next={"n": "x"})),
        ("an array for an object", [good]),
    ]
    for name, sample in bad:
        t.check("validator refuses: " + name, problems(ref, sample, doc), sample)
    t.check("validator refuses an unknown $ref",
            problems({"$ref": "#/components/schemas/Nope"}, {}, doc))
    t.check("validator refuses keywords it does not know",
            problems({"type": "string", "pattern": "^x$"}, "y", doc))
    both = {"oneOf": [{"type": "integer"}, {"type": "number"}]}
    t.check("validator: oneOf means exactly one", problems(both, 3, doc))


def run(t):
    test_validator(t)
    s = t.start()
    call = s.call
    doc = call("GET", "/api/v1/openapi.json")[1]
    paths = doc["paths"]
    seen = set()

    def checked(name, method, pattern, result, status):
        """Checks a reply has the status and matches the description's schema."""
        st, body, hdrs = result
        op = paths.get(pattern, {}).get(method.lower())
        if not t.check(name + ": status", st == status and op is not None,
                       "%s %s: %s %s" % (method, pattern, st, body)):
            return body
        response = op["responses"].get(str(st))
        if not t.check(name + ": the description has status %d" % st, response is not None,
                       sorted(op["responses"])):
            return body
        content = response.get("content")
        if content is None:
            ok = t.check(name + ": no body", body is None, body)
        else:
            schema = content["application/json"]["schema"]
            found = problems(schema, body, doc)
            ok = t.check(name + ": matches " + schema.get("$ref", "its schema"), not found, found)
        if ok and st < 300:
            seen.add((method.lower(), pattern))
        return body

    now = datetime.datetime.now(UTC)
    today = now.astimezone(zoneinfo.ZoneInfo("Europe/Helsinki")).date()
    ahead = (now + datetime.timedelta(days=30)).strftime("%Y-%m-%dT%H:%M:%S+00:00")
    year = today.year

    checked("healthz", "GET", "/healthz", call("GET", "/healthz"), 200)
    checked("openapi", "GET", "/api/v1/openapi.json", call("GET", "/api/v1/openapi.json"), 200)
    nat_r = call("POST", "/api/v1/login", {"username": kaikutest.NATIONAL,
                                           "password": kaikutest.PASSWORD})
    nat = checked("login", "POST", "/api/v1/login", nat_r, 200)["token"]
    checked("region", "POST", "/api/v1/regions",
            call("POST", "/api/v1/regions", {"id": "r1", "name": "Espoo"}, nat), 201)
    checked("region with pilot end", "POST", "/api/v1/regions",
            call("POST", "/api/v1/regions", {"id": "r2", "name": "Kainuu",
                                             "pilot_ends_on": "%d-12-31" % (year + 1)}, nat), 201)
    checked("regions", "GET", "/api/v1/regions", call("GET", "/api/v1/regions", token=nat), 200)
    checked("region patch", "PATCH", "/api/v1/regions/{id}",
            call("PATCH", "/api/v1/regions/r2", {"pilot_ends_on": None}, nat), 200)
    for uid in ("u1", "u2"):
        checked("unit", "POST", "/api/v1/units",
                call("POST", "/api/v1/units", {"id": uid, "region": "r1", "name": "U"}, nat), 201)
    checked("units", "GET", "/api/v1/units", call("GET", "/api/v1/units", token=nat), 200)
    checked("venue", "POST", "/api/v1/venues",
            call("POST", "/api/v1/venues", {"id": "v1", "region": "r1", "name": "Hilla",
                                            "category": "theatre"}, nat), 201)
    checked("pop-up venue", "POST", "/api/v1/venues",
            call("POST", "/api/v1/venues", {"id": "pop", "region": None, "name": "Pop",
                                            "category": "museum", "free_cloakroom": True}, nat),
            201)
    checked("venues", "GET", "/api/v1/venues", call("GET", "/api/v1/venues"), 200)
    sbody = {"name": "Uinti", "first_day": ahead[:10], "last_day": ahead[:10],
             "weekdays": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"], "opens_at": "07:00",
             "capacity": 100, "exceptions": []}
    sid = checked("series", "POST", "/api/v1/venues/{id}/series",
                  call("POST", "/api/v1/venues/v1/series", sbody, nat), 201)["id"]
    checked("series list", "GET", "/api/v1/venues/{id}/series",
            call("GET", "/api/v1/venues/v1/series", token=nat), 200)
    checked("series extend", "POST", "/api/v1/series/{id}/extend",
            call("POST", "/api/v1/series/%d/extend" % sid,
                 {"last_day": (now + datetime.timedelta(days=37)).strftime("%Y-%m-%d")}, nat),
            200)
    checked("series close", "POST", "/api/v1/series/{id}/close",
            call("POST", "/api/v1/series/%d/close" % sid, {}, nat), 200)
    checked("venue patch", "PATCH", "/api/v1/venues/{id}",
            call("PATCH", "/api/v1/venues/pop", {"accessibility_sv": "Hiss", "name": "Pop 2"},
                 nat), 200)

    users = {"coord": ("coordinator", "region", "r1"), "dist": ("distributor", "unit", "u1"),
             "staff": ("venue", "venue", "v1"), "gone": ("distributor", "unit", "u2")}
    for name, (role, key, scope) in users.items():
        checked("user " + name, "POST", "/api/v1/users",
                call("POST", "/api/v1/users", {"username": name, "password": PW, "role": role,
                                               key: scope}, nat), 201)
    checked("national user", "POST", "/api/v1/users",
            call("POST", "/api/v1/users", {"username": "nat2", "password": PW,
                                           "role": "national"}, nat), 201)
    checked("users", "GET", "/api/v1/users", call("GET", "/api/v1/users", token=nat), 200)
    checked("set password", "POST", "/api/v1/users/{username}/password",
            call("POST", "/api/v1/users/gone/password", {"new": "a-new-password-9"},
                 token=nat), 200)
    checked("disable", "POST", "/api/v1/users/{username}/disable",
            call("POST", "/api/v1/users/gone/disable", token=nat), 200)
    checked("enable", "POST", "/api/v1/users/{username}/enable",
            call("POST", "/api/v1/users/gone/enable", token=nat), 200)
    call("POST", "/api/v1/users/gone/disable", token=nat)
    tok = {name: s.login(name, PW) for name in ("coord", "dist", "staff")}

    r = checked("api key", "POST", "/api/v1/venues/{id}/api-keys",
                call("POST", "/api/v1/venues/v1/api-keys", {"label": "Till"}, tok["staff"]), 201)
    key, key_id = r["key"], r["id"]
    checked("api keys", "GET", "/api/v1/venues/{id}/api-keys",
            call("GET", "/api/v1/venues/v1/api-keys", token=tok["staff"]), 200)

    codes = ["S%d" % i for i in range(1, 9)]
    checked("stock", "POST", "/api/v1/stock",
            call("POST", "/api/v1/stock", {"unit": "u1", "kind": "personal", "codes": codes},
                 nat), 201)
    checked("community stock", "POST", "/api/v1/stock",
            call("POST", "/api/v1/stock", {"unit": "u1", "kind": "community", "codes": ["K1"]},
                 nat), 201)
    tr = [checked("transfer", "POST", "/api/v1/transfers",
                  call("POST", "/api/v1/transfers", {"codes": [c], "from_unit": "u1",
                                                     "to_unit": "u2"}, tok["dist"]), 201)["id"]
          for c in ("S7", "S8")]
    checked("transfers", "GET", "/api/v1/transfers",
            call("GET", "/api/v1/transfers", token=tok["coord"]), 200)
    checked("approve", "POST", "/api/v1/transfers/{id}/approve",
            call("POST", "/api/v1/transfers/%d/approve" % tr[0], token=tok["coord"]), 200)
    checked("reject", "POST", "/api/v1/transfers/{id}/reject",
            call("POST", "/api/v1/transfers/%d/reject" % tr[1], token=tok["coord"]), 200)
    checked("decided transfers", "GET", "/api/v1/transfers",
            call("GET", "/api/v1/transfers", token=tok["coord"]), 200)

    form = {"birth_year": 1980, "mother_tongue": "fi", "gender": "female",
            "postal_code": "02100", "life_situation": ["unemployed"]}
    for code in ("S1", "S2", "S3"):
        checked("handout", "POST", "/api/v1/handouts",
                call("POST", "/api/v1/handouts", dict(form, card=code), tok["dist"]), 201)
    checked("community handout", "POST", "/api/v1/handouts",
            call("POST", "/api/v1/handouts", {"card": "K1"}, tok["dist"]), 201)
    checked("card", "GET", "/api/v1/cards/{code}", call("GET", "/api/v1/cards/S1", token=key), 200)
    checked("card not issued", "GET", "/api/v1/cards/{code}",
            call("GET", "/api/v1/cards/S4", token=nat), 200)
    checked("cancel", "POST", "/api/v1/cards/{code}/cancel",
            call("POST", "/api/v1/cards/S3/cancel", {"reason": "lost"}, tok["coord"]), 200)

    event = {"venue": "v1", "name": "Matti", "kind": "performance", "starts_at": ahead,
             "capacity": 100}
    ev = checked("event", "POST", "/api/v1/events",
                 call("POST", "/api/v1/events", event, tok["staff"]), 201)["id"]
    ev2 = checked("event with windows", "POST", "/api/v1/events",
                  call("POST", "/api/v1/events", dict(event, cap=10, booking_opens_days=60,
                                                      collection_opens_minutes=60),
                       tok["staff"]), 201)["id"]
    checked("events", "GET", "/api/v1/events", call("GET", "/api/v1/events", token=nat), 200)
    checked("event", "GET", "/api/v1/events/{id}",
            call("GET", "/api/v1/events/%d" % ev, token=nat), 200)
    checked("event patch", "PATCH", "/api/v1/events/{id}",
            call("PATCH", "/api/v1/events/%d" % ev2, {"cap": None, "exclusion_reason": None},
                 tok["staff"]), 200)
    use = {"card": "S1", "event": ev, "adult": 1, "child": 2, "idempotency_key": "t-1"}
    u1 = checked("use", "POST", "/api/v1/uses", call("POST", "/api/v1/uses", use, key), 201)["id"]
    checked("the same use again", "POST", "/api/v1/uses", call("POST", "/api/v1/uses", use, key),
            200)
    checked("another use", "POST", "/api/v1/uses",
            call("POST", "/api/v1/uses", {"card": "S2", "event": ev, "adult": 1, "child": 0,
                                          "channel": "phone"}, tok["staff"]), 201)
    checked("undo", "DELETE", "/api/v1/uses/{id}",
            call("DELETE", "/api/v1/uses/%d" % u1, token=tok["staff"]), 204)
    checked("uses", "GET", "/api/v1/uses", call("GET", "/api/v1/uses", token=nat), 200)
    checked("uses paged", "GET", "/api/v1/uses",
            call("GET", "/api/v1/uses?limit=1", token=tok["staff"]), 200)
    checked("audit", "GET", "/api/v1/audit", call("GET", "/api/v1/audit", token=nat), 200)
    checked("audit paged", "GET", "/api/v1/audit",
            call("GET", "/api/v1/audit?limit=2", token=nat), 200)

    checked("venue usage", "GET", "/api/v1/reports/venue-usage",
            call("GET", "/api/v1/reports/venue-usage?venue=v1", token=key), 200)
    checked("venue usage dated", "GET", "/api/v1/reports/venue-usage",
            call("GET", "/api/v1/reports/venue-usage?venue=v1&from=%s&to=%d-12-31" %
                 (today.isoformat(), year + 1), token=nat), 200)
    checked("cardholders", "GET", "/api/v1/reports/cardholders",
            call("GET", "/api/v1/reports/cardholders?year=%d" % year, token=tok["coord"]), 200)
    checked("cardholders, all counts", "GET", "/api/v1/reports/cardholders",
            call("GET", "/api/v1/reports/cardholders?year=%d&suppress=false" % year, token=nat),
            200)
    checked("national", "GET", "/api/v1/reports/national",
            call("GET", "/api/v1/reports/national?year=%d" % year, token=nat), 200)
    checked("national, no year's data", "GET", "/api/v1/reports/national",
            call("GET", "/api/v1/reports/national?year=2001", token=nat), 200)
    checked("statistics", "GET", "/api/v1/reports/statistics",
            call("GET", "/api/v1/reports/statistics?year=%d" % year, token=nat), 200)
    checked("statistics, a coordinator's region", "GET", "/api/v1/reports/statistics",
            call("GET", "/api/v1/reports/statistics?year=%d" % year, token=tok["coord"]), 200)

    checked("revoke", "DELETE", "/api/v1/venues/{id}/api-keys/{key_id}",
            call("DELETE", "/api/v1/venues/v1/api-keys/%d" % key_id, token=tok["staff"]), 204)
    checked("password", "POST", "/api/v1/me/password",
            call("POST", "/api/v1/me/password", {"old": PW, "new": PW + "x"}, tok["dist"]), 204)

    # Errors, from the transport and from a handler, match the Error schema.
    for name, method, path, result, status in (
            ("401", "GET", "/api/v1/regions", call("GET", "/api/v1/regions"), 401),
            ("403", "POST", "/api/v1/regions",
             call("POST", "/api/v1/regions", {"id": "r9", "name": "X"}, tok["coord"]), 403),
            ("400", "POST", "/api/v1/regions",
             call("POST", "/api/v1/regions", {"id": "R 1", "name": "X"}, nat), 400),
            ("422", "POST", "/api/v1/uses",
             call("POST", "/api/v1/uses", {"card": "S3", "event": ev, "adult": 1, "child": 0},
                  tok["staff"]), 422)):
        st, body, _ = result
        schema = paths[path][method.lower()]["responses"]["default"]["content"][
            "application/json"]["schema"]
        found = problems(schema, body, doc)
        t.check("error %s matches Error" % name, st == status and not found, (st, body, found))

    checked("logout", "POST", "/api/v1/logout", call("POST", "/api/v1/logout", token=nat), 204)

    # Every route of the description has had a success checked.
    every = {(m, p) for p, item in paths.items() for m in item}
    t.check("every route's success reply was checked", every == seen, sorted(every - seen))
    # And the request bodies name their required fields.
    body = paths["/api/v1/uses"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    t.check("POST /uses marks its required fields",
            body.get("required") == ["card", "event", "adult", "child"], body.get("required"))
    body = paths["/api/v1/events/{id}"]["patch"]["requestBody"]["content"]["application/json"][
        "schema"]
    t.check("PATCH /events requires nothing", body.get("required") == [], body.get("required"))


if __name__ == "__main__":
    kaikutest.main(run)
