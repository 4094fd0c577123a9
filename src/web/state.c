/* The per-session page state of state.h: a direct-mapped table under one
 * lock, slots chosen by the session digest and the family. */
#include "web/state.h"

#include <pthread.h>
#include <sodium.h>
#include <string.h>

#include "http/session.h"
#include "util/strutil.h"

#define FAMILY_MAX 16

struct slot {
    uint8_t digest[SECRET_DIGEST_BYTES];
    char family[FAMILY_MAX];
    int64_t until; /* 0: empty */
    unsigned char data[WEB_STATE_BYTES];
};

static struct slot slots[WEB_STATE_SLOTS];
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;

static struct slot *slot_of(const struct request *r, const char *family)
{
    uint32_t h;
    memcpy(&h, r->session_hash, sizeof h);
    for (const char *p = family; *p; p++)
        h = h * 31u + (unsigned char)*p;
    return &slots[h % WEB_STATE_SLOTS];
}

static bool same(const struct slot *s, const struct request *r, const char *family)
{
    return sodium_memcmp(s->digest, r->session_hash, SECRET_DIGEST_BYTES) == 0 &&
           strncmp(s->family, family, FAMILY_MAX) == 0;
}

bool web_state_load(const struct request *r, const char *family, void *out, size_t n)
{
    memset(out, 0, n);
    if (!r->has_session || n > WEB_STATE_BYTES)
        return false;
    bool found = false;
    pthread_mutex_lock(&mu);
    struct slot *s = slot_of(r, family);
    if (s->until > r->actor.now && same(s, r, family)) {
        memcpy(out, s->data, n);
        found = true;
    }
    pthread_mutex_unlock(&mu);
    return found;
}

void web_state_save(const struct request *r, const char *family, const void *in, size_t n)
{
    if (!r->has_session || n > WEB_STATE_BYTES)
        return;
    pthread_mutex_lock(&mu);
    struct slot *s = slot_of(r, family);
    memcpy(s->digest, r->session_hash, SECRET_DIGEST_BYTES);
    memset(s->family, 0, FAMILY_MAX);
    str_copy(s->family, FAMILY_MAX, family);
    s->until = r->actor.now + SESSION_TTL;
    memset(s->data, 0, WEB_STATE_BYTES);
    memcpy(s->data, in, n);
    pthread_mutex_unlock(&mu);
}
