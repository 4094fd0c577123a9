/* Translations (R36): one gettext catalogue per language (po/fi.po, sv.po,
 * en.po), compiled and checked by msgfmt at build time and embedded in the
 * binary as .mo bytes (cmake/embed_catalogues.cmake); texts looked up by a
 * symbolic key such as "error.cap_reached". Also the choice of a reply's
 * language (cookie, Accept-Language) and dates and numbers as each language
 * writes them.
 *
 * No I/O, no allocation, no locks: every string returned is static (it lives
 * in the embedded catalogue or in the caller's buffer) and every function may
 * be called from any thread. */
#ifndef KAIKU_CORE_I18N_H
#define KAIKU_CORE_I18N_H

#include <stddef.h>
#include <stdint.h>

enum lang { LANG_FI, LANG_SV, LANG_EN, LANG_COUNT };

/* The text of key in lang; the English text when lang's catalogue lacks it;
 * key itself when English lacks it too (test_i18n makes sure that never
 * happens). O(log n): a binary search of the catalogue's sorted keys. */
const char *i18n_text(enum lang lang, const char *key);

/* The text of key for the count n ("1 paikka jäljellä", "2 paikkaa
 * jäljellä"): of the entry's forms (msgid_plural, msgstr[0], msgstr[1] …),
 * the one that the Plural-Forms header of lang's catalogue chooses for n
 * (|n| for a negative n); falls back as i18n_text() does, the English form
 * then being chosen by English's header. An entry that is not plural gives
 * its one text whatever n; test_i18n makes sure that every key the pages
 * count with is plural, with every form translated. */
const char *i18n_plural(enum lang lang, const char *key, int64_t n);

/* The Plural-Forms of a catalogue's header (the translation of key ""),
 * e.g. "nplurals=2; plural=(n != 1);", a C expression in n as gettext
 * reads it: *nplurals and the form *form that n takes. 0, or -ERR_INTERNAL
 * when the header has no Plural-Forms that can be read (a syntax error,
 * nplurals outside 1..I18N_NPLURALS_MAX, a division by zero, a form not
 * below nplurals). */
#define I18N_NPLURALS_MAX 6
int i18n_plural_form(const char *header, uint64_t n, unsigned *nplurals, unsigned *form);

/* "fi", "sv", "en": the language's tag (for <html lang>, Content-Language). */
const char *i18n_tag(enum lang lang);

/* ---- the keys the code asks for ---- */

/* Every key one module may pass to i18n_text(), built from that module's
 * own table (the error X-macro list, the report label list …), so that a
 * new entry without translations fails test_i18n. */
struct i18n_keys {
    const char *const *keys;
    size_t count;
};

/* ---- compiled catalogues (.mo) ---- */

/* A GNU .mo file in memory: a header, then the original strings (here the
 * keys) sorted bytewise, and their translations. Either byte order. */
struct i18n_mo {
    const unsigned char *data;
    size_t size;
};

/* The embedded catalogues, generated at build time from po/LANG.po. */
extern const struct i18n_mo i18n_catalogues[LANG_COUNT];

/* 0 when mo is a well-formed .mo file whose every string lies inside it,
 * ends in NUL and whose keys are sorted; -ERR_INTERNAL otherwise. */
int i18n_mo_check(const struct i18n_mo *mo);
/* The number of entries, the gettext header (key "") included. */
size_t i18n_mo_count(const struct i18n_mo *mo);
/* The key of entry i in sorted order; NULL when i is out of range. */
const char *i18n_mo_key(const struct i18n_mo *mo, size_t i);
/* The translation of key; NULL when mo has none. msgfmt leaves out empty
 * and fuzzy translations, so a translation found is never empty. */
const char *i18n_mo_find(const struct i18n_mo *mo, const char *key);

/* Form number `form` (0 …) of key's translation in mo, and in *forms (may
 * be NULL) how many forms it has (1 for an entry that is not plural; 0 when
 * there is none); NULL when there is no such form. */
const char *i18n_mo_find_form(const struct i18n_mo *mo, const char *key, unsigned form,
                              unsigned *forms);
/* 1 when key's entry in mo is plural (has a msgid_plural), 0 when it is
 * not, -1 when mo has no entry key. */
int i18n_mo_plural(const struct i18n_mo *mo, const char *key);

/* ---- language negotiation (R36) ---- */

/* Bytes of Accept-Language read; the rest of a longer header is ignored. */
#define I18N_ACCEPT_LANGUAGE_MAX 1024

/* The language of a reply: the cookie's value when it is exactly "fi", "sv"
 * or "en" (any case); else the best of Accept-Language (RFC 9110 12.5.4):
 * the highest q-value wins, a range counts by its primary subtag ("sv-FI" asks
 * for sv), "*" stands for every language no other range names, "fi;q=0" rules
 * fi out, the earlier range wins a tie, malformed ranges are skipped; else
 * fallback (Finnish for pages, English for the JSON API as docs/api.md
 * says), or when the header rules fallback out, the first of fi, sv, en it
 * leaves. cookie and accept_language may be NULL. */
enum lang i18n_negotiate(const char *cookie, const char *accept_language, enum lang fallback);

/* ---- dates and numbers ---- */

/* Room for any date or int64_t number these write, with its NUL. */
#define I18N_DATE_LEN   16
#define I18N_NUMBER_LEN 40

/* A day (days since 1970-01-01, as util/date.h) as the language writes it:
 * "3.2.2020" in Finnish and Swedish, "2020-02-03" (ISO 8601) in English. */
void i18n_date(enum lang lang, int32_t day, char out[I18N_DATE_LEN]);
/* n with its thousands grouped: "1 234 567" with no-break spaces (U+00A0) and
 * "−5" with a minus sign (U+2212) in Finnish and Swedish, "1,234,567" and "-5"
 * in English. */
void i18n_number(enum lang lang, int64_t n, char out[I18N_NUMBER_LEN]);

#endif
