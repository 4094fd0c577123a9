/* The parts of a multipart/form-data body as the request's body. The
 * parsing itself is libmicrohttpd's post processor's (server.c). */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/rules.h"
#include "http/arena.h"
#include "http/form.h"
#include "http/multipart.h"
#include "http/site.h"
#include "util/strutil.h"

bool multipart_is(const char *content_type)
{
    if (!content_type)
        return false;
    while (*content_type == ' ')
        content_type++;
    return strncasecmp(content_type, "multipart/form-data", 19) == 0 &&
           (content_type[19] == ';' || content_type[19] == ' ' || content_type[19] == '\0');
}

bool multipart_add(struct http_part *parts, size_t *n, const char *key, const char *filename,
                   const char *data, size_t off, size_t size)
{
    struct http_part *p = *n > 0 ? &parts[*n - 1] : NULL;
    if (!key)
        return false;
    if (!p || off == 0 || strcmp(p->name, key) != 0) {
        if (*n >= MULTIPART_PARTS_MAX)
            return false;
        p = &parts[(*n)++];
        memset(p, 0, sizeof *p);
        if (str_copy(p->name, sizeof p->name, key) != 0 ||
            (filename && str_copy(p->filename, sizeof p->filename, filename) != 0))
            return false;
        p->file = filename != NULL;
    }
    if (size > HTTP_UPLOAD_MAX - p->len)
        return false;
    if (p->len + size + 1 > p->cap) {
        size_t cap = p->cap ? p->cap : 1024;
        while (cap < p->len + size + 1)
            cap *= 2;
        char *d = realloc(p->data, cap);
        if (!d)
            return false;
        p->data = d;
        p->cap = cap;
    }
    if (size > 0)
        memcpy(p->data + p->len, data, size);
    p->len += size;
    p->data[p->len] = '\0';
    return true;
}

void multipart_free(struct http_part *parts, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(parts[i].data);
}

int multipart_body(struct request *r, const struct http_part *parts, size_t n)
{
    struct form_pair *pairs = arena_alloc(&r->arena, (n ? n : 1) * sizeof *pairs);
    size_t np = 0;
    if (!pairs)
        return -ERR_INTERNAL;
    for (size_t i = 0; i < n; i++) {
        const struct http_part *p = &parts[i];
        const char *data = p->data ? p->data : "";
        if (!p->name[0] || !str_is_clean_utf8(p->name, strlen(p->name)) ||
            (p->filename[0] && !str_is_clean_utf8(p->filename, strlen(p->filename))))
            return req_fail(r, ERR_INVALID_REQUEST, "body");
        if (p->file) { /* the file: its content is the handler's to check */
            if (r->upload.field)
                return req_fail(r, ERR_INVALID_REQUEST, arena_strdup(&r->arena, p->name));
            r->upload = (struct request_upload){arena_strdup(&r->arena, p->name),
                                                arena_strdup(&r->arena, p->filename),
                                                (const uint8_t *)data, p->len};
            continue;
        }
        if (p->len > MULTIPART_TEXT_MAX || strlen(data) != p->len ||
            !str_is_clean_utf8(data, p->len))
            return req_fail(r, ERR_INVALID_REQUEST, arena_strdup(&r->arena, p->name));
        pairs[np].key = arena_strdup(&r->arena, p->name);
        pairs[np].value = arena_strdup(&r->arena, data);
        pairs[np].value_len = p->len;
        if (!pairs[np].key || !pairs[np].value)
            return -ERR_INTERNAL;
        np++;
    }
    r->body.pairs = pairs;
    r->body.npairs = np;
    /* R10 over the text parts and the file's name, as the form reader does. */
    for (size_t k = 0; k < np; k++) {
        const struct form_pair *f = &pairs[k];
        bool own = route_field_find(r->route, f->key) != NULL ||
                   (r->site->csrf == CSRF_FROM_FIELD && strcmp(r->site->csrf_name, f->key) == 0);
        if ((identity_field_name(f->key) && !own) ||
            identity_text_has_hetu(f->key, strlen(f->key)) ||
            identity_text_has_hetu(f->value, f->value_len))
            return req_fail(r, ERR_IDENTITY_DATA_REFUSED, f->key);
    }
    if (r->upload.filename &&
        identity_text_has_hetu(r->upload.filename, strlen(r->upload.filename)))
        return req_fail(r, ERR_IDENTITY_DATA_REFUSED, r->upload.field);
    return 0;
}
