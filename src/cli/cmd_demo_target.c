/* kaiku demo: where the demo is built and how it gets into the target
 * (see cmd_demo_target.h). */
#include "cli/cmd_demo_target.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cmd_common.h"
#include "store/store.h"

#define WHAT "demo"

/* ---- the target must hold no data: the demo fills only an empty one ---- */

static int found_region(void *ctx, const struct region *r)
{
    (void)r;
    *(bool *)ctx = true;
    return 1; /* one is enough */
}

static int found_user(void *ctx, const struct user *u)
{
    (void)u;
    *(bool *)ctx = true;
    return 1;
}

static int found_audit(void *ctx, const struct audit_entry *e)
{
    (void)e;
    *(bool *)ctx = true;
    return 1;
}

/* Prints one line and returns -1 when the database holds anything: regions,
 * users, or any audit row (every write leaves one, R34). */
static int check_empty(struct store *s, const char *url)
{
    struct actor a;
    cli_actor(&a);
    bool has_regions = false, users = false, audit = false;
    int rc = store_region_list(s, found_region, &has_regions);
    if (rc >= 0)
        rc = store_user_list(s, &a, found_user, &users);
    if (rc >= 0)
        rc = store_audit_list(s, &a, NULL, found_audit, &audit);
    if (rc < 0) {
        cli_error_code(WHAT, rc);
        return -1;
    }
    const char *has = has_regions ? "regions" : users ? "users" : audit ? "audit entries" : NULL;
    if (has) {
        char shown[CLI_VALUE_MAX + 1];
        cli_shown_url(url, shown, sizeof shown);
        cli_error(WHAT, "the database at %s already has %s; the demo fills only a new one", shown,
                  has);
        return -1;
    }
    return 0;
}

/* ---- files to remove: the scratch store's, and a target file made here ----
 *
 * The demo is built in PATH.demo-XXXXXX, a new file in the target's own
 * directory (the file system the target is on has room for it: the copy
 * needs as much); for a PostgreSQL target, in the temporary directory
 * ($TMPDIR, else /tmp) as kaiku.demo-XXXXXX. It is SQLite, whatever the
 * target: a scratch store for the build, private to this process (mkstemp's
 * mode 0600). On any failure, and on SIGINT, SIGTERM or SIGHUP, it and its
 * -wal, -shm and -journal are removed; so are a target file that
 * demo_target_commit created and the files SQLite made beside it, until the
 * copy into it has committed. */

#define FILE_NAME_MAX (CLI_VALUE_MAX + 32)

enum { FILE_DB, FILE_WAL, FILE_SHM, FILE_JOURNAL, FILE_KINDS };
enum { SCRATCH, TARGET, FILE_SETS };

static const char *const file_suffix[FILE_KINDS] = {"", "-wal", "-shm", "-journal"};

/* Static so that the signal handler, which may call only unlink() and
 * raise(), can reach them. A set is removed only while armed. */
static char files[FILE_SETS][FILE_KINDS][FILE_NAME_MAX];
static volatile sig_atomic_t files_armed[FILE_SETS];
static bool signals_caught;
static const int caught_signals[] = {SIGINT, SIGTERM, SIGHUP};
#define CAUGHT_SIGNALS (sizeof caught_signals / sizeof caught_signals[0])
static struct sigaction saved_actions[CAUGHT_SIGNALS];

static void files_unlink(int set)
{
    if (!files_armed[set])
        return;
    for (int i = 0; i < FILE_KINDS; i++)
        if (files[set][i][0])
            unlink(files[set][i]);
}

static void on_signal(int sig)
{
    files_unlink(SCRATCH);
    files_unlink(TARGET);
    raise(sig); /* SA_RESETHAND: delivered with the default action on return */
}

static void signals_catch(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sa.sa_flags = SA_RESETHAND;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < CAUGHT_SIGNALS; i++) {
        sigaction(caught_signals[i], NULL, &saved_actions[i]);
        if (saved_actions[i].sa_handler != SIG_IGN) /* nohup, a background job: left alone */
            sigaction(caught_signals[i], &sa, NULL);
    }
    signals_caught = true;
}

static void signals_release(void)
{
    if (!signals_caught)
        return;
    for (size_t i = 0; i < CAUGHT_SIGNALS; i++)
        sigaction(caught_signals[i], &saved_actions[i], NULL);
    signals_caught = false;
}

/* Names the set's files after db (which fits: see FILE_NAME_MAX). */
static void files_name(int set, const char *db)
{
    for (int i = 0; i < FILE_KINDS; i++)
        snprintf(files[set][i], FILE_NAME_MAX, "%s%s", db, file_suffix[i]);
}

/* Removes the set's files if armed, and forgets them. */
static void files_discard(int set)
{
    files_unlink(set);
    files_armed[set] = 0;
    for (int i = 0; i < FILE_KINDS; i++)
        files[set][i][0] = '\0';
}

/* Makes the empty scratch file: beside a file target, in the temporary
 * directory for PostgreSQL. */
static int scratch_create(const char *url)
{
    char name[FILE_NAME_MAX - 16]; /* room for "-journal" */
    const char *tmp = getenv("TMPDIR");
    if (!tmp || !*tmp)
        tmp = "/tmp";
    bool file = cli_db_is_file(url);
    int n = file ? snprintf(name, sizeof name, "%s.demo-XXXXXX", url)
                 : snprintf(name, sizeof name, "%s/kaiku.demo-XXXXXX", tmp);
    if (n < 0 || n >= (int)sizeof name) {
        cli_error(WHAT, file ? "--db is too long" : "TMPDIR is too long");
        return -1;
    }
    int fd = mkstemp(name);
    if (fd < 0) {
        int err = errno;
        char dir[CLI_VALUE_MAX + 1];
        if (cli_parent_dir(name, dir, sizeof dir) != 0)
            dir[0] = '\0';
        if (file && (err == ENOENT || err == ENOTDIR))
            cli_error(WHAT, "cannot open database %s: no such directory", url);
        else
            cli_error(WHAT, "cannot create the demo database in %s: %s", dir, strerror(err));
        return -1;
    }
    files_name(SCRATCH, name);
    files_armed[SCRATCH] = 1;
    close(fd);
    return 0;
}

/* ---- the target ---- */

/* Whether the file target exists. Prints one line and returns -1 when it
 * cannot be told (a missing directory is found when the scratch file is
 * made). */
static int target_exists(const char *url, bool *exists)
{
    struct stat st;
    *exists = stat(url, &st) == 0;
    if (*exists || errno == ENOENT || errno == ENOTDIR)
        return 0;
    cli_error(WHAT, "cannot open database %s: %s", url, strerror(errno));
    return -1;
}

/* A file target that is absent is created here, empty (0666 less the umask,
 * as SQLite would), so that it is known to be ours to remove on a failure.
 * One that exists, also one made by someone else since the demo began, is
 * left to the emptiness checks. Other targets (PostgreSQL) must exist. */
static int target_create(struct demo_target *t)
{
    if (!cli_db_is_file(t->url))
        return 0;
    files_name(TARGET, t->url);
    int fd = open(t->url, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd < 0) {
        int err = errno;
        files_discard(TARGET); /* not armed: nothing is removed */
        if (err == EEXIST)
            return 0;
        cli_error(WHAT, "cannot create database %s: %s", t->url, strerror(err));
        return -1;
    }
    files_armed[TARGET] = 1;
    t->created = true;
    close(fd);
    return 0;
}

/* A new database file is durable once its directory entry is. */
static int target_sync_dir(const char *url)
{
    char dir[CLI_VALUE_MAX + 1];
    int fd = -1;
    int rc = -1;
    if (cli_parent_dir(url, dir, sizeof dir) == 0 &&
        (fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0)
        rc = fsync(fd);
    if (rc != 0)
        cli_error(WHAT, "the demo is in %s, but its directory could not be synced: %s", url,
                  strerror(errno));
    if (fd >= 0)
        close(fd);
    return rc;
}

int demo_target_begin(struct demo_target *t, const char *url, const char **build)
{
    *t = (struct demo_target){.url = url};
    /* A PostgreSQL database exists (it is made with createdb); kaiku init's
     * schema is made here if it has none. */
    bool exists = !cli_db_is_file(url);
    if (!exists && target_exists(url, &exists) != 0)
        return -1;
    if (exists) {
        struct store *s = cli_open_store(WHAT, url, true, NULL);
        if (!s)
            return -1;
        int rc = check_empty(s, url);
        store_close(s);
        if (rc != 0)
            return -1;
    }
    signals_catch();
    if (scratch_create(url) != 0)
        return -1;
    *build = files[SCRATCH][FILE_DB];
    return 0;
}

int demo_target_commit(struct demo_target *t, struct store *build, int64_t *rows)
{
    if (target_create(t) != 0)
        return -1;
    t->store = cli_open_store(WHAT, t->url, false, NULL); /* a new file: migrated here */
    if (!t->store || check_empty(t->store, t->url) != 0)
        return -1;
    int rc = store_copy(build, t->store, rows);
    if (rc == -ERR_ALREADY_EXISTS) {
        /* Written to since check_empty, or holding rows of other tables. */
        cli_error(WHAT, "the database at %s already has data; the demo fills only a new one",
                  t->url);
        return -1;
    }
    if (rc != 0) {
        cli_error(WHAT, "cannot copy the demo into %s, which is left as it was: %s", t->url,
                  cli_error_message(rc));
        return -1;
    }
    files_armed[TARGET] = 0; /* committed: the target is the demo now */
    store_close(t->store);   /* checkpoints the copy into the file */
    t->store = NULL;
    if (t->created && target_sync_dir(t->url) != 0)
        return -1;
    return 0;
}

void demo_target_discard(struct demo_target *t)
{
    if (t->store) {
        store_close(t->store);
        t->store = NULL;
    }
    files_discard(TARGET);
    files_discard(SCRATCH);
    signals_release();
}
