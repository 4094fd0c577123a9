-- Twin of SQLite's 008 (issue 16, R30, R31, R35): kept counts, moved by the
-- transaction scripts in the transaction of each change (src/store/counts.c)
-- and recounted by `kaiku counts rebuild`. SQLite's fill at the end of its
-- 008 counts existing records; no PostgreSQL database holds any before this
-- version (see 003), so the counts start empty, which is their fill. As in
-- SQLite, the tables of counts have no CHECK (n >= 0): `kaiku counts check`
-- is the guard.
ALTER TABLE events ADD COLUMN n_uses bigint NOT NULL DEFAULT 0 CHECK (n_uses >= 0);
ALTER TABLE events ADD COLUMN n_adult bigint NOT NULL DEFAULT 0 CHECK (n_adult >= 0);
ALTER TABLE events ADD COLUMN n_child bigint NOT NULL DEFAULT 0 CHECK (n_child >= 0);
ALTER TABLE events ADD COLUMN n_companion bigint NOT NULL DEFAULT 0 CHECK (n_companion >= 0);

ALTER TABLE cards ADD COLUMN live_uses bigint NOT NULL DEFAULT 0 CHECK (live_uses >= 0);

CREATE TABLE counts_cards (
    region     text NOT NULL,
    month      bigint NOT NULL,
    handed_out bigint NOT NULL DEFAULT 0,
    renewals   bigint NOT NULL DEFAULT 0,
    cancelled  bigint NOT NULL DEFAULT 0,
    used_once  bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (region, month)
);

CREATE TABLE counts_stock (
    region text NOT NULL PRIMARY KEY,
    n      bigint NOT NULL DEFAULT 0
);

CREATE TABLE counts_valid (
    region        text NOT NULL,
    handed_out_on bigint NOT NULL,
    valid_until   bigint NOT NULL,
    n             bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (region, handed_out_on, valid_until)
);

CREATE TABLE counts_handouts (
    unit  text NOT NULL,
    month bigint NOT NULL,
    n     bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (unit, month)
);

CREATE TABLE counts_background (
    region text NOT NULL,
    month  bigint NOT NULL,
    dim    bigint NOT NULL CHECK (dim BETWEEN 1 AND 5),
    key    bigint NOT NULL,
    text   text NOT NULL,
    n      bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (region, month, dim, key, text)
);
