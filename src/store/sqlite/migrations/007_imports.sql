-- Imports from paper and Excel (issue 17 item 4): every row an import has
-- recorded, by a key made from the row's content (docs/imports.md), so that
-- importing the same rows again records nothing twice. The key is a digest
-- of the layout, the unit or venue, the row's values and which occurrence of
-- those values in its file it is; it holds no holder data (R10).
CREATE TABLE import_rows (
    key BLOB PRIMARY KEY,
    layout TEXT NOT NULL CHECK (layout IN ('handouts', 'uses')),
    place TEXT NOT NULL,
    imported_by TEXT NOT NULL,
    imported_at INTEGER NOT NULL
) WITHOUT ROWID;
