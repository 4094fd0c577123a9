/* Transfer states (R3) and scopes (R32). */
#include <string.h>

#include "core/rules.h"

int transfer_decide(enum transfer_status current, bool approve, enum transfer_status *next)
{
    if (current != TRANSFER_REQUESTED)
        return -ERR_TRANSFER_NOT_PENDING;
    *next = approve ? TRANSFER_APPROVED : TRANSFER_REJECTED;
    return 0;
}

static bool same(const char *scope, const char *id)
{
    return id && *id && strcmp(scope, id) == 0;
}

bool scope_allows(const struct actor *a, const struct place *p)
{
    switch (a->role) {
    case ROLE_NATIONAL:
        return true;
    case ROLE_COORDINATOR:
        return same(a->scope, p->region);
    case ROLE_DISTRIBUTOR:
        return same(a->scope, p->unit);
    case ROLE_VENUE:
        return same(a->scope, p->venue);
    default:
        return false;
    }
}
