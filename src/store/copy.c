/* A whole store copied into another through the backend contract: every
 * table in dependency order (stmt.h's COPY_TABLES), read from one snapshot
 * of the source and written in one write transaction of the target. Both
 * stores may have different backends; each gives its own SQL for the
 * S_COPY_* statements. `kaiku demo`'s build-beside-then-swap and a move to
 * PostgreSQL use it. Backup and restore (below) go through the backend's
 * own backup file instead: an exact copy, made online. */
#include "store/tx.h"

#include <assert.h>

static const struct copy_table {
    enum stmt read, write;
} copy_tables[] = {
#define X(t) {S_COPY_##t##_READ, S_COPY_##t##_WRITE},
    COPY_TABLES(X)
#undef X
};

static_assert(sizeof copy_tables / sizeof copy_tables[0] == STORE_COPY_TABLES,
              "store.h's STORE_COPY_TABLES counts stmt.h's COPY_TABLES");

static const char *const copy_names[] = {
#define X(t) #t,
    COPY_TABLES(X)
#undef X
};

const char *store_copy_table(size_t i)
{
    return i < STORE_COPY_TABLES ? copy_names[i] : NULL;
}

struct copy {
    struct bk_tx *target;
    enum stmt write;
    int64_t rows;
};

/* Any row at all in the target: it is not empty. */
static int found_row(void *ctx, const struct bk_row *r)
{
    (void)ctx;
    (void)r;
    return -ERR_ALREADY_EXISTS;
}

/* One row of the source, written as it is (the values live while it runs). */
static int copy_row(void *ctx, const struct bk_row *r)
{
    struct copy *c = ctx;
    c->rows++;
    return c->target->ops->run(c->target, c->write, r->v, r->n, NULL, NULL);
}

int store_copy(struct store *from, struct store *to, int64_t *rows)
{
    int64_t counts[STORE_COPY_TABLES];
    int rc = store_copy_counted(from, to, counts);
    if (rc == 0 && rows) {
        *rows = 0;
        for (size_t i = 0; i < STORE_COPY_TABLES; i++)
            *rows += counts[i];
    }
    return rc;
}

int store_copy_counted(struct store *from, struct store *to, int64_t counts[STORE_COPY_TABLES])
{
    struct bk_tx *source = NULL, *target = NULL;
    struct copy c = {NULL, STMT_COUNT, 0};
    for (size_t i = 0; i < STORE_COPY_TABLES; i++)
        counts[i] = 0;
    if (to->serving)
        return -ERR_INVALID_REQUEST; /* a store being served is written by its writer only */
    int rc = from->b->ops->begin(from->b, BK_SNAPSHOT, &source);
    if (rc == 0)
        rc = to->b->ops->begin(to->b, BK_WRITE, &target);
    c.target = target;
    /* Empty, checked in the write transaction that fills it: no other writer
     * can add a row between the check and the copy (in SQLite the write lock
     * is held from BEGIN IMMEDIATE on). One row read per table at most. */
    for (size_t i = 0; rc == 0 && i < sizeof copy_tables / sizeof copy_tables[0]; i++)
        rc = target->ops->run(target, copy_tables[i].read, BK_NO_ARGS, found_row, NULL);
    for (size_t i = 0; rc == 0 && i < STORE_COPY_TABLES; i++) {
        c.write = copy_tables[i].write;
        c.rows = 0;
        rc = source->ops->run(source, copy_tables[i].read, BK_NO_ARGS, copy_row, &c);
        counts[i] = c.rows;
    }
    /* The rows came with their ids: the next id generated must follow them. */
    if (rc == 0)
        rc = target->ops->run(target, S_COPY_IDS, BK_NO_ARGS, NULL, NULL);
    /* The kept counts are not copied but recounted from what was (issue 16). */
    if (rc == 0)
        rc = counts_rebuild(target);
    if (target)
        rc = target->ops->end(target, rc);
    if (source)
        rc = source->ops->end(source, rc);
    return rc;
}

int store_version(struct store *s, int *current, int *latest)
{
    return s->b->ops->version(s->b, current, latest);
}

/* Whether the store holds any row, read in one snapshot. */
static int store_has_rows(struct store *s, bool *any)
{
    struct bk_tx *t = NULL;
    int rc = s->b->ops->begin(s->b, BK_SNAPSHOT, &t);
    for (size_t i = 0; rc == 0 && i < sizeof copy_tables / sizeof copy_tables[0]; i++)
        rc = t->ops->run(t, copy_tables[i].read, BK_NO_ARGS, found_row, NULL);
    *any = rc == -ERR_ALREADY_EXISTS;
    if (*any)
        rc = 0;
    if (t)
        rc = t->ops->end(t, rc);
    return rc;
}

int store_backup(struct store *s, const char *path)
{
    return s->b->ops->backup(s->b, path);
}

int store_restore(struct store *s, const char *path, bool force)
{
    bool any = false;
    if (s->serving)
        return -ERR_INVALID_REQUEST; /* its writer and caches would not know */
    int rc = force ? 0 : store_has_rows(s, &any);
    if (rc == 0 && any)
        rc = -ERR_ALREADY_EXISTS;
    if (rc == 0)
        rc = s->b->ops->restore(s->b, path);
    if (rc == 0)
        rc = store_migrate(s, NULL, NULL); /* a backup of an older kaiku */
    return rc;
}
