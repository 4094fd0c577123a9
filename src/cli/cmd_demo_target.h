/* Where `kaiku demo` builds its database, and how the finished demo gets into
 * the target: all or nothing, through a store copy.
 *
 * The demo is built in a scratch store (a SQLite file: PATH.demo-XXXXXX
 * in a file target's directory, $TMPDIR/kaiku.demo-XXXXXX for a PostgreSQL
 * target), and when complete copied into the target's store with
 * store_copy: one snapshot of the scratch store, one write transaction of
 * the target. No file is renamed, so the same steps serve a target that is
 * not a file (PostgreSQL). cmd_demo.c sees only a path to build its one
 * store in and a commit at the end.
 *
 * Guards: the target must hold no data (no region, user or audit row;
 * `kaiku init`'s bare schema is filled). That is checked when the demo
 * begins, again just before the copy (to name what is there), and finally
 * by store_copy inside the target's write transaction (any row refuses).
 * A database in use by a running `kaiku serve` is therefore not filled
 * unnoticed as soon as it holds anything: a server's database with data is
 * refused by that last check, which no writer can slip past (SQLite: the
 * copy holds the write lock from BEGIN IMMEDIATE to COMMIT, and waits like
 * any writer while a server writes; PostgreSQL: the copy's transaction
 * takes the write lock of every writer). A database that is still empty has
 * nothing a server could lose: one served meanwhile sees the whole demo
 * appear in one commit, as if written through it.
 *
 * On a failure, and on SIGINT, SIGTERM or SIGHUP, the scratch store's files
 * are removed; a target file the demo created is removed too, and one that
 * existed is left as it was (the copy's transaction is rolled back). A
 * PostgreSQL database without kaiku's schema gets it when the demo begins
 * (as `kaiku init` would make it), and keeps it on a failure. */
#ifndef KAIKU_CLI_CMD_DEMO_TARGET_H
#define KAIKU_CLI_CMD_DEMO_TARGET_H

#include <stdbool.h>
#include <stdint.h>

struct store;

struct demo_target {
    const char *url;     /* --db: the database the demo fills */
    struct store *store; /* the target, open during demo_target_commit */
    bool created;        /* a database file that commit created (removed on failure) */
};

/* Checks that url can take the demo: a database file that is absent, or a
 * database (a file, or PostgreSQL's) that holds no data. Then makes the empty scratch
 * file the demo is built in and sets *build to its path (valid until
 * demo_target_discard). Prints one line and returns -1 otherwise. */
int demo_target_begin(struct demo_target *t, const char *url, const char **build);

/* Copies the finished demo, in the open store `build`, into the target
 * (opened, and for an absent file created and migrated, here). *rows (may
 * be NULL): the rows copied. Prints one line and returns -1 when it cannot;
 * the target is then as it was (a file created here is removed by
 * demo_target_discard). */
int demo_target_commit(struct demo_target *t, struct store *build, int64_t *rows);

/* Closes the target if open, removes a target file that commit created
 * unless the copy succeeded, and removes what is left of the scratch files.
 * Close the build store first. Safe to call at any time, also without a
 * begin (t zeroed). */
void demo_target_discard(struct demo_target *t);

#endif
