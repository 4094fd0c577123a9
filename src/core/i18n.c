/* The catalogues (R36): a reader of the GNU .mo files that msgfmt compiled
 * from po/LANG.po and the build embedded (see i18n.h). The format: a header
 * of 32-bit words (magic, revision, N, offset of the originals' table, offset
 * of the translations' table), then two tables of N (length, offset) pairs
 * whose strings end in NUL; the originals are sorted bytewise, so a key is
 * found by binary search. Every offset is checked against the size on each
 * access, so a damaged catalogue yields "not found", never a wild read. */
#include "core/i18n.h"

#include <stdbool.h>
#include <string.h>

#include "core/error.h"

#define MO_MAGIC       0x950412deu
#define MO_HEADER_SIZE 28u /* magic … hash table offset: seven words */

struct mo_view {
    bool swap; /* written on a machine of the other byte order */
    uint32_t count;
    uint32_t originals;
    uint32_t translations;
};

static uint32_t swap32(uint32_t v)
{
    return (v >> 24) | ((v >> 8) & 0xff00u) | ((v << 8) & 0xff0000u) | (v << 24);
}

/* The word at off; the caller has checked that off + 4 <= size. */
static uint32_t word(const struct i18n_mo *mo, size_t off, bool swap)
{
    uint32_t v;
    memcpy(&v, mo->data + off, sizeof v);
    return swap ? swap32(v) : v;
}

static bool mo_open(const struct i18n_mo *mo, struct mo_view *v)
{
    if (!mo || !mo->data || mo->size < MO_HEADER_SIZE)
        return false;
    uint32_t magic = word(mo, 0, false);
    if (magic != MO_MAGIC && magic != swap32(MO_MAGIC))
        return false;
    v->swap = magic != MO_MAGIC;
    if (word(mo, 4, v->swap) >> 16 != 0) /* major revision 0: no system-dependent strings */
        return false;
    v->count = word(mo, 8, v->swap);
    v->originals = word(mo, 12, v->swap);
    v->translations = word(mo, 16, v->swap);
    size_t table = (size_t)v->count * 8;
    return v->count <= mo->size / 8 && v->originals <= mo->size - table &&
           v->translations <= mo->size - table;
}

/* String i of the table at offset table, and its length in *len (a plural
 * entry's forms are NUL-separated inside it); NULL when it does not lie
 * inside the file or does not end in NUL. */
static const char *mo_entry(const struct i18n_mo *mo, const struct mo_view *v, uint32_t table,
                            uint32_t i, uint32_t *len)
{
    size_t at = (size_t)table + (size_t)i * 8;
    uint32_t n = word(mo, at, v->swap), off = word(mo, at + 4, v->swap);
    if (off >= mo->size || n >= mo->size - off || mo->data[off + n] != '\0')
        return NULL;
    *len = n;
    return (const char *)mo->data + off;
}

static const char *mo_string(const struct i18n_mo *mo, const struct mo_view *v, uint32_t table,
                             uint32_t i)
{
    uint32_t len;
    return mo_entry(mo, v, table, i, &len);
}

int i18n_mo_check(const struct i18n_mo *mo)
{
    struct mo_view v;
    if (!mo_open(mo, &v))
        return -ERR_INTERNAL;
    const char *previous = NULL;
    for (uint32_t i = 0; i < v.count; i++) {
        const char *key = mo_string(mo, &v, v.originals, i);
        if (!key || !mo_string(mo, &v, v.translations, i) ||
            (previous && strcmp(previous, key) >= 0))
            return -ERR_INTERNAL;
        previous = key;
    }
    return 0;
}

size_t i18n_mo_count(const struct i18n_mo *mo)
{
    struct mo_view v;
    return mo_open(mo, &v) ? v.count : 0;
}

const char *i18n_mo_key(const struct i18n_mo *mo, size_t i)
{
    struct mo_view v;
    if (!mo_open(mo, &v) || i >= v.count)
        return NULL;
    return mo_string(mo, &v, v.originals, (uint32_t)i);
}

/* The index of key's entry in mo (opened as v); -1 when there is none. A
 * plural entry's original is "key\0key_plural": strcmp stops at the first
 * NUL, so the search finds it by its key. */
static int64_t mo_index(const struct i18n_mo *mo, const struct mo_view *v, const char *key)
{
    uint32_t lo = 0, hi = v->count;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        const char *k = mo_string(mo, v, v->originals, mid);
        if (!k)
            return -1;
        int c = strcmp(key, k);
        if (c == 0)
            return mid;
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return -1;
}

/* The translation of key with its length (all forms of a plural entry);
 * NULL when mo has none. */
static const char *mo_lookup(const struct i18n_mo *mo, const char *key, uint32_t *len)
{
    struct mo_view v;
    int64_t i;
    if (!key || !mo_open(mo, &v) || (i = mo_index(mo, &v, key)) < 0)
        return NULL;
    return mo_entry(mo, &v, v.translations, (uint32_t)i, len);
}

const char *i18n_mo_find(const struct i18n_mo *mo, const char *key)
{
    uint32_t len;
    return mo_lookup(mo, key, &len);
}

const char *i18n_mo_find_form(const struct i18n_mo *mo, const char *key, unsigned form,
                              unsigned *forms)
{
    uint32_t len;
    const char *t = mo_lookup(mo, key, &len);
    const char *chosen = NULL;
    unsigned n = 0;
    if (t) /* the forms: NUL-separated, the last ending at t[len] */
        for (uint32_t at = 0; at <= len; at += (uint32_t)strlen(t + at) + 1, n++)
            if (n == form)
                chosen = t + at;
    if (forms)
        *forms = n;
    return chosen;
}

int i18n_mo_plural(const struct i18n_mo *mo, const char *key)
{
    struct mo_view v;
    int64_t i;
    uint32_t len;
    if (!key || !mo_open(mo, &v) || (i = mo_index(mo, &v, key)) < 0)
        return -1;
    const char *k = mo_entry(mo, &v, v.originals, (uint32_t)i, &len);
    return k && strlen(k) < len ? 1 : 0;
}

const char *i18n_text(enum lang lang, const char *key)
{
    const char *t = NULL;
    if ((unsigned)lang < LANG_COUNT)
        t = i18n_mo_find(&i18n_catalogues[lang], key);
    if (!t && lang != LANG_EN)
        t = i18n_mo_find(&i18n_catalogues[LANG_EN], key);
    return t ? t : key;
}

const char *i18n_tag(enum lang lang)
{
    static const char *const tags[LANG_COUNT] = {
        [LANG_FI] = "fi", [LANG_SV] = "sv", [LANG_EN] = "en"};
    return (unsigned)lang < LANG_COUNT ? tags[lang] : tags[LANG_EN];
}
