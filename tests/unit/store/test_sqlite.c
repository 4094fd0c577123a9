/* store/: what only the SQLite backend does: migrations and their triggers, a
 * use failing half way through a batch (a planted trigger), the WAL and
 * its checkpointer. */
#include "testutil.h"

#include <sqlite3.h>
#include <stdio.h>
#include <sys/stat.h>
#include <time.h>

#include "fixture.h"
#include "store/sqlite/migrations.h"
#include "util/strutil.h"

/* Migration 003 copies the validity of cards handed out before it onto
 * the cards; the trigger does so for handouts after it. */
static void test_migrate_card_validity(void **state)
{
    (void)state;
    const char *dir = tmpdir_make();
    char path[300];
    snprintf(path, sizeof path, "%s/v.db", dir);
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    for (int i = 0; i < 2; i++)
        assert_int_equal(sqlite3_exec(db, migrations[i].sql, NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(
        sqlite3_exec(db,
                     "PRAGMA user_version = 2;"
                     "INSERT INTO regions (id, name) VALUES ('espoo', 'Espoo');"
                     "INSERT INTO units (id, region, name) VALUES ('sote', 'espoo', 'Sote');"
                     "INSERT INTO cards (code, kind, unit, added_at) VALUES "
                     "('A1', 'personal', 'sote', 0), ('A2', 'personal', 'sote', 0);"
                     "INSERT INTO handouts (card, unit, handed_out_on, valid_until, recorded_by, "
                     "recorded_at) VALUES ('A1', 'sote', 18300, 18665, 'x', 0);",
                     NULL, NULL, NULL),
        SQLITE_OK);
    sqlite3_close(db);

    struct store *s = NULL;
    int from = -1, to = -1;
    assert_int_equal(store_open(path, &s), 0);
    assert_int_equal(store_migrate(s, &from, &to), 0);
    assert_int_equal(from, 2);
    struct card c;
    assert_int_equal(store_card_get(s, "A1", &c), 0);
    assert_true(c.issued);
    assert_int_equal(c.handed_out_on, 18300);
    assert_int_equal(c.valid_until, 18665);
    assert_int_equal(store_card_get(s, "A2", &c), 0);
    assert_false(c.issued);
    store_close(s);
    assert_int_equal(sql_exec(path, "INSERT INTO handouts (card, unit, handed_out_on, "
                                    "valid_until, recorded_by, recorded_at) "
                                    "VALUES ('A2', 'sote', 18400, 18765, 'x', 0)"),
                     SQLITE_OK);
    assert_int_equal(sql_int(path, "SELECT valid_until FROM cards WHERE code = 'A2'"), 18765);
    /* Nothing else may set them apart from the handout. */
    assert_int_not_equal(sql_exec(path, "UPDATE cards SET valid_until = 19000 WHERE code = 'A2'"),
                         SQLITE_OK);
    assert_int_not_equal(sql_exec(path, "UPDATE cards SET handed_out_on = 18300, "
                                        "valid_until = 18665 WHERE code = 'A1' OR code = 'A2'"),
                         SQLITE_OK);
    assert_int_not_equal(sql_exec(path, "UPDATE handouts SET valid_until = 19000"), SQLITE_OK);
    assert_int_not_equal(sql_exec(path, "DELETE FROM handouts WHERE card = 'A1'"), SQLITE_OK);
    assert_int_equal(sql_int(path,
                             "SELECT count(*) FROM cards c JOIN handouts h ON h.card = c.code "
                             "WHERE c.valid_until = h.valid_until "
                             "AND c.handed_out_on = h.handed_out_on"),
                     2);
    tmpdir_remove(dir);
}

static void test_open_and_migrate_twice(void **state)
{
    (void)state;
    const char *dir = tmpdir_make();
    char path[300];
    snprintf(path, sizeof path, "%s/m.db", dir);
    struct store *s = NULL;
    assert_int_equal(store_open(path, &s), 0);
    struct region r;
    /* Not migrated yet: the database is not usable. */
    assert_int_equal(store_region_get(s, "espoo", &r), -ERR_UNAVAILABLE);
    int from = -1, to = -1;
    assert_int_equal(store_migrate(s, &from, &to), 0);
    assert_int_equal(from, 0);
    assert_int_equal(to, migrations_count);
    assert_int_equal(store_migrate(s, &from, &to), 0);
    assert_int_equal(from, migrations_count);
    assert_int_equal(to, migrations_count);
    assert_int_equal(sql_int(path, "PRAGMA user_version"), migrations_count);
    assert_int_equal(store_region_get(s, "espoo", &r), -ERR_NOT_FOUND);
    store_close(s);

    /* A second store on the same file sees it migrated. */
    assert_int_equal(store_open(path, &s), 0);
    assert_int_equal(store_migrate(s, &from, &to), 0);
    assert_int_equal(from, migrations_count);
    store_close(s);
    tmpdir_remove(dir);

    static const struct {
        const char *url;
        int rc;
    } cases[] = {
        /* PostgreSQL's URLs select its backend; no server there: retry later */
        {"postgresql://kaiku@localhost:1/kaiku", -ERR_UNAVAILABLE},
        {"postgres://localhost:1/kaiku", -ERR_UNAVAILABLE},
        {"/nonexistent-dir-kaiku/x/y.db", -ERR_UNAVAILABLE},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        s = (struct store *)1;
        assert_int_equal(store_open(cases[i].url, &s), cases[i].rc);
        assert_null(s);
    }
}

/* A use that fails after it started writing (here: its audit row, refused
 * by a trigger planted for card B7) must not take the other uses of its
 * batch with it, nor leave half of itself behind. A second connection holds
 * the write lock while the uses are queued, so that they form one batch. */
static void test_use_batch_partial_failure(void **state)
{
    struct fixture *f = *state;
    static struct async_use uses[ASYNC_USES];
    struct actor hilla = VENUE_HILLA;
    int64_t ev = async_uses_ready(f, "B", 50, uses);
    assert_int_equal(sql_exec(f->path, "CREATE TRIGGER boom BEFORE INSERT ON audit "
                                       "WHEN NEW.action = 'use.record' AND (SELECT card FROM uses "
                                       "WHERE 'use:' || id = NEW.object) = 'B7' "
                                       "BEGIN SELECT RAISE(ABORT, 'boom'); END"),
                     SQLITE_OK);
    sqlite3 *hold = NULL;
    assert_int_equal(sqlite3_open_v2(f->path, &hold, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_exec(hold, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
    async_uses_queue(f, &hilla, uses);
    struct timespec pause = {0, 100 * 1000 * 1000};
    nanosleep(&pause, NULL); /* the writer waits for the lock with the rest queued */
    assert_int_equal(sqlite3_exec(hold, "ROLLBACK", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(hold);
    store_close(f->s); /* waits for the queue */
    assert_int_equal(store_open(f->path, &f->s), 0);

    for (int i = 0; i < ASYNC_USES; i++) {
        if (uses[i].calls != 1)
            fail_msg("use %d: done called %d times", i, uses[i].calls);
        if (i == 7)
            assert_true(uses[i].rc < 0 && uses[i].rc != -ERR_CAP_REACHED);
        else if (uses[i].rc != 0)
            fail_msg("use %d: rc %d", i, uses[i].rc);
    }
    struct event e;
    assert_int_equal(store_event_get(f->s, ev, &e), 0);
    assert_int_equal(e.used, ASYNC_USES - 1);
    assert_int_equal(count_uses(f->s, 0), ASYNC_USES - 1);
    assert_int_equal(count_uses_of_card(f->s, "B7"), 0);
    assert_int_equal(count_audit(f->s, "use.record"), ASYNC_USES - 1);
}

/* Under a steady stream of commits the WAL does not grow without bound:
 * the checkpointer copies it back in rounds, the writer copies the last
 * few frames, and SQLite starts the WAL afresh (a WAL of every commit since
 * start would be ~140 MiB here; on this small database a round is 1,000
 * pages and the writer copies everything at the latest after 2,000). */
static long file_size(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

static void add_card(struct store *s, int i)
{
    struct actor nat = NATIONAL;
    code_t code;
    snprintf(code, sizeof code, "W%d", i);
    assert_int_equal(
        store_stock_add(s, &nat, "espoo-sote", CARD_PERSONAL, (const code_t *)&code, 1, NULL), 0);
}

static void test_wal_stays_bounded(void **state)
{
    struct fixture *f = *state;
    assert_int_equal(store_serve(f->s), 0); /* the checkpointer runs only for a server */
    long db_before = file_size(f->path);
    /* ~1,450 WAL pages (about 5.8 a card): past a round, short of the 2,000
     * at which the writer copies without the checkpointer. With no commit
     * after them only the checkpointer can copy pages into the database
     * file (it once did nothing, its connection not knowing the file was in
     * WAL mode). */
    int n = 0;
    for (; n < 250; n++)
        add_card(f->s, n);
    char wal[320];
    snprintf(wal, sizeof wal, "%s-wal", f->path);
    long frame = 4096 + 24;                  /* a page and its frame header */
    if (file_size(wal) >= 32 + 2000 * frame) /* the file is as long as the WAL ever was */
        fail_msg("the test's premise: the WAL reached %ld frames, past 2,000",
                 (file_size(wal) - 32) / frame);
    for (int tries = 0; tries < 200 && file_size(f->path) <= db_before; tries++) {
        struct timespec ten_ms = {0, 10 * 1000 * 1000};
        nanosleep(&ten_ms, NULL);
    }
    if (file_size(f->path) <= db_before)
        fail_msg("the checkpointer left the database file at %ld bytes", db_before);
    for (; n < 6000; n++)
        add_card(f->s, n);
    long bytes = file_size(wal);
    if (bytes < 0 || bytes > 16L * 1024 * 1024) /* two rounds are ~8 MiB of frames */
        fail_msg("the WAL has grown to %ld bytes", bytes);
    assert_int_equal(sql_int(f->path, "SELECT count(*) FROM cards WHERE code LIKE 'W%'"), 6000);
}

int main(void)
{
#define T_(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_migrate_card_validity),
        cmocka_unit_test(test_open_and_migrate_twice),
        T_(test_use_batch_partial_failure),
        T_(test_wal_stays_bounded),
    };
#undef T_
    return cmocka_run_group_tests(tests, NULL, NULL);
}
