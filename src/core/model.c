#include "core/model.h"

#include <string.h>

#define TABLE(var, ...)                                    \
    static const char *const var##_list[] = {__VA_ARGS__}; \
    const struct name_table var = {var##_list, (int)(sizeof var##_list / sizeof var##_list[0])}

TABLE(role_names, "national", "coordinator", "distributor", "venue");
TABLE(card_kind_names, "personal", "community");
TABLE(card_status_names, "not_issued", "valid", "expired", "cancelled");
TABLE(gender_names, "female", "male", "other", "not_told");
TABLE(life_situation_names, "unemployed", "retired", "student", "single_parent",
      "long_term_illness", "disability", "low_income_working", "debt", "other");
TABLE(event_kind_names, "performance", "course", "day_ticket", "daily");
TABLE(channel_names, "box_office", "phone", "ticket_agency", "paper");
TABLE(venue_category_names, "theatre", "music", "museum", "cinema", "festival", "dance", "circus",
      "library", "adult_education", "sports", "swimming", "other");
TABLE(transfer_status_names, "requested", "approved", "rejected");

int name_lookup(const struct name_table *t, const char *name)
{
    for (int i = 0; i < t->count; i++)
        if (strcmp(t->names[i], name) == 0)
            return i;
    return -1;
}

const char *name_of(const struct name_table *t, int value)
{
    return value >= 0 && value < t->count ? t->names[value] : "";
}
