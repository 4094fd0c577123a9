/* Regions: the local networks (a municipality or a group of them). */
#include "api/api.h"
#include "http/json.h"
#include "store/store.h"
#include "util/strutil.h"

static json_t *region_json(const struct region *g)
{
    return json_pack("{s:s, s:s, s:o}", "id", g->id, "name", g->name, "pilot_ends_on",
                     jw_date(g->pilot_ends_on));
}

int api_regions_create(struct request *r)
{
    struct region g = {.pilot_ends_on = -1};
    const char *id, *name;
    int rc;
    if ((rc = field_slug(r, "id", FIELD_REQUIRED, &id)) < 0 ||
        (rc = field_text(r, "name", FIELD_REQUIRED, NAME_MAX_BYTES, &name)) < 0 ||
        (rc = field_date(r, "pilot_ends_on", FIELD_NULLABLE, &g.pilot_ends_on)) < 0)
        return rc;
    str_copy(g.id, sizeof g.id, id);
    str_copy(g.name, sizeof g.name, name);
    if ((rc = store_region_add(r->store, &r->actor, &g)) != 0)
        return rc;
    return reply_json(r, 201, region_json(&g));
}

static int add_region(void *ctx, const struct region *g)
{
    return json_array_append_new(ctx, region_json(g)) == 0 ? 0 : -ERR_INTERNAL;
}

int api_regions_list(struct request *r)
{
    json_t *list = json_array();
    int rc = store_region_list(r->store, add_region, list);
    if (rc != 0) {
        json_decref(list);
        return rc;
    }
    return reply_json(r, 200, json_pack("{s:o}", "regions", list));
}
