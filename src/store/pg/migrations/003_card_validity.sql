-- Twin of SQLite's 003 (R4, R12): a card carries its handout day and
-- validity, copied from its handout by a trigger; nothing else writes them,
-- and a handout is kept as recorded. No PostgreSQL database holds handouts
-- before this version (the backend's first migration run applies every migration
-- at once), so SQLite's back-fill of existing cards has nothing to do here.
ALTER TABLE cards ADD COLUMN handed_out_on bigint;
ALTER TABLE cards ADD COLUMN valid_until bigint
    CHECK ((valid_until IS NULL) = (handed_out_on IS NULL) AND
           (valid_until IS NULL OR valid_until >= handed_out_on));

CREATE FUNCTION handouts_to_card() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE cards SET handed_out_on = NEW.handed_out_on, valid_until = NEW.valid_until
        WHERE code = NEW.card;
    RETURN NULL;
END $$;
CREATE TRIGGER handouts_to_card AFTER INSERT ON handouts
    FOR EACH ROW EXECUTE FUNCTION handouts_to_card();

-- ... and no other write may set them apart from the handout. (A trigger's
-- WHEN cannot hold a subquery in PostgreSQL: the function tests.)
CREATE FUNCTION card_validity_is_the_handouts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.handed_out_on IS DISTINCT FROM (SELECT handed_out_on FROM handouts WHERE card = NEW.code)
       OR NEW.valid_until IS DISTINCT FROM (SELECT valid_until FROM handouts WHERE card = NEW.code)
    THEN
        RAISE EXCEPTION 'a card''s validity is its handout''s' USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER card_validity_is_the_handouts BEFORE UPDATE OF handed_out_on, valid_until ON cards
    FOR EACH ROW EXECUTE FUNCTION card_validity_is_the_handouts();

-- A handout, once recorded, is kept as it is (R12).
CREATE FUNCTION handouts_are_kept() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'a handout is kept as recorded' USING ERRCODE = 'check_violation';
END $$;
CREATE TRIGGER handouts_are_kept BEFORE UPDATE ON handouts
    FOR EACH ROW EXECUTE FUNCTION handouts_are_kept();
CREATE TRIGGER handouts_are_not_deleted BEFORE DELETE ON handouts
    FOR EACH ROW EXECUTE FUNCTION handouts_are_kept();
