/* kaiku demo: where the demo is built and how it takes the target's place
 * (see cmd_demo_target.h). */
#include "cli/cmd_demo_target.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cmd_common.h"
#include "store/store.h"

#define WHAT "demo"

/* ---- the target must hold no data: the demo replaces it whole ---- */

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
        cli_error(WHAT, "the database at %s already has %s; the demo fills only a new one", url,
                  has);
        return -1;
    }
    return 0;
}

/* ---- building beside the target ----
 *
 * The demo is built in PATH.demo-XXXXXX, a new file in the target's own
 * directory, so that one rename() on one file system puts it in place. When
 * the whole demo is in it, the store is closed (SQLite checkpoints the WAL
 * and removes the scratch file's -wal and -shm), the file is synced, renamed
 * onto PATH and the directory synced. On any failure, and on SIGINT, SIGTERM
 * or SIGHUP, the scratch file and its -wal and -shm (and the -journal SQLite
 * keeps while it turns the new file to WAL) are removed and PATH is left as
 * it was. */

#define SCRATCH_MAX (CLI_VALUE_MAX + 32)

enum { SCRATCH_DB, SCRATCH_WAL, SCRATCH_SHM, SCRATCH_JOURNAL, SCRATCH_FILES };

/* Static so that the signal handler, which may call only unlink() and
 * raise(), can reach them. An empty name: nothing to remove. */
static char scratch[SCRATCH_FILES][SCRATCH_MAX];
static volatile sig_atomic_t scratch_armed;
static const int scratch_signals[] = {SIGINT, SIGTERM, SIGHUP};
#define SCRATCH_SIGNALS (sizeof scratch_signals / sizeof scratch_signals[0])
static struct sigaction scratch_saved[SCRATCH_SIGNALS];

static void scratch_unlink(void)
{
    for (int i = 0; i < SCRATCH_FILES; i++)
        if (scratch[i][0])
            unlink(scratch[i]);
}

static void scratch_on_signal(int sig)
{
    if (scratch_armed)
        scratch_unlink();
    raise(sig); /* SA_RESETHAND: delivered with the default action on return */
}

static void scratch_arm(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = scratch_on_signal;
    sa.sa_flags = SA_RESETHAND;
    sigemptyset(&sa.sa_mask);
    scratch_armed = 1;
    for (size_t i = 0; i < SCRATCH_SIGNALS; i++) {
        sigaction(scratch_signals[i], NULL, &scratch_saved[i]);
        if (scratch_saved[i].sa_handler != SIG_IGN) /* nohup, a background job: left alone */
            sigaction(scratch_signals[i], &sa, NULL);
    }
}

/* Removes what is left of the scratch file (nothing after a rename) and
 * gives the signals back. */
static void scratch_discard(void)
{
    if (!scratch_armed)
        return;
    for (size_t i = 0; i < SCRATCH_SIGNALS; i++)
        sigaction(scratch_signals[i], &scratch_saved[i], NULL);
    scratch_armed = 0;
    scratch_unlink();
    for (int i = 0; i < SCRATCH_FILES; i++)
        scratch[i][0] = '\0';
}

static bool file_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

/* Whether url exists, and as what. Prints one line and returns -1 when it
 * cannot be told (a missing directory is found when the scratch file is
 * made). */
static int target_stat(const char *url, struct demo_target *t)
{
    t->existed = false;
    memset(&t->st, 0, sizeof t->st);
    if (stat(url, &t->st) == 0) {
        t->existed = true;
        return 0;
    }
    if (errno == ENOENT || errno == ENOTDIR)
        return 0;
    cli_error(WHAT, "cannot open database %s: %s", url, strerror(errno));
    return -1;
}

static bool target_same(const struct demo_target *a, const struct demo_target *b)
{
    if (a->existed != b->existed)
        return false;
    return !a->existed ||
           (a->st.st_dev == b->st.st_dev && a->st.st_ino == b->st.st_ino &&
            a->st.st_size == b->st.st_size && a->st.st_mtim.tv_sec == b->st.st_mtim.tv_sec &&
            a->st.st_mtim.tv_nsec == b->st.st_mtim.tv_nsec);
}

/* A -wal beside the target belongs to a connection still open on it (ours
 * are closed), or is left over from a crash or a deleted database; either
 * way, SQLite would read it into the file renamed there. */
static int target_not_in_use(const char *url)
{
    char wal[SCRATCH_MAX];
    if (snprintf(wal, sizeof wal, "%s-wal", url) >= (int)sizeof wal || !file_exists(wal))
        return 0;
    cli_error(WHAT,
              "the database at %s is in use by another program, or %s is left over; nothing "
              "was changed",
              url, wal);
    return -1;
}

/* Makes the empty scratch file beside url, with the target's permissions
 * and, as far as allowed, owner (a new target: 0666 less the umask, as
 * SQLite would create it). */
static int scratch_create(const char *url, const struct demo_target *t)
{
    int fd = -1;
    int rc = -1;
    char name[SCRATCH_MAX - 16]; /* room for "-journal" */
    if (snprintf(name, sizeof name, "%s.demo-XXXXXX", url) >= (int)sizeof name) {
        cli_error(WHAT, "--db is too long");
        goto out;
    }
    fd = mkstemp(name);
    if (fd < 0) {
        int err = errno;
        char dir[CLI_VALUE_MAX + 1];
        if (cli_parent_dir(url, dir, sizeof dir) != 0)
            dir[0] = '\0';
        if (err == ENOENT || err == ENOTDIR)
            cli_error(WHAT, "cannot open database %s: no such directory", url);
        else
            cli_error(WHAT, "cannot create the demo database in %s: %s", dir, strerror(err));
        goto out;
    }
    static const char *const suffix[SCRATCH_FILES] = {"", "-wal", "-shm", "-journal"};
    for (int i = 0; i < SCRATCH_FILES; i++)
        snprintf(scratch[i], SCRATCH_MAX, "%s%s", name, suffix[i]); /* fits: see name */
    scratch_arm();
    mode_t mode;
    if (t->existed) {
        mode = t->st.st_mode & 07777;
        if ((t->st.st_uid != geteuid() || t->st.st_gid != getegid()) &&
            fchown(fd, t->st.st_uid, t->st.st_gid) != 0) {
            /* Not allowed (not root): the demo belongs to whoever made it. */
        }
    } else {
        mode_t mask = umask(0);
        umask(mask);
        mode = 0666 & ~mask;
    }
    if (fchmod(fd, mode) != 0) {
        cli_error(WHAT, "cannot set the permissions of %s: %s", scratch[SCRATCH_DB],
                  strerror(errno));
        goto out;
    }
    rc = 0;
out:
    if (fd >= 0)
        close(fd);
    return rc;
}

/* fsync of a file or a directory opened read-only. Keeps errno. */
static int sync_path(const char *path, bool dir)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | (dir ? O_DIRECTORY : 0));
    if (fd < 0)
        return -1;
    int rc = fsync(fd);
    int err = errno;
    close(fd);
    errno = err;
    return rc;
}

/* Puts the finished, closed scratch file in the target's place. */
static int scratch_commit(const char *url, const struct demo_target *before)
{
    if (file_exists(scratch[SCRATCH_WAL])) {
        cli_error(WHAT, "the demo database was not closed cleanly (%s remains)",
                  scratch[SCRATCH_WAL]);
        return -1;
    }
    if (sync_path(scratch[SCRATCH_DB], false) != 0) {
        cli_error(WHAT, "cannot sync %s: %s", scratch[SCRATCH_DB], strerror(errno));
        return -1;
    }
    struct demo_target now = {.url = url};
    if (target_stat(url, &now) != 0)
        return -1;
    if (!target_same(before, &now)) {
        cli_error(WHAT, "the database at %s changed while the demo was built; nothing was changed",
                  url);
        return -1;
    }
    if (target_not_in_use(url) != 0)
        return -1;
    if (rename(scratch[SCRATCH_DB], url) != 0) {
        cli_error(WHAT, "cannot move the demo database to %s: %s", url, strerror(errno));
        return -1;
    }
    scratch[SCRATCH_DB][0] = '\0'; /* it is the target now */
    char dir[CLI_VALUE_MAX + 1];
    if (cli_parent_dir(url, dir, sizeof dir) != 0 || sync_path(dir, true) != 0) {
        cli_error(WHAT, "the demo is at %s, but its directory could not be synced: %s", url,
                  strerror(errno));
        return -1;
    }
    return 0;
}

int demo_target_begin(struct demo_target *t, const char *url, const char **build)
{
    t->url = url;
    if (!cli_db_is_file(url)) {
        struct store *s = cli_open_store(WHAT, url, false, NULL); /* says why it cannot be used */
        if (s) {
            cli_error(WHAT, "the demo is built only into a database file, not PostgreSQL");
            store_close(s);
        }
        return -1;
    }
    if (target_stat(url, t) != 0)
        return -1;
    if (t->existed) {
        struct store *s = cli_open_store(WHAT, url, true, NULL);
        if (!s)
            return -1;
        int rc = check_empty(s, url);
        store_close(s);
        if (rc != 0 || target_stat(url, t) != 0)
            return -1;
    }
    if (target_not_in_use(url) != 0 || scratch_create(url, t) != 0)
        return -1;
    *build = scratch[SCRATCH_DB];
    return 0;
}

int demo_target_commit(struct demo_target *t)
{
    return scratch_commit(t->url, t);
}

void demo_target_discard(void)
{
    scratch_discard();
}
