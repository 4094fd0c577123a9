/* kaiku copy: the whole register moved from one database into another, a
 * SQLite file into PostgreSQL or back (issue 18, item 6; store_copy).
 *
 * The source is read as it is, in one snapshot, and never changed: a
 * source of an older schema is refused rather than migrated, so that the
 * installation moved from stays as its own kaiku left it (docs/decisions.md,
 * "Moving a register"). The target is created or migrated first, must hold
 * no row, and is filled in one write transaction: all or nothing. A target
 * file made here is removed again when the copy fails. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cmd_common.h"
#include "store/store.h"

#define WHAT "copy"

/* The source's schema must be this build's: 0 when it is, else -1 after
 * one line saying what to do. */
static int check_source(struct store *s, const char *shown, const char *url)
{
    int current = 0, latest = 0;
    int rc = store_version(s, &current, &latest);
    if (rc != 0) {
        cli_error(WHAT, "cannot read %s: %s", shown, cli_error_message(rc));
        return -1;
    }
    if (current == 0) {
        cli_error(WHAT, "%s holds no kaiku register (no schema); nothing was copied", shown);
        return -1;
    }
    if (current < latest) {
        cli_error(WHAT,
                  "%s has schema version %d, this kaiku's is %d: bring it up to date with "
                  "'kaiku init --db %s' (its server stopped), then copy; nothing was copied",
                  shown, current, latest, cli_db_is_file(url) ? url : "URL");
        return -1;
    }
    if (current > latest) {
        cli_error(WHAT,
                  "%s has schema version %d, newer than this kaiku's %d: copy it with the "
                  "kaiku that made it; nothing was copied",
                  shown, current, latest);
        return -1;
    }
    return 0;
}

/* A target file made here goes again, with what SQLite made beside it. */
static void remove_file(const char *path)
{
    static const char *const suffix[] = {"", "-wal", "-shm", "-journal"};
    char name[CLI_VALUE_MAX + 16];
    for (size_t i = 0; i < sizeof suffix / sizeof suffix[0]; i++) {
        snprintf(name, sizeof name, "%s%s", path, suffix[i]);
        unlink(name);
    }
}

/* A new database file is durable once its directory entry is. */
static int sync_dir(const char *path)
{
    char dir[CLI_VALUE_MAX + 1];
    int fd = -1, rc = -1;
    if (cli_parent_dir(path, dir, sizeof dir) == 0 &&
        (fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0)
        rc = fsync(fd);
    if (fd >= 0)
        close(fd);
    return rc;
}

static void print_counts(const char *from, const char *to, int version,
                         const int64_t counts[STORE_COPY_TABLES])
{
    int64_t total = 0;
    printf("copied %s to %s (schema version %d):\n", from, to, version);
    for (size_t i = 0; i < STORE_COPY_TABLES; i++) {
        char name[32];
        const char *upper = store_copy_table(i);
        size_t k = 0;
        for (; upper[k] && k + 1 < sizeof name; k++)
            name[k] = (char)tolower((unsigned char)upper[k]);
        name[k] = '\0';
        printf("  %-20s %12" PRId64 "\n", name, counts[i]);
        total += counts[i];
    }
    printf("  %-20s %12" PRId64 " rows (the kept counts recounted from them)\n", "total", total);
}

int cmd_copy(const struct command *cmd, int argc, char **argv)
{
    const char *from = NULL, *to = NULL;
    const struct cli_option opts[] = {{.name = "from", .value = &from},
                                      {.name = "to", .value = &to}};
    switch (cli_parse(WHAT, argc, argv, opts, sizeof opts / sizeof opts[0])) {
    case CLI_HELP:
        fputs(cmd->help, stdout);
        return CLI_EXIT_OK;
    case CLI_BAD:
        return CLI_EXIT_USAGE;
    case CLI_PARSED:
        break;
    }
    if (!from || !to) {
        cli_error(WHAT, "--from DB and --to DB are both required (see 'kaiku copy --help')");
        return CLI_EXIT_USAGE;
    }
    if (strcmp(from, to) == 0) {
        cli_error(WHAT, "--from and --to name the same database");
        return CLI_EXIT_USAGE;
    }
    char shown_from[CLI_VALUE_MAX + 1], shown_to[CLI_VALUE_MAX + 1];
    cli_shown_url(from, shown_from, sizeof shown_from);
    cli_shown_url(to, shown_to, sizeof shown_to);

    int status = CLI_EXIT_FAILURE, mark = -1, version = 0;
    struct store *source = NULL, *target = NULL;
    bool file_to = cli_db_is_file(to), made = false;
    struct stat st;
    source = cli_open_store_as_is(WHAT, from, true);
    if (!source || check_source(source, shown_from, from) != 0)
        goto out;
    made = file_to && stat(to, &st) != 0 && errno == ENOENT;
    target = cli_open_store_as_is(WHAT, to, false);
    if (!target)
        goto out;
    /* Held until the copy is done: no server starts on the file meanwhile. */
    if (file_to && cli_serving_lock(to, true, &mark) == EWOULDBLOCK) {
        cli_error(WHAT,
                  "%s is being served ('kaiku serve'): stop the server first; nothing was "
                  "copied",
                  to);
        goto out;
    }
    int latest = 0;
    if (cli_migrate_store(WHAT, to, target, &version) != 0 ||
        store_version(target, &version, &latest) != 0)
        goto out;
    if (version != latest) {
        cli_error(WHAT, "%s has schema version %d, newer than this kaiku's %d; nothing was copied",
                  shown_to, version, latest);
        goto out;
    }
    int64_t counts[STORE_COPY_TABLES];
    int rc = store_copy_counted(source, target, counts);
    if (rc == -ERR_ALREADY_EXISTS) {
        cli_error(WHAT,
                  "%s holds data already: kaiku copy fills only an empty database; nothing "
                  "was copied (%s)",
                  shown_to, error_code(ERR_ALREADY_EXISTS));
        goto out;
    }
    if (rc != 0) {
        cli_error(WHAT, "cannot copy %s into %s: %s; nothing was copied (%s)", shown_from, shown_to,
                  cli_error_message(rc), error_code(-rc));
        goto out;
    }
    store_close(target); /* checkpoints a file's copy into it */
    target = NULL;
    if (made && sync_dir(to) != 0) {
        cli_error(WHAT, "the copy is in %s, but its directory could not be synced: %s", to,
                  strerror(errno));
        made = false; /* committed: kept */
        goto out;
    }
    made = false;
    print_counts(shown_from, shown_to, version, counts);
    status = CLI_EXIT_OK;
out:
    store_close(target);
    store_close(source);
    if (made)
        remove_file(to);
    if (mark >= 0)
        close(mark);
    return status;
}
