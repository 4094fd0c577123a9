/* Venues: the culture and sports organisations that give tickets. Their
 * public facts (R20) are readable without sign-in. */
#include <stddef.h>

#include "api/api.h"
#include "http/json.h"
#include "store/store.h"
#include "util/strutil.h"

static json_t *venue_json(const struct venue *v)
{
    return json_pack("{s:s, s:o, s:s, s:s, s:s, s:b, s:s, s:s}", "id", v->id, "region",
                     v->region[0] ? json_string(v->region) : json_null(), "name", v->name,
                     "category", name_of(&venue_category_names, (int)v->category), "accessibility",
                     v->accessibility, "free_cloakroom", v->free_cloakroom, "accessibility_sv",
                     v->accessibility_sv, "accessibility_en", v->accessibility_en);
}

int api_venues_create(struct request *r)
{
    struct venue v = {0};
    const char *id, *region = NULL, *name, *access = NULL;
    int category = 0, rc;
    if ((rc = field_slug(r, "id", FIELD_REQUIRED, &id)) < 0 ||
        (rc = field_slug(r, "region", FIELD_REQUIRED | FIELD_NULLABLE, &region)) < 0 ||
        (rc = field_text(r, "name", FIELD_REQUIRED, NAME_MAX_BYTES, &name)) < 0 ||
        (rc = field_enum(r, "category", FIELD_REQUIRED, &venue_category_names, &category)) < 0 ||
        (rc = field_text(r, "accessibility", FIELD_EMPTY_OK | FIELD_NULLABLE, TEXT_MAX_BYTES,
                         &access)) < 0 ||
        (rc = field_bool(r, "free_cloakroom", FIELD_NULLABLE, &v.free_cloakroom)) < 0)
        return rc;
    str_copy(v.id, sizeof v.id, id);
    str_copy(v.region, sizeof v.region, region ? region : ""); /* R22: null is pop-up */
    str_copy(v.name, sizeof v.name, name);
    str_copy(v.accessibility, sizeof v.accessibility, access ? access : "");
    v.category = (enum venue_category)category;
    if ((rc = store_venue_add(r->store, &r->actor, &v)) != 0)
        return rc;
    return reply_json(r, 201, venue_json(&v));
}

static int add_venue(void *ctx, const struct venue *v)
{
    return json_array_append_new(ctx, venue_json(v)) == 0 ? 0 : -ERR_INTERNAL;
}

int api_venues_list(struct request *r)
{
    const char *region = req_query(r, "region");
    if (region && !str_is_slug(region, ID_MAX))
        return req_fail(r, ERR_INVALID_REQUEST, "region");
    json_t *list = json_array();
    int rc = store_venue_list(r->store, region ? region : "", add_venue, list);
    if (rc != 0) {
        json_decref(list);
        return rc;
    }
    return reply_json(r, 200, json_pack("{s:o}", "venues", list));
}

/* PATCH /api/v1/venues/{id}: R20's facts — accessibility in fi, sv and en
 * and the free cloakroom — by the venue's staff, the coordinator of its
 * region or national; its name and category by the coordinator or
 * national (venue staff: 403 with details.field). Texts may be "" (no
 * information); name and category may not be null. */
int api_venues_update(struct request *r)
{
    const char *id = r->params[0];
    if (!id || !str_is_slug(id, ID_MAX))
        return -ERR_NOT_FOUND;
    struct venue_patch *p = arena_alloc(&r->arena, sizeof *p);
    if (!p)
        return -ERR_INTERNAL;
    static const struct {
        const char *key;
        unsigned bit;
        size_t offset;
    } texts[] = {
        {"accessibility", VP_ACCESSIBILITY, offsetof(struct venue, accessibility)},
        {"accessibility_sv", VP_ACCESSIBILITY_SV, offsetof(struct venue, accessibility_sv)},
        {"accessibility_en", VP_ACCESSIBILITY_EN, offsetof(struct venue, accessibility_en)},
    };
    const char *name = NULL;
    int category = -1, rc;
    if ((rc = field_text(r, "name", 0, NAME_MAX_BYTES, &name)) < 0 ||
        (rc = field_enum(r, "category", 0, &venue_category_names, &category)) < 0 ||
        (rc = field_bool(r, "free_cloakroom", 0, &p->v.free_cloakroom)) < 0)
        return rc;
    if (name) {
        p->set |= VP_NAME;
        str_copy(p->v.name, sizeof p->v.name, name);
    }
    if (category >= 0) {
        p->set |= VP_CATEGORY;
        p->v.category = (enum venue_category)category;
    }
    if (field_state(r, "free_cloakroom") == FIELD_SET)
        p->set |= VP_FREE_CLOAKROOM;
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        const char *s = NULL;
        if ((rc = field_text(r, texts[i].key, FIELD_EMPTY_OK, TEXT_MAX_BYTES, &s)) < 0)
            return rc;
        if (s) {
            p->set |= texts[i].bit;
            str_copy((char *)&p->v + texts[i].offset, TEXT_MAX_BYTES + 1, s);
        }
    }
    struct venue *v = arena_alloc(&r->arena, sizeof *v);
    if (!v)
        return -ERR_INTERNAL;
    if ((rc = store_venue_update(r->store, &r->actor, id, p, v, &r->details)) != 0)
        return rc;
    return reply_json(r, 200, venue_json(v));
}
