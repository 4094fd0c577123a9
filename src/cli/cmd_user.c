/* kaiku user add | enable | password: adds a user with an argon2id-hashed
 * password read from standard input, re-enables a disabled user, sets a
 * user's password (the way back in when no national user can sign in).
 * Everything on the command line is checked before the password is read
 * and before the database is opened, so a wrong call changes nothing. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "cli/cmd_common.h"
#include "core/rules.h"
#include "store/store.h"
#include "util/secret.h"
#include "util/strutil.h"

#define WHAT "user add"

struct user_args {
    const char *db, *username, *role, *region, *unit, *venue;
    bool password_stdin;
};

/* Checks the options and fills *u; prints one line and returns -1 when
 * something is wrong. */
static int check_args(const struct user_args *a, struct user *u)
{
    memset(u, 0, sizeof *u);
    if (!a->username) {
        cli_error(WHAT, "--username NAME is required");
        return -1;
    }
    if (username_check(a->username, NULL) != 0) {
        cli_error(WHAT,
                  "--username must be 1-%d of A-Z a-z 0-9 . _ @ - (no ':': API keys act as "
                  "key:ID) and not '%s' (the command line's own name)",
                  USERNAME_MAX, USERNAME_CLI);
        return -1;
    }
    if (!a->role) {
        cli_error(WHAT, "--role ROLE is required (national, coordinator, distributor or venue)");
        return -1;
    }
    int role = name_lookup(&role_names, a->role);
    if (role < 0) {
        cli_error(WHAT, "unknown role '%.64s' (national, coordinator, distributor or venue)",
                  a->role);
        return -1;
    }
    const struct {
        const char *option;
        const char *value;
    } scopes[] = {{"region", a->region}, {"unit", a->unit}, {"venue", a->venue}};
    const char *needed = role_scope_field((enum role)role);
    const char *scope = NULL;
    for (size_t i = 0; i < sizeof scopes / sizeof scopes[0]; i++) {
        bool wanted = strcmp(scopes[i].option, needed) == 0;
        if (wanted && !scopes[i].value) {
            cli_error(WHAT, "a %s needs --%s ID", a->role, needed);
            return -1;
        }
        if (!wanted && scopes[i].value) {
            if (needed[0])
                cli_error(WHAT, "--%s does not apply to a %s (it takes --%s only)",
                          scopes[i].option, a->role, needed);
            else
                cli_error(WHAT, "--%s does not apply to a %s (national users have no scope)",
                          scopes[i].option, a->role);
            return -1;
        }
        if (wanted)
            scope = scopes[i].value;
    }
    if (scope && !str_is_slug(scope, ID_MAX)) {
        cli_error(WHAT, "--%s must be 1-%d characters of a-z, 0-9 and -", needed, ID_MAX);
        return -1;
    }
    if (!a->password_stdin) {
        cli_error(WHAT, "--password-stdin is required: the password is read from standard input");
        return -1;
    }
    str_copy(u->username, sizeof u->username, a->username);
    u->role = (enum role)role;
    str_copy(u->scope, sizeof u->scope, scope ? scope : "");
    return 0;
}

/* Reads and checks the password; prints one line (naming `what`) and
 * returns -1 on error. */
static int read_password(const char *what, char *buf, size_t cap)
{
    switch (cli_read_line(buf, cap)) {
    case 0:
        break;
    case -1:
        cli_error(what, "no password on standard input");
        return -1;
    case -2:
        cli_error(what, "the password is longer than %d bytes", PASSWORD_MAX_LEN);
        return -1;
    default:
        cli_error(what, "the password contains a NUL byte");
        return -1;
    }
    if (buf[0] == '\0') {
        cli_error(what, "the password is empty");
        return -1;
    }
    if (!secret_password_acceptable(buf)) {
        if (strlen(buf) < PASSWORD_MIN_LEN)
            cli_error(what, "the password is too short: at least %d bytes", PASSWORD_MIN_LEN);
        else
            cli_error(what, "the password is only spaces: it needs other characters too");
        return -1;
    }
    return 0;
}

static int user_add(const struct command *cmd, int argc, char **argv)
{
    struct user_args a = {0};
    const struct cli_option opts[] = {
        {.name = "db", .value = &a.db},
        {.name = "username", .value = &a.username},
        {.name = "role", .value = &a.role},
        {.name = "region", .value = &a.region},
        {.name = "unit", .value = &a.unit},
        {.name = "venue", .value = &a.venue},
        {.name = "password-stdin", .flag = &a.password_stdin},
        {.name = "password",
         .refused = "--password is not accepted: the command line is visible to other users; "
                    "pipe the password to --password-stdin"},
    };
    int status = CLI_EXIT_USAGE;
    struct store *s = NULL;
    char password[PASSWORD_MAX_LEN + 2];
    char hash[SECRET_HASH_MAX + 1];
    password[0] = '\0';
    hash[0] = '\0';

    struct user u;
    const char *url =
        cli_begin(cmd, WHAT, argc, argv, opts, sizeof opts / sizeof opts[0], &a.db, &status);
    if (!url)
        goto out;
    if (check_args(&a, &u) != 0)
        goto out;
    if (read_password(WHAT, password, sizeof password) != 0)
        goto out;

    status = CLI_EXIT_FAILURE;
    s = cli_open_store(WHAT, url, true, NULL);
    if (!s)
        goto out;
    if (secret_init() != 0 || secret_hash_password(password, hash) != 0) {
        cli_error(WHAT, "cannot hash the password (out of memory?)");
        goto out;
    }
    struct actor actor;
    cli_actor(&actor);
    int rc = store_user_add(s, &actor, &u, hash);
    if (rc == -ERR_ALREADY_EXISTS) {
        cli_error(WHAT, "user '%s' already exists", u.username);
        goto out;
    }
    if (rc == -ERR_NOT_FOUND) {
        cli_error(WHAT, "%s '%s' does not exist", role_scope_field(u.role), u.scope);
        goto out;
    }
    if (rc != 0) {
        cli_error_code(WHAT, rc);
        goto out;
    }
    if (u.scope[0])
        printf("user %s added (%s of %s %s)\n", u.username, name_of(&role_names, (int)u.role),
               role_scope_field(u.role), u.scope);
    else
        printf("user %s added (%s)\n", u.username, name_of(&role_names, (int)u.role));
    status = CLI_EXIT_OK;
out:
    sodium_memzero(password, sizeof password);
    sodium_memzero(hash, sizeof hash);
    if (s)
        store_close(s);
    return status;
}

/* What enable and password share: --db and --username, checked before
 * anything is read or opened. Returns the database's URL, or NULL with
 * *status set. */
static const char *named_user_begin(const struct command *cmd, const char *what, int argc,
                                    char **argv, const struct cli_option *opts, size_t n,
                                    const char *const *db, const char *const *username, int *status)
{
    const char *url = cli_begin(cmd, what, argc, argv, opts, n, db, status);
    if (!url) /* after --help (*status 0) or a bad command line */
        return NULL;
    if (!*username) {
        cli_error(what, "--username NAME is required");
        return NULL;
    }
    if (username_check(*username, NULL) != 0) {
        cli_error(what, "no user can be named '%.64s' (1-%d of A-Z a-z 0-9 . _ @ -, not '%s')",
                  *username, USERNAME_MAX, USERNAME_CLI);
        return NULL;
    }
    return url; /* *status is still CLI_EXIT_USAGE */
}

/* One line for a store error about user `username`. */
static void user_error(const char *what, const char *username, int rc)
{
    if (rc == -ERR_NOT_FOUND)
        cli_error(what, "no user '%s'", username);
    else
        cli_error_code(what, rc);
}

/* kaiku user enable: a disabled user may sign in again; the API keys they
 * made stay revoked (docs/decisions.md, "Accounts"). */
static int user_enable(const struct command *cmd, int argc, char **argv)
{
    static const char what[] = "user enable";
    const char *db = NULL, *username = NULL;
    const struct cli_option opts[] = {
        {.name = "db", .value = &db},
        {.name = "username", .value = &username},
    };
    int status = CLI_EXIT_USAGE;
    struct store *s = NULL;
    const char *url = named_user_begin(cmd, what, argc, argv, opts, sizeof opts / sizeof opts[0],
                                       &db, &username, &status);
    if (!url)
        goto out;
    status = CLI_EXIT_FAILURE;
    s = cli_open_store(what, url, true, NULL);
    if (!s)
        goto out;
    struct actor actor;
    cli_actor(&actor);
    int rc = store_user_enable(s, &actor, username);
    if (rc != 0) {
        user_error(what, username, rc);
        goto out;
    }
    printf("user %s enabled (API keys revoked when disabled stay revoked)\n", username);
    status = CLI_EXIT_OK;
out:
    if (s)
        store_close(s);
    return status;
}

/* kaiku user password: sets a user's password from standard input; the
 * user's sessions end. */
static int user_password(const struct command *cmd, int argc, char **argv)
{
    static const char what[] = "user password";
    const char *db = NULL, *username = NULL;
    bool password_stdin = false;
    const struct cli_option opts[] = {
        {.name = "db", .value = &db},
        {.name = "username", .value = &username},
        {.name = "password-stdin", .flag = &password_stdin},
        {.name = "password",
         .refused = "--password is not accepted: the command line is visible to other users; "
                    "pipe the password to --password-stdin"},
    };
    int status = CLI_EXIT_USAGE;
    struct store *s = NULL;
    char password[PASSWORD_MAX_LEN + 2];
    char hash[SECRET_HASH_MAX + 1];
    password[0] = '\0';
    hash[0] = '\0';
    const char *url = named_user_begin(cmd, what, argc, argv, opts, sizeof opts / sizeof opts[0],
                                       &db, &username, &status);
    if (!url)
        goto out;
    if (!password_stdin) {
        cli_error(what, "--password-stdin is required: the password is read from standard input");
        goto out;
    }
    if (read_password(what, password, sizeof password) != 0)
        goto out;
    status = CLI_EXIT_FAILURE;
    s = cli_open_store(what, url, true, NULL);
    if (!s)
        goto out;
    if (secret_init() != 0 || secret_hash_password(password, hash) != 0) {
        cli_error(what, "cannot hash the password (out of memory?)");
        goto out;
    }
    struct actor actor;
    cli_actor(&actor);
    int rc = store_user_set_password(s, &actor, username, hash, NULL);
    if (rc != 0) {
        user_error(what, username, rc);
        goto out;
    }
    printf("password of %s set; their sessions have ended\n", username);
    status = CLI_EXIT_OK;
out:
    sodium_memzero(password, sizeof password);
    sodium_memzero(hash, sizeof hash);
    if (s)
        store_close(s);
    return status;
}

/* The subcommands of `kaiku user`. */
static const struct {
    const char *name;
    command_fn run;
} subcommands[] = {
    {"add", user_add},
    {"enable", user_enable},
    {"password", user_password},
};

int cmd_user(const struct command *cmd, int argc, char **argv)
{
    if (argc < 1) {
        cli_error("user", "missing subcommand: add, enable or password (see 'kaiku user --help')");
        return CLI_EXIT_USAGE;
    }
    if (strcmp(argv[0], "--help") == 0 || strcmp(argv[0], "-h") == 0) {
        fputs(cmd->help, stdout);
        return CLI_EXIT_OK;
    }
    for (size_t i = 0; i < sizeof subcommands / sizeof subcommands[0]; i++)
        if (strcmp(argv[0], subcommands[i].name) == 0)
            return subcommands[i].run(cmd, argc - 1, argv + 1);
    cli_error("user", "unknown subcommand '%.64s' (see 'kaiku user --help')", argv[0]);
    return CLI_EXIT_USAGE;
}
