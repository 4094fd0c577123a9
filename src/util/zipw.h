/* A ZIP archive written into memory, member by member, each deflated by
 * zlib as its bytes come (the XLSX of the reports, issue 16). Sizes and
 * CRCs are patched into each member's local header when it ends, so no
 * data descriptors; every member dated 1980-01-01 00:00, so the same input
 * gives the same bytes. No ZIP64: the archive stays under ZIPW_BYTES_MAX.
 *
 *   struct zipw z;
 *   zipw_init(&z, Z_BEST_SPEED);
 *   zipw_begin(&z, "a.xml"); zipw_write(&z, p, n); … zipw_end(&z);
 *   zipw_finish(&z, &out, &len);   // or zipw_release(&z) to give up
 *
 * An error (out of memory, too large, too many members) is kept and
 * reported by zipw_finish, which then frees everything; the calls between
 * need no checks. */
#ifndef KAIKU_UTIL_ZIPW_H
#define KAIKU_UTIL_ZIPW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <zlib.h>

#define ZIPW_MEMBERS_MAX 16
#define ZIPW_NAME_MAX    64
#define ZIPW_BYTES_MAX   (256u * 1024 * 1024) /* of the archive, and of a member unpacked */

struct zipw_member {
    char name[ZIPW_NAME_MAX];
    uint32_t crc, packed, size, offset;
};

struct zipw {
    char *p;
    size_t len, cap;
    int level; /* zlib's: 1 fastest … 9 smallest */
    bool failed, open;
    z_stream z;
    struct zipw_member members[ZIPW_MEMBERS_MAX];
    size_t n;
};

void zipw_init(struct zipw *w, int level);
/* Starts a member (the previous one must have ended). */
void zipw_begin(struct zipw *w, const char *name);
void zipw_write(struct zipw *w, const void *data, size_t n);
void zipw_end(struct zipw *w);
/* A whole member at once. */
void zipw_add(struct zipw *w, const char *name, const void *data, size_t n);
/* Writes the central directory. Returns 0 and the archive (malloc'd, the
 * caller's), or -1 after any error before (nothing returned, all freed). */
int zipw_finish(struct zipw *w, char **out, size_t *len);
void zipw_release(struct zipw *w);

#endif
