/* What the commands of the `kaiku` program share: the command table's row,
 * long-option parsing, the database option and one-line error reporting.
 *
 * Exit statuses: 0 success; 1 the command failed (database, rules); 2 the
 * command line itself was wrong (unknown command or option, missing or
 * malformed value). Every failure prints exactly one line on stderr that
 * starts with "kaiku: ". */
#ifndef KAIKU_CLI_CMD_COMMON_H
#define KAIKU_CLI_CMD_COMMON_H

#include <stdbool.h>
#include <stddef.h>

#include "core/model.h"

#define CLI_EXIT_OK      0
#define CLI_EXIT_FAILURE 1
#define CLI_EXIT_USAGE   2

#define CLI_VALUE_MAX 4096 /* longest option value accepted (paths, URLs) */

struct command;
typedef int (*command_fn)(const struct command *cmd, int argc, char **argv);

/* One row of main.c's commands[] table. `help` is the full text printed by
 * `kaiku NAME --help`; `run` gets the arguments after the command's name and
 * returns the exit status. */
struct command {
    const char *name;
    const char *summary;
    const char *help;
    command_fn run;
};

/* The commands, one file each (src/cli/cmd_NAME.c). */
int cmd_init(const struct command *cmd, int argc, char **argv);
int cmd_user(const struct command *cmd, int argc, char **argv);
int cmd_serve(const struct command *cmd, int argc, char **argv);
int cmd_demo(const struct command *cmd, int argc, char **argv);
int cmd_backup(const struct command *cmd, int argc, char **argv);
int cmd_restore(const struct command *cmd, int argc, char **argv);
int cmd_import(const struct command *cmd, int argc, char **argv);
int cmd_counts(const struct command *cmd, int argc, char **argv);
int cmd_purge(const struct command *cmd, int argc, char **argv);
int cmd_copy(const struct command *cmd, int argc, char **argv);

/* A long option: "--name VALUE" or "--name=VALUE" when `value` is set, a
 * bare "--name" flag when `flag` is set (exactly one of the two). A value
 * option given twice is an error. `refused`, when set, is printed as the
 * whole error when the option appears at all (for options that must never
 * be used, such as --password). */
struct cli_option {
    const char *name;
    const char **value;
    bool *flag;
    const char *refused;
};

enum cli_parse_result { CLI_PARSED = 0, CLI_HELP = 1, CLI_BAD = -1 };

/* Parses argv[0..argc) against opts. "--help" or "-h" → CLI_HELP (the
 * caller prints its help and exits 0). Any problem prints one line naming
 * `what` (e.g. "user add") and returns CLI_BAD. Values point into argv. */
enum cli_parse_result cli_parse(const char *what, int argc, char **argv,
                                const struct cli_option *opts, size_t n);

/* How every command starts: parses argv against opts (cli_parse), prints
 * cmd's help for --help, then finds the database from *db (cli_db_url).
 * Returns the URL; or NULL with *status set: CLI_EXIT_OK after the help,
 * CLI_EXIT_USAGE after one line on stderr. */
const char *cli_begin(const struct command *cmd, const char *what, int argc, char **argv,
                      const struct cli_option *opts, size_t n, const char *const *db, int *status);

/* The database: the --db value if given, else $KAIKU_DB. Prints one line and
 * returns NULL when neither is set (or either is empty or too long). */
const char *cli_db_url(const char *what, const char *db_option);

/* Prints "kaiku: WHAT: MESSAGE\n" on stderr (printf-style). */
void cli_error(const char *what, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The English message for a store/core error code (negative or positive),
 * worded for the command line. Static. */
const char *cli_error_message(int err);

/* Prints "kaiku: WHAT: MESSAGE (code)" for a store/core error code (negative
 * or positive), in English. */
void cli_error_code(const char *what, int err);

/* A national actor for the command line: user "cli", address "local", now =
 * the current time. */
void cli_actor(struct actor *a);

/* True when url is a file path (SQLite) rather than a postgresql:// URL. */
bool cli_db_is_file(const char *url);

/* url as shown in messages: a postgresql:// URL without the part before
 * '@' (a password), anything else as it is. */
void cli_shown_url(const char *url, char *buf, size_t cap);

/* The directory part of a file path ("." when it has none) into dir
 * (capacity cap). Returns 0, or -1 when it does not fit. */
int cli_parent_dir(const char *path, char *dir, size_t cap);

/* Opens the store at url and brings the schema up to date (idempotent).
 * With must_exist, a database file that does not exist yet is refused
 * instead of created (so that a mistyped path cannot start a new, empty
 * register). Prints one line and returns NULL on failure, naming the cause
 * the file system shows (no such directory, not a database, no permission)
 * or that PostgreSQL is not built. *version (may be NULL) receives the
 * schema version. */
struct store *cli_open_store(const char *what, const char *url, bool must_exist, int *version);

/* cli_open_store's two halves: the store opened as it is, not migrated (a
 * source that must not change); and the migration, which prints one line
 * and returns -1 when it fails. */
struct store *cli_open_store_as_is(const char *what, const char *url, bool must_exist);
int cli_migrate_store(const char *what, const char *url, struct store *s, int *version);

/* `kaiku serve` marks a database file as served while it runs: a shared
 * flock(2) on the file (SQLite's own locks are fcntl(2)'s, which flock's do
 * not meet on Linux). A command that fills a whole database (`kaiku copy`)
 * takes it whole (exclusive), so that it refuses a file being served and no
 * server starts on the file until it is done. Returns 0 with *fd holding
 * the lock (closing it releases it), or an errno with *fd -1: EWOULDBLOCK
 * when the other kind is held, ENOENT when the file does not exist. */
int cli_serving_lock(const char *path, bool whole, int *fd);

/* Reads one line from stdin into buf (capacity cap) without its line end
 * (LF or CRLF). Returns 0; -1 at end of input with nothing read; -2 when the
 * line does not fit; -3 when it holds a NUL byte. */
int cli_read_line(char *buf, size_t cap);

#endif
