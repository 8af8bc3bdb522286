-- Schema 8: notes a coordinator marks "for the driver" go out on route sheets; other notes never do.
ALTER TABLE household ADD COLUMN notes_for_driver INTEGER NOT NULL DEFAULT 0;
ALTER TABLE need ADD COLUMN notes_for_driver INTEGER NOT NULL DEFAULT 0;
