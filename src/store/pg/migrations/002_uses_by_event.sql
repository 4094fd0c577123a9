-- Twin of SQLite's 002: uses are looked up by event, not by card; the
-- one-adult index is keyed (event, card).
DROP INDEX uses_card;
DROP INDEX uses_one_adult;
-- R24/R26: one adult ticket per card and event among uses not undone.
CREATE UNIQUE INDEX uses_one_adult ON uses (event, card) WHERE adult > 0 AND undone_at IS NULL;
