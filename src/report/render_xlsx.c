/* A report as an XLSX workbook (ECMA-376's SpreadsheetML, the smallest
 * package Excel and LibreOffice open): the headings in bold, then every
 * section's rows. Written straight into memory: the sheet's XML is made in
 * memory and packed by libzip (util/zipw.c) at deflate's fastest level, the
 * texts inline, numbers as numbers, one style a kind of cell, a cell's
 * reference only where the cell before it was left empty. A venue's
 * year of 90,000 rows took libxlsxwriter ~0.5 s (a temporary file, printf
 * per cell, zlib's default level); this ~40 ms (issue 16, docs/performance.md). */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/report.h"
#include "util/date.h"
#include "util/zipw.h"

#define SHEET_BUF    65536
#define ROWS_MAX     1048576      /* of a sheet, the headings' row included */
#define TEXT_MAX     32767        /* bytes of a cell's text, as libxlsxwriter's bound */
#define EXCEL_EPOCH  25569        /* day number 0 (1970-01-01) as an Excel serial day */
#define COLUMN_WIDTH "18.7109375" /* 18 characters, with Excel's padding */

/* The styles of cellXfs in styles.xml. */
enum { XF_PLAIN, XF_BOLD, XF_DATE, XF_SHARE };

static const char content_types[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
    "<Default Extension=\"rels\" "
    "ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
    "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
    "<Override PartName=\"/xl/workbook.xml\" ContentType=\"application/"
    "vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>"
    "<Override PartName=\"/xl/worksheets/sheet1.xml\" ContentType=\"application/"
    "vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
    "<Override PartName=\"/xl/styles.xml\" ContentType=\"application/"
    "vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/>"
    "</Types>";

static const char root_rels[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
    "relationships/officeDocument\" Target=\"xl/workbook.xml\"/>"
    "</Relationships>";

static const char workbook_rels[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
    "relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
    "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
    "relationships/styles\" Target=\"styles.xml\"/>"
    "</Relationships>";

/* %s: the dates' format (d.m.yyyy in Finnish, else yyyy-mm-dd). */
static const char styles_fmt[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
    "<numFmts count=\"2\"><numFmt numFmtId=\"164\" formatCode=\"%s\"/>"
    "<numFmt numFmtId=\"165\" formatCode=\"0.0%%\"/></numFmts>"
    "<fonts count=\"2\"><font><sz val=\"11\"/><name val=\"Calibri\"/><family val=\"2\"/></font>"
    "<font><b/><sz val=\"11\"/><name val=\"Calibri\"/><family val=\"2\"/></font></fonts>"
    "<fills count=\"2\"><fill><patternFill patternType=\"none\"/></fill>"
    "<fill><patternFill patternType=\"gray125\"/></fill></fills>"
    "<borders count=\"1\"><border><left/><right/><top/><bottom/><diagonal/></border></borders>"
    "<cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\"/>"
    "</cellStyleXfs><cellXfs count=\"4\">"
    "<xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\"/>"
    "<xf numFmtId=\"0\" fontId=\"1\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyFont=\"1\"/>"
    "<xf numFmtId=\"164\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" "
    "applyNumberFormat=\"1\"/>"
    "<xf numFmtId=\"165\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" "
    "applyNumberFormat=\"1\"/></cellXfs>"
    "<cellStyles count=\"1\"><cellStyle name=\"Normal\" xfId=\"0\" builtinId=\"0\"/></cellStyles>"
    "</styleSheet>";

/* %s: the sheet's name (an id: nothing to escape). */
static const char workbook_fmt[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
    "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
    "<sheets><sheet name=\"%s\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";

/* The sheet's XML, made in buf and handed to the archive when it fills. */
struct sheet {
    struct zipw *zip;
    size_t n;
    size_t next; /* the column a cell without a reference would be in */
    bool failed;
    char cols[REPORT_COLS_MAX][4]; /* "A" … "BL" */
    char buf[SHEET_BUF];
};

static void flush(struct sheet *s)
{
    zipw_write(s->zip, s->buf, s->n);
    s->n = 0;
}

static void put(struct sheet *s, const char *p, size_t n)
{
    if (n > sizeof s->buf - s->n)
        flush(s);
    if (n > sizeof s->buf) {
        zipw_write(s->zip, p, n);
        return;
    }
    memcpy(s->buf + s->n, p, n);
    s->n += n;
}

#define PUT(s, lit) put((s), (lit), sizeof(lit) - 1)

static void put_uint(struct sheet *s, uint64_t v)
{
    char d[24];
    size_t i = sizeof d;
    do {
        d[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    put(s, d + i, sizeof d - i);
}

static void put_int(struct sheet *s, int64_t v)
{
    if (v < 0)
        PUT(s, "-");
    put_uint(s, v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v);
}

/* Thousandths as a decimal number: 143 → 0.143, 250 → 0.25, 1000 → 1. */
static void put_milli(struct sheet *s, int64_t v)
{
    uint64_t m = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    if (v < 0)
        PUT(s, "-");
    put_uint(s, m / 1000);
    unsigned frac = (unsigned)(m % 1000);
    if (frac == 0)
        return;
    char d[4] = {'.', (char)('0' + frac / 100), (char)('0' + frac / 10 % 10),
                 (char)('0' + frac % 10)};
    size_t n = 4;
    while (d[n - 1] == '0')
        n--;
    put(s, d, n);
}

static bool is_hex(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f');
}

/* Text as XML character data. Excel reads "_xHHHH_" as the character
 * U+HHHH: the control characters XML cannot hold are written so, and an
 * underscore that would start such a sequence is escaped itself. */
static void put_text(struct sheet *s, const char *t, size_t n)
{
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)t[i];
        const char *esc = NULL;
        char ctl[8];
        if (c == '&')
            esc = "&amp;";
        else if (c == '<')
            esc = "&lt;";
        else if (c == '>')
            esc = "&gt;";
        else if (c < 0x20 && c != '\t' && c != '\n') {
            snprintf(ctl, sizeof ctl, "_x%04X_", c);
            esc = ctl;
        } else if (c == '_' && i + 6 < n && t[i + 1] == 'x' && is_hex(t[i + 2]) &&
                   is_hex(t[i + 3]) && is_hex(t[i + 4]) && is_hex(t[i + 5]) && t[i + 6] == '_')
            esc = "_x005F_";
        if (!esc)
            continue;
        put(s, t + run, i - run);
        put(s, esc, strlen(esc));
        run = i + 1;
    }
    put(s, t + run, n - run);
}

/* <c [r="B2"] [s="…"] [t="…"]>…</c>. A cell's reference is optional
 * (ECMA-376 part 1, 18.3.1.4): without it a cell is the one after the
 * previous cell of its row. It is written only after a column left empty:
 * the row numbers in every cell were half the sheet's bytes, and half the
 * time spent deflating it (issue 16). */
static void put_ref(struct sheet *s, size_t col, size_t row, int xf, const char *type)
{
    if (col == s->next) {
        PUT(s, "<c");
    } else {
        PUT(s, "<c r=\"");
        put(s, s->cols[col], strlen(s->cols[col]));
        put_uint(s, row);
        PUT(s, "\"");
    }
    s->next = col + 1;
    if (xf != XF_PLAIN) {
        PUT(s, " s=\"");
        put_uint(s, (uint64_t)xf);
        PUT(s, "\"");
    }
    if (type) {
        PUT(s, " t=\"");
        put(s, type, strlen(type));
        PUT(s, "\"");
    }
    PUT(s, ">");
}

static void put_string(struct sheet *s, size_t col, size_t row, const char *t, int xf)
{
    size_t n = strlen(t);
    if (n > TEXT_MAX) {
        s->failed = true;
        return;
    }
    put_ref(s, col, row, xf, "inlineStr");
    bool keep = n > 0 && (t[0] == ' ' || t[0] == '\t' || t[0] == '\n' || t[n - 1] == ' ' ||
                          t[n - 1] == '\t' || t[n - 1] == '\n');
    if (keep)
        PUT(s, "<is><t xml:space=\"preserve\">");
    else
        PUT(s, "<is><t>");
    put_text(s, t, n);
    PUT(s, "</t></is></c>");
}

/* A cell of a row (the headings are written in bold, before the rows). */
static void put_cell(struct sheet *s, size_t col, size_t row, const struct cell *c)
{
    switch (c->kind) {
    case CELL_TEXT: /* a string cell: never run as a formula */
        put_string(s, col, row, c->text, XF_PLAIN);
        return;
    case CELL_INT:
        put_ref(s, col, row, XF_PLAIN, NULL);
        break;
    case CELL_DATE: { /* a serial day; 1900-02-29, which Excel counts, never was */
        int64_t serial = c->value + EXCEL_EPOCH;
        put_ref(s, col, row, XF_DATE, NULL);
        PUT(s, "<v>");
        put_int(s, serial < 61 ? serial - 1 : serial);
        PUT(s, "</v></c>");
        return;
    }
    case CELL_SHARE:
        put_ref(s, col, row, XF_SHARE, NULL);
        PUT(s, "<v>");
        put_milli(s, c->value);
        PUT(s, "</v></c>");
        return;
    case CELL_HIDDEN: /* R30: a string, as in CSV and JSON */
        put_string(s, col, row, REPORT_SMALL_TEXT, XF_PLAIN);
        return;
    case CELL_HIDDEN_LARGE:
        put_string(s, col, row, REPORT_LARGE_TEXT, XF_PLAIN);
        return;
    case CELL_BOOL:
        put_ref(s, col, row, XF_PLAIN, "b");
        break;
    case CELL_EMPTY: /* no cell */
        return;
    }
    PUT(s, "<v>");
    put_int(s, c->value);
    PUT(s, "</v></c>");
}

/* "A", "B", … "Z", "AA", …: a column's letters. */
static void column_name(size_t col, char out[4])
{
    char d[4];
    size_t n = 0;
    for (size_t v = col + 1; v > 0; v = (v - 1) / 26)
        d[n++] = (char)('A' + (v - 1) % 26);
    for (size_t i = 0; i < n; i++)
        out[i] = d[n - 1 - i];
    out[n] = '\0';
}

static void write_sheet(struct sheet *s, const struct report *rep)
{
    for (size_t c = 0; c < rep->ncols; c++)
        column_name(c, s->cols[c]);
    PUT(s, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
           "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
           "<cols><col min=\"1\" max=\"");
    put_uint(s, rep->ncols);
    PUT(s, "\" width=\"" COLUMN_WIDTH "\" customWidth=\"1\"/></cols><sheetData><row r=\"1\">");
    s->next = 0;
    for (size_t c = 0; c < rep->ncols; c++)
        put_string(s, c, 1, report_heading(rep, c), XF_BOLD);
    PUT(s, "</row>");
    for (size_t r = 0; r < rep->rows; r++) {
        PUT(s, "<row r=\"");
        put_uint(s, r + 2);
        PUT(s, "\">");
        s->next = 0;
        for (size_t c = 0; c < rep->ncols; c++)
            put_cell(s, c, r + 2, report_cell(rep, r, c));
        PUT(s, "</row>");
    }
    PUT(s, "</sheetData></worksheet>");
    flush(s);
}

static int xlsx(const struct report *rep, char **out, size_t *len)
{
    *out = NULL;
    *len = 0;
    if (rep->rows + 1 > ROWS_MAX)
        return -ERR_INTERNAL;
    char styles[sizeof styles_fmt + 16], workbook[sizeof workbook_fmt + REPORT_SHEET_MAX];
    snprintf(styles, sizeof styles, styles_fmt, rep->lang == LANG_FI ? "d.m.yyyy" : "yyyy-mm-dd");
    snprintf(workbook, sizeof workbook, workbook_fmt, rep->sheet);
    struct sheet *s = malloc(sizeof *s);
    if (!s)
        return -ERR_INTERNAL;
    struct zipw zip;
    /* The fastest level: a sheet's XML is most of the work, and level 1
     * packs it within a few per cent of the default's size. */
    zipw_init(&zip, 1);
    zipw_add(&zip, "[Content_Types].xml", content_types, sizeof content_types - 1);
    zipw_add(&zip, "_rels/.rels", root_rels, sizeof root_rels - 1);
    zipw_add(&zip, "xl/workbook.xml", workbook, strlen(workbook));
    zipw_add(&zip, "xl/_rels/workbook.xml.rels", workbook_rels, sizeof workbook_rels - 1);
    zipw_add(&zip, "xl/styles.xml", styles, strlen(styles));
    s->zip = &zip;
    s->n = 0;
    s->failed = false;
    zipw_begin(&zip, "xl/worksheets/sheet1.xml");
    write_sheet(s, rep);
    zipw_end(&zip);
    bool failed = s->failed;
    free(s);
    if (failed) {
        zipw_release(&zip);
        return -ERR_INTERNAL;
    }
    return zipw_finish(&zip, out, len) == 0 ? 0 : -ERR_INTERNAL;
}

const struct report_renderer render_xlsx = {
    .format = "xlsx",
    .media_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    .download = true,
    .render = xlsx,
};
