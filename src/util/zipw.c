/* A ZIP archive written into memory (see zipw.h). The format: PKWARE's
 * APPNOTE.TXT, sections 4.3.7 (local header), 4.3.12 (central directory)
 * and 4.3.16 (its end); method 8 is raw deflate. */
#include "util/zipw.h"

#include <stdlib.h>
#include <string.h>

#define LOCAL_HEADER   30
#define CENTRAL_HEADER 46
#define END_RECORD     22
#define VERSION        20   /* 2.0: deflate */
#define DOS_DATE       0x21 /* 1980-01-01 */
#define CHUNK          65536

static void put16(unsigned char *p, unsigned v)
{
    p[0] = (unsigned char)(v & 0xFF);
    p[1] = (unsigned char)(v >> 8 & 0xFF);
}

static void put32(unsigned char *p, uint32_t v)
{
    put16(p, v & 0xFFFF);
    put16(p + 2, v >> 16);
}

/* Room for n more bytes at w->p + w->len. */
static bool reserve(struct zipw *w, size_t n)
{
    if (w->failed)
        return false;
    if (n > ZIPW_BYTES_MAX - w->len) {
        w->failed = true;
        return false;
    }
    if (n > w->cap - w->len) {
        size_t cap = w->cap ? w->cap : CHUNK;
        while (cap - w->len < n)
            cap *= 2;
        char *p = realloc(w->p, cap);
        if (!p) {
            w->failed = true;
            return false;
        }
        w->p = p;
        w->cap = cap;
    }
    return true;
}

void zipw_init(struct zipw *w, int level)
{
    memset(w, 0, sizeof *w);
    w->level = level;
}

void zipw_begin(struct zipw *w, const char *name)
{
    size_t n = strlen(name);
    if (w->open || w->n == ZIPW_MEMBERS_MAX || n >= ZIPW_NAME_MAX)
        w->failed = true;
    if (!reserve(w, LOCAL_HEADER + n))
        return;
    /* Raw deflate (no zlib header): windowBits -15. */
    if (deflateInit2(&w->z, w->level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
        w->failed = true;
        return;
    }
    struct zipw_member *m = &w->members[w->n++];
    memset(m, 0, sizeof *m);
    memcpy(m->name, name, n + 1);
    m->offset = (uint32_t)w->len;
    m->crc = (uint32_t)crc32(0L, Z_NULL, 0);
    memset(w->p + w->len, 0, LOCAL_HEADER);
    memcpy(w->p + w->len + LOCAL_HEADER, name, n);
    w->len += LOCAL_HEADER + n;
    w->open = true;
}

/* Deflates the input given (or finishes, with Z_FINISH) into the archive. */
static void pump(struct zipw *w, int flush)
{
    do {
        if (!reserve(w, CHUNK)) {
            deflateEnd(&w->z);
            w->open = false;
            return;
        }
        w->z.next_out = (Bytef *)(w->p + w->len);
        w->z.avail_out = CHUNK;
        int rc = deflate(&w->z, flush);
        w->len += CHUNK - w->z.avail_out;
        if (rc == Z_STREAM_ERROR) {
            w->failed = true;
            deflateEnd(&w->z);
            w->open = false;
            return;
        }
        if (flush == Z_FINISH && rc == Z_STREAM_END)
            return;
    } while (w->z.avail_out == 0 || flush == Z_FINISH);
}

void zipw_write(struct zipw *w, const void *data, size_t n)
{
    if (w->failed || !w->open || n == 0)
        return;
    struct zipw_member *m = &w->members[w->n - 1];
    if (n > ZIPW_BYTES_MAX - m->size) {
        w->failed = true;
        return;
    }
    m->crc = (uint32_t)crc32(m->crc, data, (uInt)n);
    m->size += (uint32_t)n;
    w->z.next_in = (Bytef *)(uintptr_t)data; /* zlib does not write through next_in */
    w->z.avail_in = (uInt)n;
    pump(w, Z_NO_FLUSH);
}

void zipw_end(struct zipw *w)
{
    if (w->failed || !w->open) {
        w->failed = true;
        return;
    }
    w->z.next_in = Z_NULL;
    w->z.avail_in = 0;
    pump(w, Z_FINISH);
    if (w->failed)
        return;
    deflateEnd(&w->z);
    w->open = false;
    struct zipw_member *m = &w->members[w->n - 1];
    size_t name_len = strlen(m->name);
    m->packed = (uint32_t)(w->len - m->offset - LOCAL_HEADER - name_len);
    unsigned char *h = (unsigned char *)w->p + m->offset;
    put32(h, 0x04034B50);
    put16(h + 4, VERSION);
    put16(h + 6, 0);         /* flags */
    put16(h + 8, 8);         /* deflated */
    put16(h + 10, 0);        /* time 00:00 */
    put16(h + 12, DOS_DATE); /* 1980-01-01 */
    put32(h + 14, m->crc);
    put32(h + 18, m->packed);
    put32(h + 22, m->size);
    put16(h + 26, (unsigned)name_len);
    put16(h + 28, 0); /* no extra field */
}

void zipw_add(struct zipw *w, const char *name, const void *data, size_t n)
{
    zipw_begin(w, name);
    zipw_write(w, data, n);
    zipw_end(w);
}

int zipw_finish(struct zipw *w, char **out, size_t *len)
{
    *out = NULL;
    *len = 0;
    if (w->open)
        w->failed = true;
    size_t start = w->len;
    for (size_t i = 0; i < w->n && !w->failed; i++) {
        const struct zipw_member *m = &w->members[i];
        size_t name_len = strlen(m->name);
        if (!reserve(w, CENTRAL_HEADER + name_len))
            break;
        unsigned char *h = (unsigned char *)w->p + w->len;
        memset(h, 0, CENTRAL_HEADER);
        put32(h, 0x02014B50);
        put16(h + 4, VERSION); /* made by: MS-DOS, 2.0 */
        put16(h + 6, VERSION);
        put16(h + 10, 8);
        put16(h + 14, DOS_DATE);
        put32(h + 16, m->crc);
        put32(h + 20, m->packed);
        put32(h + 24, m->size);
        put16(h + 28, (unsigned)name_len);
        put32(h + 42, m->offset); /* extra, comment, disk, attributes: 0 */
        memcpy(h + CENTRAL_HEADER, m->name, name_len);
        w->len += CENTRAL_HEADER + name_len;
    }
    if (reserve(w, END_RECORD)) {
        unsigned char *e = (unsigned char *)w->p + w->len;
        memset(e, 0, END_RECORD);
        put32(e, 0x06054B50);
        put16(e + 8, (unsigned)w->n);
        put16(e + 10, (unsigned)w->n);
        put32(e + 12, (uint32_t)(w->len - start));
        put32(e + 16, (uint32_t)start);
        w->len += END_RECORD;
    }
    if (w->failed) {
        zipw_release(w);
        return -1;
    }
    *out = w->p;
    *len = w->len;
    w->p = NULL;
    zipw_release(w);
    return 0;
}

void zipw_release(struct zipw *w)
{
    if (w->open)
        deflateEnd(&w->z);
    free(w->p);
    int level = w->level;
    memset(w, 0, sizeof *w);
    w->level = level;
}
