/* The network: regions, units and venues (R22, R32). */
#include <stdlib.h>
#include <string.h>

#include "core/rules.h"
#include "store/tx.h"
#include "util/strutil.h"

struct network_add {
    const struct actor *a;
    const void *what;
};

static int region_add_tx(struct bk_tx *t, void *ctx)
{
    struct network_add *c = ctx;
    const struct region *r = c->what;
    const struct place country = {"", "", ""}; /* regions sit above every scope */
    int rc = scope_check(c->a, &country);
    if (rc == 0)
        rc = tx_exec(t, S_REGION_ADD,
                     BK_ARGS(bk_text(r->id), bk_text(r->name), bk_opt_int(r->pilot_ends_on)));
    if (rc == 0)
        rc = audit_add(t, c->a, "region.add", "region", r->id, r->id);
    return rc;
}

int store_region_add(struct store *s, const struct actor *a, const struct region *r)
{
    struct network_add c = {a, r};
    return store_write(s, region_add_tx, &c);
}

int store_region_get(struct store *s, const char *id, struct region *out)
{
    return store_get_one(s, S_REGION_GET, bk_text(id), ROW_REGION, out, -ERR_NOT_FOUND);
}

static int region_row(void *ctx, void *row)
{
    const struct list_to *l = ctx;
    return l->fn.region(l->ctx, row);
}

int store_region_list(struct store *s, store_region_fn fn, void *ctx)
{
    struct list_to l = {NULL, {.region = fn}, ctx};
    struct region r;
    return store_each(s, S_REGION_LIST, BK_NO_ARGS, ROW_REGION, &r, region_row, &l);
}

static int unit_add_tx(struct bk_tx *t, void *ctx)
{
    struct network_add *c = ctx;
    const struct unit *u = c->what;
    struct place_buf region;
    int rc = place_in_scope(t, c->a, S_PLACE_REGION, u->region, &region, NULL, NULL);
    if (rc == 0)
        rc = tx_exec(t, S_UNIT_ADD, BK_ARGS(bk_text(u->id), bk_text(u->region), bk_text(u->name)));
    if (rc == 0)
        rc = audit_add(t, c->a, "unit.add", "unit", u->id, region.region);
    return rc;
}

int store_unit_add(struct store *s, const struct actor *a, const struct unit *u)
{
    struct network_add c = {a, u};
    return store_write(s, unit_add_tx, &c);
}

int store_unit_get(struct store *s, const char *id, struct unit *out)
{
    return store_get_one(s, S_UNIT_GET, bk_text(id), ROW_UNIT, out, -ERR_NOT_FOUND);
}

static int unit_in_scope(void *ctx, void *row)
{
    const struct list_to *l = ctx;
    const struct unit *u = row;
    const struct place p = {u->region, u->id, ""};
    /* R32; no actor: where to get a card is public (store.h) */
    return !l->a || scope_allows(l->a, &p) ? l->fn.unit(l->ctx, u) : 0;
}

int store_unit_list(struct store *s, const struct actor *a, const char *region, store_unit_fn fn,
                    void *ctx)
{
    struct list_to l = {a, {.unit = fn}, ctx};
    struct unit u;
    return store_each(s, S_UNIT_LIST, BK_ARGS(bk_text(region ? region : "")), ROW_UNIT, &u,
                      unit_in_scope, &l);
}

static int venue_add_tx(struct bk_tx *t, void *ctx)
{
    struct network_add *c = ctx;
    const struct venue *v = c->what;
    struct place_buf region = {"", "", ""};
    int rc = 0;
    if ((unsigned)v->category >= CAT_COUNT)
        return -ERR_INVALID_REQUEST;
    /* R22: a pop-up venue (region "") sits outside every region. */
    if (v->region[0]) {
        rc = place_in_scope(t, c->a, S_PLACE_REGION, v->region, &region, NULL, NULL);
    } else {
        const struct place p = {"", "", ""};
        rc = scope_check(c->a, &p);
    }
    if (rc == 0)
        rc = tx_exec(t, S_VENUE_ADD,
                     BK_ARGS(bk_text(v->id), bk_opt_text(v->region), bk_text(v->name),
                             bk_text(name_of(&venue_category_names, (int)v->category)),
                             bk_text(v->accessibility), bk_int(v->free_cloakroom)));
    if (rc == 0)
        rc = audit_add(t, c->a, "venue.add", "venue", v->id, region.region);
    return rc;
}

int store_venue_add(struct store *s, const struct actor *a, const struct venue *v)
{
    struct network_add c = {a, v};
    return store_write(s, venue_add_tx, &c);
}

int store_venue_get(struct store *s, const char *id, struct venue *out)
{
    return store_get_one(s, S_VENUE_GET, bk_text(id), ROW_VENUE, out, -ERR_NOT_FOUND);
}

static int venue_row(void *ctx, void *row)
{
    const struct list_to *l = ctx;
    return l->fn.venue(l->ctx, row);
}

int store_venue_list(struct store *s, const char *region, store_venue_fn fn, void *ctx)
{
    struct list_to l = {NULL, {.venue = fn}, ctx};
    struct venue v;
    return store_each(s, S_VENUE_LIST, BK_ARGS(bk_text(region ? region : "")), ROW_VENUE, &v,
                      venue_row, &l);
}

struct region_update {
    const struct actor *a;
    const char *id;
    const struct region_change *c;
    struct region *out;
};

static int region_update_tx(struct bk_tx *t, void *ctx)
{
    struct region_update *u = ctx;
    const struct place country = {"", "", ""}; /* as adding: national only */
    int rc = scope_check(u->a, &country);
    if (rc == 0)
        rc = tx_need(t, S_REGION_GET, BK_ARGS(bk_text(u->id)), ROW_REGION, u->out, -ERR_NOT_FOUND,
                     NULL, NULL);
    if (rc != 0)
        return rc;
    if (u->c->name)
        str_copy(u->out->name, sizeof u->out->name, u->c->name);
    if (u->c->set_pilot)
        u->out->pilot_ends_on = u->c->pilot_ends_on;
    int64_t one;
    rc = tx_need(t, S_REGION_UPDATE,
                 BK_ARGS(bk_text(u->id), bk_text(u->out->name), bk_opt_int(u->out->pilot_ends_on)),
                 ROW_ID, &one, -ERR_NOT_FOUND, NULL, NULL);
    if (rc == 0)
        rc = audit_add(t, u->a, u->c->set_pilot ? "region.pilot" : "region.update", "region", u->id,
                       u->id);
    return rc;
}

int store_region_update(struct store *s, const struct actor *a, const char *id,
                        const struct region_change *c, struct region *out)
{
    struct region scratch;
    struct region_update u = {a, id, c, out ? out : &scratch};
    return store_write(s, region_update_tx, &u);
}

struct unit_rename {
    const struct actor *a;
    const char *id, *name;
};

static int unit_rename_tx(struct bk_tx *t, void *ctx)
{
    struct unit_rename *u = ctx;
    struct place_buf place;
    int rc = place_in_scope(t, u->a, S_PLACE_UNIT, u->id, &place, NULL, NULL);
    int64_t one;
    if (rc == 0)
        rc = tx_need(t, S_UNIT_UPDATE, BK_ARGS(bk_text(u->id), bk_text(u->name)), ROW_ID, &one,
                     -ERR_NOT_FOUND, NULL, NULL);
    if (rc == 0)
        rc = audit_add(t, u->a, "unit.update", "unit", u->id, place.region);
    return rc;
}

int store_unit_rename(struct store *s, const struct actor *a, const char *id, const char *name)
{
    struct unit_rename u = {a, id, name};
    return store_write(s, unit_rename_tx, &u);
}
/* ---- a venue's details (R20) ---- */

struct venue_update {
    const struct actor *a;
    const char *id;
    const struct venue_patch *p;
    struct venue *v;
    struct error_details *d;
};

/* The venue's texts as the form reader checks any text: no identity data
 * (R10), bounded. */
static int venue_texts_check(const struct venue *v, struct error_details *d)
{
    const struct {
        const char *text, *field;
        size_t max;
    } texts[] = {{v->name, "name", NAME_MAX_BYTES},
                 {v->accessibility, "accessibility", TEXT_MAX_BYTES},
                 {v->accessibility_sv, "accessibility_sv", TEXT_MAX_BYTES},
                 {v->accessibility_en, "accessibility_en", TEXT_MAX_BYTES}};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        size_t n = strlen(texts[i].text);
        if ((i == 0 && n == 0) || n > texts[i].max)
            return error_field(d, ERR_INVALID_REQUEST, texts[i].field);
        int rc = identity_free_text_check(texts[i].text, texts[i].field, d);
        if (rc != 0)
            return rc;
    }
    return 0;
}

static int venue_update_tx(struct bk_tx *t, void *ctx)
{
    struct venue_update *c = ctx;
    const struct venue_patch *p = c->p;
    struct venue *v = c->v;
    struct place_buf place;
    int rc = place_in_scope(t, c->a, S_PLACE_VENUE, c->id, &place, c->d, NULL); /* R32 */
    if (rc == 0)
        rc = tx_need(t, S_VENUE_GET, BK_ARGS(bk_text(c->id)), ROW_VENUE, v, -ERR_NOT_FOUND, c->d,
                     NULL);
    /* R20: the staff keep the facts; name and category are the network's */
    if (rc == 0 && (p->set & (VP_NAME | VP_CATEGORY)) && c->a->role == ROLE_VENUE)
        rc = error_field(c->d, ERR_FORBIDDEN, p->set & VP_NAME ? "name" : "category");
    if (rc == 0 && (p->set & VP_CATEGORY) && (unsigned)p->v.category >= CAT_COUNT)
        rc = error_field(c->d, ERR_INVALID_REQUEST, "category");
    if (rc != 0)
        return rc;
    if (p->set & VP_NAME)
        str_copy(v->name, sizeof v->name, p->v.name);
    if (p->set & VP_CATEGORY)
        v->category = p->v.category;
    if (p->set & VP_ACCESSIBILITY)
        str_copy(v->accessibility, sizeof v->accessibility, p->v.accessibility);
    if (p->set & VP_ACCESSIBILITY_SV)
        str_copy(v->accessibility_sv, sizeof v->accessibility_sv, p->v.accessibility_sv);
    if (p->set & VP_ACCESSIBILITY_EN)
        str_copy(v->accessibility_en, sizeof v->accessibility_en, p->v.accessibility_en);
    if (p->set & VP_FREE_CLOAKROOM)
        v->free_cloakroom = p->v.free_cloakroom;
    if ((rc = venue_texts_check(v, c->d)) == 0)
        rc = tx_exec(t, S_VENUE_SET,
                     BK_ARGS(bk_text(v->id), bk_text(v->name),
                             bk_text(name_of(&venue_category_names, (int)v->category)),
                             bk_text(v->accessibility), bk_text(v->accessibility_sv),
                             bk_text(v->accessibility_en), bk_int(v->free_cloakroom)));
    if (rc == 0)
        rc = audit_add(t, c->a, "venue.update", "venue", v->id, place.region);
    return rc;
}

int store_venue_update(struct store *s, const struct actor *a, const char *id,
                       const struct venue_patch *p, struct venue *out, struct error_details *d)
{
    struct venue *v = malloc(sizeof *v); /* 6 KiB: off the stack */
    struct venue_update c = {a, id, p, v, d};
    int rc = v ? store_write(s, venue_update_tx, &c) : -ERR_UNAVAILABLE;
    if (rc == 0 && out)
        *out = *v;
    free(v);
    return rc;
}
