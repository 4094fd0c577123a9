/* Units: the social and health units that hand out cards. */
#include "api/api.h"
#include "http/json.h"
#include "store/store.h"
#include "util/strutil.h"

static json_t *unit_json(const struct unit *u)
{
    return json_pack("{s:s, s:s, s:s}", "id", u->id, "region", u->region, "name", u->name);
}

int api_units_create(struct request *r)
{
    struct unit u = {0};
    const char *id, *region, *name;
    int rc;
    if ((rc = field_slug(r, "id", FIELD_REQUIRED, &id)) < 0 ||
        (rc = field_slug(r, "region", FIELD_REQUIRED, &region)) < 0 ||
        (rc = field_text(r, "name", FIELD_REQUIRED, NAME_MAX_BYTES, &name)) < 0)
        return rc;
    str_copy(u.id, sizeof u.id, id);
    str_copy(u.region, sizeof u.region, region);
    str_copy(u.name, sizeof u.name, name);
    if ((rc = store_unit_add(r->store, &r->actor, &u)) != 0)
        return rc;
    return reply_json(r, 201, unit_json(&u));
}

static int add_unit(void *ctx, const struct unit *u)
{
    return json_array_append_new(ctx, unit_json(u)) == 0 ? 0 : -ERR_INTERNAL;
}

int api_units_list(struct request *r)
{
    const char *region = req_query(r, "region");
    if (region && !str_is_slug(region, ID_MAX))
        return req_fail(r, ERR_INVALID_REQUEST, "region");
    json_t *list = json_array();
    int rc = store_unit_list(r->store, &r->actor, region ? region : "", add_unit, list);
    if (rc != 0) {
        json_decref(list);
        return rc;
    }
    return reply_json(r, 200, json_pack("{s:o}", "units", list));
}
