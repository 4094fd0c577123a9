/* Shared pieces of the command line: option parsing, the database option,
 * one-line errors, the CLI's actor and opening the store. */
#include "cli/cmd_common.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

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

const char *cli_error_message(int err)
{
    int e = err < 0 ? -err : err;
    /* The table's text for unavailable speaks of a web service (HTTP 503);
     * on the command line it is always the database. */
    if (e == ERR_UNAVAILABLE)
        return "the database is busy or could not be read or written";
    return error_message(e, LANG_EN);
}

void cli_error_code(const char *what, int err)
{
    cli_error(what, "%s (%s)", cli_error_message(err), error_code(err < 0 ? -err : err));
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
    str_copy(a->user, sizeof a->user, USERNAME_CLI);
    a->role = ROLE_NATIONAL;
    str_copy(a->address, sizeof a->address, "local");
    a->now = (int64_t)time(NULL);
}

bool cli_db_is_file(const char *url)
{
    return strncmp(url, "postgresql://", 13) != 0 && strncmp(url, "postgres://", 11) != 0;
}

int cli_parent_dir(const char *path, char *dir, size_t cap)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return str_copy(dir, cap, ".");
    size_t n = slash == path ? 1 : (size_t)(slash - path); /* "/x.db" → "/" */
    if (n >= cap) {
        dir[0] = '\0';
        return -1;
    }
    memcpy(dir, path, n);
    dir[n] = '\0';
    return 0;
}

void cli_shown_url(const char *url, char *buf, size_t cap)
{
    const char *rest = strstr(url, "://");
    const char *at = rest ? strchr(rest + 3, '@') : NULL;
    const char *path = rest ? strchr(rest + 3, '/') : NULL;
    if (at && (!path || at < path))
        snprintf(buf, cap, "%.*s%s", (int)(rest + 3 - url), url, at + 1);
    else
        str_copy(buf, cap, url);
}

/* True when the file starts like a SQLite database. An empty file is a new
 * database to SQLite, so it passes too. */
static bool looks_like_database(const char *path, off_t size)
{
    static const char magic[16] = "SQLite format 3"; /* and its NUL */
    if (size == 0)
        return true;
    char head[sizeof magic];
    FILE *f = fopen(path, "rb");
    if (!f)
        return true; /* unreadable: access() has had its say */
    size_t n = fread(head, 1, sizeof head, f);
    fclose(f);
    return n == sizeof head && memcmp(head, magic, sizeof magic) == 0;
}

/* The store answers -ERR_UNAVAILABLE for every file it cannot open; the file
 * system can say why. Prints the one line and returns true when it finds the
 * cause; false when nothing there looks wrong (the database is busy, or
 * damaged inside). */
static bool explain_path(const char *what, const char *path, bool must_exist)
{
    char dir[CLI_VALUE_MAX + 1];
    if (cli_parent_dir(path, dir, sizeof dir) != 0)
        return false;
    struct stat st, dst;
    if (stat(path, &st) != 0) {
        int err = errno;
        if ((err == ENOENT || err == ENOTDIR) && (stat(dir, &dst) != 0 || !S_ISDIR(dst.st_mode))) {
            cli_error(what, "cannot open database %s: no such directory", path);
        } else if (err == ENOENT && must_exist) {
            cli_error(what, "no database at %s (create it with 'kaiku init --db %s')", path, path);
        } else if (err == ENOENT) {
            if (access(dir, W_OK | X_OK) == 0)
                return false;
            cli_error(what, "cannot create database %s: directory %s: %s", path, dir,
                      strerror(errno));
        } else {
            cli_error(what, "cannot open database %s: %s", path, strerror(err));
        }
        return true;
    }
    if (S_ISDIR(st.st_mode)) {
        cli_error(what, "cannot open database %s: it is a directory", path);
        return true;
    }
    if (access(path, R_OK | W_OK) != 0) {
        cli_error(what, "cannot open database %s: %s", path, strerror(errno));
        return true;
    }
    if (!looks_like_database(path, st.st_size)) {
        cli_error(what, "%s is not a kaiku database (file is not a database)", path);
        return true;
    }
    /* SQLite writes its -wal and -shm files beside the database. */
    if (access(dir, W_OK | X_OK) != 0) {
        cli_error(what, "cannot open database %s: directory %s: %s", path, dir, strerror(errno));
        return true;
    }
    return false;
}

/* One line for a failed store_open (or, when migrating, store_migrate). */
static void open_failed(const char *what, const char *url, bool migrating, int rc)
{
    char shown[CLI_VALUE_MAX + 1];
    cli_shown_url(url, shown, sizeof shown);
    if (cli_db_is_file(url) && rc == -ERR_UNAVAILABLE && explain_path(what, url, false))
        return;
    if (!cli_db_is_file(url) && store_reason()[0]) { /* libpq's words */
        cli_error(what, "cannot %s database %s: %s%s", migrating ? "bring up to date" : "open",
                  shown, rc == -ERR_UNAVAILABLE ? "PostgreSQL refused or did not answer: " : "",
                  store_reason());
        return;
    }
    if (migrating)
        cli_error(what, "cannot bring database %s up to date: %s", shown, cli_error_message(rc));
    else
        cli_error(what, "cannot open database %s: %s", shown, cli_error_message(rc));
}

struct store *cli_open_store_as_is(const char *what, const char *url, bool must_exist)
{
    struct store *s = NULL;
    if (must_exist && cli_db_is_file(url)) {
        struct stat st;
        if (stat(url, &st) != 0) {
            if (!explain_path(what, url, true)) /* only if it appeared meanwhile */
                cli_error(what, "no database at %s", url);
            return NULL;
        }
    }
    int rc = store_open(url, &s);
    if (rc != 0) {
        open_failed(what, url, false, rc);
        return NULL;
    }
    return s;
}

int cli_migrate_store(const char *what, const char *url, struct store *s, int *version)
{
    int to = 0;
    int rc = store_migrate(s, NULL, &to);
    if (rc != 0) {
        open_failed(what, url, true, rc);
        return -1;
    }
    if (version)
        *version = to;
    return 0;
}

struct store *cli_open_store(const char *what, const char *url, bool must_exist, int *version)
{
    struct store *s = cli_open_store_as_is(what, url, must_exist);
    if (s && cli_migrate_store(what, url, s, version) != 0) {
        store_close(s);
        s = NULL;
    }
    return s;
}

int cli_serving_lock(const char *path, bool whole, int *fd)
{
    *fd = open(path, O_RDONLY | O_CLOEXEC);
    if (*fd < 0)
        return errno;
    if (flock(*fd, (whole ? LOCK_EX : LOCK_SH) | LOCK_NB) != 0) {
        int err = errno;
        close(*fd);
        *fd = -1;
        return err;
    }
    return 0;
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

const char *cli_begin(const struct command *cmd, const char *what, int argc, char **argv,
                      const struct cli_option *opts, size_t n, const char *const *db, int *status)
{
    *status = CLI_EXIT_USAGE;
    switch (cli_parse(what, argc, argv, opts, n)) {
    case CLI_HELP:
        fputs(cmd->help, stdout);
        *status = CLI_EXIT_OK;
        return NULL;
    case CLI_BAD:
        return NULL;
    case CLI_PARSED:
        break;
    }
    return cli_db_url(what, *db);
}
