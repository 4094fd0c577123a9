-- kaiku schema, version 1.
-- Dates are day numbers (days since 1970-01-01), instants are Unix seconds
-- (UTC); both INTEGER. Ids of regions, units and venues are chosen by
-- clients. The constraints mirror the rules of operating-model.md so that
-- the database itself refuses what the rules forbid.

CREATE TABLE regions (
    id            TEXT PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 64 AND id NOT GLOB '*[^a-z0-9-]*'),
    name          TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    pilot_ends_on INTEGER -- R5: NULL when the region is not in a pilot
);

CREATE TABLE units (
    id     TEXT PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 64 AND id NOT GLOB '*[^a-z0-9-]*'),
    region TEXT NOT NULL REFERENCES regions (id),
    name   TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200)
);
CREATE INDEX units_region ON units (region);

CREATE TABLE venues (
    id             TEXT PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 64 AND id NOT GLOB '*[^a-z0-9-]*'),
    region         TEXT REFERENCES regions (id), -- R22: NULL for a pop-up venue
    name           TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    category       TEXT NOT NULL CHECK (category IN ('theatre', 'music', 'museum', 'cinema',
                       'festival', 'dance', 'circus', 'library', 'adult_education', 'sports',
                       'swimming', 'other')),
    accessibility  TEXT NOT NULL DEFAULT '',       -- R20
    free_cloakroom INTEGER NOT NULL DEFAULT 0 CHECK (free_cloakroom IN (0, 1)) -- R20
);
CREATE INDEX venues_region ON venues (region);

CREATE TABLE users (
    username      TEXT PRIMARY KEY CHECK (length(username) BETWEEN 1 AND 64),
    password_hash TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('national', 'coordinator', 'distributor', 'venue')),
    region        TEXT REFERENCES regions (id),
    unit          TEXT REFERENCES units (id),
    venue         TEXT REFERENCES venues (id),
    disabled      INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    created_at    INTEGER NOT NULL,
    -- R32: exactly the scope that the role needs
    CHECK ((role = 'national'    AND region IS NULL     AND unit IS NULL     AND venue IS NULL) OR
           (role = 'coordinator' AND region IS NOT NULL AND unit IS NULL     AND venue IS NULL) OR
           (role = 'distributor' AND region IS NULL     AND unit IS NOT NULL AND venue IS NULL) OR
           (role = 'venue'       AND region IS NULL     AND unit IS NULL     AND venue IS NOT NULL))
);

CREATE TABLE sessions (
    token_hash BLOB PRIMARY KEY CHECK (length(token_hash) = 32), -- the token itself is never stored
    username   TEXT NOT NULL REFERENCES users (username),
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions (username);

CREATE TABLE api_keys (
    id         INTEGER PRIMARY KEY,
    venue      TEXT NOT NULL REFERENCES venues (id),
    label      TEXT NOT NULL CHECK (length(label) BETWEEN 1 AND 200),
    key_hash   BLOB NOT NULL UNIQUE CHECK (length(key_hash) = 32),
    created_by TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    revoked_at INTEGER
);
CREATE INDEX api_keys_venue ON api_keys (venue);

-- R1–R3: every card code in the country, in one unit's stock.
CREATE TABLE cards (
    code     TEXT PRIMARY KEY CHECK (length(code) BETWEEN 1 AND 16 AND code NOT GLOB '*[^A-Z0-9]*'),
    kind     TEXT NOT NULL CHECK (kind IN ('personal', 'community')), -- R2
    unit     TEXT NOT NULL REFERENCES units (id),
    added_at INTEGER NOT NULL,
    cancelled_at  INTEGER,  -- R13
    cancel_reason TEXT,
    CHECK ((cancelled_at IS NULL) = (cancel_reason IS NULL))
) WITHOUT ROWID;
CREATE INDEX cards_unit ON cards (unit);

-- R9, R12: one handout per card (the primary key), with the anonymous
-- background form. No column can hold a name, identity code, birth date,
-- address or phone (R10).
CREATE TABLE handouts (
    card            TEXT PRIMARY KEY REFERENCES cards (code),
    unit            TEXT NOT NULL REFERENCES units (id),
    handed_out_on   INTEGER NOT NULL,
    valid_until     INTEGER NOT NULL CHECK (valid_until >= handed_out_on), -- R4, R5
    birth_year      INTEGER CHECK (birth_year IS NULL OR birth_year >= 1900),
    mother_tongue   TEXT CHECK (mother_tongue IS NULL OR mother_tongue = 'other' OR
                                (length(mother_tongue) = 2 AND mother_tongue NOT GLOB '*[^a-z]*')),
    gender          TEXT CHECK (gender IS NULL OR gender IN ('female', 'male', 'other', 'not_told')),
    postal_code     TEXT CHECK (postal_code IS NULL OR
                                (length(postal_code) = 5 AND postal_code NOT GLOB '*[^0-9]*')),
    life_situations INTEGER CHECK (life_situations IS NULL OR life_situations BETWEEN 1 AND 511),
    renews          TEXT REFERENCES cards (code), -- R14
    recorded_by     TEXT NOT NULL,
    recorded_at     INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX handouts_unit_day ON handouts (unit, handed_out_on);

-- R3: transfers between units of one region, approved by the coordinator.
CREATE TABLE transfers (
    id           INTEGER PRIMARY KEY,
    from_unit    TEXT NOT NULL REFERENCES units (id),
    to_unit      TEXT NOT NULL REFERENCES units (id),
    status       TEXT NOT NULL DEFAULT 'requested' CHECK (status IN ('requested', 'approved', 'rejected')),
    requested_by TEXT NOT NULL,
    requested_at INTEGER NOT NULL,
    decided_by   TEXT,
    decided_at   INTEGER,
    CHECK (from_unit <> to_unit),
    CHECK ((status = 'requested') = (decided_at IS NULL))
);

CREATE TABLE transfer_cards (
    transfer INTEGER NOT NULL REFERENCES transfers (id),
    card     TEXT NOT NULL REFERENCES cards (code),
    PRIMARY KEY (transfer, card)
) WITHOUT ROWID;

-- R15–R17. `used` is the sum of adult and child tickets of uses not undone,
-- kept in the same transaction as every use, so that the CHECKs below make
-- overselling impossible even for a buggy caller (R16).
CREATE TABLE events (
    id                       INTEGER PRIMARY KEY,
    venue                    TEXT NOT NULL REFERENCES venues (id),
    name                     TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    kind                     TEXT NOT NULL CHECK (kind IN ('performance', 'course', 'day_ticket', 'daily')),
    starts_at                INTEGER NOT NULL,
    capacity                 INTEGER NOT NULL CHECK (capacity BETWEEN 1 AND 10000000),
    cap                      INTEGER CHECK (cap IS NULL OR (cap >= 0 AND cap <= capacity)),
    guest_producer           INTEGER NOT NULL DEFAULT 0 CHECK (guest_producer IN (0, 1)),
    booking_opens_days       INTEGER CHECK (booking_opens_days IS NULL OR booking_opens_days >= 0),
    collection_opens_minutes INTEGER CHECK (collection_opens_minutes IS NULL OR collection_opens_minutes >= 0),
    excluded                 INTEGER NOT NULL DEFAULT 0 CHECK (excluded IN (0, 1)),
    exclusion_reason         TEXT NOT NULL DEFAULT '',
    used                     INTEGER NOT NULL DEFAULT 0 CHECK (used >= 0 AND used <= capacity AND
                                                               (cap IS NULL OR used <= cap))
);
CREATE INDEX events_venue_start ON events (venue, starts_at);
CREATE INDEX events_start ON events (starts_at);

-- R23–R27. Undone uses stay (R25).
CREATE TABLE uses (
    id              INTEGER PRIMARY KEY,
    card            TEXT NOT NULL REFERENCES cards (code),
    event           INTEGER NOT NULL REFERENCES events (id),
    adult           INTEGER NOT NULL CHECK (adult BETWEEN 0 AND 1), -- R24, R26
    child           INTEGER NOT NULL CHECK (child >= 0),
    companion       INTEGER NOT NULL DEFAULT 0 CHECK (companion >= 0), -- R21
    channel         TEXT NOT NULL DEFAULT 'box_office'
                    CHECK (channel IN ('box_office', 'phone', 'ticket_agency', 'paper')), -- R19
    recorded_by     TEXT NOT NULL,
    recorded_at     INTEGER NOT NULL,
    undone_by       TEXT,
    undone_at       INTEGER,
    idempotency_key TEXT,
    request_hash    BLOB,
    CHECK (adult + child + companion > 0),
    CHECK ((undone_at IS NULL) = (undone_by IS NULL))
);
CREATE INDEX uses_event ON uses (event);
CREATE INDEX uses_card ON uses (card);
-- R24/R26: one adult ticket per card and event among uses not undone.
CREATE UNIQUE INDEX uses_one_adult ON uses (card, event) WHERE adult > 0 AND undone_at IS NULL;
-- R27: an idempotency key belongs to whoever recorded with it.
CREATE UNIQUE INDEX uses_idempotency ON uses (recorded_by, idempotency_key)
    WHERE idempotency_key IS NOT NULL;

-- R34: append-only; holds who, what, which object, when and from where, and
-- never holder data.
CREATE TABLE audit (
    id      INTEGER PRIMARY KEY,
    at      INTEGER NOT NULL,
    user    TEXT NOT NULL,
    action  TEXT NOT NULL,
    object  TEXT NOT NULL,
    client_ip TEXT NOT NULL DEFAULT '', -- the client's IP address, never a person's
    region  TEXT -- the region the object belongs to, for coordinators' view
);
CREATE INDEX audit_at ON audit (at);
CREATE INDEX audit_region_at ON audit (region, at);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN
    SELECT RAISE(ABORT, 'audit is append-only');
END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN
    SELECT RAISE(ABORT, 'audit is append-only');
END;
