/* Where `kaiku demo` builds its database, and how the finished demo takes the
 * target's place: all or nothing.
 *
 * Today the demo is built in a scratch file beside the target
 * (PATH.demo-XXXXXX) and renamed onto PATH when complete. cmd_demo.c sees
 * only a path to open its one store on and a commit at the end, so that
 * building beside the target and swapping in through a store copy (the
 * mechanism backup and restore use) can replace this file without touching
 * the replay. */
#ifndef KAIKU_CLI_CMD_DEMO_TARGET_H
#define KAIKU_CLI_CMD_DEMO_TARGET_H

#include <stdbool.h>
#include <sys/stat.h>

struct demo_target {
    const char *url; /* --db: the database the demo replaces */
    bool existed;    /* what the target was before the demo: looked at */
    struct stat st;  /* again before the swap, so that a database created
                        or changed meanwhile is not replaced */
};

/* Checks that url can take the demo: a database file (not PostgreSQL) that
 * is absent, or holds no data (no region, user or audit row: `kaiku init`'s
 * bare schema is replaced), and is not in use. Then makes the empty file the
 * demo is built in and sets *build to its path (valid until
 * demo_target_discard). Prints one line and returns -1 otherwise. */
int demo_target_begin(struct demo_target *t, const char *url, const char **build);

/* Puts the finished database, whose store is closed, in the target's place.
 * Prints one line and returns -1 when it cannot; the target is then as it
 * was. */
int demo_target_commit(struct demo_target *t);

/* Removes what is left of the build (nothing after a commit). Safe to call
 * at any time, also without a begin. */
void demo_target_discard(void);

#endif
