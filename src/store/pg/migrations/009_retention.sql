-- Twin of SQLite's 009 (R35, issue 16 item 5): what a purge
-- (`kaiku purge`, src/store/purge.c) deleted or cleared is kept here as
-- counts, apart from what the records still standing count, so that the
-- kept counts of 008 stay right and `kaiku counts rebuild` and `check`
-- recount "what was purged" plus "what the records still say". Nothing here
-- holds holder data or a card code.

-- Per card: its uses not undone whose records were purged.
ALTER TABLE cards ADD COLUMN purged_uses bigint NOT NULL DEFAULT 0 CHECK (purged_uses >= 0);

-- Per handout: 1 once its background was cleared by a purge.
ALTER TABLE handouts ADD COLUMN purged integer NOT NULL DEFAULT 0 CHECK (purged IN (0, 1));

-- Per event: what its purged uses not undone counted. An event with a row
-- here is never deleted.
CREATE TABLE purged_event_uses (
    event       bigint PRIMARY KEY REFERENCES events (id),
    n_uses      bigint NOT NULL CHECK (n_uses >= 0),
    n_adult     bigint NOT NULL CHECK (n_adult >= 0),
    n_child     bigint NOT NULL CHECK (n_child >= 0),
    n_companion bigint NOT NULL CHECK (n_companion >= 0)
);

-- Per region, handout month and breakdown: what the purged backgrounds
-- counted, as counts_background counts them (same keys).
CREATE TABLE purged_background (
    region text NOT NULL,
    month  bigint NOT NULL,
    dim    bigint NOT NULL CHECK (dim BETWEEN 1 AND 5),
    key    bigint NOT NULL,
    text   text NOT NULL,
    n      bigint NOT NULL CHECK (n > 0),
    PRIMARY KEY (region, month, dim, key, text)
);

-- A handout is kept as recorded (003), except that a purge clears its
-- background once: the five fields to NULL and purged to 1, nothing else.
-- A deletion stays refused by 003's handouts_are_not_deleted, which calls
-- handouts_are_kept() too: it has no NEW, so the function tells them apart.
CREATE OR REPLACE FUNCTION handouts_are_kept() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.purged = 0 AND NEW.purged = 1
       AND NEW.card IS NOT DISTINCT FROM OLD.card AND NEW.unit IS NOT DISTINCT FROM OLD.unit
       AND NEW.handed_out_on IS NOT DISTINCT FROM OLD.handed_out_on
       AND NEW.valid_until IS NOT DISTINCT FROM OLD.valid_until
       AND NEW.renews IS NOT DISTINCT FROM OLD.renews
       AND NEW.recorded_by IS NOT DISTINCT FROM OLD.recorded_by
       AND NEW.recorded_at IS NOT DISTINCT FROM OLD.recorded_at
       AND NEW.birth_year IS NULL AND NEW.mother_tongue IS NULL AND NEW.gender IS NULL
       AND NEW.postal_code IS NULL AND NEW.life_situations IS NULL
    THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'a handout is kept as recorded' USING ERRCODE = 'check_violation';
END $$;
