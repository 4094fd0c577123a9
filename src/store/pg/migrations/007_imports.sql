-- Twin of SQLite's 007 (issue 17, item 4): every row an import has recorded,
-- by a digest of its content (docs/imports.md); no holder data (R10).
CREATE TABLE import_rows (
    key         bytea PRIMARY KEY,
    layout      text NOT NULL CHECK (layout IN ('handouts', 'uses')),
    place       text NOT NULL,
    imported_by text NOT NULL,
    imported_at bigint NOT NULL
);
