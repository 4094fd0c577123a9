/* An acknowledged use survives a power cut (issue 15), proved the way SQLite
 * proves its own crash safety: a test VFS, "powercut", wraps the default one
 * and records every write and truncation of each file since that file's last
 * sync. After a random number of writes and syncs it "cuts the power": that
 * operation and every later one fail and change nothing. The files are then
 * rebuilt as a disk might leave them — what was synced, plus a random subset
 * of what was not (each unsynced write kept or lost on its own) — and the
 * database is opened again: every use the store acknowledged must be there,
 * and PRAGMA integrity_check must pass. The same VFS injects storage errors
 * (a full disk, an I/O error on write or on sync): the store answers
 * unavailable, loses nothing acknowledged and works once the fault is gone.
 *
 * The VFS's sync only moves the recorded writes into its picture of the
 * disk: what a real fsync would do for a power cut, without its cost. */
#include "testutil.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fixture.h"
#include "util/rng.h"

#define PC_FILES_MAX 8
#define PC_CYCLES    120 /* simulated power cuts */
#define PC_USES_MAX  400 /* uses tried per cycle before the power would go anyway */

enum pc_op_kind { PC_WRITE, PC_TRUNCATE };

struct pc_op {
    enum pc_op_kind kind;
    sqlite3_int64 offset; /* PC_TRUNCATE: the new size */
    size_t n;
    unsigned char *data;
};

/* A file by name: its content as last synced, and what came since. */
struct pc_track {
    char name[512];
    unsigned char *durable;
    size_t durable_len, durable_cap;
    struct pc_op *ops;
    size_t nops, cap;
};

enum pc_fault { FAULT_NONE, FAULT_FULL, FAULT_IO_WRITE, FAULT_IO_SYNC };

static struct {
    sqlite3_vfs *real;
    struct pc_track files[PC_FILES_MAX];
    long countdown; /* writes + truncations + syncs left before the cut; <0: no cut */
    bool power_off; /* every later mutation fails */
    enum pc_fault fault;
    long writes, syncs;
} pc;

struct pc_file {
    sqlite3_file base;
    struct pc_track *t; /* NULL for nameless temporary files */
    sqlite3_file *real;
};

static struct pc_track *pc_track_of(const char *name)
{
    struct pc_track *free_slot = NULL;
    for (int i = 0; i < PC_FILES_MAX; i++) {
        if (strcmp(pc.files[i].name, name) == 0)
            return &pc.files[i];
        if (!free_slot && pc.files[i].name[0] == '\0')
            free_slot = &pc.files[i];
    }
    assert_non_null(free_slot);
    assert_true(strlen(name) < sizeof free_slot->name);
    memcpy(free_slot->name, name, strlen(name) + 1);
    /* A file met for the first time holds what the disk holds: the test
     * starts each cycle from files at rest. */
    FILE *f = fopen(name, "rb");
    if (f) {
        fseek(f, 0, SEEK_END);
        long len = ftell(f);
        fseek(f, 0, SEEK_SET);
        free_slot->durable = malloc(len > 0 ? (size_t)len : 1);
        assert_non_null(free_slot->durable);
        free_slot->durable_len = fread(free_slot->durable, 1, (size_t)len, f);
        free_slot->durable_cap = len > 0 ? (size_t)len : 1;
        fclose(f);
    }
    return free_slot;
}

/* Applies one write or truncation to a file's image (capacity *cap, grown
 * by doubling: a WAL grows a frame at a time). */
static void pc_image_apply(unsigned char **img, size_t *len, size_t *cap, const struct pc_op *op)
{
    size_t end = op->kind == PC_WRITE ? (size_t)op->offset + op->n : (size_t)op->offset;
    if (end > *cap) {
        *cap = end > 2 * *cap ? end : 2 * *cap;
        *img = realloc(*img, *cap ? *cap : 1);
        assert_non_null(*img);
    }
    if (end > *len)
        memset(*img + *len, 0, end - *len);
    if (op->kind == PC_WRITE)
        memcpy(*img + op->offset, op->data, op->n);
    else
        *len = end;
    if (end > *len)
        *len = end;
}

static void pc_forget_ops(struct pc_track *t)
{
    for (size_t i = 0; i < t->nops; i++)
        free(t->ops[i].data);
    t->nops = 0;
}

static void pc_record(struct pc_track *t, enum pc_op_kind kind, sqlite3_int64 offset,
                      const void *data, size_t n)
{
    if (t->nops == t->cap) {
        t->cap = t->cap ? 2 * t->cap : 64;
        t->ops = realloc(t->ops, t->cap * sizeof *t->ops);
        assert_non_null(t->ops);
    }
    struct pc_op *op = &t->ops[t->nops++];
    *op = (struct pc_op){kind, offset, n, NULL};
    if (n) {
        op->data = malloc(n);
        assert_non_null(op->data);
        memcpy(op->data, data, n);
    }
}

/* Counts one mutation; true when it may happen (the power is on and no
 * fault is planted). */
static int pc_allow(int io_error)
{
    if (pc.power_off)
        return io_error;
    if (pc.countdown >= 0 && pc.countdown-- == 0) {
        pc.power_off = true;
        return io_error;
    }
    return SQLITE_OK;
}

static struct pc_file *pcf(sqlite3_file *f)
{
    return (struct pc_file *)f;
}

static int pc_close(sqlite3_file *f)
{
    return pcf(f)->real->pMethods->xClose(pcf(f)->real);
}

static int pc_read(sqlite3_file *f, void *buf, int n, sqlite3_int64 off)
{
    return pcf(f)->real->pMethods->xRead(pcf(f)->real, buf, n, off);
}

static int pc_write(sqlite3_file *f, const void *buf, int n, sqlite3_int64 off)
{
    if (pc.fault == FAULT_FULL)
        return SQLITE_FULL;
    if (pc.fault == FAULT_IO_WRITE)
        return SQLITE_IOERR_WRITE;
    int rc = pc_allow(SQLITE_IOERR_WRITE);
    if (rc == SQLITE_OK)
        rc = pcf(f)->real->pMethods->xWrite(pcf(f)->real, buf, n, off);
    if (rc == SQLITE_OK && pcf(f)->t)
        pc_record(pcf(f)->t, PC_WRITE, off, buf, (size_t)n);
    pc.writes++;
    return rc;
}

static int pc_truncate(sqlite3_file *f, sqlite3_int64 size)
{
    int rc = pc_allow(SQLITE_IOERR_TRUNCATE);
    if (rc == SQLITE_OK)
        rc = pcf(f)->real->pMethods->xTruncate(pcf(f)->real, size);
    if (rc == SQLITE_OK && pcf(f)->t)
        pc_record(pcf(f)->t, PC_TRUNCATE, size, NULL, 0);
    return rc;
}

static int pc_sync(sqlite3_file *f, int flags)
{
    (void)flags;
    if (pc.fault == FAULT_IO_SYNC)
        return SQLITE_IOERR_FSYNC;
    int rc = pc_allow(SQLITE_IOERR_FSYNC);
    struct pc_track *t = pcf(f)->t;
    if (rc == SQLITE_OK && t) {
        for (size_t i = 0; i < t->nops; i++)
            pc_image_apply(&t->durable, &t->durable_len, &t->durable_cap, &t->ops[i]);
        pc_forget_ops(t);
    }
    pc.syncs++;
    return rc;
}

static int pc_file_size(sqlite3_file *f, sqlite3_int64 *size)
{
    return pcf(f)->real->pMethods->xFileSize(pcf(f)->real, size);
}

static int pc_lock(sqlite3_file *f, int level)
{
    return pcf(f)->real->pMethods->xLock(pcf(f)->real, level);
}

static int pc_unlock(sqlite3_file *f, int level)
{
    return pcf(f)->real->pMethods->xUnlock(pcf(f)->real, level);
}

static int pc_check_lock(sqlite3_file *f, int *out)
{
    return pcf(f)->real->pMethods->xCheckReservedLock(pcf(f)->real, out);
}

static int pc_file_control(sqlite3_file *f, int op, void *arg)
{
    return pcf(f)->real->pMethods->xFileControl(pcf(f)->real, op, arg);
}

static int pc_sector_size(sqlite3_file *f)
{
    return pcf(f)->real->pMethods->xSectorSize(pcf(f)->real);
}

static int pc_device_characteristics(sqlite3_file *f)
{
    return pcf(f)->real->pMethods->xDeviceCharacteristics(pcf(f)->real);
}

static int pc_shm_map(sqlite3_file *f, int page, int size, int extend, void volatile **out)
{
    return pcf(f)->real->pMethods->xShmMap(pcf(f)->real, page, size, extend, out);
}

static int pc_shm_lock(sqlite3_file *f, int offset, int n, int flags)
{
    return pcf(f)->real->pMethods->xShmLock(pcf(f)->real, offset, n, flags);
}

static void pc_shm_barrier(sqlite3_file *f)
{
    pcf(f)->real->pMethods->xShmBarrier(pcf(f)->real);
}

static int pc_shm_unmap(sqlite3_file *f, int delete_flag)
{
    return pcf(f)->real->pMethods->xShmUnmap(pcf(f)->real, delete_flag);
}

static const sqlite3_io_methods pc_io = {
    2, /* with shared memory (WAL), without memory-mapped reads */
    pc_close,
    pc_read,
    pc_write,
    pc_truncate,
    pc_sync,
    pc_file_size,
    pc_lock,
    pc_unlock,
    pc_check_lock,
    pc_file_control,
    pc_sector_size,
    pc_device_characteristics,
    pc_shm_map,
    pc_shm_lock,
    pc_shm_barrier,
    pc_shm_unmap,
    NULL,
    NULL,
};

static int pc_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *f, int flags, int *out)
{
    (void)vfs;
    struct pc_file *p = pcf(f);
    p->real = (sqlite3_file *)(p + 1);
    p->t = name ? pc_track_of(name) : NULL;
    int rc = pc.real->xOpen(pc.real, name, p->real, flags, out);
    p->base.pMethods = rc == SQLITE_OK ? &pc_io : NULL;
    return rc;
}

static int pc_delete(sqlite3_vfs *vfs, const char *name, int sync_dir)
{
    (void)vfs;
    int rc = pc_allow(SQLITE_IOERR_DELETE);
    if (rc == SQLITE_OK)
        rc = pc.real->xDelete(pc.real, name, sync_dir);
    for (int i = 0; rc == SQLITE_OK && i < PC_FILES_MAX; i++) {
        struct pc_track *t = &pc.files[i];
        if (strcmp(t->name, name) == 0) { /* gone, durably (the directory synced) */
            pc_forget_ops(t);
            t->durable_len = 0;
        }
    }
    return rc;
}

static int pc_access(sqlite3_vfs *vfs, const char *name, int flags, int *out)
{
    (void)vfs;
    return pc.real->xAccess(pc.real, name, flags, out);
}

static int pc_full_pathname(sqlite3_vfs *vfs, const char *name, int n, char *out)
{
    (void)vfs;
    return pc.real->xFullPathname(pc.real, name, n, out);
}

static int pc_randomness(sqlite3_vfs *vfs, int n, char *out)
{
    (void)vfs;
    return pc.real->xRandomness(pc.real, n, out);
}

static int pc_sleep(sqlite3_vfs *vfs, int us)
{
    (void)vfs;
    return pc.real->xSleep(pc.real, us);
}

static int pc_current_time(sqlite3_vfs *vfs, double *out)
{
    (void)vfs;
    return pc.real->xCurrentTime(pc.real, out);
}

static int pc_last_error(sqlite3_vfs *vfs, int n, char *out)
{
    (void)vfs;
    return pc.real->xGetLastError(pc.real, n, out);
}

static int pc_current_time64(sqlite3_vfs *vfs, sqlite3_int64 *out)
{
    (void)vfs;
    return pc.real->xCurrentTimeInt64(pc.real, out);
}

static sqlite3_vfs pc_vfs = {
    .iVersion = 2,
    .zName = "powercut",
    .xOpen = pc_open,
    .xDelete = pc_delete,
    .xAccess = pc_access,
    .xFullPathname = pc_full_pathname,
    .xRandomness = pc_randomness,
    .xSleep = pc_sleep,
    .xCurrentTime = pc_current_time,
    .xGetLastError = pc_last_error,
    .xCurrentTimeInt64 = pc_current_time64,
};

static void pc_register(void)
{
    if (pc.real)
        return;
    pc.real = sqlite3_vfs_find(NULL);
    assert_non_null(pc.real);
    pc_vfs.szOsFile = (int)sizeof(struct pc_file) + pc.real->szOsFile;
    pc_vfs.mxPathname = pc.real->mxPathname;
    assert_int_equal(sqlite3_vfs_register(&pc_vfs, 0), SQLITE_OK);
    pc.countdown = -1;
}

/* The machine comes back: each file is what was synced plus, in order, a
 * random subset of the writes and truncations that were not; the shared
 * memory index is gone with the RAM. */
static void pc_reboot(struct rng *r, const char *db_path)
{
    for (int i = 0; i < PC_FILES_MAX; i++) {
        struct pc_track *t = &pc.files[i];
        if (t->name[0] == '\0')
            continue;
        for (size_t k = 0; k < t->nops; k++)
            if (rng_percent(r, 50))
                pc_image_apply(&t->durable, &t->durable_len, &t->durable_cap, &t->ops[k]);
        FILE *f = fopen(t->name, "wb");
        assert_non_null(f);
        if (t->durable_len)
            assert_int_equal(fwrite(t->durable, 1, t->durable_len, f), t->durable_len);
        assert_int_equal(fclose(f), 0);
        pc_forget_ops(t);
        free(t->ops);
        free(t->durable);
        memset(t, 0, sizeof *t);
    }
    char shm[320];
    snprintf(shm, sizeof shm, "%s-shm", db_path);
    unlink(shm);
    pc.power_off = false;
    pc.countdown = -1;
}

/* The uses acknowledged so far, by id. */
struct acked {
    int64_t *ids;
    size_t n, cap;
};

static void acked_add(struct acked *a, int64_t id)
{
    if (a->n == a->cap) {
        a->cap = a->cap ? 2 * a->cap : 256;
        a->ids = realloc(a->ids, a->cap * sizeof *a->ids);
        assert_non_null(a->ids);
    }
    a->ids[a->n++] = id;
}

/* Every acknowledged use is in the file, and SQLite finds it sound. */
static void check_database(const char *path, const struct acked *a, int cycle)
{
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
    /* The check's own checkpoint on close needs no real fsync: the next
     * cycle starts from whatever the file holds. */
    assert_int_equal(sqlite3_exec(db, "PRAGMA synchronous = OFF", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_stmt *q = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &q, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    if (strcmp((const char *)sqlite3_column_text(q, 0), "ok") != 0)
        fail_msg("cycle %d: integrity_check: %s", cycle, sqlite3_column_text(q, 0));
    sqlite3_finalize(q);
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT 1 FROM uses WHERE id = ?", -1, &q, NULL),
                     SQLITE_OK);
    for (size_t i = 0; i < a->n; i++) {
        sqlite3_bind_int64(q, 1, a->ids[i]);
        if (sqlite3_step(q) != SQLITE_ROW)
            fail_msg("cycle %d: acknowledged use %lld lost (%zu acknowledged)", cycle,
                     (long long)a->ids[i], a->n);
        sqlite3_reset(q);
    }
    sqlite3_finalize(q);
    sqlite3_close(db);
}

/* A network with ten cards handed out and an event with room for every use
 * of the test; closed, so that the file is at rest. */
static int64_t prepare_database(struct fixture *f)
{
    struct actor dist = DIST_SOTE;
    for (int i = 0; i < 10; i++) {
        char code[8];
        snprintf(code, sizeof code, "E%d", i);
        assert_int_equal(hand_out(f->s, &dist, code, D(2020, 1, 10)), 0);
    }
    int64_t event = add_event(f->s, "hilla", CAPACITY_MAX, -1);
    store_close(f->s);
    f->s = NULL;
    return event;
}

/* Issue 15 item 5: at least 100 power cuts at random moments, each after
 * some uses were acknowledged; none is ever lost. */
static void test_power_cut_keeps_acknowledged_uses(void **state)
{
    struct fixture *f = *state;
    int64_t event = prepare_database(f);
    pc_register();
    char url[400];
    snprintf(url, sizeof url, "file:%s?vfs=powercut", f->path);
    struct rng r;
    uint64_t seed = (uint64_t)time(NULL);
    rng_init(&r, seed);
    print_message("seed %llu\n", (unsigned long long)seed);
    struct acked a = {0};
    struct actor venue = VENUE_HILLA;
    long cuts = 0, lost_in_flight = 0;
    for (int cycle = 0; cycle < PC_CYCLES; cycle++) {
        /* Mostly early cuts; every tenth cycle runs long enough for SQLite's
         * own checkpoint (1,000 WAL pages) to be cut too. */
        pc.countdown = cycle % 10 == 9 ? rng_between(&r, 500, 4000) : rng_between(&r, 0, 300);
        struct store *s = NULL;
        int rc = store_open(url, &s);
        for (int i = 0; rc == 0 && i < PC_USES_MAX; i++) {
            char card[8];
            snprintf(card, sizeof card, "E%d", (int)rng_below(&r, 10));
            struct use_request req = use_req(card, event, 0, 1, "");
            struct use u;
            bool replayed;
            rc = store_use_record(s, &venue, &req, &u, &replayed, NULL);
            if (rc == 0)
                acked_add(&a, u.id);
            else
                lost_in_flight++;
        }
        cuts += pc.power_off;
        pc.power_off = true; /* the power goes now at the latest */
        store_close(s);
        pc_reboot(&r, f->path);
        check_database(f->path, &a, cycle);
    }
    print_message("%ld power cuts, %zu uses acknowledged, 0 lost, %ld refused when the power "
                  "went\n",
                  cuts, a.n, lost_in_flight);
    assert_true(cuts >= 100);
    assert_true(a.n >= 1000);
    free(a.ids);
}

/* Issue 15 item 6: a full disk, an I/O error on write and one on sync each
 * make a use fail as unavailable (503 in the API), change nothing, lose
 * nothing acknowledged; the same store records again once the fault is gone. */
static void test_storage_faults_are_unavailable(void **state)
{
    struct fixture *f = *state;
    int64_t event = prepare_database(f);
    pc_register();
    char url[400];
    snprintf(url, sizeof url, "file:%s?vfs=powercut", f->path);
    struct store *s = NULL;
    assert_int_equal(store_open(url, &s), 0);
    struct actor venue = VENUE_HILLA;
    struct acked a = {0};
    static const enum pc_fault faults[] = {FAULT_FULL, FAULT_IO_WRITE, FAULT_IO_SYNC};
    for (size_t i = 0; i < ARRAY_LEN(faults); i++) {
        for (int k = 0; k < 5; k++) { /* before: acknowledged */
            struct use_request req = use_req("E1", event, 0, 1, "");
            struct use u;
            bool replayed;
            assert_int_equal(store_use_record(s, &venue, &req, &u, &replayed, NULL), 0);
            acked_add(&a, u.id);
        }
        pc.fault = faults[i];
        struct use_request req = use_req("E2", event, 0, 1, "");
        struct use u;
        bool replayed;
        print_message("fault %zu\n", i);
        assert_int_equal(store_use_record(s, &venue, &req, &u, &replayed, NULL), -ERR_UNAVAILABLE);
        pc.fault = FAULT_NONE;
        assert_int_equal(count_uses(s, event), (int64_t)a.n);
        assert_int_equal(store_use_record(s, &venue, &req, &u, &replayed, NULL), 0);
        acked_add(&a, u.id);
    }
    assert_int_equal(count_uses(s, event), (int64_t)a.n);
    store_close(s);
    for (int i = 0; i < PC_FILES_MAX; i++) { /* nothing to cut here */
        pc_forget_ops(&pc.files[i]);
        free(pc.files[i].ops);
        free(pc.files[i].durable);
        memset(&pc.files[i], 0, sizeof pc.files[i]);
    }
    check_database(f->path, &a, 0);
    free(a.ids);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_power_cut_keeps_acknowledged_uses, setup, teardown),
        cmocka_unit_test_setup_teardown(test_storage_faults_are_unavailable, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
