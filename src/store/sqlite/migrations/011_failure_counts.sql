-- kaiku schema, version 11: failures counted for every server of one
-- database (issue 18): the budget of unknown card codes per principal and
-- the sign-in throttle per username and per address, when several `kaiku
-- serve` share a database (PostgreSQL, backend.h's `shared`). SQLite is
-- served by one process, which keeps them in its memory; the table is here
-- so that both schemas stay twins and the store's statements work on both.
-- A key is the BLAKE2b digest of what is counted (no username or address in
-- clear); `period` is the counter's own (a bucket of minutes, or 0 for one
-- count per key). Counts whose latest failure is an hour old are deleted as
-- new ones come (src/store/failures.c).
CREATE TABLE failure_counts (
    key     BLOB NOT NULL CHECK (length(key) = 32),
    period  INTEGER NOT NULL,
    n       INTEGER NOT NULL CHECK (n > 0),
    last_at INTEGER NOT NULL,
    PRIMARY KEY (key, period)
) WITHOUT ROWID;
CREATE INDEX failure_counts_last ON failure_counts (last_at);
