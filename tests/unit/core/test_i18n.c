/* core/i18n.c: the translation catalogues (R36). The key test: every key the
 * code may ask for (from the modules' own tables: the error X-macro list, the
 * report labels …) has a translation in fi, sv and en, none is empty or fuzzy,
 * and no catalogue holds a key the code never asks for. The same check runs
 * over deliberately broken sample catalogues (tests/unit/core/i18n/) to show
 * that it catches each fault. Also the .mo reader against damaged files. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/i18n.h"
#include "core/report.h"
#include "import/import.h"
#include "web/public.h"
#include "web/web.h"

/* Every module whose texts are in the catalogues. A new module (the web
 * pages' texts …) adds its key set here. */
static const struct i18n_keys *const code_keys[] = {
    &error_keys, &report_label_keys, &web_layout_keys, &web_auth_keys, &web_boxoffice_keys,
    &web_public_keys, &web_desk_keys,
    /* the coordinator's and the national pages */
    &web_net_keys, &web_coord_keys, &web_coord_stock_keys, &web_coord_reports_keys,
    &web_national_keys, &web_coord_glance_keys,
    /* the venue's pages */
    &web_venue_keys, &web_venue_events_keys, &web_venue_uses_keys, &web_venue_admin_keys,
    &web_venue_report_keys, &web_venue_series_keys,
    /* imports */
    &import_keys, &web_import_keys};

struct findings {
    int damaged;      /* not a well-formed .mo file */
    int missing;      /* a key the code asks for is not in the .po */
    int untranslated; /* … is in it, with an empty or fuzzy translation */
    int unused;       /* the .po holds a key the code never asks for */
};

static bool in_sets(const struct i18n_keys *const *sets, size_t n, const char *key)
{
    for (size_t s = 0; s < n; s++)
        for (size_t i = 0; i < sets[s]->count; i++)
            if (strcmp(sets[s]->keys[i], key) == 0)
                return true;
    return false;
}

/* translated: the catalogue as msgfmt compiles it for use (empty and fuzzy
 * translations left out); all: every entry of the same .po (msgen, then
 * msgfmt --use-fuzzy), so that unused keys are found whatever their state. */
static struct findings check_catalogue(const char *name, const struct i18n_mo *translated,
                                       const struct i18n_mo *all,
                                       const struct i18n_keys *const *sets, size_t nsets)
{
    struct findings f = {0};
    if (i18n_mo_check(translated) != 0 || i18n_mo_check(all) != 0) {
        print_message("%s: not a well-formed catalogue\n", name);
        f.damaged = 1;
        return f;
    }
    for (size_t s = 0; s < nsets; s++)
        for (size_t i = 0; i < sets[s]->count; i++) {
            const char *key = sets[s]->keys[i];
            if (i18n_mo_find(translated, key))
                continue;
            bool there = i18n_mo_find(all, key) != NULL;
            print_message("%s: %s is %s\n", name, key, there ? "untranslated or fuzzy" : "missing");
            if (there)
                f.untranslated++;
            else
                f.missing++;
        }
    for (size_t i = 0; i < i18n_mo_count(all); i++) {
        const char *key = i18n_mo_key(all, i);
        if (key[0] != '\0' && !in_sets(sets, nsets, key)) { /* "" is the header */
            print_message("%s: %s is not used by the code\n", name, key);
            f.unused++;
        }
    }
    return f;
}

/* The counted sentences: every key of `plural` is a plural entry of the
 * catalogue with exactly the number of forms its header's Plural-Forms
 * names, each translated (msgfmt keeps an entry whose msgstr[1] is empty;
 * the page would print nothing); and no entry outside `plural` is plural
 * (the code would only ever show its first form). Returns the faults. */
static int check_plurals(const char *name, const struct i18n_mo *translated,
                         const struct i18n_mo *all, const struct i18n_keys *plural)
{
    int faults = 0;
    unsigned nplurals, form;
    if (i18n_plural_form(i18n_mo_find(translated, ""), 1, &nplurals, &form) != 0) {
        print_message("%s: the header has no Plural-Forms that can be read\n", name);
        return 1;
    }
    for (size_t i = 0; i < plural->count; i++) {
        const char *key = plural->keys[i];
        unsigned forms = 0;
        if (i18n_mo_plural(all, key) != 1) {
            print_message("%s: %s is counted but has no plural forms\n", name, key);
            faults++;
            continue;
        }
        (void)i18n_mo_find_form(translated, key, 0, &forms);
        bool complete = forms == nplurals;
        for (unsigned f = 0; complete && f < forms; f++)
            complete = i18n_mo_find_form(translated, key, f, NULL)[0] != '\0';
        if (!complete) {
            print_message("%s: %s has %u forms of %u, or an empty one\n", name, key, forms,
                          nplurals);
            faults++;
        }
    }
    for (size_t i = 0; i < i18n_mo_count(all); i++) {
        const char *key = i18n_mo_key(all, i);
        if (i18n_mo_plural(all, key) == 1 && !in_sets(&plural, 1, key)) {
            print_message("%s: %s is plural but never counted\n", name, key);
            faults++;
        }
    }
    return faults;
}

/* The file's bytes in out; returns them for the caller to free. Fails the
 * test when the file cannot be read. */
static unsigned char *read_mo(const char *name, struct i18n_mo *out)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", KAIKU_I18N_DIR, name);
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("cannot open %s (built by CMake's i18n_test_catalogues)", path);
    unsigned char *data = malloc(1 << 20);
    assert_non_null(data);
    size_t n = fread(data, 1, 1 << 20, f);
    fclose(f);
    *out = (struct i18n_mo){data, n};
    return data;
}

/* R36: the real catalogues, as embedded in the binary. */
static void test_catalogues_complete_R36(void **state)
{
    (void)state;
    size_t keys = 0;
    for (size_t s = 0; s < ARRAY_LEN(code_keys); s++) {
        keys += code_keys[s]->count;
        assert_true(code_keys[s]->count > 0);
    }
    for (int l = 0; l < LANG_COUNT; l++) {
        char name[16], header[32];
        snprintf(name, sizeof name, "%s.all.mo", i18n_tag((enum lang)l));
        struct i18n_mo all;
        unsigned char *bytes = read_mo(name, &all);
        const struct i18n_mo *mo = &i18n_catalogues[l];
        struct findings f = check_catalogue(name, mo, &all, code_keys, ARRAY_LEN(code_keys));
        assert_int_equal(f.damaged, 0);
        assert_int_equal(f.missing, 0);
        assert_int_equal(f.untranslated, 0);
        assert_int_equal(f.unused, 0);
        assert_int_equal(check_plurals(name, mo, &all, &web_plural_keys), 0);
        /* the header and exactly the code's keys, each once */
        assert_int_equal(i18n_mo_count(mo), keys + 1);
        /* the right file in the right place */
        snprintf(header, sizeof header, "Language: %s\n", i18n_tag((enum lang)l));
        assert_non_null(strstr(i18n_mo_find(mo, ""), header));
        free(bytes);
    }
}

/* Each fault a translator can make, in a small sample catalogue whose keys
 * are sample.one, .two and .three: the check must see exactly it. */
static void test_broken_samples_are_caught(void **state)
{
    (void)state;
    static const char *const sample_list[] = {"sample.one", "sample.two", "sample.three"};
    static const struct i18n_keys sample_keys = {sample_list, ARRAY_LEN(sample_list)};
    static const struct i18n_keys *const sets[] = {&sample_keys};
    static const struct {
        const char *sample;
        struct findings expected;
    } cases[] = {
        {"good", {0, 0, 0, 0}},
        {"missing", {.missing = 1}},
        {"untranslated", {.untranslated = 1}},
        {"fuzzy", {.untranslated = 1}},
        {"unused", {.unused = 1}},
        {"unused_untranslated", {.unused = 1}},
        {"unused_fuzzy", {.unused = 1}},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        char name[64];
        struct i18n_mo mo, all;
        snprintf(name, sizeof name, "sample-%s.mo", cases[i].sample);
        unsigned char *mo_bytes = read_mo(name, &mo);
        snprintf(name, sizeof name, "sample-%s.all.mo", cases[i].sample);
        unsigned char *all_bytes = read_mo(name, &all);
        struct findings f = check_catalogue(cases[i].sample, &mo, &all, sets, 1);
        print_message("%s: %d %d %d %d\n", cases[i].sample, f.damaged, f.missing, f.untranslated,
                      f.unused);
        assert_int_equal(f.damaged, cases[i].expected.damaged);
        assert_int_equal(f.missing, cases[i].expected.missing);
        assert_int_equal(f.untranslated, cases[i].expected.untranslated);
        assert_int_equal(f.unused, cases[i].expected.unused);
        free(mo_bytes);
        free(all_bytes);
    }
}

/* Each fault of a counted sentence, in a sample whose counted key is
 * sample.count: the plural check must see exactly it. */
static void test_plural_samples_are_caught(void **state)
{
    (void)state;
    static const char *const counted[] = {"sample.count"};
    static const struct i18n_keys plural = {counted, ARRAY_LEN(counted)};
    static const struct {
        const char *sample;
        int faults;
    } cases[] = {
        {"plural_good", 0},       /* both forms */
        {"plural_incomplete", 1}, /* msgstr[1] "" */
        {"plural_singular", 1},   /* no msgid_plural */
        {"plural_unexpected", 1}, /* sample.one plural, never counted */
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        char name[64];
        struct i18n_mo mo, all;
        snprintf(name, sizeof name, "sample-%s.mo", cases[i].sample);
        unsigned char *mo_bytes = read_mo(name, &mo);
        snprintf(name, sizeof name, "sample-%s.all.mo", cases[i].sample);
        unsigned char *all_bytes = read_mo(name, &all);
        print_message("%s\n", cases[i].sample);
        assert_int_equal(check_plurals(cases[i].sample, &mo, &all, &plural), cases[i].faults);
        free(mo_bytes);
        free(all_bytes);
    }
}

/* Texts come out exactly as the catalogues hold them; a gap falls back to
 * English, then to the key itself. */
static void test_text_lookup_R36(void **state)
{
    (void)state;
    static const struct {
        enum lang lang;
        const char *key;
        const char *text;
    } cases[] = {
        {LANG_FI, "error.cap_reached", "Kaikukortin liput tähän tapahtumaan on käytetty."},
        {LANG_SV, "error.cap_reached", "Kaikukortti-biljetterna till evenemanget är slut."},
        {LANG_EN, "error.cap_reached", "The Kaikukortti tickets of this event are used up."},
        {LANG_FI, "report.heading.total", "Yhteensä"},
        {LANG_SV, "report.heading.child", "Biljett för barn (under 16 år)"},
        {LANG_EN, "report.heading.used_once", "Cards used at least once"},
        {LANG_FI, "error.ok", "OK"},
        /* the first and the last key in sorted order */
        {LANG_EN, "error.already_exists", "It already exists."},
        {LANG_SV, "report.heading.valid_now", "Giltiga nu"},
        /* not in any catalogue: the key itself, so that a gap shows */
        {LANG_FI, "no.such.key", "no.such.key"},
        {LANG_EN, "error.", "error."},
        {LANG_SV, "report.heading.total.", "report.heading.total."},
        {LANG_FI, "a", "a"},
        {LANG_FI, "zzz", "zzz"},
        /* out of range: English */
        {(enum lang)LANG_COUNT, "error.not_found", "Not found."},
        {(enum lang) - 1, "error.not_found", "Not found."},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        print_message("%d %s\n", (int)cases[i].lang, cases[i].key);
        assert_string_equal(i18n_text(cases[i].lang, cases[i].key), cases[i].text);
    }
    assert_string_equal(i18n_tag(LANG_FI), "fi");
    assert_string_equal(i18n_tag(LANG_SV), "sv");
    assert_string_equal(i18n_tag(LANG_EN), "en");
    assert_string_equal(i18n_tag((enum lang)7), "en");
}

static void put32(unsigned char *p, uint32_t v)
{
    memcpy(p, &v, sizeof v);
}

static uint32_t get32(const unsigned char *p)
{
    uint32_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

/* A damaged .mo file is refused by the check and read as "not found",
 * never past its end; one of the other byte order reads alike. */
static void test_mo_reader_damaged(void **state)
{
    (void)state;
    const struct i18n_mo *en = &i18n_catalogues[LANG_EN];
    size_t size = en->size;
    unsigned char *copy = malloc(size);
    assert_non_null(copy);
    uint32_t n = get32(en->data + 8), originals = get32(en->data + 12);
    enum damage { NONE, MAGIC, REVISION, COUNT, TABLE, OFFSET, LENGTH, NO_NUL, UNSORTED, SHORT };
    static const struct {
        enum damage damage;
        bool ok;
    } cases[] = {
        {NONE, true},    {MAGIC, false},  {REVISION, false}, {COUNT, false},    {TABLE, false},
        {OFFSET, false}, {LENGTH, false}, {NO_NUL, false},   {UNSORTED, false}, {SHORT, false},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        memcpy(copy, en->data, size);
        struct i18n_mo mo = {copy, size};
        unsigned char *entry1 = copy + originals + 8; /* the first key after the header */
        switch (cases[i].damage) {
        case NONE:
            break;
        case MAGIC:
            copy[0] ^= 1;
            break;
        case REVISION:
            put32(copy + 4, 1u << 16);
            break;
        case COUNT:
            put32(copy + 8, 0x7fffffffu);
            break;
        case TABLE:
            put32(copy + 12, (uint32_t)size - 4);
            break;
        case OFFSET:
            put32(entry1 + 4, (uint32_t)size);
            break;
        case LENGTH:
            put32(entry1, (uint32_t)size);
            break;
        case NO_NUL:
            copy[get32(entry1 + 4) + get32(entry1)] = 'x';
            break;
        case UNSORTED: { /* swap the first two keys' entries */
            unsigned char tmp[8];
            memcpy(tmp, entry1, 8);
            memcpy(entry1, entry1 + 8, 8);
            memcpy(entry1 + 8, tmp, 8);
            break;
        }
        case SHORT:
            mo.size = 20;
            break;
        }
        print_message("damage %d\n", (int)cases[i].damage);
        assert_int_equal(i18n_mo_check(&mo) == 0, cases[i].ok);
        /* never a crash, and a find never returns a string from outside */
        const char *t = i18n_mo_find(&mo, "error.not_found");
        if (cases[i].ok)
            assert_string_equal(t, "Not found.");
        else if (t)
            assert_true(t >= (const char *)copy && t < (const char *)copy + size);
        for (size_t k = 0; k < i18n_mo_count(&mo) && k < n; k++)
            (void)i18n_mo_key(&mo, k);
    }
    struct i18n_mo none = {NULL, 0};
    assert_int_not_equal(i18n_mo_check(&none), 0);
    assert_null(i18n_mo_find(&none, "error.ok"));
    assert_int_equal(i18n_mo_count(&none), 0);
    assert_null(i18n_mo_key(&none, 0));
    assert_null(i18n_mo_key(en, n));

    /* The other byte order: every word of the header and both tables swapped. */
    memcpy(copy, en->data, size);
    uint32_t translations = get32(en->data + 16);
    for (uint32_t w = 0; w < 7; w++)
        put32(copy + 4 * w, __builtin_bswap32(get32(en->data + 4 * w)));
    for (uint32_t w = 0; w < 2 * n; w++) {
        put32(copy + originals + 4 * w, __builtin_bswap32(get32(en->data + originals + 4 * w)));
        put32(copy + translations + 4 * w,
              __builtin_bswap32(get32(en->data + translations + 4 * w)));
    }
    struct i18n_mo swapped = {copy, size};
    assert_int_equal(i18n_mo_check(&swapped), 0);
    assert_int_equal(i18n_mo_count(&swapped), n);
    assert_string_equal(i18n_mo_find(&swapped, "error.cap_reached"),
                        "The Kaikukortti tickets of this event are used up.");
    free(copy);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_catalogues_complete_R36),
        cmocka_unit_test(test_broken_samples_are_caught),
        cmocka_unit_test(test_plural_samples_are_caught),
        cmocka_unit_test(test_text_lookup_R36),
        cmocka_unit_test(test_mo_reader_damaged),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
