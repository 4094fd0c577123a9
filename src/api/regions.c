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

/* PATCH /api/v1/regions/{id} {"name"?, "pilot_ends_on"?}: null ends the
 * pilot (R5); a field left out stays as it is. */
int api_regions_update(struct request *r)
{
    const char *id = r->params[0], *name = NULL;
    struct region_change c = {.pilot_ends_on = -1};
    int rc;
    if (!str_is_slug(id, ID_MAX))
        return -ERR_NOT_FOUND;
    if ((rc = field_text(r, "name", 0, NAME_MAX_BYTES, &name)) < 0 ||
        (rc = field_date(r, "pilot_ends_on", FIELD_NULLABLE, &c.pilot_ends_on)) < 0)
        return rc;
    c.name = name;
    c.set_pilot = field_state(r, "pilot_ends_on") != FIELD_ABSENT;
    struct region g;
    if ((rc = store_region_update(r->store, &r->actor, id, &c, &g)) != 0)
        return rc;
    return reply_json(r, 200, region_json(&g));
}
