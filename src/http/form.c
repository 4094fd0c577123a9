#include "http/form.h"

#include <string.h>

#include "core/rules.h"
#include "http/site.h"
#include "util/strutil.h"

static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Decodes the n bytes at s into out (room for n + 1); returns the decoded
 * length, or -1 on a broken %XX. */
static long decode(const char *s, size_t n, char *out)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '+') {
            out[o++] = ' ';
        } else if (s[i] == '%') {
            if (n - i < 3)
                return -1;
            int hi = hex_value(s[i + 1]), lo = hex_value(s[i + 2]);
            if (hi < 0 || lo < 0)
                return -1;
            out[o++] = (char)(hi * 16 + lo);
            i += 2;
        } else {
            out[o++] = s[i];
        }
    }
    out[o] = '\0';
    return (long)o;
}

static bool allowed_key(const struct request *r, const char *key)
{
    return route_field_find(r->route, key) != NULL ||
           (r->site && r->site->csrf == CSRF_FROM_FIELD && strcmp(r->site->csrf_name, key) == 0);
}

int form_parse(struct request *r, const char *data, size_t len)
{
    size_t count = 1;
    for (size_t i = 0; i < len; i++)
        count += data[i] == '&';
    struct form_pair *pairs = arena_alloc(&r->arena, count * sizeof *pairs);
    /* Decoded text is never longer than the encoded; one NUL per key and value. */
    char *text = arena_alloc(&r->arena, len + 2 * count);
    if (!pairs || !text)
        return -ERR_INTERNAL;
    const char *p = data, *end = data + len;
    for (size_t k = 0; k < count; k++) {
        const char *amp = memchr(p, '&', (size_t)(end - p));
        const char *stop = amp ? amp : end;
        const char *eq = memchr(p, '=', (size_t)(stop - p));
        if (!eq || eq == p)
            return req_fail(r, ERR_INVALID_REQUEST, "body");
        long klen = decode(p, (size_t)(eq - p), text);
        if (klen <= 0 || klen > FORM_KEY_MAX || strlen(text) != (size_t)klen ||
            !str_is_clean_utf8(text, (size_t)klen))
            return req_fail(r, ERR_INVALID_REQUEST, "body");
        pairs[k].key = text;
        text += klen + 1;
        long vlen = decode(eq + 1, (size_t)(stop - eq - 1), text);
        if (vlen < 0 || !str_is_clean_utf8(text, (size_t)vlen))
            return req_fail(r, ERR_INVALID_REQUEST, pairs[k].key);
        pairs[k].value = text;
        pairs[k].value_len = (size_t)vlen;
        text += vlen + 1;
        p = stop + 1;
    }
    r->body.pairs = pairs;
    r->body.npairs = count;
    /* R10, before anything else reads the body. */
    for (size_t k = 0; k < count; k++) {
        const struct form_pair *f = &pairs[k];
        if ((identity_field_name(f->key) && !allowed_key(r, f->key)) ||
            identity_text_has_hetu(f->key, strlen(f->key)) ||
            identity_text_has_hetu(f->value, f->value_len))
            return req_fail(r, ERR_IDENTITY_DATA_REFUSED, f->key);
    }
    return 0;
}

const struct body_reader body_form = {"application/x-www-form-urlencoded", form_parse};
