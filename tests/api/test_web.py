"""Black-box test of kaiku's web pages as a browser without JavaScript uses
them: every step a form post followed by a redirect (Python standard library
only). A venue clerk signs in with the form, checks a card, records a use by
form posts (twice, as a double click: one use), gets a refusal in words for a
second adult ticket, undoes the use, switches language, signs out.

Usage: python3 test_web.py /path/to/kaiku
"""

import datetime
import html
import http.client
import re
import urllib.parse

import kaikutest

PW = "a-long-password-1"
UTC = datetime.timezone.utc


class Browser:
    """Cookies and redirects, as a browser keeps them (no script)."""

    def __init__(self, srv, lang=None):
        self.srv = srv
        self.cookies = {}
        self.lang = lang
        self.trail = []  # (status, path, location) of every request

    def request(self, method, path, form=None):
        h = {}
        if self.cookies:
            h["Cookie"] = "; ".join("%s=%s" % kv for kv in self.cookies.items())
        if self.lang:
            h["Accept-Language"] = self.lang
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form, doseq=True)
            h["Content-Type"] = "application/x-www-form-urlencoded"
        conn = http.client.HTTPConnection("127.0.0.1", self.srv.port, timeout=30)
        try:
            conn.request(method, path, body=body, headers=h)
            resp = conn.getresponse()
            text = resp.read().decode("utf-8")
            headers = resp.getheaders()
        finally:
            conn.close()
        for k, v in headers:
            if k.lower() == "set-cookie":
                name, _, rest = v.partition("=")
                value = rest.split(";")[0]
                if "Max-Age=0" in v:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = value
        hdrs = {}
        for k, v in headers:
            hdrs.setdefault(k.lower(), []).append(v)
        loc = hdrs.get("location", [None])[0]
        self.trail.append((resp.status, path, loc))
        return resp.status, text, hdrs

    def go(self, method, path, form=None):
        """One request, then its redirects (303 → GET), as a browser follows them."""
        st, text, hdrs = self.request(method, path, form)
        for _ in range(5):
            if st not in (301, 302, 303):
                break
            st, text, hdrs = self.request("GET", hdrs["location"][0])
        return st, text, hdrs


def field(page, name):
    m = re.search(r'name="%s" value="([^"]*)"' % re.escape(name), page)
    return html.unescape(m.group(1)) if m else None


def run(t):
    s = t.start()
    call = s.call
    nat = s.login(kaikutest.NATIONAL, kaikutest.PASSWORD)
    now = datetime.datetime.now(UTC)
    today = now.astimezone(kaikutest.HELSINKI).date()
    starts = kaikutest.later_today(3, now)  # the box office lists today's events
    t.expect("region", call("POST", "/api/v1/regions", {"id": "r1", "name": "Espoo"}, nat), 201)
    t.expect("unit", call("POST", "/api/v1/units",
             {"id": "u1", "region": "r1", "name": "Sote"}, nat), 201)
    t.expect("venue", call("POST", "/api/v1/venues",
             {"id": "v1", "region": "r1", "name": "Teatteri <Hilla>", "category": "theatre"},
             nat), 201)
    for name, role, scope in (("dist1", "distributor", {"unit": "u1"}),
                              ("kassa", "venue", {"venue": "v1"})):
        body = {"username": name, "password": PW, "role": role}
        body.update(scope)
        t.expect("user " + name, call("POST", "/api/v1/users", body, nat), 201)
    t.expect("stock", call("POST", "/api/v1/stock",
             {"unit": "u1", "kind": "personal", "codes": ["P1", "P2"]}, nat), 201)
    dist = s.login("dist1", PW)
    t.expect("handout", call("POST", "/api/v1/handouts",
             {"card": "P1", "birth_year": 1980, "mother_tongue": "fi", "gender": "female",
              "postal_code": "02100", "life_situation": ["unemployed"],
              "handed_out_on": today.isoformat()}, dist), 201)
    r = call("POST", "/api/v1/events", {"venue": "v1", "name": "Taikuri <Matti>",
             "kind": "performance", "starts_at": starts, "capacity": 100, "cap": 10}, nat)
    t.expect("event", r, 201)
    event = r[1]["id"]

    b = Browser(s)
    # signed out: the box office leads to sign-in, which remembers the page
    st, page, hdrs = b.go("GET", "/box-office")
    t.check("sign-in page", st == 200 and 'id="signin-form"' in page and
            '<html lang="fi">' in page, (st, b.trail))
    t.check("sign-in remembers the page", b.trail[0][2] == "/signin?next=/box-office", b.trail)
    csp = hdrs.get("content-security-policy", [""])[0]
    t.check("CSP", "default-src 'self'" in csp and "unsafe-inline" not in csp and
            "frame-ancestors 'none'" in csp, csp)
    t.check("Referrer-Policy", hdrs.get("referrer-policy") == ["same-origin"], hdrs)
    t.check("nosniff", hdrs.get("x-content-type-options") == ["nosniff"], hdrs)
    t.check("pre-session cookie", "kaiku_pre" in b.cookies, b.cookies)

    # a sign-in without the form's token (login CSRF) is refused
    st, page, _ = b.request("POST", "/signin", {"username": "kassa", "password": PW})
    t.check("sign-in without token", st == 403 and "kaiku_session" not in b.cookies, st)
    st, page, _ = b.go("GET", "/signin?next=/box-office")
    st, page, _ = b.go("POST", "/signin", {"csrf": field(page, "csrf"), "username": "kassa",
                                           "password": "wrong-password", "next": "/box-office"})
    t.check("wrong password", st == 401 and 'aria-invalid="true"' in page, st)
    st, page, _ = b.go("POST", "/signin", {"csrf": field(page, "csrf"), "username": "kassa",
                                           "password": PW, "next": field(page, "next")})
    t.check("signed in, back at the box office", st == 200 and 'id="card"' in page and
            b.trail[-2][2] == "/box-office", b.trail[-3:])
    t.check("signed in as", "kassa" in page and 'id="signout"' in page, page[:400])
    t.check("hostile names escaped", "Teatteri &lt;Hilla&gt;" in page and
            "Taikuri &lt;Matti&gt;" in page and "<Hilla>" not in page, "")
    t.check("session cookie", "kaiku_session" in b.cookies, b.cookies)

    # what the box office loads stays small
    sizes = len(page.encode())
    for m in re.finditer(r'(?:href|src)="(/static/[^"]+)"', page):
        st2, asset, h2 = b.request("GET", html.unescape(m.group(1)))
        t.check("asset " + m.group(1), st2 == 200 and "immutable" in h2["cache-control"][0],
                (st2, h2.get("cache-control")))
        sizes += len(asset.encode())
    t.check("box office under 30 kB", sizes < 30 * 1024, sizes)

    # check: code, Enter; the code never in a URL
    st, page, _ = b.go("POST", "/box-office/check", {"csrf": field(page, "csrf"), "card": "p1"})
    t.check("card valid", 'data-status="valid"' in page and 'id="record" autofocus' in page,
            page[-3000:])
    t.check("no code in any URL", not any("P1" in (p + (loc or "")).upper()
                                          for _, p, loc in b.trail), b.trail)

    # record: Enter; the same form twice (a double click) records once
    form = {"csrf": field(page, "csrf"), "event": field(page, "event"), "card": field(page, "card"),
            "key": field(page, "key"), "adult": "1", "child": "2", "companion": "0",
            "channel": "box_office"}
    t.check("record form", form["card"] == "P1" and form["event"] == str(event), form)
    st, page, _ = b.go("POST", "/box-office/record", form)
    t.check("recorded", st == 200 and "notice-ok" in page and 'id="outcome"' in page, st)
    st, page2, _ = b.go("POST", "/box-office/record", form)
    r = call("GET", "/api/v1/uses?venue=v1", token=nat)
    t.check("one use however often the form is posted",
            r[0] == 200 and len(r[1]["uses"]) == 1 and r[1]["uses"][0]["child"] == 2, r)
    t.check("today's totals", 'id="today-totals"' in page2, "")

    # a second adult ticket: refused in words, nothing recorded
    st, page, _ = b.go("POST", "/box-office/check", {"csrf": field(page2, "csrf"), "card": "P1"})
    form = {"csrf": field(page, "csrf"), "event": field(page, "event"), "card": field(page, "card"),
            "key": field(page, "key"), "adult": "1", "child": "0", "companion": "0",
            "channel": "box_office"}
    st, page, _ = b.go("POST", "/box-office/record", form)
    t.check("refusal in words", "notice-error" in page and
            "Kortilla on jo aikuisen lippu" in page, page[-3000:])
    r = call("GET", "/api/v1/uses?venue=v1", token=nat)
    t.check("refusal recorded nothing", len(r[1]["uses"]) == 1, r)

    # undo: a confirmation, then the post
    m = re.search(r'href="(/box-office/undo/\d+)"', page)
    t.check("undo link", m is not None, "")
    st, confirm, _ = b.go("GET", m.group(1))
    t.check("undo confirmation", st == 200 and 'id="undo-confirm"' in confirm, st)
    st, page, _ = b.go("POST", m.group(1), {"csrf": field(confirm, "csrf")})
    r = call("GET", "/api/v1/uses?venue=v1", token=nat)
    t.check("undone", st == 200 and r[1]["uses"][0]["undone_at"] is not None and
            r[1]["uses"][0]["undone_by"] == "kassa", r)

    # a form without its token records nothing
    st, _, _ = b.request("POST", "/box-office/check", {"card": "P1"})
    t.check("no CSRF token: refused", st == 403, st)

    # the language switch is remembered; a foreign next goes nowhere
    st, page, _ = b.go("GET", "/lang/sv?next=/box-office")
    t.check("svenska", st == 200 and '<html lang="sv">' in page and
            "Biljettkassa" in page, page[:300])
    st, _, hdrs = b.request("GET", "/lang/en?next=//evil.example")
    t.check("no open redirect", st == 303 and hdrs["location"] == ["/signin"], hdrs)

    # sign out; the old session then leads to sign-in again
    old = b.cookies["kaiku_session"]
    st, page, _ = b.go("POST", "/signout", {"csrf": field(page, "csrf")})
    t.check("signed out", st == 200 and 'id="signin-form"' in page and
            "kaiku_session" not in b.cookies, st)
    b.cookies["kaiku_session"] = old
    st, _, hdrs = b.request("GET", "/box-office")
    t.check("ended session", st == 303 and
            hdrs["location"] == ["/signin?next=/box-office&ended=1"], hdrs)


if __name__ == "__main__":
    kaikutest.main(run)
