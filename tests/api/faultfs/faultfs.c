/* A storage fault injector for the API tests (LD_PRELOAD into kaiku serve):
 * pwrite and fsync of the database file and its WAL fail on demand.
 *
 * KAIKU_FAULT_MATCH is the database's path; KAIKU_FAULT_CONTROL names a file
 * whose first word chooses the fault, read at every call: "full" (a write
 * fails with ENOSPC, a full disk), "eio-write" (a write fails with EIO),
 * "eio-sync" (fsync and fdatasync fail with EIO), anything else none.
 * Built by tests/api/test_faults.py with the system's cc; not part of
 * kaiku. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

/* True when the fault `kind` is chosen and fd is the database or its WAL. */
static int fault_now(int fd, const char *kind)
{
    const char *ctl = getenv("KAIKU_FAULT_CONTROL"), *match = getenv("KAIKU_FAULT_MATCH");
    char buf[32], link[64], path[4096];
    if (!ctl || !match)
        return 0;
    int c = open(ctl, O_RDONLY | O_CLOEXEC);
    if (c < 0)
        return 0;
    ssize_t n = read(c, buf, sizeof buf - 1);
    close(c);
    if (n <= 0)
        return 0;
    buf[n] = '\0';
    size_t k = strlen(kind);
    if (strncmp(buf, kind, k) != 0 || (buf[k] != '\0' && buf[k] != '\n'))
        return 0;
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t m = readlink(link, path, sizeof path - 1);
    if (m <= 0)
        return 0;
    path[m] = '\0';
    size_t len = strlen(match);
    return strncmp(path, match, len) == 0 && (path[len] == '\0' || strcmp(path + len, "-wal") == 0);
}

#define NEXT(name, type) ((type)dlsym(RTLD_NEXT, name))

typedef ssize_t (*pwrite_fn)(int, const void *, size_t, off_t);
typedef int (*sync_fn)(int);

static ssize_t write_fault(int fd)
{
    if (fault_now(fd, "full")) {
        errno = ENOSPC;
        return -1;
    }
    if (fault_now(fd, "eio-write")) {
        errno = EIO;
        return -1;
    }
    return 0;
}

ssize_t pwrite(int fd, const void *buf, size_t n, off_t off)
{
    if (write_fault(fd) < 0)
        return -1;
    return NEXT("pwrite", pwrite_fn)(fd, buf, n, off);
}

ssize_t pwrite64(int fd, const void *buf, size_t n, off_t off)
{
    if (write_fault(fd) < 0)
        return -1;
    return NEXT("pwrite64", pwrite_fn)(fd, buf, n, off);
}

int fsync(int fd)
{
    if (fault_now(fd, "eio-sync")) {
        errno = EIO;
        return -1;
    }
    return NEXT("fsync", sync_fn)(fd);
}

int fdatasync(int fd)
{
    if (fault_now(fd, "eio-sync")) {
        errno = EIO;
        return -1;
    }
    return NEXT("fdatasync", sync_fn)(fd);
}
