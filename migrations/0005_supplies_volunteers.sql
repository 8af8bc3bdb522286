-- Schema version 5: the item catalogue, supply sites with their stock, volunteers with their
-- shifts, and vehicles.
--
-- Stock is never written directly: every change is a row of stock_movement (received,
-- transferred, issued, counted), which is history (no UPDATE, no DELETE). stock_level is a
-- cache of the sum of movements per site and item, kept by a trigger.

CREATE TABLE item (
    id              TEXT PRIMARY KEY NOT NULL,
    name            TEXT NOT NULL CHECK (length(trim(name)) > 0),
    category        TEXT NOT NULL,                -- a need category key (vocab::Category)
    unit            TEXT NOT NULL,                -- "bottle 1.5 L", "box", "pack of 40"
    weight_kg       REAL NOT NULL CHECK (weight_kg >= 0),
    volume_l        REAL NOT NULL CHECK (volume_l >= 0),
    cold_chain      INTEGER NOT NULL DEFAULT 0 CHECK (cold_chain IN (0, 1)),
    low_threshold   REAL CHECK (low_threshold IS NULL OR low_threshold >= 0),
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    updated_by      TEXT NOT NULL
);
CREATE UNIQUE INDEX item_name ON item (name COLLATE NOCASE);

CREATE TABLE site (
    id          TEXT PRIMARY KEY NOT NULL,
    name        TEXT NOT NULL CHECK (length(trim(name)) > 0),
    kind        TEXT NOT NULL CHECK (kind IN ('warehouse', 'distribution_point', 'community_fridge',
                                              'donation_dropoff', 'shelter')),
    lat         REAL NOT NULL CHECK (lat BETWEEN -90 AND 90),
    lon         REAL NOT NULL CHECK (lon BETWEEN -180 AND 180),
    address     TEXT NOT NULL DEFAULT '',
    contact     TEXT NOT NULL DEFAULT '',
    notes       TEXT NOT NULL DEFAULT '',
    hours       TEXT NOT NULL DEFAULT '[]',     -- JSON: 7 entries, Monday first, null or "HH:MM-HH:MM"
    active      INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    updated_by  TEXT NOT NULL
);

CREATE TABLE stock_movement (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    id          TEXT NOT NULL UNIQUE,
    at          TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('received', 'transfer_out', 'transfer_in', 'issued', 'counted')),
    site_id     TEXT NOT NULL REFERENCES site (id),
    item_id     TEXT NOT NULL REFERENCES item (id),
    quantity    REAL NOT NULL,                  -- the signed change to the level
    counted     REAL,                           -- for 'counted': the quantity found
    expiry      TEXT,                           -- for 'received': the batch's expiry date
    reason      TEXT NOT NULL DEFAULT '',
    transfer_id TEXT,                           -- the two legs of one transfer share it
    recorded_by TEXT NOT NULL                   -- operator name
);
CREATE INDEX stock_movement_site_item ON stock_movement (site_id, item_id, seq);
CREATE TRIGGER stock_movement_is_history_u BEFORE UPDATE ON stock_movement
BEGIN SELECT RAISE(ABORT, 'stock movements are history and cannot be changed'); END;
CREATE TRIGGER stock_movement_is_history_d BEFORE DELETE ON stock_movement
BEGIN SELECT RAISE(ABORT, 'stock movements are history and cannot be deleted'); END;

CREATE TABLE stock_level (
    site_id     TEXT NOT NULL REFERENCES site (id),
    item_id     TEXT NOT NULL REFERENCES item (id),
    quantity    REAL NOT NULL,
    PRIMARY KEY (site_id, item_id)
) WITHOUT ROWID;
CREATE TRIGGER stock_level_follows_movements AFTER INSERT ON stock_movement
BEGIN
    INSERT INTO stock_level (site_id, item_id, quantity) VALUES (NEW.site_id, NEW.item_id, NEW.quantity)
    ON CONFLICT (site_id, item_id) DO UPDATE SET quantity = quantity + NEW.quantity;
END;

CREATE TABLE volunteer (
    id          TEXT PRIMARY KEY NOT NULL,
    name        TEXT NOT NULL CHECK (length(trim(name)) > 0),
    phone       TEXT NOT NULL DEFAULT '',
    roles       TEXT NOT NULL DEFAULT '[]',     -- JSON array: driver, packer, dispatcher, intake
    languages   TEXT NOT NULL DEFAULT '[]',     -- JSON array of language tags
    home_lat    REAL CHECK (home_lat IS NULL OR home_lat BETWEEN -90 AND 90),
    home_lon    REAL CHECK (home_lon IS NULL OR home_lon BETWEEN -180 AND 180),
    notes       TEXT NOT NULL DEFAULT '',
    active      INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    updated_by  TEXT NOT NULL
);
CREATE INDEX volunteer_name ON volunteer (name COLLATE NOCASE);

CREATE TABLE vehicle (
    id              TEXT PRIMARY KEY NOT NULL,
    name            TEXT NOT NULL CHECK (length(trim(name)) > 0),
    owner_id        TEXT REFERENCES volunteer (id),   -- NULL: the hub's own
    kind            TEXT NOT NULL CHECK (kind IN ('car', 'van', 'pickup', 'truck', 'cargo_bike', 'motorbike')),
    capacity_kg     REAL NOT NULL CHECK (capacity_kg >= 0),
    capacity_l      REAL NOT NULL CHECK (capacity_l >= 0),
    seats           INTEGER NOT NULL DEFAULT 1 CHECK (seats >= 0),
    capabilities    TEXT NOT NULL DEFAULT '[]',       -- JSON: high_clearance, cooler, wheelchair_lift, trailer
    active          INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    updated_by      TEXT NOT NULL
);

CREATE TABLE shift (
    id              TEXT PRIMARY KEY NOT NULL,
    volunteer_id    TEXT NOT NULL REFERENCES volunteer (id) ON DELETE CASCADE,
    starts_at       TEXT NOT NULL,
    ends_at         TEXT NOT NULL CHECK (ends_at > starts_at),
    vehicle_id      TEXT REFERENCES vehicle (id),
    start_site_id   TEXT REFERENCES site (id),
    end_site_id     TEXT REFERENCES site (id),
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    updated_by      TEXT NOT NULL
);
CREATE INDEX shift_time ON shift (starts_at);
CREATE INDEX shift_volunteer ON shift (volunteer_id, starts_at);
