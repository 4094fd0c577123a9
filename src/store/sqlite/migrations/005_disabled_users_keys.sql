-- kaiku schema: the API keys of disabled users (issue 15, item 3).
--
-- From this version on, disabling a user revokes every API key that user
-- created (src/store/users.c, revoke_keys_of), and re-enabling the user
-- does not bring them back. Keys created by a user who was disabled before
-- this version are revoked here the same way, each with an audit row
-- 'api_key.revoke' by the command line, which runs the migration.
INSERT INTO audit (at, user, action, object, client_ip, region)
    SELECT CAST(strftime('%s', 'now') AS INTEGER), 'cli', 'api_key.revoke', 'api_key:' || k.id,
           'local', (SELECT region FROM venues WHERE id = k.venue)
    FROM api_keys k
    WHERE k.revoked_at IS NULL
      AND k.created_by IN (SELECT username FROM users WHERE disabled = 1)
    ORDER BY k.id;
UPDATE api_keys SET revoked_at = CAST(strftime('%s', 'now') AS INTEGER)
WHERE revoked_at IS NULL
  AND created_by IN (SELECT username FROM users WHERE disabled = 1);
