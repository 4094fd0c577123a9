"""Black-box tests of managing users (issue 15, item 3): re-enabling a user,
setting another's password ({"new"}, with "password" still read), nobody
changing their own standing, and a disabled user's API keys: refused at once
on the server that disabled the user, within the token cache's 5 seconds on
another server of the same database, and not brought back by re-enabling.

Usage: python3 test_users.py /path/to/kaiku
"""

import time

import kaikutest

PW = "a-long-password-1"
CACHE_SECONDS = 5  # a server remembers a token this long (docs/api.md)


def run(t):
    s = t.start()
    call = s.call
    nat = s.login(kaikutest.NATIONAL, kaikutest.PASSWORD)
    for reg in ("r1", "r2"):
        call("POST", "/api/v1/regions", {"id": reg, "name": "Region " + reg}, nat)
    for venue, reg in (("v1", "r1"), ("v2", "r2")):
        call("POST", "/api/v1/venues", {"id": venue, "region": reg, "name": "V " + venue,
                                        "category": "theatre"}, nat)
    users = (("coord1", "coordinator", "region", "r1"), ("coord2", "coordinator", "region", "r2"),
             ("kassa", "venue", "venue", "v1"), ("kassa2", "venue", "venue", "v1"),
             ("nat2", "national", None, None))
    for name, role, field, scope in users:
        body = {"username": name, "password": PW, "role": role}
        if field:
            body[field] = scope
        t.expect("user " + name, call("POST", "/api/v1/users", body, nat), 201)
    tok = {name: s.login(name, PW) for name, *_ in users}

    # Keys of Hilla's venue v1: two by kassa, one by the coordinator, one by kassa2.
    keys = {}
    for name, maker in (("k1", "kassa"), ("k1b", "kassa"), ("kc", "coord1"), ("k2", "kassa2")):
        r = call("POST", "/api/v1/venues/v1/api-keys", {"label": name}, tok[maker])
        t.expect("key " + name, r, 201)
        keys[name] = (r[1]["id"], r[1]["key"])

    # A second server on the same database, which has just seen every key.
    s2 = kaikutest.Server(t.binary, s.dir, s.db)
    t.servers.append(s2)
    s2.serve()
    for name, (_, key) in keys.items():
        t.expect("second server knows " + name, s2.call("GET", "/api/v1/regions", token=key), 200)
        t.expect("first server knows " + name, call("GET", "/api/v1/regions", token=key), 200)

    # ---- disabling: sessions end, the user's keys stop ----
    t.expect("R32 coordinator of another region cannot disable", call(
        "POST", "/api/v1/users/kassa/disable", token=tok["coord2"]), 403, "forbidden")
    r = call("POST", "/api/v1/users/kassa/disable", token=tok["coord1"])
    t.check("the coordinator disables kassa", r[0] == 200 and r[1]["disabled"] is True, r)
    for name in ("k1", "k1b"):
        t.expect("at once: %s refused on this server" % name,
                 call("GET", "/api/v1/regions", token=keys[name][1]), 401, "unauthenticated")
    for name in ("kc", "k2"):
        t.expect("others' key %s works on" % name,
                 call("GET", "/api/v1/regions", token=keys[name][1]), 200)
    t.expect("kassa's session ended", call("GET", "/api/v1/regions", token=tok["kassa"]), 401,
             "unauthenticated")
    # The other server refuses each key once its cache forgets it (each
    # was remembered at its own moment, so each is waited for).
    began = time.monotonic()
    pending = {"k1", "k1b"}
    while pending and time.monotonic() - began < CACHE_SECONDS + 3:
        for name in sorted(pending):
            if s2.call("GET", "/api/v1/regions", token=keys[name][1])[0] == 401:
                pending.discard(name)
        if pending:
            time.sleep(0.2)
    waited = time.monotonic() - began
    t.check("the other server refuses k1 and k1b within the cache's %d s" % CACHE_SECONDS,
            not pending and waited <= CACHE_SECONDS + 1, (pending, round(waited, 2)))
    t.expect("the other server keeps kc", s2.call("GET", "/api/v1/regions",
             token=keys["kc"][1]), 200)
    r = call("GET", "/api/v1/venues/v1/api-keys", token=tok["coord1"])
    listed = sorted(k["label"] for k in r[1]["api_keys"]) if r[0] == 200 else r
    t.check("the venue's list shows only the keys that work", listed == ["k2", "kc"], listed)

    # ---- re-enabling ----
    t.expect("a disabled user cannot sign in", call("POST", "/api/v1/login",
             {"username": "kassa", "password": PW}), 401, "unauthenticated")
    t.expect("R32 coordinator of another region cannot re-enable", call(
        "POST", "/api/v1/users/kassa/enable", token=tok["coord2"]), 403, "forbidden")
    t.expect("venue staff cannot re-enable", call(
        "POST", "/api/v1/users/kassa/enable", token=tok["kassa2"]), 403, "forbidden")
    t.expect("an API key cannot re-enable", call(
        "POST", "/api/v1/users/kassa/enable", token=keys["k2"][1]), 403, "forbidden")
    t.expect("unknown user", call("POST", "/api/v1/users/nobody/enable", token=nat), 404,
             "not_found")
    r = call("POST", "/api/v1/users/kassa/enable", token=tok["coord1"])
    t.check("the coordinator re-enables kassa", r[0] == 200 and r[1]["disabled"] is False and
            r[1]["username"] == "kassa" and r[1]["venue"] == "v1", r)
    kassa = s.login("kassa", PW)
    t.expect("kassa signs in again", call("GET", "/api/v1/regions", token=kassa), 200)
    for name in ("k1", "k1b"):
        for server, where in ((s, "this"), (s2, "the other")):
            t.expect("re-enabling does not bring %s back on %s server" % (name, where),
                     server.call("GET", "/api/v1/regions", token=keys[name][1]), 401,
                     "unauthenticated")
    r = call("POST", "/api/v1/users/kassa/enable", token=tok["coord1"])
    t.check("re-enabling an enabled user: 200, as it is", r[0] == 200 and
            r[1]["disabled"] is False, r)
    r = call("GET", "/api/v1/users", token=tok["coord1"])
    t.check("the list says kassa is enabled", r[0] == 200 and
            [u["disabled"] for u in r[1]["users"] if u["username"] == "kassa"] == [False], r)

    # ---- nobody changes their own standing ----
    for who in ("coord1", "nat2"):
        for verb in ("disable", "enable"):
            r = call("POST", "/api/v1/users/%s/%s" % (who, verb), token=tok[who])
            t.check("%s cannot %s themselves" % (who, verb), r[0] == 403 and
                    r[1].get("error") == "forbidden" and
                    r[1].get("details", {}).get("field") == "username", r)
        r = call("POST", "/api/v1/users/%s/password" % who, {"new": "own-password-99"},
                 token=tok[who])
        t.check("%s sets no own password here (POST /me/password asks for the old)" % who,
                r[0] == 403 and r[1].get("details", {}).get("field") == "username", r)
    t.expect("R32 a coordinator cannot disable national", call(
        "POST", "/api/v1/users/nat2/disable", token=tok["coord1"]), 403, "forbidden")

    # ---- setting another's password: {"new"}, and "password" as before ----
    old = s.login("kassa2", PW)
    r = call("POST", "/api/v1/users/kassa2/password", {"new": "set-by-coord-1"}, tok["coord1"])
    t.check("the coordinator sets kassa2's password with new", r[0] == 200 and
            r[1]["username"] == "kassa2", r)
    t.expect("kassa2's sessions end", call("GET", "/api/v1/regions", token=old), 401,
             "unauthenticated")
    t.expect("the old password fails", call("POST", "/api/v1/login",
             {"username": "kassa2", "password": PW}), 401, "unauthenticated")
    t.check("the new one signs in", bool(s.login("kassa2", "set-by-coord-1")))
    t.expect("kassa2's key stays (a password is not a disabling)",
             call("GET", "/api/v1/regions", token=keys["k2"][1]), 200)
    t.expect("the former field name, password, is still read", call(
        "POST", "/api/v1/users/kassa2/password", {"password": "set-by-nat-22"}, nat), 200)
    t.check("and sets it", bool(s.login("kassa2", "set-by-nat-22")))
    for what, body, field in (
            ("both fields", {"new": "set-by-nat-33", "password": "set-by-nat-44"}, "password"),
            ("neither field", {}, "new"),
            ("blank new", {"new": " " * 12}, "new"),
            ("short new", {"new": "short"}, "new"),
            ("blank password", {"password": "\u00a0" * 12}, "password")):
        r = call("POST", "/api/v1/users/kassa2/password", body, nat)
        t.check("refused: " + what, r[0] == 400 and r[1].get("error") == "invalid_request" and
                r[1].get("details", {}).get("field") == field, r)
    t.check("a refused call changed nothing", bool(s.login("kassa2", "set-by-nat-22")))
    t.expect("R32 coordinator of another region", call(
        "POST", "/api/v1/users/kassa2/password", {"new": "set-by-coord-2"}, tok["coord2"]), 403,
        "forbidden")
    t.expect("R32 coordinator, a national user", call(
        "POST", "/api/v1/users/nat2/password", {"new": "set-by-coord-2"}, tok["coord1"]), 403,
        "forbidden")
    t.expect("venue staff cannot", call(
        "POST", "/api/v1/users/kassa2/password", {"new": "set-by-staff-1"}, kassa), 403,
        "forbidden")
    t.expect("national sets a coordinator's", call(
        "POST", "/api/v1/users/coord1/password", {"new": "set-by-nat-55"}, nat), 200)

    # ---- R34: each change is audited, in the key's and the user's region ----
    coord = s.login("coord1", "set-by-nat-55")
    r = call("GET", "/api/v1/audit", token=coord)
    rows = [(a["action"], a["object"]) for a in r[1]["audit"]] if r[0] == 200 else r
    for action, obj in (("user.disable", "user:kassa"), ("user.enable", "user:kassa"),
                        ("api_key.revoke", "api_key:%d" % keys["k1"][0]),
                        ("api_key.revoke", "api_key:%d" % keys["k1b"][0]),
                        ("user.password", "user:kassa2")):
        t.check("R34 the coordinator reads %s %s" % (action, obj), (action, obj) in rows, rows)
    t.check("R34 no revoke of a key that works on",
            ("api_key.revoke", "api_key:%d" % keys["kc"][0]) not in rows, rows)


if __name__ == "__main__":
    kaikutest.main(run)
