"""Black-box test of the handout desk as a browser without JavaScript uses it:
every step a form post followed by a redirect (Python standard library only).
A distributor of the demo network signs in with the form, lands on the desk,
hands out a card and reads its validity, posts the same form again (one
handout), is refused identity data in words, asks for more cards, and
cancels a card after the confirmation.

Usage: python3 test_web_desk.py /path/to/kaiku
"""

import datetime
import re

import kaikutest
from test_web import Browser, field

DEMO_PASSWORD = "kaikukortti-demo"
DIST = "jakaja-leppavaara"
HETU = "131052-308T"


def handout_form(page, **values):
    form = {"csrf": field(page, "csrf"), "key": field(page, "key"), "card": "",
            "handed_out_on": "", "birth_year": "", "mother_tongue": "", "gender": "",
            "postal_code": "", "renews": ""}
    form.update(values)
    return form


def input_value(page, name):
    """The value of a text input the layout writes (id, name, type, value)."""
    m = re.search(r'name="%s" type="[a-z]+" value="([^"]*)"' % re.escape(name), page)
    return m.group(1) if m else None


def audit(call, token):
    """Every audit entry the token may read, page by page."""
    entries, after = [], None
    for _ in range(1000):
        path = "/api/v1/audit?limit=1000" + ("&after=" + after if after else "")
        st, body, _ = call("GET", path, token=token)
        if st != 200:
            raise RuntimeError("audit: %s %s" % (st, body))
        entries += body["audit"]
        after = body.get("next")
        if not after:
            break
    return entries


def run(t):
    srv = t.server()
    r = srv.demo()
    t.check("demo database", r.returncode == 0, r.stderr[-2000:])
    s = srv.serve()
    call = s.call
    nat = s.login("tuki", DEMO_PASSWORD)
    dist = s.login(DIST, DEMO_PASSWORD)

    b = Browser(s)
    st, page, _ = b.go("GET", "/signin")
    st, page, _ = b.go("POST", "/signin", {"csrf": field(page, "csrf"), "username": DIST,
                                           "password": DEMO_PASSWORD})
    t.check("a distributor lands on the desk", st == 200 and b.trail[-2][2] == "/desk" and
            'id="handout-form"' in page, b.trail[-3:])
    t.check("no name field", 'name="name"' not in page and 'name="hetu"' not in page, "")
    m = re.search(r'<li class="code">([A-Z0-9]+)</li>', page)
    t.check("a code of the stock listed", m is not None, page[-3000:])
    code = m.group(1)
    m = re.search(r'id="stock-count">(\d+)', page)
    left = int(m.group(1)) if m else -1
    r = call("GET", "/api/v1/cards/" + code, token=nat)
    t.check("the listed code is not handed out", r[0] == 200 and
            r[1].get("status") == "not_issued", r)

    # the handout: the validity, large, and the next empty form
    form = handout_form(page, card=code.lower(), birth_year="1962", mother_tongue="et",
                        gender="not_told", postal_code="02600",
                        life_situation=["retired", "low_income_working"])
    st, page, _ = b.go("POST", "/desk/handout", form)
    r = call("GET", "/api/v1/cards/" + code, token=nat)
    t.check("handed out", r[0] == 200 and r[1].get("status") == "valid", r)
    until = datetime.date.fromisoformat(r[1]["valid_until"])
    written = "%d.%d.%d" % (until.day, until.month, until.year)
    m = re.search(r'<p class="validity" id="validity">([^<]+)</p>', page)
    t.check("the validity, large", m is not None and m.group(1) == written,
            (m and m.group(1), written))
    t.check("the next empty form", input_value(page, "card") == "" and
            field(page, "key") not in (None, form["key"]), field(page, "key"))
    t.check("no code in any URL", not any(code in (p + (loc or "")).upper()
                                          for _, p, loc in b.trail), b.trail)
    m = re.search(r'id="stock-count">(\d+)', page)
    t.check("one code fewer in stock", m is not None and int(m.group(1)) == left - 1,
            (left, m and m.group(1)))

    # the same form again (a retry): the first success, one handout
    st, again, _ = b.go("POST", "/desk/handout", form)
    t.check("a re-posted form shows its first success", 'id="validity"' in again and
            "error-summary" not in again, again[-3000:])
    n = sum(1 for e in audit(call, nat) if e["action"] == "handout.record" and
            e["object"] == "card:" + code)
    t.check("recorded once", n == 1, n)

    # identity data: refused in words next to the field, nothing stored
    m = re.findall(r'<li class="code">([A-Z0-9]+)</li>', again)
    second = m[0] if m else ""
    form = handout_form(again, card=second, birth_year="1990", mother_tongue="fi",
                        gender="female", postal_code="00100", life_situation=["student"],
                        renews=HETU)
    st, page, _ = b.go("POST", "/desk/handout", form)
    t.check("identity data refused in words", st == 200 and 'href="#renews"' in page and
            "henkilötunnus" in page and HETU not in page, page[-4000:])
    t.check("other values kept", input_value(page, "birth_year") == "1990",
            input_value(page, "birth_year"))
    r = call("GET", "/api/v1/cards/" + second, token=nat)
    t.check("nothing stored", r[1].get("status") == "not_issued", r)

    # a refusal: too young, next to the birth year, in English
    st, page, _ = b.go("GET", "/lang/en?next=/desk")
    form = handout_form(page, card=second, birth_year=str(datetime.date.today().year - 10),
                        mother_tongue="fi", gender="female", postal_code="00100",
                        life_situation=["student"])
    st, page, _ = b.go("POST", "/desk/handout", form)
    t.check("too young, in English", 'href="#birth_year"' in page and
            "must turn 16" in page and '<html lang="en">' in page, page[-4000:])

    # more cards: the request is kept for the coordinator
    st, page, _ = b.go("POST", "/desk/more", {"csrf": field(page, "csrf"), "count": "60"})
    t.check("more cards asked", "60 cards" in page, page[-3000:])
    coord = s.login("koord-espoo", DEMO_PASSWORD)
    t.check("the coordinator sees the request", any(
        e["action"] == "stock.request" and e["object"] == "unit:espoo-leppavaara:60"
        and e["user"] == DIST for e in audit(call, coord)), "")

    # cancel: a confirmation, then the post
    st, page, _ = b.go("POST", "/desk/cancel", {"csrf": field(page, "csrf"),
                                                "cancel_card": code, "reason": "lost"})
    t.check("cancel confirmation", st == 200 and 'id="cancel-confirm"' in page and
            code in page and b.trail[-1][1] == "/desk/cancel", b.trail[-2:])
    r = call("GET", "/api/v1/cards/" + code, token=nat)
    t.check("not cancelled before the confirmation", r[1].get("status") == "valid", r)
    st, page, _ = b.go("POST", "/desk/cancel/confirm", {"csrf": field(page, "csrf")})
    r = call("GET", "/api/v1/cards/" + code, token=nat)
    t.check("cancelled", r[1].get("status") == "cancelled" and "notice-ok" in page, r)

    # a form without its token does nothing
    st, _, _ = b.request("POST", "/desk/more", {"count": "5"})
    t.check("no CSRF token: refused", st == 403, st)
    # venue staff may not use the desk
    kassa = Browser(s)
    st, page, _ = kassa.go("GET", "/signin")
    st, page, _ = kassa.go("POST", "/signin", {"csrf": field(page, "csrf"),
                                               "username": "kassa-ateneum",
                                               "password": DEMO_PASSWORD})
    st, _, _ = kassa.request("GET", "/desk")
    t.check("venue staff: no desk", st == 403, st)
    r = call("GET", "/api/v1/cards/" + code, token=dist)
    t.check("the distributor's API agrees", r[0] == 200 and r[1]["status"] == "cancelled", r)


if __name__ == "__main__":
    kaikutest.main(run)
