-- Uses are looked up by event (the venue report, R24's one adult ticket, the
-- cap) and never by card on the hot path. An index on the card alone cost
-- every use a random B-tree page written to the WAL and copied back into
-- the database (a million cards: one of ~45,000 pages, so hardly ever twice
-- in a checkpoint); the national statistics, the one reader by card, count
-- the cards used in one pass over the uses instead. Keyed (event, card),
-- the one-adult index keeps each event's uses on a few pages of their own.
DROP INDEX uses_card;
DROP INDEX uses_one_adult;
-- R24/R26: one adult ticket per card and event among uses not undone.
CREATE UNIQUE INDEX uses_one_adult ON uses (event, card) WHERE adult > 0 AND undone_at IS NULL;
