/* The mother tongues of the handout form (R9): ISO 639-1 codes with their
 * names in the page's three languages (languages.c, from Debian's
 * iso-codes). */
#ifndef KAIKU_WEB_LANGUAGES_H
#define KAIKU_WEB_LANGUAGES_H

#include <stddef.h>

#define DESK_LANGUAGES 184

struct desk_language {
    const char *code;    /* "fi" */
    const char *name[3]; /* by enum lang: fi, sv, en */
};

extern const struct desk_language desk_languages[];
extern const size_t desk_nlanguages;
/* desk_languages' indexes in the alphabetical order of each enum lang. */
extern const unsigned char desk_language_order[3][DESK_LANGUAGES];

#endif
