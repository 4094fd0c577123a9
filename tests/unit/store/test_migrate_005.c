/* Migration 005 (src/store/sqlite/migrations/005_disabled_users_keys.sql):
 * the API keys made by users disabled before it are revoked, as disabling
 * does from then on (issue 15, item 3), and the audit says so (R34). */
#include "testutil.h"

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "core/rules.h"
#include "store/sqlite/migrations.h"
#include "store/store.h"
#include "util/strutil.h"

#define V5 5 /* the version this migration brings a database to */

/* A version-4 database at path holding `data`. */
static void make_v4(const char *path, const char *data)
{
    assert_string_equal(migrations[V5 - 1].name, "005_disabled_users_keys.sql");
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    for (int i = 0; i < V5 - 1; i++)
        assert_int_equal(sqlite3_exec(db, migrations[i].sql, NULL, NULL, NULL), SQLITE_OK);
    char *err = NULL;
    if (sqlite3_exec(db, "PRAGMA user_version = 4;", NULL, NULL, &err) != SQLITE_OK ||
        sqlite3_exec(db, data, NULL, NULL, &err) != SQLITE_OK)
        fail_msg("version 4 data: %s", err ? err : "?");
    sqlite3_close(db);
}

static int revoke_rows(void *ctx, const struct audit_entry *e)
{
    char *seen = ctx;
    if (strcmp(e->action, "api_key.revoke") == 0) {
        size_t n = strlen(seen);
        snprintf(seen + n, 256 - n, "%s %s %s %s;", e->user, e->object, e->address, e->region);
    }
    return 0;
}

static void test_keys_of_disabled_users_revoked_R34(void **state)
{
    (void)state;
    const char *dir = tmpdir_make();
    char path[300];
    snprintf(path, sizeof path, "%s/v4.db", dir);
    make_v4(path, "INSERT INTO regions (id, name) VALUES ('espoo', 'Espoo');"
                  "INSERT INTO venues (id, region, name, category) VALUES "
                  "('hilla', 'espoo', 'Teatteri Hilla', 'theatre'), "
                  "('kiasma', NULL, 'Kiasma', 'museum');"
                  "INSERT INTO users (username, password_hash, role, venue, disabled, created_at) "
                  "VALUES ('left', 'h', 'venue', 'hilla', 1, 0), "
                  "('stays', 'h', 'venue', 'hilla', 0, 0);"
                  "INSERT INTO api_keys (id, venue, label, key_hash, created_by, created_at, "
                  "revoked_at) VALUES "
                  "(1, 'hilla', 'a', x'" /* left's, live: revoked by the migration */
                  "0101010101010101010101010101010101010101010101010101010101010101', 'left', 0, "
                  "NULL), "
                  "(2, 'kiasma', 'b', x'" /* left's, on a pop-up venue: revoked too */
                  "0202020202020202020202020202020202020202020202020202020202020202', 'left', 0, "
                  "NULL), "
                  "(3, 'hilla', 'c', x'" /* left's, revoked long ago: left alone */
                  "0303030303030303030303030303030303030303030303030303030303030303', 'left', 0, "
                  "7), "
                  "(4, 'hilla', 'd', x'" /* an enabled user's: works on */
                  "0404040404040404040404040404040404040404040404040404040404040404', 'stays', 0, "
                  "NULL);");
    struct store *s = NULL;
    int from = -1, to = -1;
    assert_int_equal(store_open(path, &s), 0);
    assert_int_equal(store_migrate(s, &from, &to), 0);
    assert_int_equal(from, V5 - 1);
    assert_int_equal(to, migrations_count);

    static const struct {
        uint8_t fill;
        bool works;
    } keys[] = {{1, false}, {2, false}, {3, false}, {4, true}};
    for (size_t i = 0; i < ARRAY_LEN(keys); i++) {
        uint8_t hash[TOKEN_HASH_BYTES];
        memset(hash, keys[i].fill, sizeof hash);
        struct api_key k;
        if ((store_api_key_find(s, hash, &k) == 0) != keys[i].works)
            fail_msg("key %d: %s", keys[i].fill, keys[i].works ? "stopped" : "works");
    }
    struct actor nat = {.role = ROLE_NATIONAL, .now = 1};
    str_copy(nat.user, sizeof nat.user, "tuki");
    char seen[256] = "";
    assert_int_equal(store_audit_list(s, &nat, NULL, revoke_rows, seen), 0);
    assert_string_equal(seen, "cli api_key:1 local espoo;cli api_key:2 local ;");
    store_close(s);
    tmpdir_remove(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_keys_of_disabled_users_revoked_R34),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
