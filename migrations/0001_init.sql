-- Aidmap operation file, schema version 1.
-- Every row carries created_at / updated_at (RFC 3339 UTC) and updated_by (installation id)
-- for the later hub-to-hub sync. Primary keys are UUIDv7 text.

CREATE TABLE operation (
    id          TEXT PRIMARY KEY NOT NULL,
    name        TEXT NOT NULL,
    is_demo     INTEGER NOT NULL DEFAULT 0 CHECK (is_demo IN (0, 1)),
    demo_date   TEXT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    updated_by  TEXT NOT NULL
);

CREATE TABLE household (
    id                  TEXT PRIMARY KEY NOT NULL,
    name                TEXT NOT NULL CHECK (length(trim(name)) > 0),
    phones              TEXT NOT NULL DEFAULT '[]',   -- JSON [{"original":..,"normalized":..}]
    phones_search       TEXT NOT NULL DEFAULT '',     -- space-separated normalised numbers
    address             TEXT NOT NULL DEFAULT '',
    lat                 REAL NOT NULL CHECK (lat BETWEEN -90 AND 90),
    lon                 REAL NOT NULL CHECK (lon BETWEEN -180 AND 180),
    location_source     TEXT NOT NULL CHECK (location_source IN ('pin', 'geocoded', 'imported')),
    adults              INTEGER NOT NULL DEFAULT 0 CHECK (adults >= 0),
    children            INTEGER NOT NULL DEFAULT 0 CHECK (children >= 0),
    seniors             INTEGER NOT NULL DEFAULT 0 CHECK (seniors >= 0),
    vulnerabilities     TEXT NOT NULL DEFAULT '[]',   -- JSON array of vocabulary keys
    languages           TEXT NOT NULL DEFAULT '[]',   -- JSON array of language tags
    access_notes        TEXT NOT NULL DEFAULT '',
    consent_status      TEXT NOT NULL DEFAULT 'unknown' CHECK (consent_status IN ('unknown', 'given', 'refused')),
    consent_date        TEXT,
    consent_scope       TEXT NOT NULL DEFAULT '',
    status              TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'closed')),
    notes               TEXT NOT NULL DEFAULT '',
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL,
    updated_by          TEXT NOT NULL
);
CREATE INDEX household_name ON household (name COLLATE NOCASE);
CREATE INDEX household_status ON household (status);

CREATE TABLE need (
    id              TEXT PRIMARY KEY NOT NULL,
    household_id    TEXT NOT NULL REFERENCES household (id) ON DELETE CASCADE,
    category        TEXT NOT NULL CHECK (category IN ('water', 'food', 'baby_supplies', 'medicine', 'hygiene',
                                                      'cleaning', 'fuel', 'shelter', 'other')),
    quantity        REAL NOT NULL CHECK (quantity > 0),
    unit            TEXT NOT NULL CHECK (length(trim(unit)) > 0),
    urgency         TEXT NOT NULL CHECK (urgency IN ('critical', 'high', 'normal', 'low')),
    requested_at    TEXT NOT NULL,
    wanted_by       TEXT,
    status          TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'assigned', 'delivered', 'cancelled', 'failed')),
    notes           TEXT NOT NULL DEFAULT '',
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    updated_by      TEXT NOT NULL
);
CREATE INDEX need_household ON need (household_id, status);
CREATE INDEX need_status ON need (status, urgency);
