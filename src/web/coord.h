/* The coordinator's pages (coord.c: units and venues; coord_users.c: users;
 * coord_stock.c: card stock and transfers; coord_reports.c: the reports;
 * coord_glance.c: the region at a glance) share this, and the national
 * pages the venue form (pop-up venues, R22). */
#ifndef KAIKU_WEB_COORD_H
#define KAIKU_WEB_COORD_H

#include <stdbool.h>
#include <stdint.h>

#include "store/store.h"
#include "web/net.h"

#define COORD_UNITS_MAX  200
#define COORD_VENUES_MAX 400

struct coord_units {
    struct unit list[COORD_UNITS_MAX];
    size_t n;
};

struct coord_venues {
    struct venue list[COORD_VENUES_MAX];
    size_t n;
};

/* The units and venues of the coordinator's region, by id. */
int coord_units(struct request *r, struct coord_units *out);
int coord_venues(struct request *r, struct coord_venues *out);
/* Store callbacks that collect into a struct coord_units / coord_venues. */
int coord_add_unit(void *ctx, const struct unit *u);
int coord_add_venue(void *ctx, const struct venue *v);
/* Codes a unit can still hand out; -1 when it cannot be read. */
int64_t coord_stock_left(struct request *r, const char *unit);
/* A venue category's name in the page's language. */
const char *coord_category(const struct page *p, enum venue_category c);

/* A form of an id and a name, as typed, with the words of each fault. */
struct id_name_view {
    const char *id, *name;
    const char *id_error, *name_error;
};

/* The venue form as typed. */
struct venue_view {
    struct id_name_view base;
    const char *category, *access;
    bool cloakroom;
    const char *category_error;
};

/* The venue form's fields (id, name, category, accessibility, cloakroom). */
void coord_venue_fields(struct page *p, const struct venue_view *v);
/* Its errors for page_error_summary (e holds at least 3). */
size_t coord_venue_errors(const struct venue_view *v, struct page_error *e);
/* Reads the venue form and adds the venue to region ("" a pop-up, R22):
 * 0 with *out added; 1 when refused with the words in *v; or an error. */
int coord_venue_add(struct request *r, const char *region, struct venue_view *v, struct venue *out);

#endif
