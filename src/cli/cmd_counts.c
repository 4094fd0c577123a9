/* kaiku counts rebuild and kaiku counts check: the kept counts the reports
 * read (issue 16; store_counts_rebuild, store_counts_check) recounted from
 * the records, or compared with such a recount. */
#include <stdio.h>
#include <string.h>

#include "cli/cmd_common.h"
#include "store/store.h"

static int counts_run(const struct command *cmd, const char *what, bool rebuild, int argc,
                      char **argv)
{
    const char *db = NULL;
    const struct cli_option opts[] = {{.name = "db", .value = &db}};
    int status;
    const char *url =
        cli_begin(cmd, what, argc, argv, opts, sizeof opts / sizeof opts[0], &db, &status);
    if (!url)
        return status;
    struct store *s = cli_open_store(what, url, true, NULL);
    if (!s)
        return CLI_EXIT_FAILURE;
    struct actor a;
    struct counts_check c;
    cli_actor(&a);
    int rc = rebuild ? store_counts_rebuild(s, &a) : store_counts_check(s, &c);
    store_close(s);
    if (rc != 0) {
        cli_error_code(what, rc);
        return CLI_EXIT_FAILURE;
    }
    if (rebuild) {
        printf("kept counts of %s rebuilt from its records\n", url);
        return CLI_EXIT_OK;
    }
    for (int i = 0; i < COUNTS_TABLES; i++)
        printf("%-18s %10lld rows kept, %10lld recounted: %s\n", counts_table_names[i],
               (long long)c.kept[i], (long long)c.recounted[i], c.differs[i] ? "DIFFER" : "same");
    if (c.differing) {
        cli_error(what, "%d of the kept tables differ from a recount; run 'kaiku counts rebuild'",
                  c.differing);
        return CLI_EXIT_FAILURE;
    }
    return CLI_EXIT_OK;
}

int cmd_counts(const struct command *cmd, int argc, char **argv)
{
    if (argc < 1) {
        cli_error("counts", "missing subcommand: rebuild or check (see 'kaiku counts --help')");
        return CLI_EXIT_USAGE;
    }
    if (strcmp(argv[0], "--help") == 0 || strcmp(argv[0], "-h") == 0) {
        fputs(cmd->help, stdout);
        return CLI_EXIT_OK;
    }
    if (strcmp(argv[0], "rebuild") == 0 || strcmp(argv[0], "check") == 0)
        return counts_run(cmd, argv[0][0] == 'r' ? "counts rebuild" : "counts check",
                          argv[0][0] == 'r', argc - 1, argv + 1);
    cli_error("counts", "unknown subcommand '%.64s' (see 'kaiku counts --help')", argv[0]);
    return CLI_EXIT_USAGE;
}
