-- Schema version 7: saved supply-run plans, and closures passable only by high-clearance
-- vehicles.
--
-- A plan is a day's runs (one per driver shift), each an ordered list of stops, each stop one
-- or more needs of households at one building. Needs and households are referenced by id
-- without foreign keys: merges and retention purges change those tables on their own terms,
-- and a plan is also a record of what was planned. Times are computed from the day's start and
-- the road times whenever a plan is shown, so they are not stored.
--
-- Stock: a draft reserves what its needs take from each run's depot (computed from these
-- tables, never written as movements); dispatching writes `issued` movements, and a stop with
-- nothing handed over writes `received` movements back.

CREATE TABLE plan (
    id              TEXT PRIMARY KEY NOT NULL,
    day             TEXT NOT NULL,                -- YYYY-MM-DD, the local date planned
    day_start       TEXT NOT NULL,                -- that date's local midnight, RFC 3339 UTC
    status          TEXT NOT NULL CHECK (status IN ('draft', 'dispatched', 'completed', 'discarded')),
    request         TEXT NOT NULL DEFAULT '{}',   -- JSON: the filters and search settings used
    estimated       INTEGER NOT NULL DEFAULT 0 CHECK (estimated IN (0, 1)),
    created_at      TEXT NOT NULL,
    created_by      TEXT NOT NULL,                -- operator name
    dispatched_at   TEXT,
    updated_at      TEXT NOT NULL,
    updated_by      TEXT NOT NULL
);
CREATE INDEX plan_day ON plan (day, status);

CREATE TABLE plan_run (
    id          TEXT PRIMARY KEY NOT NULL,
    plan_id     TEXT NOT NULL REFERENCES plan (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    shift_id    TEXT REFERENCES shift (id) ON DELETE SET NULL,
    driver      TEXT NOT NULL,                    -- as planned, for the record
    vehicle     TEXT NOT NULL,
    site_id     TEXT NOT NULL REFERENCES site (id),   -- the depot it loads at
    end_site_id TEXT NOT NULL REFERENCES site (id),
    starts_at   TEXT NOT NULL,                    -- the shift as planned
    ends_at     TEXT NOT NULL,
    capacity_kg REAL NOT NULL,
    capacity_l  REAL NOT NULL,
    skills      INTEGER NOT NULL DEFAULT 0,       -- bit set: 1 cooler, 2 high clearance
    locked      INTEGER NOT NULL DEFAULT 0 CHECK (locked IN (0, 1))
);
CREATE INDEX plan_run_plan ON plan_run (plan_id, position);

CREATE TABLE plan_stop (
    id          TEXT PRIMARY KEY NOT NULL,
    plan_id     TEXT NOT NULL REFERENCES plan (id) ON DELETE CASCADE,
    run_id      TEXT REFERENCES plan_run (id) ON DELETE SET NULL,   -- NULL: taken off by hand
    position    INTEGER NOT NULL DEFAULT 0,
    lat         REAL NOT NULL,
    lon         REAL NOT NULL,
    locked      INTEGER NOT NULL DEFAULT 0 CHECK (locked IN (0, 1)),
    outcome     TEXT CHECK (outcome IS NULL OR outcome IN ('delivered', 'partly', 'nobody_home', 'refused', 'unsafe')),
    outcome_at  TEXT,
    outcome_by  TEXT
);
CREATE INDEX plan_stop_run ON plan_stop (run_id, position);
CREATE INDEX plan_stop_plan ON plan_stop (plan_id);

CREATE TABLE plan_need (
    plan_id      TEXT NOT NULL REFERENCES plan (id) ON DELETE CASCADE,
    need_id      TEXT NOT NULL,
    household_id TEXT NOT NULL,
    stop_id      TEXT REFERENCES plan_stop (id) ON DELETE SET NULL,  -- NULL: not served
    reason       TEXT,                            -- why not served (planning's reason key)
    item_id      TEXT REFERENCES item (id),       -- what it is loaded as
    quantity     REAL NOT NULL,                   -- the need's quantity when planned
    PRIMARY KEY (plan_id, need_id)
) WITHOUT ROWID;
CREATE INDEX plan_need_need ON plan_need (need_id);
CREATE INDEX plan_need_stop ON plan_need (stop_id);

ALTER TABLE closure ADD COLUMN high_clearance_only INTEGER NOT NULL DEFAULT 0 CHECK (high_clearance_only IN (0, 1));
