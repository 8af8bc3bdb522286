-- Schema version 6: spreadsheet imports (each one recorded), rows an import could not place on
-- the map (waiting for a pin), and household merges (recorded with what they changed, so they
-- can be undone).

CREATE TABLE import_record (
    id          TEXT PRIMARY KEY NOT NULL,
    at          TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('households', 'sites', 'volunteers')),
    file_name   TEXT NOT NULL,
    encoding    TEXT NOT NULL DEFAULT '',
    rows_read   INTEGER NOT NULL,
    created     INTEGER NOT NULL,
    skipped     INTEGER NOT NULL,
    to_place    INTEGER NOT NULL DEFAULT 0,
    recorded_by TEXT NOT NULL
);

-- A row with an address the region's search could not place (or no region pack): not a
-- household until someone puts its pin on the map.
CREATE TABLE placement_queue (
    id          TEXT PRIMARY KEY NOT NULL,
    import_id   TEXT NOT NULL REFERENCES import_record (id),
    row_number  INTEGER NOT NULL,
    input       TEXT NOT NULL,                  -- JSON: the household and its needs
    reason      TEXT NOT NULL CHECK (reason IN ('not_found', 'ambiguous', 'no_region', 'no_address')),
    created_at  TEXT NOT NULL
);

CREATE TABLE merge_record (
    id          TEXT PRIMARY KEY NOT NULL,
    at          TEXT NOT NULL,
    kept_id     TEXT NOT NULL,
    merged_id   TEXT NOT NULL,
    kept_before TEXT NOT NULL,                  -- JSON: the kept household before the merge
    merged_row  TEXT NOT NULL,                  -- JSON: the merged household as it was
    moved_needs TEXT NOT NULL,                  -- JSON: ids of the needs moved to the kept one
    fields      TEXT NOT NULL,                  -- JSON: the fields taken from the merged one
    recorded_by TEXT NOT NULL,
    undone_at   TEXT
);
CREATE INDEX merge_record_kept ON merge_record (kept_id);

-- Pairs the user looked at and kept as two households: not offered as duplicates again.
CREATE TABLE duplicate_dismissal (
    a           TEXT NOT NULL,
    b           TEXT NOT NULL,
    at          TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    PRIMARY KEY (a, b)
) WITHOUT ROWID;
