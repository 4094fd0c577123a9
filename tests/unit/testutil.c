#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/date.h"

int32_t D(int y, int m, int d)
{
    return date_from_ymd(y, m, d);
}

int64_t T(const char *datetime)
{
    int64_t t = 0;
    if (datetime_parse(datetime, &t) != 0)
        fail_msg("bad date-time in test: %s", datetime);
    return t;
}

const char *tmpdir_make(void)
{
    static char path[256];
    const char *base = getenv("TMPDIR");
    snprintf(path, sizeof path, "%s/kaiku-test-XXXXXX", base && *base ? base : "/tmp");
    if (!mkdtemp(path))
        fail_msg("mkdtemp failed");
    return path;
}

void tmpdir_remove(const char *dir)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fail_msg("could not remove %s", dir);
}
