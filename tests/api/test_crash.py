"""Crash safety: nothing acknowledged is lost when kaiku serve is killed with
SIGKILL in the middle of writes (style.md 9: "test crash recovery").

On a demo database, venue staff of Teatteri Hilla record uses from several
threads as fast as they can, each with an idempotency key (R27), and undo
some of them (R25). The server is killed (kill -9) at a random moment, then
restarted on the same database file; at least 100 kills (issue 15), each after
a short burst of load. After each restart the database is checked at once;
every tenth restart (and after the last) the API is checked too, and the
requests the kills left unanswered are replayed:

- the database is intact (integrity_check, foreign_key_check);
- every use answered 201 is there with its tickets, and every undo answered
  204 is undone; nothing was stored that was refused or never sent;
- each event's `used` is the sum of adult and child tickets of its uses not
  undone (R16), never above capacity or cap (R15), and the API says the same;
- the audit has exactly one row for every use and every undo (R34);
- requests left without an answer by the kill are resolved by replaying
  them: the same key and body give the first use again (200), never a
  second one; the same key with another body is 409 idempotency_conflict.

The kill timing is random (the seed is printed); the verdicts hold for any
timing. The last line reports kills, acknowledged uses and lost ones (0).
Usage: python3 test_crash.py /path/to/kaiku
"""

import collections
import datetime
import http.client
import random
import sqlite3
import threading
import time

import kaikutest

VENUE = "teatteri-hilla"
VENUE_USER = "kassa-hilla"
DEMO_PASSWORD = "kaikukortti-demo"
CYCLES = 100  # kills
FULL_CHECK_EVERY = 10  # cycles between checks through the API and replays
WORKERS = 8
UNDO_ONE_IN = 6  # about one acknowledged use in six is undone at once
KILL_AFTER = (0.05, 0.3)  # seconds of load before the kill
REPLAYS_PER_CYCLE = 60

# (name, capacity, cap): roomy events, one that reaches its cap (R15) and one
# that reaches its capacity (R16) during the run, so that the limits are
# contended across kills too.
EVENTS = [("Kaatuminen %d" % i, 100000, None) for i in range(1, 7)] + [
    ("Kaatuminen, kiintiö", 1000, 150),
    ("Kaatuminen, pieni sali", 120, None),
]

# Answers to POST /api/v1/uses that store nothing, by design.
REFUSALS = {(422, "cap_reached"), (503, "unavailable")}


class Ledger:
    """What the clients sent and were told, by idempotency key. The load
    threads write it under one lock; the checks read it between cycles."""

    def __init__(self, cards, events, seed):
        self.lock = threading.Lock()
        self.rng = random.Random(seed)
        self.cards = cards
        self.events = events
        self.n = 0
        self.adult_pairs = set()  # (card, event) ever sent with an adult ticket
        self.sent = {}  # key -> body
        self.acked = {}  # key -> the 201 reply
        self.refused = {}  # key -> (status, error)
        self.unknown = set()  # keys whose request got no answer
        self.undo_acked = set()  # use ids answered 204
        self.undo_unknown = set()  # use ids whose undo got no answer
        self.problems = {}  # request -> an unexpected answer, reported by the main thread

    def next_body(self, prefix):
        """A new request: distinct cards, an adult ticket for a card and an
        event at most once (R24), so that only the limits can refuse it."""
        with self.lock:
            self.n += 1
            card = self.rng.choice(self.cards)
            event = self.rng.choice(self.events)
            adult = 0 if (card, event) in self.adult_pairs else 1
            self.adult_pairs.add((card, event))
            body = {"card": card, "event": event, "adult": adult,
                    "child": self.rng.randint(1 - adult, 2), "channel": "box_office",
                    "idempotency_key": "%s-%06d" % (prefix, self.n)}
            self.sent[body["idempotency_key"]] = body
            return body

    def undo_now(self):
        with self.lock:
            return self.rng.randrange(UNDO_ONE_IN) == 0

    def note(self, field, key, value=None):
        """Files an answer under `field`, the name of one of the sets or dicts above."""
        with self.lock:
            place = getattr(self, field)
            if isinstance(place, set):
                place.add(key)
            else:
                place[key] = value


class Till:
    """Venue staff at a till: one session on one kept connection."""

    def __init__(self, srv, token):
        self.srv = srv
        self.token = token
        self.conn = srv.connect()

    def call(self, method, path, body=None):
        try:
            return self.srv.call(method, path, body, self.token, conn=self.conn)
        except (OSError, http.client.HTTPException):
            self.conn.close()
            raise

    def retrying(self, method, path, body=None):
        """A call that retries 503 (documented as "nothing stored, retry")."""
        for _ in range(50):
            r = self.call(method, path, body)
            if r[0] != 503:
                return r
            time.sleep(0.05)
        return r

    def close(self):
        self.conn.close()


def reply_matches(body, reply):
    """A use reply says what the request asked for."""
    return isinstance(reply, dict) and all(
        reply.get(k) == body[k] for k in ("card", "event", "adult", "child", "channel")) and \
        reply.get("companion") == 0 and reply.get("recorded_by") == VENUE_USER and \
        isinstance(reply.get("id"), int)


def load(till, ledger, prefix, stop):
    """One till: records uses until the server dies or the cycle ends."""
    while not stop.is_set():
        body = ledger.next_body(prefix)
        key = body["idempotency_key"]
        try:
            st, reply, _ = till.call("POST", "/api/v1/uses", body)
        except (OSError, http.client.HTTPException):
            ledger.note("unknown", key)
            return
        if st == 201 and reply_matches(body, reply):
            ledger.note("acked", key, reply)
        elif (st, (reply or {}).get("error")) in REFUSALS:
            ledger.note("refused", key, (st, reply["error"]))
        else:  # stored or not, nobody knows: resolved after the restart
            ledger.note("problems", "POST " + key, (st, reply))
            ledger.note("unknown", key)
            continue
        if st != 201 or not ledger.undo_now():
            continue
        use_id = reply["id"]
        try:
            st, reply, _ = till.call("DELETE", "/api/v1/uses/%d" % use_id)
        except (OSError, http.client.HTTPException):
            ledger.note("undo_unknown", use_id)
            return
        if st == 204:
            ledger.note("undo_acked", use_id)
        elif st != 503:  # 503: nothing stored, the use still counts
            ledger.note("problems", "DELETE use %d" % use_id, (st, reply))


def read_db(path, event_ids):
    """The database as the restarted server has it, read-only in one snapshot."""
    con = sqlite3.connect("file:%s?mode=ro" % path, uri=True, timeout=30,
                          isolation_level=None)
    try:
        con.execute("BEGIN")
        marks = ",".join("?" * len(event_ids))
        db = {
            "integrity": [r[0] for r in con.execute("PRAGMA integrity_check")],
            "foreign_keys": con.execute("PRAGMA foreign_key_check").fetchall(),
            "uses": {r[0]: r for r in con.execute(
                "SELECT id, idempotency_key, card, event, adult, child, companion, channel, "
                "recorded_by, undone_at IS NOT NULL FROM uses WHERE event IN (%s)" % marks,
                event_ids)},
            "events": con.execute("SELECT id, capacity, cap, used FROM events").fetchall(),
            "tickets": dict(con.execute(
                "SELECT event, SUM(adult + child) FROM uses WHERE undone_at IS NULL "
                "GROUP BY event").fetchall()),
            "all_uses": {r[0]: r[1] for r in con.execute(
                "SELECT id, undone_at IS NOT NULL FROM uses")},
            "audit": collections.Counter(con.execute(
                "SELECT action, object FROM audit WHERE action IN ('use.record', 'use.undo')")
                .fetchall()),
        }
        con.execute("COMMIT")
        return db
    finally:
        con.close()


def verify(t, till, ledger, event_ids, when, exact, api=True):
    """Checks the database and (with api) the API against the ledger. With
    exact, every request has been answered (resolve() ran) and the database
    must hold exactly the acknowledged uses and undos. Returns the database
    read and the number of acknowledged uses lost."""
    db = read_db(till.srv.db, event_ids)
    t.check(when + ": integrity_check", db["integrity"] == ["ok"], db["integrity"][:5])
    t.check(when + ": foreign_key_check", db["foreign_keys"] == [], db["foreign_keys"][:5])
    by_key = {r[1]: r for r in db["uses"].values()}
    t.check(when + ": one use per idempotency key", len(by_key) == len(db["uses"]),
            (len(by_key), len(db["uses"])))

    # Every acknowledged use is there with its tickets; every acknowledged
    # undo holds, and nothing else was undone.
    lost, wrong, undo_lost, undone_unasked = [], [], [], []
    undo_asked = ledger.undo_acked | ledger.undo_unknown
    for key, reply in ledger.acked.items():
        row = by_key.get(key)
        if row is None:
            lost.append((key, reply))
            continue
        body = ledger.sent[key]
        if row[:9] != (reply["id"], key, body["card"], body["event"], body["adult"],
                       body["child"], 0, body["channel"], VENUE_USER):
            wrong.append((reply, row))
        if reply["id"] in ledger.undo_acked and not row[9]:
            undo_lost.append(reply["id"])
        if row[9] and reply["id"] not in undo_asked:
            undone_unasked.append(reply["id"])
    t.check(when + ": every acknowledged use (201) survived", not lost,
            "%d of %d lost, e.g. %s" % (len(lost), len(ledger.acked), lost[:3]))
    t.check(when + ": uses stored as acknowledged", not wrong, wrong[:3])
    t.check(when + ": every acknowledged undo (204) survived (R25)", not undo_lost,
            "%d of %d lost, e.g. %s" % (len(undo_lost), len(ledger.undo_acked), undo_lost[:5]))
    t.check(when + ": no use undone that nobody undid", not undone_unasked, undone_unasked[:5])

    # Nothing stored that was refused or never sent; the same body as sent.
    phantom = [r for k, r in by_key.items() if k not in ledger.sent]
    refused = [r for k, r in by_key.items() if k in ledger.refused]
    t.check(when + ": no use that was never sent", not phantom, phantom[:3])
    t.check(when + ": no use that was refused (cap_reached, unavailable)", not refused,
            [(r, ledger.refused[r[1]]) for r in refused[:3]])
    mismatched = [r for k, r in by_key.items() if k in ledger.sent and
                  (r[2], r[3], r[4], r[5]) != tuple(ledger.sent[k][f] for f in
                                                    ("card", "event", "adult", "child"))]
    t.check(when + ": stored uses are the requests sent", not mismatched, mismatched[:3])
    if exact:
        t.check(when + ": exactly the acknowledged uses are stored",
                set(by_key) == set(ledger.acked),
                (sorted(set(by_key) - set(ledger.acked))[:5],
                 sorted(set(ledger.acked) - set(by_key))[:5]))
        undone = {r[0] for r in db["uses"].values() if r[9]}
        t.check(when + ": exactly the acknowledged undos are undone", undone == ledger.undo_acked,
                (sorted(undone - ledger.undo_acked)[:5], sorted(ledger.undo_acked - undone)[:5]))
        model = collections.Counter()
        for key, reply in ledger.acked.items():
            if reply["id"] not in ledger.undo_acked:
                model[reply["event"]] += reply["adult"] + reply["child"]
        used = {e[0]: e[3] for e in db["events"]}
        off = [(e, used[e], model[e]) for e in event_ids if used[e] != model[e]]
        t.check(when + ": used is the tickets acknowledged and not undone", not off, off)

    # R15, R16: used is the sum of tickets of uses not undone, within capacity
    # and cap, for every event of the database.
    off = [(e, used, db["tickets"].get(e, 0)) for e, _, _, used in db["events"]
           if used != db["tickets"].get(e, 0)]
    t.check(when + ": events.used is the sum of adult and child tickets not undone", not off,
            off[:5])
    over = [e for e in db["events"] if e[3] > e[1] or (e[2] is not None and e[3] > e[2])]
    t.check(when + ": no event above capacity or cap (R15, R16)", not over, over[:5])

    # R34: exactly one audit row for every use and every undo, none for a use
    # that does not exist (checked over the whole database).
    audit = db["audit"]
    no_row = [u for u in db["all_uses"] if audit[("use.record", "use:%d" % u)] != 1]
    no_undo = [u for u, undone in db["all_uses"].items()
               if audit[("use.undo", "use:%d" % u)] != (1 if undone else 0)]
    stray = [o for (a, o) in audit if int(o.split(":")[1]) not in db["all_uses"]]
    t.check(when + ": one use.record audit row per use (R34)", not no_row, no_row[:5])
    t.check(when + ": one use.undo audit row per undo (R34)", not no_undo, no_undo[:5])
    t.check(when + ": no audit row of a use that is not stored", not stray, stray[:5])
    missing = [k for k, r in ledger.acked.items() if audit[("use.record", "use:%d" % r["id"])] != 1]
    t.check(when + ": an audit row for every acknowledged use", not missing, missing[:5])

    # The API says what the database says.
    used = {e[0]: e[3] for e in db["events"]}
    for e in event_ids if api else ():
        st, ev, _ = till.call("GET", "/api/v1/events/%d" % e)
        t.check("%s: GET event %d used" % (when, e), st == 200 and ev["used"] == used[e],
                (st, ev, used[e]))
        # Paged: follow "next" until the last page.
        listed, after, st = {}, None, 200
        while st == 200:
            path = "/api/v1/uses?event=%d&limit=1000" % e + ("&after=" + after if after else "")
            st, body, _ = till.call("GET", path)
            if st != 200:
                listed = None
                break
            listed.update({u["id"]: u["undone_at"] is not None for u in body["uses"]})
            after = body.get("next")
            if after is None:
                break
        stored = {r[0]: bool(r[9]) for r in db["uses"].values() if r[3] == e}
        t.check("%s: GET uses of event %d" % (when, e), listed == stored,
                (st, len(listed or {}), len(stored)))
    return db, len(lost)


def resolve(t, till, ledger, db, rng, when):
    """Replays every request that the kill left without an answer, and a
    sample of the acknowledged ones (R27)."""
    stored = {r[1]: r for r in db["uses"].values()}
    print("%s: of %d unanswered uses %d had been stored, of %d unanswered undos %d had been "
          "done" % (when, len(ledger.unknown), len(ledger.unknown & set(stored)),
                    len(ledger.undo_unknown),
                    sum(1 for u in ledger.undo_unknown if u in db["uses"] and db["uses"][u][9])),
          flush=True)
    for key in sorted(ledger.unknown):
        body = ledger.sent[key]
        st, reply, _ = till.retrying("POST", "/api/v1/uses", body)
        row = stored.get(key)
        if row is not None:  # it was committed: the replay must find it
            t.check("%s: replay of unanswered %s gives the stored use" % (when, key),
                    st == 200 and reply_matches(body, reply) and reply["id"] == row[0],
                    (st, reply, row))
        elif st == 201 and reply_matches(body, reply):
            pass  # it was not committed, and now is
        else:
            t.check("%s: replay of unanswered %s" % (when, key),
                    (st, (reply or {}).get("error")) == (422, "cap_reached"), (st, reply))
        if st in (200, 201) and reply_matches(body, reply):
            ledger.acked[key] = reply
        else:
            ledger.refused[key] = (st, (reply or {}).get("error"))
    ledger.unknown.clear()

    for use_id in sorted(ledger.undo_unknown & set(db["uses"])):  # a lost use is reported
        st, reply, _ = till.retrying("DELETE", "/api/v1/uses/%d" % use_id)
        was_undone = db["uses"][use_id][9]
        t.check("%s: undo again of use %d whose undo got no answer" % (when, use_id),
                (st, (reply or {}).get("error")) == ((404, "not_found") if was_undone
                                                     else (204, None)), (st, reply, was_undone))
        ledger.undo_acked.add(use_id)
    ledger.undo_unknown.clear()

    # R27: the same key and body give the first answer again, also for uses
    # acknowledged cycles ago and for undone ones; never a second use.
    keys = sorted(ledger.acked)
    undone = [k for k in keys if ledger.acked[k]["id"] in ledger.undo_acked]
    sample = rng.sample(keys, min(REPLAYS_PER_CYCLE, len(keys))) + undone[-5:]
    bad = []
    for key in sample:
        st, reply, _ = till.retrying("POST", "/api/v1/uses", ledger.sent[key])
        if st != 200 or reply != ledger.acked[key]:
            bad.append((key, st, reply, ledger.acked[key]))
    t.check("%s: %d replays give the original answer (200)" % (when, len(sample)), not bad,
            bad[:3])
    if keys:
        key = rng.choice(keys)
        other = dict(ledger.sent[key], child=ledger.sent[key]["child"] + 1)
        t.expect("%s: same key, another body" % when,
                 till.retrying("POST", "/api/v1/uses", other), 409,
                 "idempotency_conflict")


def usable_cards(db_path, day):
    """Cards valid on `day` (a day number) and a while around it."""
    con = sqlite3.connect("file:%s?mode=ro" % db_path, uri=True)
    try:
        return [r[0] for r in con.execute(
            "SELECT c.code FROM cards c JOIN handouts h ON h.card = c.code "
            "WHERE c.cancelled_at IS NULL AND h.handed_out_on <= ? AND h.valid_until >= ? "
            "ORDER BY c.code", (day - 4, day + 2))]
    finally:
        con.close()


def run(t):
    seed = random.randrange(1 << 30)
    print("seed %d" % seed, flush=True)
    rng = random.Random(seed)
    started = time.time()

    srv = t.server()
    r = srv.run("demo", "--db", srv.db)
    assert r.returncode == 0, r.stderr
    day = datetime.datetime.now(datetime.timezone.utc).date() + datetime.timedelta(days=3)
    cards = usable_cards(srv.db, (day - datetime.date(1970, 1, 1)).days)
    t.check("demo has cards to use", len(cards) >= 200, len(cards))

    srv.serve()
    token = srv.login(VENUE_USER, DEMO_PASSWORD)
    event_ids = []
    for name, capacity, cap in EVENTS:
        body = {"venue": VENUE, "name": name, "kind": "performance",
                "starts_at": "%sT19:00" % day.isoformat(), "capacity": capacity, "cap": cap}
        st, ev, _ = srv.call("POST", "/api/v1/events", body, token)
        assert st == 201, (st, ev)
        event_ids.append(ev["id"])
    capped = dict(zip(event_ids, EVENTS))

    ledger = Ledger(cards, event_ids, seed)
    kills, lost = 0, 0
    for cycle in range(1, CYCLES + 1):
        when = "cycle %d" % cycle
        before = (len(ledger.acked), len(ledger.undo_acked), len(ledger.refused))
        stop = threading.Event()
        tills = [Till(srv, token) for _ in range(WORKERS)]
        threads = [threading.Thread(target=load, args=(till, ledger, "c%d-w%d" % (cycle, w), stop))
                   for w, till in enumerate(tills)]
        for th in threads:
            th.start()
        delay = rng.uniform(*KILL_AFTER)
        time.sleep(delay)
        rc = srv.kill()
        stop.set()
        for th, till in zip(threads, tills):
            th.join()
            till.close()
        t.check(when + ": the server died of SIGKILL", rc == -9, rc)
        kills += rc == -9
        for request, answer in sorted(ledger.problems.items()):
            t.check("%s: unexpected answer to %s" % (when, request), False, answer)
        ledger.problems.clear()
        full = cycle % FULL_CHECK_EVERY == 0 or cycle == CYCLES
        if full or cycle <= 3:
            print("%s: killed after %.2f s; %d acknowledged, %d undone, %d refused, %d "
                  "unanswered uses, %d unanswered undos" % (
                      when, delay, len(ledger.acked) - before[0],
                      len(ledger.undo_acked) - before[1], len(ledger.refused) - before[2],
                      len(ledger.unknown), len(ledger.undo_unknown)), flush=True)

        srv.serve()
        till = Till(srv, token)
        st, _, _ = till.call("GET", "/api/v1/events/%d" % event_ids[0])
        t.check(when + ": the session signed in before the kills still holds", st == 200, st)
        db, n_lost = verify(t, till, ledger, event_ids, when + " after restart", exact=False,
                            api=full)
        lost = max(lost, n_lost)  # a lost use stays lost: counted once
        if full:
            resolve(t, till, ledger, db, rng, when)
            verify(t, till, ledger, event_ids, when + " after replays", exact=True)
        till.close()
    t.check("uses were acknowledged between the kills", len(ledger.acked) >= CYCLES,
            len(ledger.acked))

    # How far the limits were filled (usually to the brim, in the first cycles).
    db = read_db(srv.db, event_ids)
    used = {e[0]: e[3] for e in db["events"]}
    for e, (name, capacity, cap) in capped.items():
        if cap is not None or capacity < 1000:
            print("%s: %d of %d used" % (name, used[e], cap if cap is not None else capacity))
    refused = collections.Counter(ledger.refused.values())
    print("in all: %d uses acknowledged, %d undone, refused %s; %.1f s" % (
        len(ledger.acked), len(ledger.undo_acked), dict(refused), time.time() - started),
        flush=True)
    print("kills: %d, acknowledged: %d, lost: %d" % (kills, len(ledger.acked), lost), flush=True)
    t.check("at least 100 kills", kills >= 100, kills)
    srv.stop()


if __name__ == "__main__":
    kaikutest.main(run)
