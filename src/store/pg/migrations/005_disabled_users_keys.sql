-- Twin of SQLite's 005 (issue 15, item 3): from this version on, disabling a
-- user revokes the keys that user created (src/store/users.c). SQLite's 005
-- only revokes, with audit rows, the keys of users disabled before it; no
-- PostgreSQL database predates this version (see 003), so there is nothing
-- to revoke. The file keeps the versions of both backends in step.
SELECT 1;
