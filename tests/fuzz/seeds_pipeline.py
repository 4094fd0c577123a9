"""Writes the seed corpus of fuzz_pipeline (tests/fuzz/corpus/pipeline/): one
request per route of both sites, in the target's text form (see
fuzz_pipeline.c), with bodies shaped as the API tests send them, plus a few
hostile variants. Run it again after adding a route:

    python3 tests/fuzz/seeds_pipeline.py
"""

import json
import os
import re

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus", "pipeline")
API = "Authorization: Bearer $TOKEN\nContent-Type: application/json\n"
GET = "Authorization: Bearer $TOKEN\n"
PAGE = "Cookie: kaiku_session=$TOKEN; kaiku_lang=fi\nAccept-Language: fi\n"
FORM = PAGE + "Content-Type: application/x-www-form-urlencoded\n"

EVENT = {"venue": "v1", "name": "Konsertti", "kind": "performance",
         "starts_at": "2030-05-01T19:00", "capacity": 100, "cap": 10,
         "booking_opens_days": 7, "collection_opens_minutes": 60}

# (name, actor, method, target, headers, body)
SEEDS = [
    ("healthz", "-", "GET", "/healthz", "", None),
    ("openapi", "-", "GET", "/api/v1/openapi.json", "", None),
    ("login", "-", "POST", "/api/v1/login", "Content-Type: application/json\n",
     {"username": "fz-nat", "password": "fuzzing-password-1"}),
    ("logout", "venue", "POST", "/api/v1/logout", GET, None),
    ("me-password", "dist", "POST", "/api/v1/me/password", API,
     {"old": "fuzzing-password-1", "new": "fuzzing-password-1"}),
    ("regions-post", "nat", "POST", "/api/v1/regions", API,
     {"id": "r9", "name": "Uusi", "pilot_ends_on": "2031-12-31"}),
    ("regions-get", "coord", "GET", "/api/v1/regions", GET, None),
    ("units-post", "coord", "POST", "/api/v1/units", API,
     {"id": "u9", "region": "r1", "name": "Yksikkö"}),
    ("units-get", "dist", "GET", "/api/v1/units?region=r1", GET, None),
    ("venues-post", "nat", "POST", "/api/v1/venues", API,
     {"id": "v9", "region": None, "name": "Pop-up", "category": "festival",
      "accessibility": "Esteetön", "free_cloakroom": True}),
    ("venues-get", "-", "GET", "/api/v1/venues?region=r2", "", None),
    ("keys-post", "venue", "POST", "/api/v1/venues/v1/api-keys", API, {"label": "Lippupalvelu"}),
    ("keys-get", "coord", "GET", "/api/v1/venues/v1/api-keys", GET, None),
    ("keys-delete", "venue", "DELETE", "/api/v1/venues/v1/api-keys/1", GET, None),
    ("users-post", "coord", "POST", "/api/v1/users", API,
     {"username": "kassa2", "password": "a-long-password-1", "role": "venue", "venue": "v1"}),
    ("users-get", "nat", "GET", "/api/v1/users", GET, None),
    ("users-disable", "coord", "POST", "/api/v1/users/fz-venue/disable", GET, None),
    ("users-enable", "nat", "POST", "/api/v1/users/fz-venue/enable", GET, None),
    ("users-password", "coord", "POST", "/api/v1/users/fz-dist/password", API,
     {"new": "fuzzing-password-1"}),
    ("users-password-old-name", "nat", "POST", "/api/v1/users/fz-venue/password", API,
     {"password": "fuzzing-password-1"}),
    ("stock", "coord", "POST", "/api/v1/stock", API,
     {"unit": "u1", "kind": "community", "codes": ["C1", "c2", "C3"]}),
    ("transfers-post", "dist", "POST", "/api/v1/transfers", API,
     {"codes": ["A5", "A6"], "from_unit": "u1", "to_unit": "u3"}),
    ("transfers-get", "coord", "GET", "/api/v1/transfers?status=requested", GET, None),
    ("transfers-approve", "coord", "POST", "/api/v1/transfers/1/approve", GET, None),
    ("transfers-reject", "coord", "POST", "/api/v1/transfers/1/reject", GET, None),
    ("handouts", "dist", "POST", "/api/v1/handouts", API,
     {"card": "A3", "handed_out_on": "2026-12-01", "birth_year": 2001, "mother_tongue": "sv",
      "gender": "other", "postal_code": "00100", "life_situation": ["student", "unemployed"]}),
    ("cards-get", "key", "GET", "/api/v1/cards/a1", GET, None),
    ("cards-cancel", "dist", "POST", "/api/v1/cards/A2/cancel", API, {"reason": "lost"}),
    ("events-post", "venue", "POST", "/api/v1/events", API, EVENT),
    ("events-get", "dist", "GET", "/api/v1/events?venue=v1&from=2026-01-01&to=2031-01-01", GET,
     None),
    ("event-get", "venue", "GET", "/api/v1/events/1", GET, None),
    ("events-patch", "coord", "PATCH", "/api/v1/events/1", API,
     {"cap": None, "excluded": True, "exclusion_reason": "Peruttu"}),
    ("uses-post", "key", "POST", "/api/v1/uses", API + "Idempotency-Key: ta-1\n",
     {"card": "A1", "event": 1, "adult": 1, "child": 2, "companion": 1, "channel": "ticket_agency",
      "idempotency_key": "ta-1"}),
    ("uses-get", "venue", "GET", "/api/v1/uses?event=1&limit=10&after=1", GET, None),
    ("uses-get-venue", "coord", "GET",
     "/api/v1/uses?venue=v1&from=2026-01-01&to=2031-12-31", GET, None),
    ("uses-delete", "venue", "DELETE", "/api/v1/uses/1", GET, None),
    ("audit", "coord", "GET", "/api/v1/audit?from=2026-01-01&limit=5", GET, None),
    ("report-venue", "venue", "GET",
     "/api/v1/reports/venue-usage?from=2026-01-01&to=2031-12-31&format=csv", GET, None),
    ("report-cardholders", "coord", "GET",
     "/api/v1/reports/cardholders?region=r1&year=2026&format=xlsx", GET, None),
    ("report-national", "nat", "GET", "/api/v1/reports/national?year=2026&format=json", GET,
     None),
    # the pages
    ("page-home", "-", "GET", "/", "Accept-Language: sv-FI,sv;q=0.9,en;q=0.5\n", None),
    ("page-static", "-", "GET", "/static/kaiku.css?v=1", "", None),
    ("page-lang", "-", "GET", "/lang/en?next=/offer", "", None),
    ("page-signin-form", "-", "GET", "/signin?next=/desk&ended=1", "", None),
    ("page-signin", "-", "POST", "/signin",
     "Content-Type: application/x-www-form-urlencoded\nCookie: kaiku_pre=x\n",
     "username=fz-dist&password=fuzzing-password-1&next=%2Fdesk&csrf=x"),
    ("page-signout", "dist", "POST", "/signout", FORM, "csrf=$CSRF&next=/"),
    ("page-password-form", "venue", "GET", "/password", PAGE, None),
    ("page-password", "venue", "POST", "/password", FORM,
     "csrf=$CSRF&old=fuzzing-password-1&new=fuzzing-password-1&again=fuzzing-password-1"),
    ("page-start", "coord", "GET", "/start", PAGE, None),
    ("page-boxoffice", "venue", "GET", "/box-office", PAGE, None),
    ("page-boxoffice-check", "venue", "POST", "/box-office/check", FORM, "csrf=$CSRF&card=a1"),
    ("page-boxoffice-event", "venue", "POST", "/box-office/event", FORM, "csrf=$CSRF&event=1"),
    ("page-boxoffice-record", "venue", "POST", "/box-office/record", FORM,
     "csrf=$CSRF&card=A1&event=1&adult=1&child=0&companion=0&channel=box_office&key=k1"),
    ("page-boxoffice-undo-form", "venue", "GET", "/box-office/undo/1", PAGE, None),
    ("page-boxoffice-undo", "venue", "POST", "/box-office/undo/1", FORM, "csrf=$CSRF"),
    ("page-desk", "dist", "GET", "/desk", PAGE, None),
    ("page-desk-handout", "dist", "POST", "/desk/handout", FORM,
     "csrf=$CSRF&card=A4&handed_out_on=2026-12-01&birth_year=1999&mother_tongue=fi"
     "&gender=female&postal_code=02100&life_situation=student&life_situation=pensioner&key=h1"),
    ("page-desk-more", "dist", "POST", "/desk/more", FORM, "csrf=$CSRF&count=50"),
    ("page-desk-transfer", "dist", "POST", "/desk/transfer", FORM,
     "csrf=$CSRF&codes=A7%0AA8&to_unit=u3"),
    ("page-desk-cancel", "dist", "POST", "/desk/cancel", FORM,
     "csrf=$CSRF&cancel_card=A2&reason=damaged"),
    ("page-desk-cancel-form", "dist", "GET", "/desk/cancel", PAGE, None),
    ("page-desk-cancel-confirm", "dist", "POST", "/desk/cancel/confirm", FORM, "csrf=$CSRF"),
    ("page-offer", "-", "GET", "/offer", "", None),
    ("page-offer-region", "-", "GET", "/offer/r1", "Accept-Language: en\n", None),
    ("page-where", "-", "GET", "/where", "", None),
    ("page-privacy", "-", "GET", "/privacy", "", None),
    ("page-check-form", "-", "GET", "/check", "", None),
    ("page-check", "-", "POST", "/check", "Content-Type: application/x-www-form-urlencoded\n",
     "card=A1"),
    # hostile variants
    ("hostile-nul-path", "nat", "GET", "/api/v1/cards/A1%00X", GET, None),
    ("hostile-newline-path", "-", "GET", "/api/v1/cards/%0aA1%1b[31m", "", None),
    ("hostile-hetu-path", "nat", "GET", "/api/v1/cards/131052-308T", GET, None),
    ("hostile-hetu-body", "venue", "POST", "/api/v1/events", API,
     dict(EVENT, name="Matti 131052\u2013308T")),
    ("hostile-query-twice", "coord", "GET", "/api/v1/uses?venue=v1&venue=v2&limit=-1", GET,
     None),
    ("hostile-csrf-missing", "venue", "POST", "/api/v1/events",
     "Cookie: kaiku_session=$TOKEN\nContent-Type: application/json\n", EVENT),
    ("hostile-xff", "-", "GET", "/api/v1/cards/A1",
     "X-Forwarded-For: 203.0.113.9, 198.51.100.7, 192.0.2.1\n", None),
    ("hostile-head", "-", "HEAD", "/api/v1/venues", "", None),
    ("hostile-big-number", "venue", "POST", "/api/v1/uses", API,
     '{"card":"A1","event":1e400,"adult":18446744073709551617,"child":-0}'),
    ("hostile-deep-json", "nat", "POST", "/api/v1/regions", API, "[" * 200 + "]" * 200),
    ("hostile-form-hetu", "dist", "POST", "/desk/cancel", FORM,
     "csrf=$CSRF&cancel_card=A2&reason=Matti+%EF%BC%91%EF%BC%93%EF%BC%91052-308T"),
    ("hostile-redirect", "-", "POST", "/signin",
     "Content-Type: application/x-www-form-urlencoded\n",
     "username=x&password=y&next=%2F%2Fevil.example%2F"),
    ("hostile-wrong-type", "nat", "POST", "/api/v1/regions", GET + "Content-Type: text/plain\n",
     "id=r8"),
]


def main():
    os.makedirs(HERE, exist_ok=True)
    for name, actor, method, target, headers, body in SEEDS:
        if body is None:
            text = ""
        elif isinstance(body, str):
            text = body
        else:
            text = json.dumps(body, ensure_ascii=False)
        assert re.fullmatch(r"[a-z0-9-]+", name), name
        with open(os.path.join(HERE, name), "w", encoding="utf-8") as f:
            f.write("%s %s %s\n%s\n%s" % (actor, method, target, headers, text))


if __name__ == "__main__":
    main()
