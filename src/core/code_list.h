/* R1, R3: the card codes a coordinator types to add to a unit's stock, as a
 * list and as ranges. Pure: no I/O, no allocation. */
#ifndef KAIKU_CORE_CODE_LIST_H
#define KAIKU_CORE_CODE_LIST_H

#include <stddef.h>

#include "core/model.h"

#define CODE_LIST_MAX  10000 /* codes in one addition */
#define CODE_LIST_TEXT 32    /* bytes of the offending piece named back */

/* What was wrong with a list, for the words next to the field. */
enum code_list_fault {
    CL_OK,
    CL_EMPTY,    /* no code at all */
    CL_CODE,     /* a piece is no card code (R1) */
    CL_RANGE,    /* a range whose ends differ in letters or digit count, or run backwards */
    CL_TOO_MANY, /* more than cap codes */
};

/* Parses codes separated by spaces, commas, semicolons or lines; a piece
 * "E2000–E2999" (an en dash or a hyphen, spaces around it allowed) is every
 * code from the first to the last: the same letters in front, then numbers
 * of the same width (leading zeros kept). Every code is normalised (R1);
 * a code given twice counts once. On success *n codes are in out, sorted,
 * and CL_OK is returned; otherwise the fault, with the offending piece (cut
 * to CODE_LIST_TEXT - 1 bytes) in bad. */
enum code_list_fault code_list_parse(const char *in, char (*out)[CODE_MAX + 1], size_t cap,
                                     size_t *n, char bad[CODE_LIST_TEXT]);

#endif
