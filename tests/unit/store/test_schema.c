/* The schema itself keeps the privacy rules: applies every migration to an
 * in-memory database and inspects what columns exist.
 * R7/R10: no column can hold a person's name, identity code, birth date,
 * address, phone or e-mail (organisations' names are allowed: regions, units,
 * venues, events). R18: no seat-zone field anywhere. R34: audit is
 * append-only. */
#include "testutil.h"

#include <sqlite3.h>
#include <string.h>

#include "core/rules.h"
#include "store/sqlite/migrations.h"

static sqlite3 *open_migrated(void)
{
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
    for (int i = 0; i < migrations_count; i++) {
        char *err = NULL;
        int rc = sqlite3_exec(db, migrations[i].sql, NULL, NULL, &err);
        if (rc != SQLITE_OK)
            fail_msg("migration %s: %s", migrations[i].name, err ? err : "?");
    }
    return db;
}

static bool org_name_column(const char *table, const char *column)
{
    static const char *const tables[] = {"regions", "units", "venues", "events"};
    if (strcmp(column, "name") != 0)
        return false;
    for (size_t i = 0; i < ARRAY_LEN(tables); i++)
        if (strcmp(table, tables[i]) == 0)
            return true;
    return false;
}

/* R7, R10, R18 */
static void test_no_identity_or_seat_columns_R7_R10_R18(void **state)
{
    (void)state;
    sqlite3 *db = open_migrated();
    sqlite3_stmt *tables = NULL;
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT name FROM sqlite_schema WHERE type = 'table' "
                                        "AND name NOT LIKE 'sqlite_%'",
                                        -1, &tables, NULL),
                     SQLITE_OK);
    int seen_tables = 0, seen_columns = 0;
    while (sqlite3_step(tables) == SQLITE_ROW) {
        const char *table = (const char *)sqlite3_column_text(tables, 0);
        sqlite3_stmt *cols = NULL;
        assert_int_equal(
            sqlite3_prepare_v2(db, "SELECT name FROM pragma_table_info(?1)", -1, &cols, NULL),
            SQLITE_OK);
        sqlite3_bind_text(cols, 1, table, -1, SQLITE_TRANSIENT);
        while (sqlite3_step(cols) == SQLITE_ROW) {
            const char *column = (const char *)sqlite3_column_text(cols, 0);
            seen_columns++;
            if (identity_field_name(column) && !org_name_column(table, column))
                fail_msg("column %s.%s could hold identity data (R10)", table, column);
            if (strstr(column, "seat") || strstr(column, "zone"))
                fail_msg("column %s.%s is a seat restriction (R18)", table, column);
        }
        sqlite3_finalize(cols);
        seen_tables++;
    }
    sqlite3_finalize(tables);
    assert_true(seen_tables >= 10);
    assert_true(seen_columns >= 60);
    sqlite3_close(db);
}

/* R34: the audit table refuses UPDATE and DELETE. */
static void test_audit_append_only_R34(void **state)
{
    (void)state;
    sqlite3 *db = open_migrated();
    assert_int_equal(sqlite3_exec(db,
                                  "INSERT INTO audit (at, user, action, object, client_ip) "
                                  "VALUES (1, 'u', 'use.record', 'use:1', '127.0.0.1')",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    static const char *const refused[] = {
        "UPDATE audit SET user = 'other'",
        "DELETE FROM audit",
    };
    for (size_t i = 0; i < ARRAY_LEN(refused); i++)
        assert_int_not_equal(sqlite3_exec(db, refused[i], NULL, NULL, NULL), SQLITE_OK);
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*), min(user) FROM audit", -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(st, 0), 1);
    assert_string_equal((const char *)sqlite3_column_text(st, 1), "u");
    sqlite3_finalize(st);
    sqlite3_close(db);
}

/* R12, R16, R24: the database refuses what the rules forbid even if a caller
 * skipped the core's checks. */
static void test_constraints_mirror_rules_R12_R16_R24(void **state)
{
    (void)state;
    sqlite3 *db = open_migrated();
    static const char setup[] =
        "INSERT INTO regions (id, name) VALUES ('r', 'R');"
        "INSERT INTO units (id, region, name) VALUES ('u', 'r', 'U');"
        "INSERT INTO venues (id, region, name, category) VALUES ('v', 'r', 'V', 'theatre');"
        "INSERT INTO cards (code, kind, unit, added_at) VALUES ('E1', 'personal', 'u', 0);"
        "INSERT INTO handouts (card, unit, handed_out_on, valid_until, recorded_by, recorded_at)"
        " VALUES ('E1', 'u', 0, 365, 'd', 0);"
        "INSERT INTO events (id, venue, name, kind, starts_at, capacity, cap)"
        " VALUES (1, 'v', 'E', 'performance', 0, 10, 2);"
        "INSERT INTO uses (card, event, adult, child, recorded_by, recorded_at)"
        " VALUES ('E1', 1, 1, 0, 'v', 0);";
    assert_int_equal(sqlite3_exec(db, setup, NULL, NULL, NULL), SQLITE_OK);
    static const struct {
        const char *sql;
        const char *rule;
    } refused[] = {
        {"INSERT INTO handouts (card, unit, handed_out_on, valid_until, recorded_by, "
         "recorded_at) VALUES ('E1', 'u', 1, 366, 'd', 0)",
         "R12 one handout per code"},
        {"UPDATE events SET used = 3 WHERE id = 1", "R16 never past the cap"},
        {"UPDATE events SET cap = NULL, used = 11 WHERE id = 1", "R16 never past capacity"},
        {"INSERT INTO uses (card, event, adult, child, recorded_by, recorded_at) "
         "VALUES ('E1', 1, 1, 0, 'v', 1)",
         "R24 one adult ticket per card and event"},
        {"INSERT INTO uses (card, event, adult, child, recorded_by, recorded_at) "
         "VALUES ('E1', 1, 2, 0, 'v', 1)",
         "R24 at most one adult ticket in a use"},
        {"INSERT INTO cards (code, kind, unit, added_at) VALUES ('e1', 'personal', 'u', 0)",
         "R1 codes are upper case"},
        {"INSERT INTO uses (card, event, adult, child, channel, recorded_by, recorded_at) "
         "VALUES ('E1', 1, 0, 1, 'web_shop', 'v', 1)",
         "R19 no web shop channel"},
    };
    for (size_t i = 0; i < ARRAY_LEN(refused); i++)
        if (sqlite3_exec(db, refused[i].sql, NULL, NULL, NULL) == SQLITE_OK)
            fail_msg("accepted, against %s: %s", refused[i].rule, refused[i].sql);
    sqlite3_close(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_no_identity_or_seat_columns_R7_R10_R18),
        cmocka_unit_test(test_audit_append_only_R34),
        cmocka_unit_test(test_constraints_mirror_rules_R12_R16_R24),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
