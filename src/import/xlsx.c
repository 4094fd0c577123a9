/* XLSX, read through libzip (the archive) and expat (its XML): the first
 * worksheet of the workbook (xl/workbook.xml's first <sheet>, found through
 * xl/_rels/workbook.xml.rels), its shared strings (xl/sharedStrings.xml),
 * inline strings and numbers. Formulas are read as the value Excel saved
 * with them. No ZIP or XML is parsed here by hand. Every member is read
 * through a counter, so a member that unpacks to more than
 * SHEET_UNPACKED_MAX is refused whatever its header claims; a document type
 * declaration (entities) is refused outright. */
#include <expat.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "import/sheet.h"
#include "util/strutil.h"

#define CHUNK           65536
#define PATH_MAX_BYTES  256
#define STRINGS_MAX     1000000 /* shared strings in a workbook */
#define SHEET_XML_BYTES (SHEET_CELL_MAX + 1)

/* What the parse of one member has found so far. */
struct xlsx {
    zip_t *zip;
    XML_Parser parser;
    struct error_details *d;
    int rc; /* the first failure; the parser stops at it */

    /* workbook.xml and its rels: the first sheet's relation id and path */
    char sheet_rid[PATH_MAX_BYTES];
    char sheet_path[PATH_MAX_BYTES];

    /* sharedStrings.xml */
    char **strings;
    size_t nstrings, strings_cap;
    bool in_si, in_phonetic;

    /* the text being collected (a <t> or a <v>) */
    bool collecting;
    char text[SHEET_XML_BYTES];
    size_t text_len;

    /* the worksheet */
    sheet_row_fn fn;
    void *ctx;
    int32_t row, last_row;
    bool in_cell;
    size_t col;
    char type[8]; /* the cell's t="…" */
    char cells[SHEET_COLS_MAX][SHEET_XML_BYTES];
    struct sheet_cell row_cells[SHEET_COLS_MAX];
    size_t ncells;
};

static int fail(struct xlsx *x, int err, const char *key, int64_t value)
{
    if (x->rc == 0) {
        x->rc = -err;
        if (x->d) {
            *x->d = (struct error_details){0};
            error_value(x->d, err, key, value, 0);
            x->d->field = "file";
        }
    }
    if (x->parser)
        XML_StopParser(x->parser, XML_FALSE);
    return x->rc;
}

/* The local part of an element or attribute name ("x:row" → "row"). */
static const char *local(const char *name)
{
    const char *colon = strrchr(name, ':');
    return colon ? colon + 1 : name;
}

static const char *attr(const char **atts, const char *name)
{
    for (size_t i = 0; atts[i]; i += 2)
        if (strcmp(local(atts[i]), name) == 0)
            return atts[i + 1];
    return NULL;
}

/* Also the exact name, for "r:id" beside a plain "id". */
static const char *attr_exact(const char **atts, const char *name)
{
    for (size_t i = 0; atts[i]; i += 2)
        if (strcmp(atts[i], name) == 0)
            return atts[i + 1];
    return NULL;
}

static void XMLCALL on_text(void *ud, const XML_Char *s, int len)
{
    struct xlsx *x = ud;
    if (!x->collecting || x->rc != 0)
        return;
    if (x->text_len + (size_t)len > SHEET_CELL_MAX) {
        fail(x, ERR_BODY_TOO_LARGE, "max_cell_bytes", SHEET_CELL_MAX);
        return;
    }
    memcpy(x->text + x->text_len, s, (size_t)len);
    x->text_len += (size_t)len;
    x->text[x->text_len] = '\0';
}

static void collect(struct xlsx *x, bool reset)
{
    x->collecting = true;
    if (reset) {
        x->text_len = 0;
        x->text[0] = '\0';
    }
}

static void XMLCALL on_doctype(void *ud, const XML_Char *name, const XML_Char *sysid,
                               const XML_Char *pubid, int internal)
{
    (void)name, (void)sysid, (void)pubid, (void)internal;
    fail(ud, ERR_INVALID_REQUEST, "row", 0);
}

/* ---- one member of the archive through a parser ---- */

static int parse_member(struct xlsx *x, const char *name, bool optional, XML_StartElementHandler st,
                        XML_EndElementHandler en)
{
    zip_stat_t zs;
    zip_stat_init(&zs);
    if (zip_stat(x->zip, name, 0, &zs) != 0)
        return optional ? 0 : fail(x, ERR_INVALID_REQUEST, "row", 0);
    if ((zs.valid & ZIP_STAT_SIZE) && zs.size > SHEET_UNPACKED_MAX)
        return fail(x, ERR_BODY_TOO_LARGE, "max_unpacked_bytes", SHEET_UNPACKED_MAX);
    zip_file_t *f = zip_fopen(x->zip, name, 0);
    x->parser = XML_ParserCreate("UTF-8");
    char *buf = malloc(CHUNK);
    if (!f || !x->parser || !buf) {
        fail(x, f ? ERR_INTERNAL : ERR_INVALID_REQUEST, "row", 0);
        goto out;
    }
    XML_SetUserData(x->parser, x);
    XML_SetElementHandler(x->parser, st, en);
    XML_SetCharacterDataHandler(x->parser, on_text);
    XML_SetStartDoctypeDeclHandler(x->parser, on_doctype);
    size_t total = 0;
    for (;;) {
        zip_int64_t got = zip_fread(f, buf, CHUNK);
        if (got < 0) {
            fail(x, ERR_INVALID_REQUEST, "row", 0);
            break;
        }
        total += (size_t)got;
        if (total > SHEET_UNPACKED_MAX) {
            fail(x, ERR_BODY_TOO_LARGE, "max_unpacked_bytes", SHEET_UNPACKED_MAX);
            break;
        }
        if (XML_Parse(x->parser, buf, (int)got, got == 0) == XML_STATUS_ERROR) {
            fail(x, ERR_INVALID_REQUEST, "row", x->row);
            break;
        }
        if (got == 0 || x->rc != 0)
            break;
    }
out:
    free(buf);
    if (x->parser)
        XML_ParserFree(x->parser);
    x->parser = NULL;
    if (f)
        zip_fclose(f);
    return x->rc;
}

/* ---- xl/workbook.xml and xl/_rels/workbook.xml.rels ---- */

static void XMLCALL wb_start(void *ud, const XML_Char *el, const XML_Char **atts)
{
    struct xlsx *x = ud;
    const char *id = attr_exact(atts, "r:id");
    if (!id)
        id = attr(atts, "id");
    if (strcmp(local(el), "sheet") == 0 && !x->sheet_rid[0] && id &&
        str_copy(x->sheet_rid, sizeof x->sheet_rid, id) != 0)
        fail(x, ERR_INVALID_REQUEST, "row", 0);
}

static void XMLCALL rels_start(void *ud, const XML_Char *el, const XML_Char **atts)
{
    struct xlsx *x = ud;
    const char *id = attr(atts, "Id"), *target = attr(atts, "Target");
    if (strcmp(local(el), "Relationship") != 0 || !id || !target || x->sheet_path[0] ||
        strcmp(id, x->sheet_rid) != 0)
        return;
    /* "worksheets/sheet1.xml" is relative to xl/; "/xl/…" to the archive. */
    int rc = target[0] == '/' ? str_copy(x->sheet_path, sizeof x->sheet_path, target + 1)
                              : str_copy(x->sheet_path, sizeof x->sheet_path, "xl/");
    if (rc == 0 && target[0] != '/' &&
        strlen(x->sheet_path) + strlen(target) < sizeof x->sheet_path)
        memcpy(x->sheet_path + 3, target, strlen(target) + 1);
    else if (target[0] != '/')
        rc = -1;
    if (rc != 0)
        fail(x, ERR_INVALID_REQUEST, "row", 0);
}

static void XMLCALL no_end(void *ud, const XML_Char *el)
{
    (void)ud, (void)el;
}

/* ---- xl/sharedStrings.xml: <si> holds <t>, or runs <r><t>…</t></r>;
 * the phonetic guide <rPh> is not part of the text ---- */

static void XMLCALL ss_start(void *ud, const XML_Char *el, const XML_Char **atts)
{
    struct xlsx *x = ud;
    const char *name = local(el);
    (void)atts;
    if (strcmp(name, "si") == 0) {
        x->in_si = true;
        x->text_len = 0;
        x->text[0] = '\0';
    } else if (strcmp(name, "rPh") == 0) {
        x->in_phonetic = true;
    } else if (strcmp(name, "t") == 0 && x->in_si && !x->in_phonetic) {
        collect(x, false);
    }
}

static void XMLCALL ss_end(void *ud, const XML_Char *el)
{
    struct xlsx *x = ud;
    const char *name = local(el);
    if (strcmp(name, "t") == 0) {
        x->collecting = false;
    } else if (strcmp(name, "rPh") == 0) {
        x->in_phonetic = false;
    } else if (strcmp(name, "si") == 0 && x->rc == 0) {
        x->in_si = false;
        if (x->nstrings >= STRINGS_MAX) {
            fail(x, ERR_BODY_TOO_LARGE, "max_strings", STRINGS_MAX);
            return;
        }
        if (x->nstrings == x->strings_cap) {
            size_t cap = x->strings_cap ? x->strings_cap * 2 : 256;
            char **p = realloc(x->strings, cap * sizeof *p);
            if (!p) {
                fail(x, ERR_INTERNAL, "row", 0);
                return;
            }
            x->strings = p;
            x->strings_cap = cap;
        }
        char *s = malloc(x->text_len + 1);
        if (!s) {
            fail(x, ERR_INTERNAL, "row", 0);
            return;
        }
        memcpy(s, x->text, x->text_len + 1);
        x->strings[x->nstrings++] = s;
    }
}

/* ---- the worksheet: <row r="N"><c r="B2" t="s"><v>…</v></c>…</row> ---- */

/* The column of a cell reference ("B2" → 1), or -1. */
static long column_of(const char *ref)
{
    long col = 0;
    size_t i = 0;
    for (; ref[i] >= 'A' && ref[i] <= 'Z' && i < 4; i++)
        col = col * 26 + (ref[i] - 'A' + 1);
    return i == 0 || ref[i] < '0' || ref[i] > '9' ? -1 : col - 1;
}

static void XMLCALL ws_start(void *ud, const XML_Char *el, const XML_Char **atts)
{
    struct xlsx *x = ud;
    const char *name = local(el);
    if (x->rc != 0)
        return;
    if (strcmp(name, "row") == 0) {
        const char *r = attr(atts, "r");
        int64_t n = x->last_row + 1;
        if (r && str_to_i64(r, x->last_row + 1, 1048576, &n) != 0) {
            fail(x, ERR_INVALID_REQUEST, "row", x->last_row + 1);
            return;
        }
        x->row = (int32_t)n;
        x->ncells = 0;
        x->col = 0;
    } else if (strcmp(name, "c") == 0) {
        const char *r = attr(atts, "r"), *t = attr(atts, "t");
        long col = r ? column_of(r) : (long)x->col;
        if (col < (long)x->col) {
            fail(x, ERR_INVALID_REQUEST, "row", x->row);
            return;
        }
        x->in_cell = true;
        x->col = (size_t)col;
        str_copy(x->type, sizeof x->type, t ? t : "n");
        x->text_len = 0;
        x->text[0] = '\0';
    } else if (x->in_cell &&
               (strcmp(name, "v") == 0 || (strcmp(name, "t") == 0 && !x->in_phonetic))) {
        collect(x, false);
    } else if (x->in_cell && strcmp(name, "rPh") == 0) {
        x->in_phonetic = true;
    }
}

static void cell_done(struct xlsx *x)
{
    const char *value = x->text;
    bool number = strcmp(x->type, "n") == 0 && x->text_len > 0;
    if (strcmp(x->type, "s") == 0) {
        int64_t i = 0;
        if (str_to_i64(x->text, 0, (int64_t)x->nstrings - 1, &i) != 0) {
            fail(x, ERR_INVALID_REQUEST, "row", x->row);
            return;
        }
        value = x->strings[i];
    }
    if (!value[0])
        return;
    if (x->col >= SHEET_COLS_MAX) {
        fail(x, ERR_BODY_TOO_LARGE, "max_columns", SHEET_COLS_MAX);
        return;
    }
    if (!str_is_clean_utf8(value, strlen(value))) {
        fail(x, ERR_INVALID_REQUEST, "row", x->row);
        return;
    }
    for (; x->ncells < x->col; x->ncells++) /* the empty cells before it */
        x->row_cells[x->ncells] = (struct sheet_cell){"", false};
    str_copy(x->cells[x->col], SHEET_XML_BYTES, value);
    x->row_cells[x->col] = (struct sheet_cell){x->cells[x->col], number};
    x->ncells = x->col + 1;
}

static void XMLCALL ws_end(void *ud, const XML_Char *el)
{
    struct xlsx *x = ud;
    const char *name = local(el);
    if (x->rc != 0)
        return;
    if (strcmp(name, "v") == 0 || (strcmp(name, "t") == 0 && !x->in_phonetic)) {
        x->collecting = false;
    } else if (strcmp(name, "rPh") == 0) {
        x->in_phonetic = false;
        x->collecting = false;
    } else if (strcmp(name, "c") == 0) {
        x->in_cell = false;
        x->collecting = false;
        cell_done(x);
        x->col++;
    } else if (strcmp(name, "row") == 0) {
        x->last_row = x->row;
        if (x->row > SHEET_ROWS_MAX) {
            fail(x, ERR_BODY_TOO_LARGE, "max_rows", SHEET_ROWS_MAX - 1);
            return;
        }
        int rc = x->fn(x->ctx, x->row, x->row_cells, x->ncells);
        if (rc != 0) {
            x->rc = rc;
            XML_StopParser(x->parser, XML_FALSE);
        }
    }
}

int sheet_read_xlsx(const uint8_t *data, size_t len, sheet_row_fn fn, void *ctx,
                    struct error_details *d)
{
    struct xlsx *x = calloc(1, sizeof *x);
    if (!x)
        return -ERR_INTERNAL;
    x->fn = fn;
    x->ctx = ctx;
    x->d = d;
    int rc;
    if (len > SHEET_BYTES_MAX) {
        rc = fail(x, ERR_BODY_TOO_LARGE, "max_bytes", SHEET_BYTES_MAX);
        goto out;
    }
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(data, len, 0, &ze);
    if (src && !(x->zip = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &ze)))
        zip_source_free(src);
    zip_error_fini(&ze);
    if (!x->zip) {
        rc = fail(x, ERR_INVALID_REQUEST, "row", 0);
        goto out;
    }
    if ((rc = parse_member(x, "xl/workbook.xml", false, wb_start, no_end)) != 0)
        goto out;
    if (!x->sheet_rid[0]) {
        rc = fail(x, ERR_INVALID_REQUEST, "row", 0);
        goto out;
    }
    if ((rc = parse_member(x, "xl/_rels/workbook.xml.rels", false, rels_start, no_end)) != 0)
        goto out;
    if (!x->sheet_path[0]) {
        rc = fail(x, ERR_INVALID_REQUEST, "row", 0);
        goto out;
    }
    if ((rc = parse_member(x, "xl/sharedStrings.xml", true, ss_start, ss_end)) != 0)
        goto out;
    rc = parse_member(x, x->sheet_path, false, ws_start, ws_end);
out:
    if (x->zip)
        zip_discard(x->zip);
    for (size_t i = 0; i < x->nstrings; i++)
        free(x->strings[i]);
    free(x->strings);
    free(x);
    return rc;
}
