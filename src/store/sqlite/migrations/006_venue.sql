-- kaiku schema, version 5: the venue's pages (issue 17, item 1): its details
-- in three languages and its recurring admissions.
--
-- R20: a venue's accessibility information in fi, sv and en. The Finnish
-- text stays in `accessibility` (the column the API has always shown as
-- "accessibility"); Swedish and English beside it, '' when not given.
ALTER TABLE venues ADD COLUMN accessibility_sv TEXT NOT NULL DEFAULT '';
ALTER TABLE venues ADD COLUMN accessibility_en TEXT NOT NULL DEFAULT '';

-- Recurring admissions for walk-in venues: a series of day tickets, one
-- event of kind 'daily' per opening day of a period (src/core/series.h).
-- The days are ordinary events that name their series; closing a series
-- removes its days from then on that have no uses, and the days with uses
-- stay (docs/decisions.md). Exception dates are not kept: they only decide
-- which days are created.
CREATE TABLE series (
    id         INTEGER PRIMARY KEY,
    venue      TEXT NOT NULL REFERENCES venues (id),
    event_name TEXT NOT NULL CHECK (length(event_name) BETWEEN 1 AND 200),
    weekdays   INTEGER NOT NULL CHECK (weekdays BETWEEN 1 AND 127), -- bit 0 Monday … bit 6 Sunday
    opens_at   INTEGER NOT NULL CHECK (opens_at BETWEEN 0 AND 86399), -- seconds from midnight, Finland
    first_day  INTEGER NOT NULL,                                     -- day numbers
    last_day   INTEGER NOT NULL CHECK (last_day >= first_day),
    capacity   INTEGER NOT NULL CHECK (capacity >= 1),
    cap        INTEGER CHECK (cap >= 0),                              -- R15; NULL: none
    created_by TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    closed_at  INTEGER                                                -- NULL while open
);
CREATE INDEX series_venue ON series (venue);
ALTER TABLE events ADD COLUMN series INTEGER REFERENCES series (id);
CREATE INDEX events_series ON events (series, starts_at);
