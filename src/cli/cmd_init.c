/* kaiku init: creates the database or brings its schema up to date. */
#include <stdio.h>

#include "cli/cmd_common.h"
#include "store/store.h"

int cmd_init(const struct command *cmd, int argc, char **argv)
{
    const char *db = NULL;
    const struct cli_option opts[] = {{.name = "db", .value = &db}};
    int status;
    const char *url =
        cli_begin(cmd, "init", argc, argv, opts, sizeof opts / sizeof opts[0], &db, &status);
    if (!url)
        return status;
    int version = 0;
    struct store *s = cli_open_store("init", url, false, &version);
    if (!s)
        return CLI_EXIT_FAILURE;
    store_close(s);
    printf("database ready at %s (schema version %d)\n", url, version);
    return CLI_EXIT_OK;
}
