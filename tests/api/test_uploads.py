"""Black-box test of file uploads (issue 17, the import pages): a
multipart/form-data body is read only where a route takes a file
(ROUTE_UPLOAD), up to 9 MB there and 1 MiB everywhere else, and refused with
415 elsewhere; libmicrohttpd's post processor parses it; the national
service imports a usage sheet through the page as a browser without script
does. Python standard library only.

Usage: python3 test_uploads.py /path/to/kaiku
"""

import re

import kaikutest
from test_web import Browser, field

BOUNDARY = "kaikuboundary7"


def multipart(parts):
    """parts: (name, filename or None, bytes) → (body, Content-Type)."""
    out = b""
    for name, filename, data in parts:
        out += ("--%s\r\n" % BOUNDARY).encode()
        disp = 'form-data; name="%s"' % name
        if filename is not None:
            disp += '; filename="%s"' % filename
        out += ("Content-Disposition: %s\r\n" % disp).encode()
        if filename is not None:
            out += b"Content-Type: application/octet-stream\r\n"
        out += b"\r\n" + data + b"\r\n"
    out += ("--%s--\r\n" % BOUNDARY).encode()
    return out, "multipart/form-data; boundary=" + BOUNDARY


def head_only(srv, path, length, ctype):
    """A request that declares a body of `length` bytes and sends none of it."""
    req = ("POST %s HTTP/1.1\r\nHost: x\r\nContent-Type: %s\r\nContent-Length: %d\r\n\r\n"
           % (path, ctype, length)).encode()
    return srv.raw(req, timeout=5)


def run(t):
    s = t.start()
    nat = s.login(kaikutest.NATIONAL, kaikutest.PASSWORD)
    body, ctype = multipart([("id", None, b"r1"), ("name", None, b"Region")])

    # The API takes no multipart body: 415, and over 1 MiB declared: 413.
    t.expect("multipart to the API: 415",
             s.call("POST", "/api/v1/regions", token=nat, raw=body,
                    headers={"Content-Type": ctype}), 415, "unsupported_media_type")
    st, _, _ = head_only(s, "/api/v1/regions", 2 * 1024 * 1024, ctype)
    t.check("2 MB multipart to the API: 413 before reading it", st == 413, st)

    # An upload route takes up to 9 MB: 2 MB is read, 10 MB refused from the header.
    st, _, _ = head_only(s, "/import/uses", 10 * 1024 * 1024, ctype)
    t.check("10 MB to an upload route: 413", st == 413, st)
    big, _ = multipart([("csrf", None, b"x"), ("file", "big.csv", b"x" * (2 * 1024 * 1024))])
    st, _, _ = s.call("POST", "/import/uses", raw=big, headers={"Content-Type": ctype})
    t.check("2 MB to an upload route is read (then sign-in is asked for, not 413)",
            st not in (413, 415, 0), st)
    # A url-encoded form over 1 MiB to the same route keeps the old limit.
    st, _, _ = head_only(s, "/import/uses", 2 * 1024 * 1024, "application/x-www-form-urlencoded")
    t.check("a 2 MB form (not multipart) to an upload route: 413", st == 413, st)
    # R10 in the form's other parts, as the form reader refuses it.
    hetu, _ = multipart([("venue", None, b"131052-308T"), ("file", "a.csv", b"card\r\n")])
    st, _, _ = s.call("POST", "/import/uses", raw=hetu, headers={"Content-Type": ctype})
    t.check("R10: an identity code in a part: 400", st == 400, st)

    # The whole flow as a browser without script: the national service
    # imports the uses of a venue it chooses.
    for what, path, b in (("region", "/api/v1/regions", {"id": "r1", "name": "Region"}),
                          ("unit", "/api/v1/units", {"id": "u1", "region": "r1", "name": "Unit"}),
                          ("venue", "/api/v1/venues",
                           {"id": "v1", "region": "r1", "name": "Venue", "category": "theatre",
                            "accessibility": "", "free_cloakroom": False}),
                          ("stock", "/api/v1/stock",
                           {"unit": "u1", "kind": "personal", "codes": ["A1", "A2"]})):
        st, reply, _ = s.call("POST", path, b, token=nat)
        t.check("setup: " + what, st == 201, (st, reply))
    b = Browser(s, lang="en")
    st, page, _ = b.request("GET", "/signin")
    st, page, hdrs = b.request("POST", "/signin", {"username": kaikutest.NATIONAL,
                                                   "password": kaikutest.PASSWORD,
                                                   "csrf": field(page, "csrf")})
    t.check("signed in", st == 303, st)
    st, page, _ = b.request("GET", "/import/handouts")
    t.check("the handout import page", st == 200 and 'enctype="multipart/form-data"' in page, st)
    csrf = field(page, "csrf").encode()
    sheet = ("Card code,Handout date,Year of birth,Mother tongue,Gender,Postal code,"
             "Life situation\r\nA1,2026-01-05,1970,fi,female,00100,retired\r\n"
             "A2,2026-01-05,1971,xx,male,00100,student\r\n").encode()
    form, ct = multipart([("csrf", None, csrf), ("unit", None, b"u1"),
                          ("file", "sheet.csv", sheet)])
    st, reply, _ = s.call("POST", "/import/handouts", raw=form,
                          headers={"Content-Type": ct, "Accept-Language": "en",
                                   "Cookie": "; ".join("%s=%s" % kv for kv in b.cookies.items())})
    text = (reply or {}).get("_raw", "")
    t.check("a bad row: 422 with the row named", st == 422 and
            re.search(r"Row 3, column “Mother tongue”: ", text) is not None, (st, text[:300]))
    st, card, _ = s.call("GET", "/api/v1/cards/A1", token=nat)
    t.check("R9: all or nothing", st == 200 and card.get("status") == "not_issued", card)
    sheet = sheet.replace(b",xx,", b",sv,")
    form, ct = multipart([("csrf", None, csrf), ("unit", None, b"u1"),
                          ("file", "sheet.csv", sheet)])
    st, _, hdrs = s.call("POST", "/import/handouts", raw=form,
                         headers={"Content-Type": ct,
                                  "Cookie": "; ".join("%s=%s" % kv for kv in b.cookies.items())})
    t.check("fixed: 303 back to the page", st == 303 and hdrs.get("location") == "/import/handouts",
            (st, hdrs))
    st, card, _ = s.call("GET", "/api/v1/cards/A2", token=nat)
    t.check("R9: recorded", st == 200 and card.get("status") == "valid", card)
    # Without the CSRF part the upload is refused like any form.
    form, ct = multipart([("unit", None, b"u1"), ("file", "sheet.csv", sheet)])
    st, _, _ = s.call("POST", "/import/handouts", raw=form,
                      headers={"Content-Type": ct,
                               "Cookie": "; ".join("%s=%s" % kv for kv in b.cookies.items())})
    t.check("no CSRF token: refused", st in (401, 403), st)


if __name__ == "__main__":
    kaikutest.main(run)
