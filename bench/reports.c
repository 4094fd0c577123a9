/* kaiku-bench-reports: each report built and rendered on a database (the
 * benchmark's, bench/reports.sh) the way the API builds it — the store's
 * report functions, the builder of src/report/, the renderer — and beside
 * it the same report from the full-scan queries of before the kept counts
 * (issue 16), in the same run on the same database. Prints one line per
 * report and format: the best and the median of the runs, new and old, and
 * whether the two gave the same bytes (exit 1 when not).
 *
 * The busiest venue of the year (by its uses not undone) and the region
 * with the most handouts are chosen by reading the kept counts with the
 * sqlite3 C API, as only a benchmark tool may. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "report/build.h"
#include "util/date.h"
#include "util/strutil.h"

#define RUNS_MAX 25

struct options {
    const char *db;
    int year, runs, scan_runs;
    const char *only; /* one report's name, or NULL: all */
    char venue[ID_MAX + 1], region[ID_MAX + 1];
};

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* ---- the sources: today's, and the full scans of before ---- */

static int scan_cardholders(void *ctx, const struct actor *a, const char *region,
                            const struct report_period *p, report_count_fn fn, void *fn_ctx)
{
    return store_report_cardholders_scan(ctx, a, region, p, fn, fn_ctx);
}

static int scan_national(void *ctx, const struct actor *a, int year, store_national_fn fn,
                         void *fn_ctx)
{
    return store_report_national_scan(ctx, a, year, fn, fn_ctx);
}

/* The venue report's rows come from one query either way; before the kept
 * counts, counting them first (R28's bound) read the uses as well. */
static int scan_venue_usage_count(void *ctx, const struct actor *a, const char *venue, int32_t from,
                                  int32_t to, int64_t limit, int64_t *count)
{
    return store_report_venue_usage_count_scan(ctx, a, venue, from, to, limit, count);
}

/* ---- one report, built and rendered ---- */

enum report_kind { R_NATIONAL, R_CARDHOLDERS, R_VENUE_USAGE };

static const struct report_renderer *const renderers[] = {&render_json, &render_csv, &render_xlsx};

struct job {
    const struct options *o;
    const struct report_source *src;
    const struct actor *a;
    enum report_kind kind;
    const struct report_renderer *out;
    size_t bytes, rows;
    char *kept; /* the last run's rendering (malloc'd), to compare new and old */
};

static int run_once(struct job *j)
{
    struct error_details d = {0};
    struct report_ctx ctx = {j->src, j->a, LANG_FI, &d};
    struct report rep;
    int rc;
    if (j->kind == R_NATIONAL) {
        rc = report_national(&ctx, j->o->year, &rep);
    } else if (j->kind == R_CARDHOLDERS) {
        struct cardholders_query q = {j->o->region, j->o->year, true};
        rc = report_cardholders(&ctx, &q, &rep);
    } else {
        struct venue_usage_query q = {j->o->venue, true, true, date_from_ymd(j->o->year, 1, 1),
                                      date_from_ymd(j->o->year, 12, 31)};
        rc = report_venue_usage(&ctx, &q, &rep);
    }
    char *bytes = NULL;
    size_t len = 0;
    if (rc == 0)
        rc = j->out->render(&rep, &bytes, &len);
    j->rows = rep.rows;
    j->bytes = len;
    free(j->kept);
    j->kept = bytes;
    report_release(&rep);
    return rc;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The best and the median of `runs` runs, in ms; -1 on an error. */
static int measure(struct job *j, int runs, double *best, double *median)
{
    double t[RUNS_MAX];
    for (int i = 0; i < runs; i++) {
        double t0 = now_ms();
        int rc = run_once(j);
        t[i] = now_ms() - t0;
        if (rc != 0) {
            fprintf(stderr, "kaiku-bench-reports: a report failed (%d)\n", rc);
            return -1;
        }
    }
    qsort(t, (size_t)runs, sizeof t[0], cmp_double);
    *best = t[0];
    *median = t[runs / 2];
    return 0;
}

/* ---- choosing the venue and the region ---- */

static int pick(struct options *o)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *q = NULL;
    int rc = -1;
    const char *const sql[2] = {
        "SELECT e.venue FROM events e WHERE e.starts_at >= ?1 AND e.starts_at < ?2 "
        "GROUP BY e.venue ORDER BY sum(e.n_uses) DESC, e.venue LIMIT 1",
        "SELECT u.region FROM counts_handouts k JOIN units u ON u.id = k.unit "
        "WHERE k.month BETWEEN ?3 AND ?4 "
        "GROUP BY u.region ORDER BY sum(k.n) DESC, u.region LIMIT 1",
    };
    char *const into[2] = {o->venue, o->region};
    if (sqlite3_open_v2(o->db, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
        goto out;
    for (int i = 0; i < 2; i++) {
        if (sqlite3_prepare_v2(db, sql[i], -1, &q, NULL) != SQLITE_OK)
            goto out;
        sqlite3_bind_int64(q, 1, hki_from_local(date_from_ymd(o->year, 1, 1), 0));
        sqlite3_bind_int64(q, 2, hki_from_local(date_from_ymd(o->year + 1, 1, 1), 0));
        sqlite3_bind_int64(q, 3, date_from_ymd(o->year, 1, 1));
        sqlite3_bind_int64(q, 4, date_from_ymd(o->year, 12, 31));
        if (into[i][0] == '\0' && sqlite3_step(q) == SQLITE_ROW)
            str_copy(into[i], ID_MAX + 1, (const char *)sqlite3_column_text(q, 0));
        sqlite3_finalize(q);
        q = NULL;
    }
    rc = o->venue[0] && o->region[0] ? 0 : -1;
out:
    if (rc != 0)
        fprintf(stderr, "kaiku-bench-reports: no venue or region with data in %d in %s\n", o->year,
                o->db);
    sqlite3_finalize(q);
    sqlite3_close(db);
    return rc;
}

static int parse_options(int argc, char **argv, struct options *o)
{
    int64_t v;
    *o = (struct options){.runs = 7, .scan_runs = 1};
    o->year = date_year(hki_day((int64_t)time(NULL)));
    for (int i = 1; i + 1 < argc; i += 2) {
        const char *a = argv[i], *val = argv[i + 1];
        if (strcmp(a, "--db") == 0)
            o->db = val;
        else if (strcmp(a, "--year") == 0 && str_to_i64(val, 1900, 9999, &v) == 0)
            o->year = (int)v;
        else if (strcmp(a, "--runs") == 0 && str_to_i64(val, 1, RUNS_MAX, &v) == 0)
            o->runs = (int)v;
        else if (strcmp(a, "--scan-runs") == 0 && str_to_i64(val, 0, RUNS_MAX, &v) == 0)
            o->scan_runs = (int)v;
        else if (strcmp(a, "--only") == 0)
            o->only = val;
        else if (strcmp(a, "--venue") == 0 && str_is_slug(val, ID_MAX))
            str_copy(o->venue, sizeof o->venue, val);
        else if (strcmp(a, "--region") == 0 && str_is_slug(val, ID_MAX))
            str_copy(o->region, sizeof o->region, val);
        else
            return -1;
    }
    return o->db && argc % 2 == 1 ? 0 : -1;
}

int main(int argc, char **argv)
{
    struct options o;
    struct store *s = NULL;
    if (parse_options(argc, argv, &o) != 0) {
        fprintf(stderr, "usage: kaiku-bench-reports --db PATH [--year Y] [--venue ID] "
                        "[--region ID] [--runs N] [--scan-runs N]\n"
                        "       [--only national|cardholders|venue-usage]\n"
                        "  defaults: this year, its busiest venue and region, 7 runs of each\n"
                        "  report, 1 run of each full scan (0: none).\n");
        return 2;
    }
    if (pick(&o) != 0 || store_open(o.db, &s) != 0) {
        fprintf(stderr, "kaiku-bench-reports: cannot open %s\n", o.db);
        return 1;
    }
    struct actor nat = {.role = ROLE_NATIONAL, .now = (int64_t)time(NULL)};
    str_copy(nat.user, sizeof nat.user, "bench");
    str_copy(nat.address, sizeof nat.address, "local");
    const struct report_source kept = report_source_store(s);
    const struct report_source scan = {.venue_usage = kept.venue_usage,
                                       .venue_usage_count = scan_venue_usage_count,
                                       .cardholders = scan_cardholders,
                                       .national = scan_national,
                                       .ctx = s};
    static const char *const names[] = {"national", "cardholders", "venue-usage"};
    printf("year %d, region %s, venue %s; best and median of %d runs (ms), the full scans "
           "%d run(s)\n",
           o.year, o.region, o.venue, o.runs, o.scan_runs);
    printf("%-12s %-5s %8s %10s %10s %10s %10s %9s %s\n", "report", "fmt", "rows", "new best",
           "new median", "old best", "old median", "old/new", "bytes");
    int status = 0;
    for (int k = R_NATIONAL; k <= R_VENUE_USAGE && status == 0; k++) {
        if (o.only && strcmp(o.only, names[k]) != 0)
            continue;
        for (size_t f = 0; f < sizeof renderers / sizeof renderers[0]; f++) {
            struct job j = {&o, &kept, &nat, (enum report_kind)k, renderers[f], 0, 0, NULL};
            double nb, nm, ob = 0, om = 0;
            if (measure(&j, o.runs, &nb, &nm) != 0) {
                status = 1;
                break;
            }
            size_t rows = j.rows, new_bytes = j.bytes;
            char *new_out = j.kept;
            j.kept = NULL;
            /* The old query's time does not depend on the format: it is run
             * once per report, with JSON, unless asked for more. */
            bool old = o.scan_runs > 0 && f == 0;
            j.src = &scan;
            if (old && measure(&j, o.scan_runs, &ob, &om) != 0) {
                free(new_out);
                status = 1;
                break;
            }
            /* The same report, byte for byte, or the kept counts are wrong. */
            bool same = old && j.bytes == new_bytes && memcmp(j.kept, new_out, new_bytes) == 0;
            if (old)
                printf("%-12s %-5s %8zu %10.1f %10.1f %10.1f %10.1f %8.0fx %s\n", names[k],
                       renderers[f]->format, rows, nb, nm, ob, om, om / (nm > 0 ? nm : 1),
                       same ? "same" : "DIFFER");
            else
                printf("%-12s %-5s %8zu %10.1f %10.1f %10s %10s %9s\n", names[k],
                       renderers[f]->format, rows, nb, nm, "", "", "");
            if (old && !same)
                status = 1;
            free(new_out);
            free(j.kept);
            fflush(stdout);
        }
    }
    store_close(s);
    return status;
}
