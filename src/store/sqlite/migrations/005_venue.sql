-- kaiku schema, version 5: the venue's pages (issue 17, item 1).
--
-- R20: a venue's accessibility information in fi, sv and en. The Finnish
-- text stays in `accessibility` (the column the API has always shown as
-- "accessibility"); Swedish and English beside it, '' when not given.
ALTER TABLE venues ADD COLUMN accessibility_sv TEXT NOT NULL DEFAULT '';
ALTER TABLE venues ADD COLUMN accessibility_en TEXT NOT NULL DEFAULT '';
