-- kaiku schema, version 4.
--
-- R27, R34: usernames follow the one rule of core's username_check()
-- (src/core/user.c): 1-64 of A-Z a-z 0-9 . _ @ -, and not a name kaiku gives
-- its own actors. A venue API key acts as "key:ID" (ruled out by the ':') and
-- the command line as 'cli'; a user with such a name would share that
-- actor's idempotency keys (R27) and audit name (R34). SQLite cannot add a
-- CHECK to an existing table, so two triggers refuse such names.
CREATE TRIGGER users_username_rule_on_insert BEFORE INSERT ON users
WHEN typeof(NEW.username) <> 'text'
  OR length(NEW.username) NOT BETWEEN 1 AND 64
  OR NEW.username GLOB '*[^A-Za-z0-9._@-]*'
  OR NEW.username = 'cli'
BEGIN
    SELECT RAISE(ABORT, 'a username is 1-64 of A-Z a-z 0-9 . _ @ - and not cli');
END;
CREATE TRIGGER users_username_rule_on_update BEFORE UPDATE OF username ON users
WHEN typeof(NEW.username) <> 'text'
  OR length(NEW.username) NOT BETWEEN 1 AND 64
  OR NEW.username GLOB '*[^A-Za-z0-9._@-]*'
  OR NEW.username = 'cli'
BEGIN
    SELECT RAISE(ABORT, 'a username is 1-64 of A-Z a-z 0-9 . _ @ - and not cli');
END;

-- Before this version `kaiku user add` took any name without spaces. A user
-- that already bears an actor's name ('key:…' or 'cli') is disabled, its
-- sessions end, and the audit says so (as the command line, which runs the
-- migration). Other names outside the rule (say, with an ä) cannot be taken
-- for an actor and stay as they are; the triggers only stop new ones.
INSERT INTO audit (at, user, action, object, client_ip, region)
    SELECT CAST(strftime('%s', 'now') AS INTEGER), 'cli', 'user.disable', 'user:' || u.username,
           'local',
           coalesce(u.region, (SELECT region FROM units WHERE id = u.unit),
                    (SELECT region FROM venues WHERE id = u.venue))
    FROM users u
    WHERE (u.username GLOB 'key:*' OR u.username = 'cli') AND u.disabled = 0;
DELETE FROM sessions WHERE username GLOB 'key:*' OR username = 'cli';
UPDATE users SET disabled = 1 WHERE username GLOB 'key:*' OR username = 'cli';

-- uses.request_hash was never read: R27's "same request" compares the
-- stored use itself. No index, trigger or view names the column.
ALTER TABLE uses DROP COLUMN request_hash;
