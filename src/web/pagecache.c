/* The kept pages of pagecache.h: a direct-mapped table, a lock per slot,
 * slots chosen by the session digest and the family (as state.c chooses). A
 * slot owns one malloc'd page, grown as needed and never shrunk, so a busy
 * session's reloads allocate nothing but the reply's copy. */
#include "web/pagecache.h"

#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "web/web.h"

#define FAMILY_MAX 16

struct slot {
    pthread_mutex_t mu;
    bool used;
    uint8_t digest[SECRET_DIGEST_BYTES];
    char family[FAMILY_MAX];
    enum lang lang;
    int32_t day;
    uint64_t generation;
    size_t state_len;
    unsigned char state[PAGE_CACHE_STATE_MAX];
    char *page; /* len bytes kept, room for cap */
    size_t len, cap;
    size_t token_at; /* where the token is; SIZE_MAX: none */
};

static struct slot slots[PAGE_CACHE_SLOTS];
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void init_slots(void)
{
    for (size_t i = 0; i < PAGE_CACHE_SLOTS; i++)
        pthread_mutex_init(&slots[i].mu, NULL);
}

static struct slot *slot_of(const struct request *r, const char *family)
{
    pthread_once(&once, init_slots);
    uint32_t h;
    memcpy(&h, r->session_hash, sizeof h);
    for (const char *p = family; *p; p++)
        h = h * 31u + (unsigned char)*p;
    return &slots[h % PAGE_CACHE_SLOTS];
}

/* Under s->mu. */
static bool same(const struct slot *s, const struct request *r, const struct page_memo *m)
{
    return s->used && s->generation == m->generation && s->day == m->day && s->lang == m->lang &&
           s->state_len == m->state_len && strncmp(s->family, m->family, FAMILY_MAX) == 0 &&
           sodium_memcmp(s->digest, r->session_hash, SECRET_DIGEST_BYTES) == 0 &&
           memcmp(s->state, m->state, m->state_len) == 0;
}

static bool cacheable(const struct request *r, const struct page_memo *m)
{
    return r->has_session && m->state_len <= PAGE_CACHE_STATE_MAX && strlen(m->family) < FAMILY_MAX;
}

/* A fresh token for a reused page: 32 bytes of the OS's randomness as
 * secret_token() makes them, but drawn from a batch fetched once per
 * TOKEN_BATCH tokens per thread, since a getrandom call was a third of the
 * system calls of a kept page (one recvfrom, one sendmsg, one getrandom).
 * The bytes handed out are wiped from the batch. */
#define TOKEN_BATCH 32
static void fresh_token(char out[SECRET_TOKEN_LEN + 1])
{
    static _Thread_local unsigned char batch[TOKEN_BATCH][32];
    static _Thread_local size_t left;
    if (left == 0) {
        randombytes_buf(batch, sizeof batch);
        left = TOKEN_BATCH;
    }
    unsigned char *raw = batch[--left];
    sodium_bin2base64(out, SECRET_TOKEN_LEN + 1, raw, 32, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(raw, 32);
}

/* Where the n bytes of token are in page; NULL when nowhere. */
static const char *find(const char *page, size_t len, const char *token, size_t n)
{
    for (const char *at = page; len >= n && (size_t)(at - page) <= len - n; at++) {
        at = memchr(at, token[0], len - n + 1 - (size_t)(at - page));
        if (!at)
            return NULL;
        if (memcmp(at, token, n) == 0)
            return at;
    }
    return NULL;
}

bool page_cache_reply(struct request *r, const struct page_memo *m)
{
    if (!cacheable(r, m))
        return false;
    struct slot *s = slot_of(r, m->family);
    char *copy = NULL;
    size_t len = 0, token_at = SIZE_MAX;
    pthread_mutex_lock(&s->mu);
    if (same(s, r, m) && (copy = malloc(s->len)) != NULL) {
        memcpy(copy, s->page, s->len);
        len = s->len;
        token_at = s->token_at;
    }
    pthread_mutex_unlock(&s->mu);
    if (!copy)
        return false;
    if (token_at != SIZE_MAX) {
        char token[SECRET_TOKEN_LEN + 1];
        fresh_token(token);
        memcpy(copy + token_at, token, SECRET_TOKEN_LEN);
    }
    if (web_security_headers(r) != 0) {
        free(copy);
        return false;
    }
    return reply_bytes(r, 200, "text/html; charset=utf-8", copy, len) == 0;
}

void page_cache_keep(const struct request *r, const struct page_memo *m, const char *token)
{
    if (!cacheable(r, m) || r->status != 200 || !r->reply || r->reply_len > PAGE_CACHE_PAGE_MAX)
        return;
    size_t token_at = SIZE_MAX;
    if (token) {
        const char *at = find(r->reply, r->reply_len, token, SECRET_TOKEN_LEN);
        if (!at) /* the token is not where a reuse could replace it */
            return;
        token_at = (size_t)(at - r->reply);
    }
    struct slot *s = slot_of(r, m->family);
    pthread_mutex_lock(&s->mu);
    if (s->cap < r->reply_len) {
        char *grown = realloc(s->page, r->reply_len);
        if (!grown) {
            s->used = false;
            pthread_mutex_unlock(&s->mu);
            return;
        }
        s->page = grown;
        s->cap = r->reply_len;
    }
    memcpy(s->page, r->reply, r->reply_len);
    s->len = r->reply_len;
    s->token_at = token_at;
    memcpy(s->digest, r->session_hash, SECRET_DIGEST_BYTES);
    memset(s->family, 0, FAMILY_MAX);
    memcpy(s->family, m->family, strlen(m->family));
    s->lang = m->lang;
    s->day = m->day;
    s->generation = m->generation;
    s->state_len = m->state_len;
    memcpy(s->state, m->state, m->state_len);
    s->used = true;
    pthread_mutex_unlock(&s->mu);
}

void page_cache_clear(void)
{
    pthread_once(&once, init_slots);
    for (size_t i = 0; i < PAGE_CACHE_SLOTS; i++) {
        struct slot *s = &slots[i];
        pthread_mutex_lock(&s->mu);
        free(s->page);
        s->page = NULL;
        s->len = s->cap = 0;
        s->used = false;
        pthread_mutex_unlock(&s->mu);
    }
}
