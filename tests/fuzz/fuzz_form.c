/* libFuzzer target for the form body reader (http/form.c) and the field
 * readers on what it decodes (http/field.c). Besides "no crash, no
 * sanitizer report" it checks what a decoded form promises: every key is
 * 1..FORM_KEY_MAX bytes, every value is as long as it says, and both are
 * clean UTF-8; a field reader either refuses or gives a value within its
 * bounds. */
#include <assert.h>
#include <stdint.h>
#include <string.h>

#include "http/field.h"
#include "http/form.h"
#include "http/site.h"
#include "util/strutil.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct route_field fields[] = {
    {"title", RF_REQUIRED}, {"count", 0}, {"on", 0}, {"tags", 0}, {"when", 0}, {NULL, 0},
};
static const struct route route = {HTTP_POST, "/f", NULL, 0, ROUTE_PUBLIC, fields, NULL, NULL};
static const struct site site = {.name = "fuzz",
                                 .prefix = "/",
                                 .routes = &route,
                                 .nroutes = 1,
                                 .body = &body_form,
                                 .csrf = CSRF_FROM_FIELD,
                                 .csrf_name = "csrf"};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    struct request r;
    memset(&r, 0, sizeof r);
    r.site = &site;
    r.route = &route;
    if (form_parse(&r, (const char *)data, size) == 0) {
        for (size_t i = 0; i < r.body.npairs; i++) {
            const struct form_pair *p = &r.body.pairs[i];
            size_t k = strlen(p->key);
            assert(k >= 1 && k <= FORM_KEY_MAX && str_is_clean_utf8(p->key, k));
            assert(strlen(p->value) == p->value_len);
            assert(str_is_clean_utf8(p->value, p->value_len));
        }
        (void)field_check_route(&r);
        const char *text = NULL;
        if (field_text(&r, "title", FIELD_REQUIRED, 16, &text) == 0)
            assert(text && strlen(text) <= 16);
        int64_t n = 0;
        if (field_int(&r, "count", FIELD_NULLABLE, -5, 5, &n) == 0)
            assert(n >= -5 && n <= 5);
        bool b;
        (void)field_bool(&r, "on", 0, &b);
        const char **items;
        size_t count;
        if (field_texts(&r, "tags", 0, 3, &items, &count) == 0)
            assert(count <= 3);
        int32_t day;
        (void)field_date(&r, "when", 0, &day);
        (void)field_state(&r, "title");
    }
    request_release(&r);
    return 0;
}
