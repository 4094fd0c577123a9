/* kaiku purge (R35, issue 16 item 5): the use records and the handouts'
 * background older than the retention period go, their counts stay
 * (store_purge). The period: --before DATE, or January 1 of the year
 * --keep-years (else $KAIKU_KEEP_YEARS, else 5) years back. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmd_common.h"
#include "store/store.h"
#include "util/date.h"

#define KEEP_YEARS_DEFAULT 5
#define KEEP_YEARS_MAX     100

/* N of --keep-years or $KAIKU_KEEP_YEARS: 1 … 100, digits only. */
static bool keep_years(const char *s, int *out)
{
    char *end;
    if (!s[0] || strspn(s, "0123456789") != strlen(s))
        return false;
    long n = strtol(s, &end, 10);
    if (n < 1 || n > KEEP_YEARS_MAX)
        return false;
    *out = (int)n;
    return true;
}

/* The first day kept, from the options; prints one line and returns false
 * when they are wrong. */
static bool first_kept(const char *before, const char *years, int64_t now, int32_t *out)
{
    int32_t today = hki_day(now);
    int y, m, d;
    date_to_ymd(today, &y, &m, &d);
    int32_t this_month = today - (d - 1);
    if (before && years) {
        cli_error("purge", "give --before or --keep-years, not both");
        return false;
    }
    if (before) {
        if (date_parse(before, out) != 0) {
            cli_error("purge", "--before '%.32s' is not a date (YYYY-MM-DD)", before);
            return false;
        }
        char first[DATE_STR_LEN], day[DATE_STR_LEN];
        date_format(this_month, first);
        date_format(today, day);
        if (*out > today) {
            cli_error("purge", "--before %s is in the future (today is %s)", before, day);
            return false;
        }
        if (*out > this_month) {
            cli_error("purge",
                      "--before %s cuts into the current month: it may be no later than %s "
                      "(the month still open stays whole)",
                      before, first);
            return false;
        }
        return true;
    }
    int n = KEEP_YEARS_DEFAULT;
    const char *env = getenv("KAIKU_KEEP_YEARS");
    if (years && !keep_years(years, &n)) {
        cli_error("purge", "--keep-years '%.32s' is not a whole number of years from 1 to %d",
                  years, KEEP_YEARS_MAX);
        return false;
    }
    if (!years && env && !keep_years(env, &n)) {
        cli_error("purge", "KAIKU_KEEP_YEARS '%.32s' is not a whole number of years from 1 to %d",
                  env, KEEP_YEARS_MAX);
        return false;
    }
    *out = date_from_ymd(y - n, 1, 1);
    return true;
}

static void print_summary(const struct purge_summary *p, bool dry_run, const char *url)
{
    char day[DATE_STR_LEN];
    date_format(p->before, day);
    printf("%s records of %s from before %s%s\n", dry_run ? "would purge" : "purged", url, day,
           dry_run ? " (dry run: nothing changed)" : "");
    printf("%-6s %18s %14s\n", "year", "backgrounds", "uses");
    for (int i = 0; i < PURGE_YEARS; i++)
        if (p->handouts[i] || p->uses[i])
            printf("%-6d %18lld %14lld\n", PURGE_YEAR_FIRST + i, (long long)p->handouts[i],
                   (long long)p->uses[i]);
    printf("%-6s %18lld %14lld\n", "total", (long long)p->total_handouts, (long long)p->total_uses);
}

int cmd_purge(const struct command *cmd, int argc, char **argv)
{
    const char *db = NULL, *before = NULL, *years = NULL;
    bool dry_run = false;
    const struct cli_option opts[] = {{.name = "db", .value = &db},
                                      {.name = "before", .value = &before},
                                      {.name = "keep-years", .value = &years},
                                      {.name = "dry-run", .flag = &dry_run}};
    int status;
    const char *url =
        cli_begin(cmd, "purge", argc, argv, opts, sizeof opts / sizeof opts[0], &db, &status);
    if (!url)
        return status;
    struct actor a;
    cli_actor(&a);
    int32_t first;
    if (!first_kept(before, years, a.now, &first))
        return CLI_EXIT_USAGE;
    struct store *s = cli_open_store("purge", url, true, NULL);
    if (!s)
        return CLI_EXIT_FAILURE;
    static struct purge_summary p; /* 4 kB: not on the stack */
    int rc = store_purge(s, &a, first, dry_run, &p);
    store_close(s);
    if (rc != 0) {
        cli_error_code("purge", rc);
        return CLI_EXIT_FAILURE;
    }
    print_summary(&p, dry_run, url);
    return CLI_EXIT_OK;
}
