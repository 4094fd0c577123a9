/* kaiku import: a handout sheet or a venue's usage sheet, CSV or XLSX,
 * recorded all or nothing (issue 17 item 4, docs/imports.md). The rows are
 * recorded in the name of --as USER, an existing user whose scope holds
 * the unit or venue: the audit (R34) names them, not the command line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli/cmd_common.h"
#include "import/import.h"
#include "import/sheet.h"
#include "store/store.h"
#include "util/strutil.h"

#define PROBLEM_TEXT_MAX 1024

/* The whole file, at most SHEET_BYTES_MAX bytes. */
static int read_file(const char *path, uint8_t **out, size_t *len)
{
    FILE *f = fopen(path, "rb");
    struct stat st;
    if (!f)
        return -1;
    if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
        fclose(f);
        return -1;
    }
    if (st.st_size > SHEET_BYTES_MAX) {
        fclose(f);
        return -2;
    }
    size_t n = (size_t)st.st_size;
    uint8_t *p = malloc(n ? n : 1);
    if (!p || fread(p, 1, n, f) != n) {
        free(p);
        fclose(f);
        return -1;
    }
    fclose(f);
    *out = p;
    *len = n;
    return 0;
}

/* Progress on stderr: one line per step, or a line rewritten on a terminal. */
static void progress(void *ctx, size_t done, size_t total)
{
    bool tty = *(bool *)ctx;
    fprintf(stderr, "%skaiku: import: %zu of %zu rows checked%s", tty ? "\r" : "", done, total,
            tty && done < total ? "" : "\n");
}

static int actor_of(struct store *s, const char *username, struct actor *a)
{
    struct user u;
    int rc = store_user_get(s, username, &u, NULL);
    if (rc == -ERR_NOT_FOUND) {
        cli_error("import", "no user %s (see 'kaiku user add')", username);
        return CLI_EXIT_FAILURE;
    }
    if (rc != 0) {
        cli_error_code("import", rc);
        return CLI_EXIT_FAILURE;
    }
    if (u.disabled) {
        cli_error("import", "user %s is disabled", username);
        return CLI_EXIT_FAILURE;
    }
    memset(a, 0, sizeof *a);
    str_copy(a->user, sizeof a->user, u.username);
    a->role = u.role;
    str_copy(a->scope, sizeof a->scope, u.scope);
    str_copy(a->address, sizeof a->address, "local");
    a->now = (int64_t)time(NULL);
    return CLI_EXIT_OK;
}

int cmd_import(const struct command *cmd, int argc, char **argv)
{
    const char *db = NULL, *file = NULL, *unit = NULL, *venue = NULL, *as = NULL, *lang = NULL;
    const struct cli_option opts[] = {
        {.name = "db", .value = &db},     {.name = "file", .value = &file},
        {.name = "unit", .value = &unit}, {.name = "venue", .value = &venue},
        {.name = "as", .value = &as},     {.name = "lang", .value = &lang}};
    int layout = argc > 0 ? import_layout_lookup(argv[0]) : -1;
    int status;
    if (argc > 0 && (strcmp(argv[0], "--help") == 0 || strcmp(argv[0], "-h") == 0)) {
        fputs(cmd->help, stdout);
        return CLI_EXIT_OK;
    }
    if (layout < 0) {
        cli_error("import", "say what the file holds: 'kaiku import handouts' or 'kaiku import "
                            "uses' (see 'kaiku import --help')");
        return CLI_EXIT_USAGE;
    }
    const char *url = cli_begin(cmd, "import", argc - 1, argv + 1, opts,
                                sizeof opts / sizeof opts[0], &db, &status);
    if (!url)
        return status;
    const char *place = layout == IMPORT_USES ? venue : unit;
    if (!file || !*file || !as || !*as) {
        cli_error("import", "--file F and --as USER are required (see 'kaiku import --help')");
        return CLI_EXIT_USAGE;
    }
    if ((layout == IMPORT_USES && unit) || (layout == IMPORT_HANDOUTS && venue)) {
        cli_error("import", "%s",
                  layout == IMPORT_USES ? "uses are of a --venue, not a --unit"
                                        : "handouts are of a --unit, not a --venue");
        return CLI_EXIT_USAGE;
    }
    enum lang l = LANG_EN;
    if (lang && strcmp(lang, "fi") == 0)
        l = LANG_FI;
    else if (lang && strcmp(lang, "sv") == 0)
        l = LANG_SV;
    else if (lang && strcmp(lang, "en") != 0) {
        cli_error("import", "--lang is fi, sv or en");
        return CLI_EXIT_USAGE;
    }
    uint8_t *data = NULL;
    size_t len = 0;
    int rc = read_file(file, &data, &len);
    if (rc != 0) {
        cli_error("import", "%s",
                  rc == -2 ? i18n_text(l, "import.too_large") : "cannot read --file");
        return CLI_EXIT_USAGE;
    }
    struct store *s = cli_open_store("import", url, true, NULL);
    struct import_result *res = calloc(1, sizeof *res);
    struct actor a;
    status = CLI_EXIT_FAILURE;
    if (!s || !res || (status = actor_of(s, as, &a)) != CLI_EXIT_OK)
        goto out;
    /* The place defaults to the user's own unit or venue. */
    if (!place && ((layout == IMPORT_USES && a.role == ROLE_VENUE) ||
                   (layout == IMPORT_HANDOUTS && a.role == ROLE_DISTRIBUTOR)))
        place = a.scope;
    if (!place) {
        cli_error("import", "%s",
                  layout == IMPORT_USES ? "--venue ID is required" : "--unit ID is required");
        status = CLI_EXIT_USAGE;
        goto out;
    }
    bool tty = isatty(STDERR_FILENO);
    const struct import_request req = {
        (enum import_layout)layout, place, data, len, progress, &tty};
    rc = import_run(s, &a, &req, res);
    if (rc == -ERR_INVALID_REQUEST) {
        char text[PROBLEM_TEXT_MAX];
        for (size_t i = 0; i < res->nproblems; i++) {
            import_problem_text(&res->problems[i], l, text, sizeof text);
            fprintf(stderr, "kaiku: import: %s\n", text);
        }
        if (res->problems_total > res->nproblems)
            fprintf(stderr, "kaiku: import: … and %zu more\n",
                    res->problems_total - res->nproblems);
        fprintf(stderr, "kaiku: import: nothing recorded: %zu %s in %s\n", res->problems_total,
                res->problems_total == 1 ? "problem" : "problems", file);
        status = CLI_EXIT_USAGE;
    } else if (rc != 0) {
        cli_error_code("import", rc);
        status = CLI_EXIT_FAILURE;
    } else {
        printf("%zu %s recorded from %s (%zu recorded before)\n", res->recorded,
               res->recorded == 1 ? "row" : "rows", file, res->skipped);
        status = CLI_EXIT_OK;
    }
out:
    free(res);
    free(data);
    if (s)
        store_close(s);
    return status;
}
