/* Plural forms (R36): which of a catalogue entry's forms a count takes. Each
 * catalogue says it in its header, in gettext's own words:
 *
 *   Plural-Forms: nplurals=2; plural=(n != 1);
 *
 * (Finnish, Swedish and English alike; Polish or Arabic need longer
 * formulas, and a new catalogue brings its own.) The formula is a C
 * expression in n, read and evaluated here at each call — a few dozen
 * characters, no allocation, no state — by a recursive-descent reader of the
 * grammar of gettext's plural.y: ?: (right to left), ||, &&, == !=,
 * < > <= >=, + -, * / %, unary !, parentheses, n and decimal numbers, with
 * C's precedence and unsigned arithmetic. A syntax error, a division by zero
 * or nesting deeper than PLURAL_DEPTH makes the formula unusable: the first
 * form is taken then (test_i18n checks that the real headers read). */
#include "core/i18n.h"

#include <stdbool.h>
#include <string.h>

#include "core/error.h"

#define PLURAL_DEPTH 32 /* nested sub-expressions a formula may have */

struct reader {
    const char *at;  /* the next character of the formula */
    const char *end; /* just past its last character */
    uint64_t n;
    int depth;
    bool bad;
};

static void skip_space(struct reader *r)
{
    while (r->at < r->end && (*r->at == ' ' || *r->at == '\t'))
        r->at++;
}

/* Consumes op when it comes next (after spaces); "=" never matches "==". */
static bool accept(struct reader *r, const char *op)
{
    skip_space(r);
    size_t len = strlen(op);
    if ((size_t)(r->end - r->at) < len || memcmp(r->at, op, len) != 0)
        return false;
    /* "<" and ">" and "!" must not eat the first half of "<=", ">=", "!=" */
    if (len == 1 && (op[0] == '<' || op[0] == '>' || op[0] == '!') && r->at + 1 < r->end &&
        r->at[1] == '=')
        return false;
    r->at += len;
    return true;
}

static uint64_t conditional(struct reader *r);

static uint64_t primary(struct reader *r)
{
    skip_space(r);
    if (r->bad || ++r->depth > PLURAL_DEPTH) {
        r->bad = true;
        return 0;
    }
    uint64_t v = 0;
    if (accept(r, "!"))
        v = !primary(r);
    else if (accept(r, "(")) {
        v = conditional(r);
        if (!accept(r, ")"))
            r->bad = true;
    } else if (r->at < r->end && *r->at == 'n') {
        r->at++;
        v = r->n;
    } else if (r->at < r->end && *r->at >= '0' && *r->at <= '9') {
        while (r->at < r->end && *r->at >= '0' && *r->at <= '9' && v < UINT32_MAX)
            v = v * 10 + (uint64_t)(*r->at++ - '0');
        if (v >= UINT32_MAX)
            r->bad = true;
    } else
        r->bad = true;
    r->depth--;
    return v;
}

/* The binary operators by precedence, lowest first; each level's operands
 * are of the next level, and primary() is below the last. */
enum op {
    OP_OR,
    OP_AND,
    OP_EQ,
    OP_NE,
    OP_LT,
    OP_GT,
    OP_LE,
    OP_GE,
    OP_ADD,
    OP_SUB,
    OP_MUL,
    OP_DIV,
    OP_MOD
};
static const struct {
    const char *text;
    enum op op;
    int level;
} ops[] = {
    {"||", OP_OR, 0}, {"&&", OP_AND, 1}, {"==", OP_EQ, 2}, {"!=", OP_NE, 2}, {"<=", OP_LE, 3},
    {">=", OP_GE, 3}, {"<", OP_LT, 3},   {">", OP_GT, 3},  {"+", OP_ADD, 4}, {"-", OP_SUB, 4},
    {"*", OP_MUL, 5}, {"/", OP_DIV, 5},  {"%", OP_MOD, 5},
};
#define LEVELS 6

static uint64_t apply(struct reader *r, enum op op, uint64_t a, uint64_t b)
{
    switch (op) {
    case OP_OR:
        return a || b;
    case OP_AND:
        return a && b;
    case OP_EQ:
        return a == b;
    case OP_NE:
        return a != b;
    case OP_LT:
        return a < b;
    case OP_GT:
        return a > b;
    case OP_LE:
        return a <= b;
    case OP_GE:
        return a >= b;
    case OP_ADD:
        return a + b;
    case OP_SUB:
        return a - b;
    case OP_MUL:
        return a * b;
    case OP_DIV:
    case OP_MOD:
        if (b == 0) {
            r->bad = true;
            return 0;
        }
        return op == OP_DIV ? a / b : a % b;
    }
    return 0;
}

/* Left to right within a level: a - b - c is (a - b) - c. */
static uint64_t binary(struct reader *r, int level)
{
    if (level == LEVELS)
        return primary(r);
    uint64_t v = binary(r, level + 1);
    for (bool more = true; more && !r->bad;) {
        more = false;
        for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
            if (ops[i].level == level && accept(r, ops[i].text)) {
                v = apply(r, ops[i].op, v, binary(r, level + 1));
                more = true;
                break;
            }
    }
    return v;
}

/* c ? a : b, right to left; both branches are read (the formula has no
 * side effects), one is kept. */
static uint64_t conditional(struct reader *r)
{
    if (r->bad || ++r->depth > PLURAL_DEPTH) {
        r->bad = true;
        return 0;
    }
    uint64_t c = binary(r, 0), v = c;
    if (accept(r, "?")) {
        uint64_t a = conditional(r);
        if (!accept(r, ":"))
            r->bad = true;
        uint64_t b = conditional(r);
        v = c ? a : b;
    }
    r->depth--;
    return v;
}

/* The value after "name=" in the header's Plural-Forms line: where it
 * starts, and *end where it ends (';', the end of the line or of the text). */
static const char *field(const char *line, const char *line_end, const char *name, const char **end)
{
    size_t len = strlen(name);
    for (const char *p = line; p + len <= line_end; p++)
        if (memcmp(p, name, len) == 0 &&
            (p == line || p[-1] == ' ' || p[-1] == ';' || p[-1] == ':' || p[-1] == '\t')) {
            const char *v = p + len, *e = v;
            while (e < line_end && *e != ';')
                e++;
            *end = e;
            return v;
        }
    return NULL;
}

int i18n_plural_form(const char *header, uint64_t n, unsigned *nplurals, unsigned *form)
{
    static const char tag[] = "Plural-Forms:";
    const char *line = header ? strstr(header, tag) : NULL;
    if (!line)
        return -ERR_INTERNAL;
    line += sizeof tag - 1;
    const char *line_end = strchr(line, '\n');
    if (!line_end)
        line_end = line + strlen(line);
    const char *count_end, *formula_end;
    const char *count = field(line, line_end, "nplurals=", &count_end);
    const char *formula = field(line, line_end, "plural=", &formula_end);
    if (!count || !formula)
        return -ERR_INTERNAL;
    struct reader c = {count, count_end, 0, 0, false};
    uint64_t forms = primary(&c);
    skip_space(&c);
    struct reader f = {formula, formula_end, n, 0, false};
    uint64_t chosen = conditional(&f);
    skip_space(&f);
    if (c.bad || c.at != c.end || forms < 1 || forms > I18N_NPLURALS_MAX || f.bad ||
        f.at != f.end || chosen >= forms)
        return -ERR_INTERNAL;
    *nplurals = (unsigned)forms;
    *form = (unsigned)chosen;
    return 0;
}

/* key's form for n in mo, by mo's own header; NULL when mo lacks key or
 * that form of it (a form msgfmt kept empty, a header it cannot read), so
 * that the caller falls back as for a missing text. An entry that is not
 * plural has one form, whatever n. */
static const char *plural_in(const struct i18n_mo *mo, const char *key, uint64_t n)
{
    unsigned nplurals, form, forms;
    const char *t = i18n_mo_find_form(mo, key, 0, &forms);
    if (forms > 1) {
        t = NULL;
        if (i18n_plural_form(i18n_mo_find(mo, ""), n, &nplurals, &form) == 0)
            t = i18n_mo_find_form(mo, key, form, NULL);
    }
    return t && t[0] ? t : NULL;
}

const char *i18n_plural(enum lang lang, const char *key, int64_t n)
{
    uint64_t count = n < 0 ? (uint64_t)0 - (uint64_t)n : (uint64_t)n;
    const char *t = NULL;
    if ((unsigned)lang < LANG_COUNT)
        t = plural_in(&i18n_catalogues[lang], key, count);
    if (!t && lang != LANG_EN)
        t = plural_in(&i18n_catalogues[LANG_EN], key, count);
    return t ? t : key;
}
