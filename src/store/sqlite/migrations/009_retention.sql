-- kaiku schema, version 9: retention (R35, issue 16 item 5).
--
-- `kaiku purge --before DATE` deletes the use records of the events that
-- start before DATE and clears the background of the handouts made before
-- it (src/store/purge.c). What those records counted is kept here, apart
-- from what the records still standing count, so that the kept counts of
-- 008 stay right and `kaiku counts rebuild` and `check` recount them as
-- "what was purged" plus "what the records still say" (S_COUNTS_FILL_*).
-- Nothing here holds holder data or a card code: an event id, a region,
-- a month, a count.

-- Per card: its uses not undone whose records were purged (cards.live_uses
-- is this plus the records' count).
ALTER TABLE cards ADD COLUMN purged_uses INTEGER NOT NULL DEFAULT 0 CHECK (purged_uses >= 0);

-- Per handout: 1 once its background was cleared by a purge (the nulls of a
-- cleared background are then not counted as "not told").
ALTER TABLE handouts ADD COLUMN purged INTEGER NOT NULL DEFAULT 0 CHECK (purged IN (0, 1));

-- Per event: what its purged uses not undone counted (events.n_* is this
-- plus the records' count). An event with a row here is never deleted.
CREATE TABLE purged_event_uses (
    event       INTEGER PRIMARY KEY REFERENCES events (id),
    n_uses      INTEGER NOT NULL CHECK (n_uses >= 0),
    n_adult     INTEGER NOT NULL CHECK (n_adult >= 0),
    n_child     INTEGER NOT NULL CHECK (n_child >= 0),
    n_companion INTEGER NOT NULL CHECK (n_companion >= 0)
);

-- Per region, handout month and breakdown: what the purged backgrounds
-- counted, as counts_background counts them (same keys).
CREATE TABLE purged_background (
    region TEXT NOT NULL,
    month  INTEGER NOT NULL,
    dim    INTEGER NOT NULL CHECK (dim BETWEEN 1 AND 5),
    key    INTEGER NOT NULL,
    text   TEXT NOT NULL,
    n      INTEGER NOT NULL CHECK (n > 0),
    PRIMARY KEY (region, month, dim, key, text)
) WITHOUT ROWID;

-- A handout is kept as recorded (003), except that a purge clears its
-- background once: the five fields to NULL and purged to 1, nothing else.
DROP TRIGGER handouts_are_kept;
CREATE TRIGGER handouts_are_kept BEFORE UPDATE ON handouts
WHEN NOT (OLD.purged = 0 AND NEW.purged = 1
          AND NEW.card IS OLD.card AND NEW.unit IS OLD.unit
          AND NEW.handed_out_on IS OLD.handed_out_on AND NEW.valid_until IS OLD.valid_until
          AND NEW.renews IS OLD.renews AND NEW.recorded_by IS OLD.recorded_by
          AND NEW.recorded_at IS OLD.recorded_at
          AND NEW.birth_year IS NULL AND NEW.mother_tongue IS NULL AND NEW.gender IS NULL
          AND NEW.postal_code IS NULL AND NEW.life_situations IS NULL)
BEGIN
    SELECT RAISE(ABORT, 'a handout is kept as recorded');
END;
