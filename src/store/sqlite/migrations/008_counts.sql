-- kaiku schema, version 5: kept counts (issue 16, R30, R31, R35).
--
-- The reports read these counts instead of counting millions of rows. Each
-- is moved by the transaction script of the change that moves it, in the
-- same transaction (src/store/counts.c): a use and its undo, a handout, a
-- cancellation, stock added. `kaiku counts rebuild` recounts them all from
-- the records with the same statements as the fill at the end of this file
-- (S_COUNTS_FILL_* in src/store/sqlite/sql.c), and `kaiku counts check`
-- compares. No count holds holder data or a card code: they are what a
-- purge of old records keeps (R35).
--
-- A month is the day number of its first day; days and months are Finnish
-- (an instant's day is its day on Finnish clocks, UTC+2, UTC+3 from the last
-- Sunday of March 01:00 UTC to the last Sunday of October 01:00 UTC, as
-- src/util/date.c computes it). The tables of counts have no CHECK (n >= 0):
-- SQLite checks the row an upsert would insert before it sees the conflict,
-- so a change of -1 could not be an upsert; `kaiku counts check` is the
-- guard instead.

-- Per event: its uses not undone and their tickets (R28, R31). The event
-- row is written by every use anyway (events.used), so these cost the hot
-- path no page of its own. Through the event: its venue, the venue's region
-- and category, the month it starts in.
ALTER TABLE events ADD COLUMN n_uses INTEGER NOT NULL DEFAULT 0 CHECK (n_uses >= 0);
ALTER TABLE events ADD COLUMN n_adult INTEGER NOT NULL DEFAULT 0 CHECK (n_adult >= 0);
ALTER TABLE events ADD COLUMN n_child INTEGER NOT NULL DEFAULT 0 CHECK (n_child >= 0);
ALTER TABLE events ADD COLUMN n_companion INTEGER NOT NULL DEFAULT 0 CHECK (n_companion >= 0);

-- Per card: its uses not undone, so that a use can tell whether it is the
-- card's first (R31: cards used at least once) and an undo its last.
ALTER TABLE cards ADD COLUMN live_uses INTEGER NOT NULL DEFAULT 0 CHECK (live_uses >= 0);

-- Per region and month (R31): handouts and renewals (R14) by the month of
-- the handout, cancellations by the month they were made, and the cards
-- handed out in that month that have a use not undone.
CREATE TABLE counts_cards (
    region     TEXT NOT NULL,
    month      INTEGER NOT NULL,
    handed_out INTEGER NOT NULL DEFAULT 0,
    renewals   INTEGER NOT NULL DEFAULT 0,
    cancelled  INTEGER NOT NULL DEFAULT 0,
    used_once  INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (region, month)
) WITHOUT ROWID;

-- Per region (R31, now): codes in stock, neither handed out nor cancelled.
-- Transfers stay within a region (R3) and do not move these.
CREATE TABLE counts_stock (
    region TEXT NOT NULL PRIMARY KEY,
    n      INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;

-- Per region, handout day and last valid day (R31, valid now): cards handed
-- out and not cancelled. "Valid today" sums the rows whose span holds today.
CREATE TABLE counts_valid (
    region        TEXT NOT NULL,
    handed_out_on INTEGER NOT NULL,
    valid_until   INTEGER NOT NULL,
    n             INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (region, handed_out_on, valid_until)
) WITHOUT ROWID;

-- Per unit and month of the handout (R30): personal handouts (the report's
-- total, and its unit and month breakdowns).
CREATE TABLE counts_handouts (
    unit  TEXT NOT NULL,
    month INTEGER NOT NULL,
    n     INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (unit, month)
) WITHOUT ROWID;

-- Per region and month of the handout (R30): personal handouts by each
-- other breakdown of the cardholder report on its own, never crossed. dim
-- is core's enum report_dim: 1 birth year (key), 2 mother tongue (text),
-- 3 gender (text), 4 postal code (text), 5 the set of life situations
-- (key, a bit set). Per region, not per unit: a region's report then sums
-- some thousands of rows, not the hundreds of thousands it would per unit.
CREATE TABLE counts_background (
    region TEXT NOT NULL,
    month  INTEGER NOT NULL,
    dim    INTEGER NOT NULL CHECK (dim BETWEEN 1 AND 5),
    key    INTEGER NOT NULL,
    text   TEXT NOT NULL,
    n      INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (region, month, dim, key, text)
) WITHOUT ROWID;

-- ---- the fill: the same statements as S_COUNTS_FILL_* ----

WITH g AS (SELECT event, count(*) AS n, sum(adult) AS a, sum(child) AS c, sum(companion) AS k
           FROM uses WHERE undone_at IS NULL GROUP BY event)
UPDATE events SET n_uses = g.n, n_adult = g.a, n_child = g.c, n_companion = g.k
    FROM g WHERE g.event = events.id;

WITH g AS (SELECT card, count(*) AS n FROM uses WHERE undone_at IS NULL GROUP BY card)
UPDATE cards SET live_uses = g.n FROM g WHERE g.card = cards.code;

INSERT INTO counts_cards (region, month, handed_out, renewals, cancelled, used_once)
SELECT region, month, sum(h), sum(r), sum(c), sum(u) FROM (
    SELECT un.region AS region,
           h.handed_out_on - CAST(strftime('%d', h.handed_out_on * 86400, 'unixepoch') AS INTEGER)
               + 1 AS month,
           1 AS h, h.renews IS NOT NULL AS r, 0 AS c, c.live_uses > 0 AS u
    FROM handouts h JOIN cards c ON c.code = h.card JOIN units un ON un.id = h.unit
    UNION ALL
    SELECT un.region, d.day - CAST(strftime('%d', d.day * 86400, 'unixepoch') AS INTEGER) + 1,
           0, 0, 1, 0
    FROM (SELECT c.unit, (c.cancelled_at + 7200 + 3600 * (
              c.cancelled_at >= CAST(strftime('%s', date(strftime('%Y', c.cancelled_at, 'unixepoch')
                  || '-04-01', 'weekday 0', '-7 days')) AS INTEGER) + 3600 AND
              c.cancelled_at < CAST(strftime('%s', date(strftime('%Y', c.cancelled_at, 'unixepoch')
                  || '-11-01', 'weekday 0', '-7 days')) AS INTEGER) + 3600)) / 86400 AS day
          FROM cards c WHERE c.cancelled_at IS NOT NULL) d
    JOIN units un ON un.id = d.unit
) GROUP BY region, month;

INSERT INTO counts_stock (region, n)
SELECT u.region, count(*) FROM cards c JOIN units u ON u.id = c.unit
    WHERE c.handed_out_on IS NULL AND c.cancelled_at IS NULL GROUP BY u.region;

INSERT INTO counts_valid (region, handed_out_on, valid_until, n)
SELECT u.region, c.handed_out_on, c.valid_until, count(*) FROM cards c JOIN units u ON u.id = c.unit
    WHERE c.handed_out_on IS NOT NULL AND c.cancelled_at IS NULL
    GROUP BY u.region, c.handed_out_on, c.valid_until;

INSERT INTO counts_handouts (unit, month, n)
SELECT h.unit, h.handed_out_on - CAST(strftime('%d', h.handed_out_on * 86400, 'unixepoch') AS INTEGER)
           + 1, count(*)
FROM handouts h JOIN cards c ON c.code = h.card WHERE c.kind = 'personal' GROUP BY 1, 2;

INSERT INTO counts_background (region, month, dim, key, text, n)
SELECT p.region, p.month, d.dim,
       CASE d.dim WHEN 1 THEN coalesce(p.birth_year, 0)
                  WHEN 5 THEN coalesce(p.life_situations, 0) ELSE 0 END,
       CASE d.dim WHEN 2 THEN coalesce(p.mother_tongue, '') WHEN 3 THEN coalesce(p.gender, '')
                  WHEN 4 THEN coalesce(p.postal_code, '') ELSE '' END,
       count(*)
FROM (SELECT u.region AS region, h.handed_out_on
                 - CAST(strftime('%d', h.handed_out_on * 86400, 'unixepoch') AS INTEGER) + 1 AS month,
             h.birth_year, h.mother_tongue, h.gender, h.postal_code, h.life_situations
      FROM handouts h JOIN cards c ON c.code = h.card JOIN units u ON u.id = h.unit
      WHERE c.kind = 'personal') p
CROSS JOIN (SELECT column1 AS dim FROM (VALUES (1), (2), (3), (4), (5))) d
GROUP BY 1, 2, 3, 4, 5;
