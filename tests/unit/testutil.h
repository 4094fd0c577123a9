/* Helpers shared by the cmocka unit tests. */
#ifndef KAIKU_TESTUTIL_H
#define KAIKU_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Day number of a date, e.g. D(2020, 2, 29). */
int32_t D(int y, int m, int d);
/* Instant of a Finnish wall-clock time, e.g. T("2020-02-03T18:00"). Fails
 * the test on a malformed string. */
int64_t T(const char *datetime);

/* A fresh temporary directory for the test (removed by tmpdir_remove), and a
 * path inside it. */
const char *tmpdir_make(void);
void tmpdir_remove(const char *dir);

#endif
