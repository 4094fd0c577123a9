/* Handouts (R9–R14). Values of the background form are carried into
 * struct handout as given, and core's handout_validate decides in its order
 * (R11's birth year before the age, and so on); a community handout needs
 * only the card and the date (R9). */
#include <string.h>

#include "api/api.h"
#include "core/rules.h"
#include "http/json.h"
#include "store/store.h"
#include "util/date.h"
#include "util/strutil.h"

/* Invalid on purpose, so that core reports the field in its order. */
#define LANG_INVALID   "?"
#define POSTAL_INVALID "?"

static int read_form(struct request *r, struct handout *h)
{
    int rc;
    int64_t year = 0;
    const char *s;
    if ((rc = field_int(r, "birth_year", 0, INT32_MIN, INT32_MAX, &year)) < 0)
        return rc;
    h->birth_year = (int)year;

    if ((rc = field_text(r, "mother_tongue", FIELD_EMPTY_OK, 64, &s)) < 0)
        return rc;
    if (s && strlen(s) < sizeof h->mother_tongue)
        str_copy(h->mother_tongue, sizeof h->mother_tongue, s);
    else
        str_copy(h->mother_tongue, sizeof h->mother_tongue, LANG_INVALID);

    if ((rc = field_text(r, "gender", FIELD_EMPTY_OK, 64, &s)) < 0)
        return rc;
    int g = s ? name_lookup(&gender_names, s) : -1;
    h->gender = g >= 0 ? (enum gender)g : GENDER_COUNT;

    if ((rc = field_text(r, "postal_code", FIELD_EMPTY_OK, 64, &s)) < 0)
        return rc;
    str_copy(h->postal_code, sizeof h->postal_code,
             s && strlen(s) < sizeof h->postal_code ? s : POSTAL_INVALID);

    const char **items = NULL;
    size_t n = 0;
    /* An empty list is core's to refuse (at least one, in its order). */
    if ((rc = field_texts(r, "life_situation", FIELD_EMPTY_OK, LIFE_COUNT * 2, &items, &n)) < 0)
        return rc;
    for (size_t i = 0; i < n; i++) {
        int v = name_lookup(&life_situation_names, items[i]);
        h->life_situations |= v >= 0 ? 1u << v : 1u << LIFE_COUNT;
    }
    return 0;
}

int api_handouts_create(struct request *r)
{
    struct handout h = {0};
    int rc;
    if ((rc = api_field_card(r, "card", FIELD_REQUIRED, h.card)) < 0)
        return rc;
    h.handed_out_on = hki_day(r->actor.now); /* defaults to today */
    if ((rc = field_date(r, "handed_out_on", FIELD_NULLABLE, &h.handed_out_on)) < 0 ||
        (rc = api_field_card(r, "renews", FIELD_NULLABLE, h.renews)) < 0)
        return rc;
    if ((rc = read_form(r, &h)) < 0)
        return rc;

    struct card c;
    if ((rc = store_handout_record(r->store, &r->actor, &h, &c, &r->details)) != 0)
        return rc;
    json_t *o = json_pack("{s:s, s:s, s:o, s:o}", "card", c.code, "kind",
                          name_of(&card_kind_names, (int)c.kind), "handed_out_on",
                          jw_date(c.handed_out_on), "valid_until", jw_date(c.valid_until));
    return reply_json(r, 201, o);
}
