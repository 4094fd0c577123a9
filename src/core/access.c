/* Who may act where (R32), and the role gates of the audit trail (R34) and
 * the reports (R30, R31): decisions over places the store has loaded. */
#include <string.h>

#include "core/rules.h"

int scope_check(const struct actor *a, const struct place *p)
{
    return scope_allows(a, p) ? 0 : -ERR_FORBIDDEN;
}

int scope_check_user(const struct actor *a, const char *username, const struct place *p,
                     bool self_ok)
{
    if (self_ok && strcmp(a->user, username) == 0)
        return 0;
    return scope_check(a, p);
}

/* R32: the place a user's scope names, by role; national names none. */
static const struct role_scope role_scopes[ROLE_COUNT] = {
    [ROLE_NATIONAL] = {SCOPE_NONE, NULL},
    [ROLE_COORDINATOR] = {SCOPE_REGION, "region"},
    [ROLE_DISTRIBUTOR] = {SCOPE_UNIT, "unit"},
    [ROLE_VENUE] = {SCOPE_VENUE, "venue"},
};

const char *role_scope_field(enum role role)
{
    if ((unsigned)role >= ROLE_COUNT || !role_scopes[role].field)
        return "";
    return role_scopes[role].field;
}

int role_scope_of(enum role role, const char *scope, struct role_scope *out)
{
    if ((unsigned)role >= ROLE_COUNT)
        return -ERR_INVALID_REQUEST;
    *out = role_scopes[role];
    bool named = scope && scope[0];
    if (named != (out->kind != SCOPE_NONE))
        return -ERR_INVALID_REQUEST;
    return 0;
}

int audit_gate(const struct actor *a, const char **region)
{
    switch (a->role) {
    case ROLE_NATIONAL:
        *region = NULL; /* every row */
        return 0;
    case ROLE_COORDINATOR:
        *region = a->scope;
        return 0;
    default:
        *region = NULL;
        return -ERR_FORBIDDEN;
    }
}

int report_gate_national(const struct actor *a)
{
    return a->role == ROLE_NATIONAL ? 0 : -ERR_FORBIDDEN;
}

const char *use_list_venue(const struct actor *a, const char *venue)
{
    if (venue && venue[0])
        return venue;
    return a->role == ROLE_VENUE ? a->scope : NULL;
}

const char *use_list_region(const struct actor *a)
{
    return a->role == ROLE_COORDINATOR ? a->scope : NULL;
}
