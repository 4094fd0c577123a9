/* Shared pieces of the command line: option parsing, the database option,
 * one-line errors, the CLI's actor and opening the store. */
#include "cli/cmd_common.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "core/error.h"
#include "store/store.h"
#include "util/strutil.h"

void cli_error(const char *what, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("kaiku: ", stderr);
    if (what && *what)
        fprintf(stderr, "%s: ", what);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

void cli_error_code(const char *what, int err)
{
    int e = err < 0 ? -err : err;
    cli_error(what, "%s (%s)", error_message(e, LANG_EN), error_code(e));
}

static const struct cli_option *find_option(const struct cli_option *opts, size_t n,
                                            const char *name, size_t len)
{
    for (size_t i = 0; i < n; i++)
        if (strlen(opts[i].name) == len && memcmp(opts[i].name, name, len) == 0)
            return &opts[i];
    return NULL;
}

enum cli_parse_result cli_parse(const char *what, int argc, char **argv,
                                const struct cli_option *opts, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (opts[i].value)
            *opts[i].value = NULL;
        if (opts[i].flag)
            *opts[i].flag = false;
    }
    for (int i = 0; i < argc; i++) {
        const char *arg = argv[i];
        if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0)
            return CLI_HELP;
        if (strncmp(arg, "--", 2) != 0 || arg[2] == '\0') {
            cli_error(what, "unexpected argument '%.64s' (see 'kaiku %s --help')", arg, what);
            return CLI_BAD;
        }
        const char *name = arg + 2;
        const char *eq = strchr(name, '=');
        size_t name_len = eq ? (size_t)(eq - name) : strlen(name);
        const struct cli_option *o = find_option(opts, n, name, name_len);
        if (!o) {
            cli_error(what, "unknown option '--%.*s' (see 'kaiku %s --help')",
                      (int)(name_len > 64 ? 64 : name_len), name, what);
            return CLI_BAD;
        }
        if (o->refused) {
            cli_error(what, "%s", o->refused);
            return CLI_BAD;
        }
        if (o->flag) {
            if (eq) {
                cli_error(what, "--%s takes no value", o->name);
                return CLI_BAD;
            }
            *o->flag = true;
            continue;
        }
        const char *value;
        if (eq) {
            value = eq + 1;
        } else {
            if (i + 1 >= argc || strncmp(argv[i + 1], "--", 2) == 0) {
                cli_error(what, "--%s needs a value", o->name);
                return CLI_BAD;
            }
            value = argv[++i];
        }
        if (*o->value) {
            cli_error(what, "--%s is given twice", o->name);
            return CLI_BAD;
        }
        if (value[0] == '\0') {
            cli_error(what, "--%s must not be empty", o->name);
            return CLI_BAD;
        }
        if (strlen(value) > CLI_VALUE_MAX) {
            cli_error(what, "--%s is longer than %d bytes", o->name, CLI_VALUE_MAX);
            return CLI_BAD;
        }
        *o->value = value;
    }
    return CLI_PARSED;
}

const char *cli_db_url(const char *what, const char *db_option)
{
    if (db_option)
        return db_option;
    const char *env = getenv("KAIKU_DB");
    if (!env || env[0] == '\0') {
        cli_error(what, "--db PATH is required (or set KAIKU_DB)");
        return NULL;
    }
    if (strlen(env) > CLI_VALUE_MAX) {
        cli_error(what, "KAIKU_DB is longer than %d bytes", CLI_VALUE_MAX);
        return NULL;
    }
    return env;
}

void cli_actor(struct actor *a)
{
    memset(a, 0, sizeof *a);
    str_copy(a->user, sizeof a->user, "cli");
    a->role = ROLE_NATIONAL;
    str_copy(a->address, sizeof a->address, "local");
    a->now = (int64_t)time(NULL);
}

static bool is_postgres_url(const char *url)
{
    return strncmp(url, "postgresql://", 13) == 0 || strncmp(url, "postgres://", 11) == 0;
}

struct store *cli_open_store(const char *what, const char *url, bool must_exist, int *version)
{
    struct store *s = NULL;
    struct store *result = NULL;
    if (must_exist && !is_postgres_url(url)) {
        struct stat st;
        if (stat(url, &st) != 0) {
            if (errno == ENOENT)
                cli_error(what, "no database at %s (create it with 'kaiku init --db %s')", url,
                          url);
            else
                cli_error(what, "cannot use %s: %s", url, strerror(errno));
            goto out;
        }
    }
    int rc = store_open(url, &s);
    if (rc != 0) {
        cli_error(what, "cannot open database %s: %s", url,
                  error_message(rc < 0 ? -rc : rc, LANG_EN));
        goto out;
    }
    int to = 0;
    rc = store_migrate(s, NULL, &to);
    if (rc != 0) {
        cli_error(what, "cannot bring database %s up to date: %s", url,
                  error_message(rc < 0 ? -rc : rc, LANG_EN));
        goto out;
    }
    if (version)
        *version = to;
    result = s;
    s = NULL;
out:
    if (s)
        store_close(s);
    return result;
}

int cli_read_line(char *buf, size_t cap)
{
    size_t n = 0;
    int c;
    bool any = false;
    bool too_long = false;
    bool nul = false;
    while ((c = getchar()) != EOF) {
        any = true;
        if (c == '\n')
            break;
        if (c == '\0')
            nul = true;
        if (n + 1 < cap)
            buf[n++] = (char)c;
        else
            too_long = true;
    }
    if (n > 0 && buf[n - 1] == '\r' && !too_long)
        n--;
    buf[n] = '\0';
    if (!any)
        return -1;
    if (too_long)
        return -2;
    if (nul)
        return -3;
    return 0;
}
