-- Schema version 10: a row whose own coordinates the import doubts (outside the region pack, in
-- water, far from every road, or far from its address) and that the user chose to place by hand
-- waits in the placement queue like a row whose address was not found. SQLite cannot change a
-- CHECK constraint in place, so the table is copied into one that allows the new reason.

CREATE TABLE placement_queue_v10 (
    id          TEXT PRIMARY KEY NOT NULL,
    import_id   TEXT NOT NULL REFERENCES import_record (id),
    row_number  INTEGER NOT NULL,
    input       TEXT NOT NULL,                  -- JSON: the household and its needs
    reason      TEXT NOT NULL
                CHECK (reason IN ('not_found', 'ambiguous', 'no_region', 'no_address', 'check_coordinates')),
    created_at  TEXT NOT NULL
);
INSERT INTO placement_queue_v10 (id, import_id, row_number, input, reason, created_at)
    SELECT id, import_id, row_number, input, reason, created_at FROM placement_queue;
DROP TABLE placement_queue;
ALTER TABLE placement_queue_v10 RENAME TO placement_queue;
