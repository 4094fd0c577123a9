/* kaiku backup and kaiku restore: a consistent copy of the whole register
 * in one file, made while the server runs, and the register put back from
 * it, all or nothing (issue 15; store_backup, store_restore). */
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cmd_common.h"
#include "store/store.h"

int cmd_backup(const struct command *cmd, int argc, char **argv)
{
    const char *db = NULL, *to = NULL;
    const struct cli_option opts[] = {{.name = "db", .value = &db}, {.name = "to", .value = &to}};
    int status;
    const char *url =
        cli_begin(cmd, "backup", argc, argv, opts, sizeof opts / sizeof opts[0], &db, &status);
    if (!url)
        return status;
    if (!to || !*to) {
        cli_error("backup", "--to FILE is required (see 'kaiku backup --help')");
        return CLI_EXIT_USAGE;
    }
    if (!cli_db_is_file(url)) {
        cli_error("backup",
                  "a PostgreSQL database is backed up with pg_dump or a standby, not kaiku "
                  "backup; 'kaiku copy --from URL --to FILE' exports it, online, into a new "
                  "SQLite file (docs/operations.md)");
        return CLI_EXIT_FAILURE;
    }
    struct store *s = cli_open_store("backup", url, true, NULL);
    if (!s)
        return CLI_EXIT_FAILURE;
    int rc = store_backup(s, to);
    store_close(s);
    if (rc == -ERR_ALREADY_EXISTS) {
        cli_error("backup", "%s exists already; choose a new file", to);
        return CLI_EXIT_FAILURE;
    }
    if (rc != 0) {
        cli_error_code("backup", rc);
        return CLI_EXIT_FAILURE;
    }
    struct stat st;
    long long size = stat(to, &st) == 0 ? (long long)st.st_size : 0;
    printf("backup of %s written to %s (%lld bytes)\n", url, to, size);
    return CLI_EXIT_OK;
}

int cmd_restore(const struct command *cmd, int argc, char **argv)
{
    const char *db = NULL, *from = NULL;
    bool force = false;
    const struct cli_option opts[] = {{.name = "db", .value = &db},
                                      {.name = "from", .value = &from},
                                      {.name = "force", .flag = &force}};
    int status;
    const char *url =
        cli_begin(cmd, "restore", argc, argv, opts, sizeof opts / sizeof opts[0], &db, &status);
    if (!url)
        return status;
    if (!from || !*from) {
        cli_error("restore", "--from FILE is required (see 'kaiku restore --help')");
        return CLI_EXIT_USAGE;
    }
    struct stat st;
    if (stat(from, &st) != 0 || !S_ISREG(st.st_mode)) {
        cli_error("restore", "no backup file at %s", from);
        return CLI_EXIT_FAILURE;
    }
    if (!cli_db_is_file(url)) {
        cli_error("restore",
                  "a PostgreSQL database is restored with pg_restore from pg_dump's file, not "
                  "kaiku restore; 'kaiku copy --from FILE --to URL' fills an empty one from a "
                  "SQLite file (docs/operations.md)");
        return CLI_EXIT_FAILURE;
    }
    /* A database file made here is removed again if the restore fails. */
    bool made = cli_db_is_file(url) && access(url, F_OK) != 0;
    int version = 0;
    struct store *s = cli_open_store("restore", url, false, NULL);
    if (!s)
        return CLI_EXIT_FAILURE;
    int rc = store_restore(s, from, force);
    if (rc == 0)
        rc = store_migrate(s, NULL, &version);
    store_close(s);
    if (rc != 0 && made) {
        char side[CLI_VALUE_MAX + 8];
        unlink(url);
        snprintf(side, sizeof side, "%s-wal", url);
        unlink(side);
        snprintf(side, sizeof side, "%s-shm", url);
        unlink(side);
    }
    if (rc == -ERR_ALREADY_EXISTS) {
        cli_error("restore", "%s holds data; nothing was changed (--force replaces it)", url);
        return CLI_EXIT_FAILURE;
    }
    if (rc == -ERR_INVALID_REQUEST) {
        cli_error("restore", "%s is not a kaiku backup this version can read; nothing was changed",
                  from);
        return CLI_EXIT_FAILURE;
    }
    if (rc != 0) {
        cli_error_code("restore", rc);
        return CLI_EXIT_FAILURE;
    }
    printf("%s restored from %s (schema version %d)\n", url, from, version);
    return CLI_EXIT_OK;
}
