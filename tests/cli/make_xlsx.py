"""Writes a minimal XLSX workbook from rows given as JSON (strings as inline
strings, numbers as numbers), with Python's zipfile: an XLSX as another
writer than libxlsxwriter makes it (no shared strings), for kaiku import's
tests. Usage: make_xlsx.py OUT.xlsx '[["a", 1], ...]' (or @FILE holding the JSON)"""
import json
import sys
import zipfile
from xml.sax.saxutils import escape

out, arg = sys.argv[1], sys.argv[2]
if arg.startswith("@"):
    with open(arg[1:], encoding="utf-8") as f:
        arg = f.read()
rows = json.loads(arg)


def col(i):
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


cells = []
for r, row in enumerate(rows, 1):
    cs = []
    for c, v in enumerate(row):
        ref = f"{col(c)}{r}"
        if isinstance(v, (int, float)):
            cs.append(f'<c r="{ref}"><v>{v}</v></c>')
        else:
            cs.append(f'<c r="{ref}" t="inlineStr"><is><t>{escape(v)}</t></is></c>')
    cells.append(f'<row r="{r}">{"".join(cs)}</row>')
NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
RNS = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("[Content_Types].xml",
               '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats'
               '.org/package/2006/content-types"><Default Extension="xml" ContentType="application'
               '/xml"/></Types>')
    z.writestr("xl/workbook.xml", f'<?xml version="1.0" encoding="UTF-8"?><workbook {NS} {RNS}>'
               '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId7"/></sheets></workbook>')
    z.writestr("xl/_rels/workbook.xml.rels",
               '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
               'openxmlformats.org/package/2006/relationships"><Relationship Id="rId7" Type="'
               'http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
               'Target="worksheets/data.xml"/></Relationships>')
    z.writestr("xl/worksheets/data.xml", f'<?xml version="1.0" encoding="UTF-8"?><worksheet {NS}>'
               f'<sheetData>{"".join(cells)}</sheetData></worksheet>')
