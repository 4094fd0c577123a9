/* A ZIP archive written into memory, member by member, through libzip (the
 * XLSX of the reports, issue 16): a member's bytes are gathered, then handed
 * to libzip, which deflates them at the level asked for when the archive is
 * finished. Every member is dated 1980-01-01 00:00, so the same input gives
 * the same bytes. The archive and each member stay under ZIPW_BYTES_MAX.
 *
 *   struct zipw z;
 *   zipw_init(&z, 1);   // deflate level: 1 fastest … 9 smallest
 *   zipw_begin(&z, "a.xml"); zipw_write(&z, p, n); … zipw_end(&z);
 *   zipw_finish(&z, &out, &len);   // or zipw_release(&z) to give up
 *
 * An error (out of memory, too large, libzip's) is kept and reported by
 * zipw_finish, which then frees everything; the calls between need no
 * checks. */
#ifndef KAIKU_UTIL_ZIPW_H
#define KAIKU_UTIL_ZIPW_H

#include <stdbool.h>
#include <stddef.h>
#include <zip.h>

#define ZIPW_NAME_MAX  64
#define ZIPW_BYTES_MAX (256u * 1024 * 1024) /* of the archive, and of a member unpacked */

struct zipw {
    zip_source_t *archive; /* the archive's bytes, in memory */
    zip_t *zip;
    int level;
    bool failed, open;
    char name[ZIPW_NAME_MAX]; /* the open member's */
    char *p;                  /* its bytes so far */
    size_t len, cap;
};

void zipw_init(struct zipw *w, int level);
/* Starts a member (the previous one must have ended). */
void zipw_begin(struct zipw *w, const char *name);
void zipw_write(struct zipw *w, const void *data, size_t n);
void zipw_end(struct zipw *w);
/* A whole member at once. */
void zipw_add(struct zipw *w, const char *name, const void *data, size_t n);
/* Finishes the archive. Returns 0 and the archive (malloc'd, the caller's),
 * or -1 after any error before (nothing returned, all freed). */
int zipw_finish(struct zipw *w, char **out, size_t *len);
void zipw_release(struct zipw *w);

#endif
