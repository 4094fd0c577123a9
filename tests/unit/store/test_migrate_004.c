/* Migration 004 (src/store/sqlite/migrations/004_username_rule.sql): the database
 * keeps core's username rule (R27, R34) with triggers, users that already
 * bear an actor's name are disabled, and the dead column uses.request_hash
 * is dropped without losing a use. */
#include "testutil.h"

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "core/rules.h"
#include "store/sqlite/migrations.h"
#include "store/store.h"
#include "util/strutil.h"

#define V4 4 /* the version this migration brings a database to */

static int exec(const char *path, const char *statement)
{
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
    int rc = sqlite3_exec(db, statement, NULL, NULL, NULL);
    sqlite3_close(db);
    return rc;
}

static int64_t query_int(const char *path, const char *query)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *q = NULL;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, query, -1, &q, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    int64_t v = sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
    sqlite3_close(db);
    return v;
}

/* A version-3 database at path: migrations 001–003 and a small network. */
static void make_v3(const char *path, const char *data)
{
    assert_string_equal(migrations[V4 - 1].name, "004_username_rule.sql");
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    for (int i = 0; i < V4 - 1; i++)
        assert_int_equal(sqlite3_exec(db, migrations[i].sql, NULL, NULL, NULL), SQLITE_OK);
    static const char network[] =
        "PRAGMA user_version = 3;"
        "INSERT INTO regions (id, name) VALUES ('espoo', 'Espoo');"
        "INSERT INTO units (id, region, name) VALUES ('sote', 'espoo', 'Sote');"
        "INSERT INTO venues (id, region, name, category) "
        "VALUES ('hilla', 'espoo', 'Teatteri Hilla', 'theatre');";
    char *err = NULL;
    if (sqlite3_exec(db, network, NULL, NULL, &err) != SQLITE_OK ||
        sqlite3_exec(db, data, NULL, NULL, &err) != SQLITE_OK)
        fail_msg("version 3 data: %s", err ? err : "?");
    sqlite3_close(db);
}

static void migrate(const char *path, struct store **s)
{
    int from = -1, to = -1;
    assert_int_equal(store_open(path, s), 0);
    assert_int_equal(store_migrate(*s, &from, &to), 0);
    assert_int_equal(from, V4 - 1);
    assert_int_equal(to, migrations_count);
}

static struct actor national(void)
{
    struct actor a = {.role = ROLE_NATIONAL, .now = T("2020-02-03T20:30")};
    str_copy(a.user, sizeof a.user, "tuki");
    str_copy(a.address, sizeof a.address, "192.0.2.7");
    return a;
}

/* A hash store_user_add accepts (an argon2id string; never checked here). */
#define HASH \
    "$argon2id$v=19$m=65536,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaA"

struct uses_seen {
    int count, adult, child;
    char first_by[USERNAME_MAX + 1];
};

static int count_use(void *ctx, const struct use_row *u)
{
    struct uses_seen *seen = ctx;
    if (seen->count++ == 0)
        str_copy(seen->first_by, sizeof seen->first_by, u->use.recorded_by);
    seen->adult += u->use.adult;
    seen->child += u->use.child;
    return 0;
}

/* R27: the uses of version 3 survive the dropped column, with their
 * idempotency keys: the same request again is a replay, not a second use. */
static void test_drop_request_hash_keeps_uses_R27(void **state)
{
    (void)state;
    const char *dir = tmpdir_make();
    char path[300];
    snprintf(path, sizeof path, "%s/v3.db", dir);
    make_v3(path, "INSERT INTO cards (code, kind, unit, added_at) VALUES "
                  "('E2251', 'personal', 'sote', 0), ('50141', 'personal', 'sote', 0);"
                  "INSERT INTO handouts (card, unit, handed_out_on, valid_until, recorded_by, "
                  "recorded_at) VALUES ('E2251', 'sote', 18275, 18640, 'd', 0), "
                  "('50141', 'sote', 18283, 18648, 'd', 0);"
                  "INSERT INTO events (id, venue, name, kind, starts_at, capacity, used) VALUES "
                  "(1, 'hilla', 'Taikuri Matti', 'performance', 1580745600, 120, 6);"
                  "INSERT INTO uses (card, event, adult, child, recorded_by, recorded_at, "
                  "idempotency_key, request_hash) VALUES "
                  "('E2251', 1, 1, 2, 'key:7', 1580752800, 'ta-1', x'00112233'), "
                  "('50141', 1, 1, 2, 'kassa', 1580752900, NULL, NULL);");
    assert_int_equal(query_int(path, "SELECT count(*) FROM pragma_table_info('uses') "
                                     "WHERE name = 'request_hash'"),
                     1);
    struct store *s = NULL;
    migrate(path, &s);
    assert_int_equal(query_int(path, "SELECT count(*) FROM pragma_table_info('uses') "
                                     "WHERE name = 'request_hash'"),
                     0);

    /* Every use is there, as it was. */
    struct actor nat = national();
    struct uses_seen seen = {0};
    struct use_filter f = {.from = -1, .to = -1};
    assert_int_equal(store_use_list(s, &nat, &f, count_use, &seen), 0);
    assert_int_equal(seen.count, 2);
    assert_int_equal(seen.adult, 2);
    assert_int_equal(seen.child, 4);
    assert_string_equal(seen.first_by, "key:7");

    /* R27: the key recorded before the migration still answers a retry. */
    struct actor key = nat;
    key.role = ROLE_VENUE;
    key.api_key = 7;
    str_copy(key.user, sizeof key.user, "key:7");
    str_copy(key.scope, sizeof key.scope, "hilla");
    struct use_request r = {.event = 1, .adult = 1, .child = 2};
    str_copy(r.card, sizeof r.card, "E2251");
    str_copy(r.idempotency_key, sizeof r.idempotency_key, "ta-1");
    struct use out;
    bool replayed = false;
    assert_int_equal(store_use_record(s, &key, &r, &out, &replayed, NULL), 0);
    assert_true(replayed);
    assert_int_equal(out.child, 2);
    /* New uses are written without the column (R24 still holds). */
    str_copy(r.card, sizeof r.card, "50141");
    str_copy(r.idempotency_key, sizeof r.idempotency_key, "ta-2");
    r.child = 0;
    assert_int_equal(store_use_record(s, &key, &r, &out, &replayed, NULL),
                     -ERR_DUPLICATE_ADULT_TICKET);
    r.adult = 0;
    r.child = 1;
    replayed = true;
    assert_int_equal(store_use_record(s, &key, &r, &out, &replayed, NULL), 0);
    assert_false(replayed);
    store_close(s);
    assert_int_equal(query_int(path, "SELECT count(*) FROM uses"), 3);
    assert_int_equal(query_int(path, "SELECT used FROM events WHERE id = 1"), 7);
    tmpdir_remove(dir);
}

/* R27, R34: names that break core's rule, above all an API key's "key:ID"
 * and the command line's "cli", are refused by the database itself, on
 * insert and on update, whoever writes; names within the rule pass. */
static void test_username_rule_in_the_database_R27_R34(void **state)
{
    (void)state;
    const char *dir = tmpdir_make();
    char path[300];
    snprintf(path, sizeof path, "%s/v4.db", dir);
    make_v3(path, "");
    struct store *s = NULL;
    migrate(path, &s);
    static const struct {
        const char *name;
        bool allowed;
    } cases[] = {
        {"anna", true},
        {"Anna.Virtanen@espoo.fi", true},
        {"kassa-hilla_2", true},
        {"a", true},
        {"x123456789012345678901234567890123456789012345678901234567890123", true}, /* 64 */
        {"key", true},
        {"clio", true},
        {"key:1", false}, /* an API key's actor name */
        {"key:9223372036854775807", false},
        {"cli", false}, /* the command line's actor name */
        {"", false},
        {"x1234567890123456789012345678901234567890123456789012345678901234", false}, /* 65 */
        {"anna virtanen", false},
        {"matti.meikäläinen", false},
        {"anna|x", false},
        {"anna\tx", false},
        {"anna/x", false},
    };
    struct actor nat = national();
    assert_int_equal(exec(path, "INSERT INTO users (username, password_hash, role, created_at) "
                                "VALUES ('tuki2', 'h', 'national', 0)"),
                     SQLITE_OK);
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        /* Directly in SQL, on insert ... */
        char sql[256];
        snprintf(sql, sizeof sql,
                 "INSERT INTO users (username, password_hash, role, created_at) "
                 "VALUES ('%s', 'h', 'national', 0)",
                 cases[i].name);
        if ((exec(path, sql) == SQLITE_OK) != cases[i].allowed)
            fail_msg("insert of \"%s\": wrong answer", cases[i].name);
        snprintf(sql, sizeof sql, "DELETE FROM users WHERE username = '%s'", cases[i].name);
        assert_int_equal(exec(path, sql), SQLITE_OK);
        /* ... and on update. */
        snprintf(sql, sizeof sql, "UPDATE users SET username = '%s' WHERE username = 'tuki2'",
                 cases[i].name);
        if (!cases[i].allowed && exec(path, sql) == SQLITE_OK)
            fail_msg("update to \"%s\" accepted", cases[i].name);
        /* Through the store: the trigger's refusal is -ERR_INVALID_REQUEST. */
        struct user u = {.role = ROLE_NATIONAL};
        if (str_copy(u.username, sizeof u.username, cases[i].name) != 0)
            continue; /* does not fit struct user */
        int rc = store_user_add(s, &nat, &u, HASH);
        if (rc != (cases[i].allowed ? 0 : -ERR_INVALID_REQUEST))
            fail_msg("store_user_add(\"%s\"): %d", cases[i].name, rc);
    }
    assert_int_equal(query_int(path, "SELECT count(*) FROM users WHERE username = 'tuki2'"), 1);
    assert_int_not_equal(exec(path, "INSERT INTO users (username, password_hash, role, "
                                    "created_at) VALUES (NULL, 'h', 'national', 0)"),
                         SQLITE_OK);
    assert_int_not_equal(exec(path, "INSERT INTO users (username, password_hash, role, "
                                    "created_at) VALUES (x'6b65793a31', 'h', 'national', 0)"),
                         SQLITE_OK);
    /* Other updates of a user are not the rule's business. */
    assert_int_equal(exec(path, "UPDATE users SET disabled = 1 WHERE username = 'anna'"),
                     SQLITE_OK);
    store_close(s);
    tmpdir_remove(dir);
}

static int count_disable(void *ctx, const struct audit_entry *e)
{
    char *objects = ctx;
    if (strcmp(e->action, "user.disable") == 0 && strcmp(e->user, USERNAME_CLI) == 0 &&
        strcmp(e->address, "local") == 0) {
        size_t n = strlen(objects);
        snprintf(objects + n, 256 - n, "%s %s;", e->object, e->region);
    }
    return 0;
}

/* R27, R34: a user of version 3 that bears an actor's name is disabled by
 * the migration, its sessions end, and the audit says so; other users, also
 * those with names outside today's rule, stay as they were. */
static void test_actor_named_users_disabled_R27_R34(void **state)
{
    (void)state;
    const char *dir = tmpdir_make();
    char path[300];
    snprintf(path, sizeof path, "%s/v3users.db", dir);
    make_v3(path,
            "INSERT INTO users (username, password_hash, role, venue, created_at) VALUES "
            "('key:1', 'h', 'venue', 'hilla', 0);"
            "INSERT INTO users (username, password_hash, role, unit, created_at) VALUES "
            "('cli', 'h', 'distributor', 'sote', 0);"
            "INSERT INTO users (username, password_hash, role, region, created_at) VALUES "
            "('anna', 'h', 'coordinator', 'espoo', 0);"
            "INSERT INTO users (username, password_hash, role, created_at) VALUES "
            "('matti.meikäläinen', 'h', 'national', 0);"
            "INSERT INTO sessions (token_hash, username, created_at, expires_at) VALUES "
            "(zeroblob(32), 'key:1', 0, 4000000000), "
            "(x'0100000000000000000000000000000000000000000000000000000000000000', 'anna', 0, "
            "4000000000);");
    struct store *s = NULL;
    migrate(path, &s);
    static const struct {
        const char *name;
        bool disabled;
    } users[] = {
        {"key:1", true},
        {"cli", true},
        {"anna", false},
        {"matti.meikäläinen", false},
    };
    for (size_t i = 0; i < ARRAY_LEN(users); i++) {
        struct user u;
        assert_int_equal(store_user_get(s, users[i].name, &u, NULL), 0);
        if (u.disabled != users[i].disabled)
            fail_msg("%s: disabled %d", users[i].name, u.disabled);
    }
    struct user u;
    uint8_t token[TOKEN_HASH_BYTES] = {0};
    assert_int_equal(store_session_get(s, token, 0, &u, NULL), -ERR_UNAUTHENTICATED);
    token[0] = 1;
    assert_int_equal(store_session_get(s, token, 0, &u, NULL), 0);
    assert_string_equal(u.username, "anna");
    assert_int_equal(query_int(path, "SELECT count(*) FROM sessions"), 1);
    char objects[256] = "";
    struct actor nat = national();
    assert_int_equal(store_audit_list(s, &nat, NULL, count_disable, objects), 0);
    assert_string_equal(objects, "user:key:1 espoo;user:cli espoo;");
    store_close(s);
    tmpdir_remove(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_drop_request_hash_keeps_uses_R27),
        cmocka_unit_test(test_username_rule_in_the_database_R27_R34),
        cmocka_unit_test(test_actor_named_users_disabled_R27_R34),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
