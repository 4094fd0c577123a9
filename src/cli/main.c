/* kaiku: the one program of the Kaikukortti register. main() finds the
 * command in the table below and hands it the rest of the arguments; each
 * command lives in src/cli/cmd_NAME.c. */
#include <sys/stat.h>
#include <stdio.h>
#include <string.h>

#include "cli/cmd_common.h"

#ifndef KAIKU_VERSION
#define KAIKU_VERSION "0.1.0"
#endif

/* clang-format off */
static const struct command commands[] = {
    {"init", "create or migrate the database (idempotent)",
     "Usage: kaiku init --db PATH\n"
     "\n"
     "Creates the database at PATH, or brings an existing one up to the newest\n"
     "schema. Running it again changes nothing. Prints the schema version.\n"
     "\n"
     "Options:\n"
     "  --db PATH     SQLite file or postgresql:// URL (default: $KAIKU_DB)\n"
     "  --help        show this help\n",
     cmd_init},
    {"user", "manage users (user add, enable, password)",
     "Usage: kaiku user add --db PATH --username NAME --role ROLE\n"
     "                      [--region ID | --unit ID | --venue ID] --password-stdin\n"
     "       kaiku user enable --db PATH --username NAME\n"
     "       kaiku user password --db PATH --username NAME --password-stdin\n"
     "\n"
     "Adds a user who can sign in to the web interface and the API.\n"
     "ROLE and the one scope it needs:\n"
     "  national      no scope (sees everything)\n"
     "  coordinator   --region ID   (the region's coordinator)\n"
     "  distributor   --unit ID     (staff of a unit that hands out cards)\n"
     "  venue         --venue ID    (staff of a venue)\n"
     "A scope the role does not use is refused. The region, unit or venue must\n"
     "exist already. The password is read as one line from standard input\n"
     "(at least 10 bytes); it is never taken from the command line, where other\n"
     "users of the machine could see it. Only its argon2id hash is stored.\n"
     "The database must exist (see 'kaiku init').\n"
     "\n"
     "'enable' lets a disabled user sign in again; the API keys the user made\n"
     "were revoked when the user was disabled and stay revoked. 'password' sets\n"
     "a user's password, read as for 'add', and ends the user's sessions: the\n"
     "way back in when nobody who could do it through the API can sign in.\n"
     "\n"
     "Options:\n"
     "  --db PATH          SQLite file or postgresql:// URL (default: $KAIKU_DB)\n"
     "  --username NAME    1-64 of A-Z a-z 0-9 . _ @ -; not 'cli' (the command line's own)\n"
     "  --role ROLE        national, coordinator, distributor or venue\n"
     "  --region ID        region of a coordinator\n"
     "  --unit ID          unit of a distributor\n"
     "  --venue ID         venue of venue staff\n"
     "  --password-stdin   read the password from standard input (required)\n"
     "  --help             show this help\n"
     "\n"
     "Example:\n"
     "  printf '%s\\n' \"$PW\" | kaiku user add --db kaiku.db --username anna \\\n"
     "      --role coordinator --region espoo --password-stdin\n",
     cmd_user},
    {"serve", "run the HTTP server in the foreground",
     "Usage: kaiku serve --db PATH --listen HOST:PORT [--threads N] [--quiet]\n"
     "                   [--tls-cert FILE --tls-key FILE] [--secure-cookies]\n"
     "                   [--trusted-proxy ADDR[,ADDR...]] [--connections N]\n"
     "                   [--connections-per-address N] [--request-deadline S]\n"
     "\n"
     "Serves the JSON API (/api/v1) until SIGINT or SIGTERM, then lets requests\n"
     "in flight finish and exits 0. Logs to standard error. The database is\n"
     "created or brought up to date first, as 'kaiku init' would.\n"
     "\n"
     "Options:\n"
     "  --db PATH            SQLite file or postgresql:// URL (default: $KAIKU_DB)\n"
     "  --listen HOST:PORT   address to listen on: 127.0.0.1:8080, localhost:8080,\n"
     "                       0.0.0.0:8080 or [::1]:8080 (port 1-65535)\n"
     "  --threads N          worker threads, 1-1024 (default: one per core)\n"
     "  --quiet              no access log lines\n"
     "  --tls-cert FILE      serve HTTPS with this PEM certificate (chain)...\n"
     "  --tls-key FILE       ...and this PEM private key; both or neither\n"
     "  --trusted-proxy ADDR[,ADDR...]\n"
     "                       reverse proxies (numeric addresses, at most 16) whose\n"
     "                       X-Forwarded-For names the client; ignored from others\n"
     "  --connections N      connections at once (default 10000, at most what the\n"
     "                       process may open)\n"
     "  --connections-per-address N\n"
     "                       connections at once from one address (default 64;\n"
     "                       0: no limit, the default with --trusted-proxy)\n"
     "  --request-deadline S seconds to send a whole request, head and body\n"
     "                       (default 30)\n"
     "  --secure-cookies     mark the session cookie Secure without --tls-cert,\n"
     "                       for a server behind an HTTPS proxy (implied by TLS)\n"
     "  --help               show this help\n",
     cmd_serve},
    {"demo", "fill a new database with a realistic demo network",
     "Usage: kaiku demo --db PATH|URL [--seed N]\n"
     "\n"
     "Fills a new database with a demo network: regions (Espoo, Kainuu in a\n"
     "pilot, Pirkanmaa, Kronoby), units with card stock, venues (among them\n"
     "Teatteri Hilla with the operating model's report example and the\n"
     "National Gallery as a pop-up venue), events across the current year and\n"
     "one this evening at every venue (its box office has something to sell),\n"
     "handouts, cancellations, renewals, transfers and uses, all recorded\n"
     "through the same rules as the API. PATH may be new or hold only the\n"
     "schema (kaiku init); one with regions, users or audit entries is refused.\n"
     "A PostgreSQL URL names a database that exists (createdb) and is empty\n"
     "or holds only the schema, on the same terms.\n"
     "All or nothing: the demo is built in a scratch database PATH.demo-XXXXXX\n"
     "beside PATH ($TMPDIR/kaiku.demo-XXXXXX for PostgreSQL) and, only when\n"
     "complete, copied into the database in one transaction; on a failure it\n"
     "is left as it was, and a new PATH is not left behind.\n"
     "Prints a summary and the demo logins, which share one password: one\n"
     "national, one coordinator per region, one per unit's handout desk and\n"
     "one per venue's box office, with tonight's event.\n"
     "The same seed on the same day gives the same data.\n"
     "\n"
     "Options:\n"
     "  --db PATH|URL  SQLite file or postgresql:// URL (default: $KAIKU_DB)\n"
     "  --seed N       random seed, 0-4294967295 (default: 1)\n"
     "  --help         show this help\n",
     cmd_demo},
    {"backup", "write a consistent backup of the database to a file",
     "Usage: kaiku backup --db PATH --to FILE\n"
     "\n"
     "Writes the whole database, as it is at one moment, to the new file FILE,\n"
     "while 'kaiku serve' goes on serving (SQLite's online backup: readers and\n"
     "the writer are not stopped). FILE is a SQLite database of its own, created\n"
     "readable by its owner only (it holds password hashes); it is complete or\n"
     "absent: written under a temporary name beside FILE, synced, then put in\n"
     "place. An existing FILE is never overwritten. Put it back with\n"
     "'kaiku restore'.\n"
     "\n"
     "Options:\n"
     "  --db PATH     SQLite file or postgresql:// URL (default: $KAIKU_DB)\n"
     "  --to FILE     the backup file to create (must not exist)\n"
     "  --help        show this help\n"
     "\n"
     "Example:\n"
     "  kaiku backup --db /var/lib/kaiku/kaiku.db --to /backup/kaiku-$(date +%F).db\n",
     cmd_backup},
    {"restore", "replace the database with a backup",
     "Usage: kaiku restore --from FILE --db PATH [--force]\n"
     "\n"
     "Replaces everything in the database at PATH with the backup FILE made by\n"
     "'kaiku backup', in one transaction: all or nothing. PATH may be new. A\n"
     "database that holds any data (a user, a region, …) is refused unless\n"
     "--force is given. FILE is checked first (SQLite's quick_check and a\n"
     "schema version this kaiku knows); a backup of an older kaiku is brought up\n"
     "to date afterwards, as 'kaiku init' would. Stop 'kaiku serve' on PATH first.\n"
     "\n"
     "Options:\n"
     "  --from FILE   the backup file\n"
     "  --db PATH     SQLite file or postgresql:// URL (default: $KAIKU_DB)\n"
     "  --force       replace a database that holds data\n"
     "  --help        show this help\n",
     cmd_restore},
    {"copy", "copy the whole register into an empty database (SQLite, PostgreSQL)",
     "Usage: kaiku copy --from DB --to DB\n"
     "\n"
     "Copies the whole register from one database into another: a SQLite file\n"
     "into PostgreSQL, PostgreSQL into a new SQLite file, or either into another\n"
     "of its kind. DB is a SQLite file or a postgresql:// URL. Every table is\n"
     "read from one snapshot of --from and written in one transaction of --to,\n"
     "ids included: all or nothing. The counts the reports read are recounted\n"
     "in --to, and the ids it generates go on after the copied ones.\n"
     "\n"
     "--from must exist and have this kaiku's schema version; it is only read.\n"
     "One of an older kaiku is refused, not migrated: run 'kaiku init' on it\n"
     "first. --to is created (a new file) or brought up to date, as 'kaiku init'\n"
     "would, and must hold no row at all: a database with any data is refused\n"
     "and nothing is written. A file being served ('kaiku serve') is refused as\n"
     "--to; stop the server on --from too, or what it records meanwhile is not\n"
     "copied (docs/operations.md, \"Moving between SQLite and PostgreSQL\").\n"
     "Prints the rows copied per table.\n"
     "\n"
     "Options:\n"
     "  --from DB     the database copied from\n"
     "  --to DB       the empty database copied into\n"
     "  --help        show this help\n"
     "\n"
     "Example:\n"
     "  kaiku copy --from /var/lib/kaiku/kaiku.db \\\n"
     "      --to 'postgresql://kaiku@db.example.fi/kaiku?sslmode=verify-full'\n"
     "\n"
     "Exit status: 0 copied; 1 nothing was copied (a database could not be\n"
     "used, --to holds data, --from has another schema version); 2 a bad\n"
     "command line.\n",
     cmd_copy},
    {"import", "record a handout sheet or a venue's usage sheet (CSV or XLSX)",
     "Usage: kaiku import handouts --db PATH --file F --as USER [--unit ID] [--lang L]\n"
     "       kaiku import uses     --db PATH --file F --as USER [--venue ID] [--lang L]\n"
     "\n"
     "Records the rows of a sheet typed from paper forms: 'handouts' from the\n"
     "handout form's sheet (a row per card), 'uses' from a venue's usage sheet\n"
     "in the layout of the venue usage report (a row per use; channel 'paper').\n"
     "F is CSV (UTF-8, ';' or ',' between cells) or an Excel workbook (.xlsx,\n"
     "its first sheet); the first row holds the column headings in Finnish,\n"
     "Swedish or English (docs/imports.md). Every row is checked by the rules of\n"
     "a single handout or use. All or nothing: either every row is recorded, or\n"
     "none is and each bad row is printed with its column and the reason, and\n"
     "the exit status is 2. Rows an import recorded before are not recorded\n"
     "again, so importing the same file twice records nothing twice.\n"
     "Progress goes to standard error.\n"
     "\n"
     "Options:\n"
     "  --db PATH     SQLite file or postgresql:// URL (default: $KAIKU_DB)\n"
     "  --file F      the sheet, at most 8 MB and 20,000 rows\n"
     "  --as USER     who imports: an existing user whose scope holds the unit\n"
     "                or venue; the audit names them (required)\n"
     "  --unit ID     the unit that handed the cards out (default: the user's own)\n"
     "  --venue ID    the venue of the uses (default: the user's own)\n"
     "  --lang L      language of the problems printed: fi, sv or en (default en)\n"
     "  --help        show this help\n"
     "\n"
     "Exit status: 0 recorded; 1 the database or the user failed; 2 a bad\n"
     "command line or a bad file (nothing recorded).\n",
     cmd_import},
    {"counts", "rebuild or check the counts the reports read",
     "Usage: kaiku counts rebuild --db PATH\n"
     "       kaiku counts check --db PATH\n"
     "\n"
     "The reports of R30 and R31 read counts that every use, undo, handout,\n"
     "cancellation and stock addition keeps up to date in its own transaction\n"
     "(per event, card, region and month, unit and month; no holder data).\n"
     "'rebuild' recounts them all from the records in one transaction, with an\n"
     "audit row; 'check' compares them with such a recount and changes nothing\n"
     "(exit 1 when any differ). Either may run while 'kaiku serve' serves; the\n"
     "rebuild holds the write lock while it counts (about a minute for ten\n"
     "million uses).\n"
     "\n"
     "Options:\n"
     "  --db PATH     SQLite file or postgresql:// URL (default: $KAIKU_DB)\n"
     "  --help        show this help\n",
     cmd_counts},
    {"purge", "let records older than the retention period go (R35)",
     "Usage: kaiku purge --db PATH [--before DATE | --keep-years N] [--dry-run]\n"
     "\n"
     "R35: deletes the use records of the events that start before DATE and\n"
     "clears the background (birth year, mother tongue, gender, postal code,\n"
     "life situations) of the cards handed out before it, in one transaction\n"
     "with an audit row. What they counted is kept, without holder data or card\n"
     "codes, so every report gives the same figures as before; a venue usage\n"
     "report shows an event's purged uses as one row without a card.\n"
     "DATE is YYYY-MM-DD, no later than the first day of the current month.\n"
     "Without --before: January 1 of the year N years back, N from --keep-years,\n"
     "else $KAIKU_KEEP_YEARS, else 5 (records of the last N whole years and of\n"
     "this year stay). Prints per year what goes (or would go).\n"
     "\n"
     "Options:\n"
     "  --db PATH        SQLite database file (default: $KAIKU_DB)\n"
     "  --before DATE    the first day kept\n"
     "  --keep-years N   whole years kept before this one, 1-100\n"
     "  --dry-run        print what would go and change nothing\n"
     "  --help           show this help\n",
     cmd_purge},
};
/* clang-format on */

static const size_t commands_count = sizeof commands / sizeof commands[0];

static void print_usage(FILE *f)
{
    fputs("Usage: kaiku COMMAND [OPTIONS]\n"
          "\n"
          "The Kaikukortti register: card stock, handouts, events and ticket uses.\n"
          "\n"
          "Commands:\n",
          f);
    for (size_t i = 0; i < commands_count; i++)
        fprintf(f, "  %-8s %s\n", commands[i].name, commands[i].summary);
    fputs("\n"
          "Options:\n"
          "  --help       show this help ('kaiku COMMAND --help' for a command)\n"
          "  --version    show the version\n"
          "\n"
          "--db may also come from the environment variable KAIKU_DB.\n"
          "Exit status: 0 success, 1 the command failed, 2 wrong usage.\n",
          f);
}

int main(int argc, char **argv)
{
    /* Every file kaiku creates — the database, its WAL and journal, a
     * backup — is for its owner only: SQLite creates files with the
     * process's umask, which is often 022 (world-readable). */
    umask(077);
    if (argc < 2) {
        cli_error(NULL, "missing command (see 'kaiku --help')");
        return CLI_EXIT_USAGE;
    }
    const char *name = argv[1];
    if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0 || strcmp(name, "help") == 0) {
        print_usage(stdout);
        return CLI_EXIT_OK;
    }
    if (strcmp(name, "--version") == 0) {
        printf("kaiku %s\n", KAIKU_VERSION);
        return CLI_EXIT_OK;
    }
    for (size_t i = 0; i < commands_count; i++)
        if (strcmp(commands[i].name, name) == 0)
            return commands[i].run(&commands[i], argc - 2, argv + 2);
    cli_error(NULL, "unknown command '%.64s' (see 'kaiku --help')", name);
    return CLI_EXIT_USAGE;
}
