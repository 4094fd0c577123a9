/* A ZIP archive written into memory through libzip (see zipw.h). */
#include "util/zipw.h"

#include <stdlib.h>
#include <string.h>

#define CHUNK    65536
#define DOS_DATE 0x21 /* 1980-01-01 */

void zipw_init(struct zipw *w, int level)
{
    *w = (struct zipw){.level = level};
    zip_error_t e;
    zip_error_init(&e);
    w->archive = zip_source_buffer_create(NULL, 0, 0, &e);
    if (w->archive) {
        zip_source_keep(w->archive); /* read after zip_close, which frees its own reference */
        w->zip = zip_open_from_source(w->archive, ZIP_TRUNCATE, &e);
    }
    zip_error_fini(&e);
    w->failed = !w->zip;
}

/* Hands the member's bytes (malloc'd; libzip frees them) to the archive. */
static void member(struct zipw *w, const char *name, char *data, size_t n)
{
    zip_source_t *src = w->failed ? NULL : zip_source_buffer(w->zip, data, n, 1);
    if (!src) {
        free(data);
        w->failed = true;
        return;
    }
    zip_int64_t i = zip_file_add(w->zip, name, src, ZIP_FL_ENC_UTF_8);
    if (i < 0) {
        zip_source_free(src);
        w->failed = true;
        return;
    }
    if (zip_set_file_compression(w->zip, (zip_uint64_t)i, ZIP_CM_DEFLATE, (zip_uint32_t)w->level) <
            0 ||
        zip_file_set_dostime(w->zip, (zip_uint64_t)i, 0, DOS_DATE, 0) < 0)
        w->failed = true;
}

void zipw_begin(struct zipw *w, const char *name)
{
    if (w->open || strlen(name) >= sizeof w->name)
        w->failed = true;
    if (w->failed)
        return;
    memcpy(w->name, name, strlen(name) + 1);
    w->open = true;
    w->len = 0;
}

void zipw_write(struct zipw *w, const void *data, size_t n)
{
    if (w->failed || !w->open || n == 0)
        return;
    if (n > ZIPW_BYTES_MAX - w->len) {
        w->failed = true;
        return;
    }
    if (n > w->cap - w->len) {
        size_t cap = w->cap ? w->cap : CHUNK;
        while (cap - w->len < n)
            cap *= 2;
        char *p = realloc(w->p, cap);
        if (!p) {
            w->failed = true;
            return;
        }
        w->p = p;
        w->cap = cap;
    }
    memcpy(w->p + w->len, data, n);
    w->len += n;
}

void zipw_end(struct zipw *w)
{
    if (w->failed || !w->open) {
        w->failed = true;
        return;
    }
    char *data = w->p;
    size_t n = w->len;
    w->p = NULL;
    w->len = w->cap = 0;
    w->open = false;
    member(w, w->name, data, n);
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
    if (w->failed || w->open || zip_close(w->zip) < 0) {
        zipw_release(w);
        return -1;
    }
    w->zip = NULL; /* closed: the archive's bytes are in w->archive */
    zip_stat_t st;
    char *p = NULL;
    bool ok = zip_source_stat(w->archive, &st) == 0 && (st.valid & ZIP_STAT_SIZE) && st.size > 0 &&
              st.size <= ZIPW_BYTES_MAX && zip_source_open(w->archive) == 0;
    if (ok) {
        p = malloc(st.size);
        ok = p && zip_source_read(w->archive, p, st.size) == (zip_int64_t)st.size;
        zip_source_close(w->archive);
    }
    if (!ok) {
        free(p);
        zipw_release(w);
        return -1;
    }
    *out = p;
    *len = st.size;
    zipw_release(w);
    return 0;
}

void zipw_release(struct zipw *w)
{
    if (w->zip)
        zip_discard(w->zip);
    if (w->archive)
        zip_source_free(w->archive);
    free(w->p);
    *w = (struct zipw){.failed = true};
}
