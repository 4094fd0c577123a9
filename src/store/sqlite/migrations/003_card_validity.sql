-- R4, R12: a card carries its handout day and validity, copied from its
-- handout by the trigger below, so that looking a card up (the box office's
-- every check, and every use) reads one row instead of two rows in two
-- tables. The handout stays the record (with its background form); nothing
-- writes these two columns but the trigger.
ALTER TABLE cards ADD COLUMN handed_out_on INTEGER;
ALTER TABLE cards ADD COLUMN valid_until INTEGER
    CHECK ((valid_until IS NULL) = (handed_out_on IS NULL) AND
           (valid_until IS NULL OR valid_until >= handed_out_on));
UPDATE cards SET (handed_out_on, valid_until) =
    (SELECT h.handed_out_on, h.valid_until FROM handouts h WHERE h.card = cards.code)
    WHERE code IN (SELECT card FROM handouts);
CREATE TRIGGER handouts_to_card AFTER INSERT ON handouts BEGIN
    UPDATE cards SET handed_out_on = NEW.handed_out_on, valid_until = NEW.valid_until
        WHERE code = NEW.card;
END;
-- ... and no other write may set them apart from the handout.
CREATE TRIGGER card_validity_is_the_handouts
BEFORE UPDATE OF handed_out_on, valid_until ON cards
WHEN NEW.handed_out_on IS NOT (SELECT handed_out_on FROM handouts WHERE card = NEW.code)
  OR NEW.valid_until IS NOT (SELECT valid_until FROM handouts WHERE card = NEW.code)
BEGIN
    SELECT RAISE(ABORT, 'a card''s validity is its handout''s');
END;
-- A handout, once recorded, is kept as it is (R12); a mistake is corrected by
-- cancelling the card (R13). So the copy on the card cannot go stale.
CREATE TRIGGER handouts_are_kept BEFORE UPDATE ON handouts BEGIN
    SELECT RAISE(ABORT, 'a handout is kept as recorded');
END;
CREATE TRIGGER handouts_are_not_deleted BEFORE DELETE ON handouts BEGIN
    SELECT RAISE(ABORT, 'a handout is kept as recorded');
END;
