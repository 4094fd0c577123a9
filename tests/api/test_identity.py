"""R10 end to end: an identity code however written (an en dash, a
non-breaking hyphen, full-width digits, an invisible character inside, a
Cyrillic check letter) is refused in event names, exclusion reasons,
idempotency keys and forms; free text about a card or its holder (a cancel
reason, an event's name or exclusion reason) also refuses phone numbers and
e-mail addresses, with details.field naming the field. Nothing refused is
stored."""

import datetime

import kaikutest

PW = "a-long-password-1"

HETUS = [
    ("en dash", "131052\u2013308T"),
    ("non-breaking hyphen", "131052\u2011308T"),
    ("full-width digits", "\uff11\uff13\uff11\uff10\uff15\uff12-\uff13\uff10\uff18T"),
    ("zero-width space", "1310\u200b52-308T"),
    ("soft hyphen", "131052-\u00ad308T"),
    ("Cyrillic check letter", "131052-308\u0422"),
]


def run(t):
    s = t.start()
    call = s.call
    nat = s.login(kaikutest.NATIONAL, kaikutest.PASSWORD)
    call("POST", "/api/v1/regions", {"id": "r1", "name": "Espoo"}, nat)
    call("POST", "/api/v1/units", {"id": "u1", "region": "r1", "name": "Unit"}, nat)
    call("POST", "/api/v1/venues", {"id": "v1", "region": "r1", "name": "Hilla",
         "category": "theatre"}, nat)
    t.expect("stock", call("POST", "/api/v1/stock", {"unit": "u1", "kind": "personal",
             "codes": ["P1", "P2"]}, nat), 201)
    call("POST", "/api/v1/users", {"username": "v1", "password": PW, "role": "venue",
         "venue": "v1"}, nat)
    call("POST", "/api/v1/users", {"username": "d1", "password": PW, "role": "distributor",
         "unit": "u1"}, nat)
    v1, d1 = s.login("v1", PW), s.login("d1", PW)
    ahead = (datetime.datetime.now() + datetime.timedelta(days=30)).strftime("%Y-%m-%dT18:00")
    event = {"venue": "v1", "kind": "performance", "starts_at": ahead, "capacity": 100}

    def refused(name, result, field):
        st, body, _ = result
        t.check(name, st == 400 and body.get("error") == "identity_data_refused" and
                body.get("details", {}).get("field") == field, result[:2])

    for what, hetu in HETUS:
        refused("R10 event name, " + what,
                call("POST", "/api/v1/events", dict(event, name="Ilta " + hetu), v1), "name")
        refused("R10 exclusion reason, " + what,
                call("POST", "/api/v1/events", dict(event, name="Ilta", excluded=True,
                     exclusion_reason="asiakas " + hetu), v1), "exclusion_reason")
        use = {"card": "P1", "event": 1, "adult": 1, "child": 0}
        r = call("POST", "/api/v1/uses", use, v1,
                 headers={"Idempotency-Key": ("k-" + hetu).encode()})
        t.expect("R10 Idempotency-Key, " + what, r, 400, "identity_data_refused")
        r = call("POST", "/api/v1/uses", dict(use, idempotency_key="k-" + hetu), v1)
        t.expect("R10 idempotency_key, " + what, r, 400, "identity_data_refused")
        r = call("POST", "/api/v1/cards/P1/cancel", {"reason": "holder " + hetu}, d1)
        t.expect("R10 cancel reason, " + what, r, 400, "identity_data_refused")

    for text in ("lost by Matti Meik\u00e4l\u00e4inen, puh 0401234567", "puh. 040 123 4567",
                 "+358 40 1234567", "040-123 4567", "matti.meikalainen@example.fi",
                 "matti(at)example.fi"):
        refused("R10 cancel reason: " + text,
                call("POST", "/api/v1/cards/P1/cancel", {"reason": text}, d1), "reason")
        refused("R10 event name: " + text,
                call("POST", "/api/v1/events", dict(event, name="Ilta " + text), v1), "name")
        refused("R10 exclusion reason: " + text,
                call("POST", "/api/v1/events", dict(event, name="Ilta", excluded=True,
                     exclusion_reason=text), v1), "exclusion_reason")

    listed = call("GET", "/api/v1/events?venue=v1", token=v1)
    t.check("R10 no refused event stored", listed[0] == 200 and
            listed[1].get("events") == [], listed[:2])
    t.check("R10 no refused cancel stored",
            call("GET", "/api/v1/cards/P1", token=d1)[1].get("status") == "not_issued")

    # Ordinary text passes: a year, a time span with an en dash, age bands.
    for name in ("Konsertti 2027", "Konsertti 18.00\u201320.00", "Lapset 0\u20136 v.",
                 "Sali 2, rivi 10, paikat 1-24"):
        t.expect("R10 allowed event name " + name,
                 call("POST", "/api/v1/events", dict(event, name=name), v1), 201)
    t.expect("R10 allowed cancel reason",
             call("POST", "/api/v1/cards/P2/cancel", {"reason": "lost at the box office"},
                  d1), 200)
    t.require_codes({(400, "identity_data_refused")})


if __name__ == "__main__":
    kaikutest.main(run)
