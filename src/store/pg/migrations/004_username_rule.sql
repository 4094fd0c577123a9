-- Twin of SQLite's 004 (R27, R34): usernames follow core's username_check()
-- (src/core/user.c): 1-64 of A-Z a-z 0-9 . _ @ -, and not 'cli'. PostgreSQL
-- can add a CHECK to an existing table, so it is one, where SQLite needs two
-- triggers; both refuse as a constraint (INVALID_REQUEST). SQLite's clean-up
-- of older users with an actor's name has no PostgreSQL database to act on
-- (see 003), so only the rule and the dropped column are here.
ALTER TABLE users ADD CONSTRAINT users_username_rule
    CHECK (username ~ '^[A-Za-z0-9._@-]{1,64}$' AND username <> 'cli');

-- uses.request_hash was never read.
ALTER TABLE uses DROP COLUMN request_hash;
