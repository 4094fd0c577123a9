-- Twin of SQLite's 011 (issue 18): failures counted for every server of one
-- database — the budget of unknown card codes per principal and the sign-in
-- throttle per username and per address — which several `kaiku serve` on
-- one PostgreSQL database must all see (backend.h's `shared`). A key is the
-- BLAKE2b digest of what is counted (no username or address in clear);
-- `period` is the counter's own (a bucket of minutes, or 0 for one count per
-- key). Counts whose latest failure is an hour old are deleted as new ones
-- come (src/store/failures.c).
CREATE TABLE failure_counts (
    key     bytea NOT NULL CHECK (length(key) = 32),
    period  bigint NOT NULL,
    n       bigint NOT NULL CHECK (n > 0),
    last_at bigint NOT NULL,
    PRIMARY KEY (key, period)
);
CREATE INDEX failure_counts_last ON failure_counts (last_at);
