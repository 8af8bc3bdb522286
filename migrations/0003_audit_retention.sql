-- Schema version 3: the audit trail, operation settings, retention and the consent legal basis.
--
-- audit is append-only: the triggers below refuse every UPDATE and DELETE, so not even Aidmap can
-- rewrite history. It records who (operator profile and installation), when, what and which
-- record ids — never personal values.
-- setting holds per-operation preferences (retention, scheduled backups) as JSON values.
-- purged_at marks rows whose personal fields were removed by retention; their anonymous
-- counts (people, categories, quantities, dates) stay for reports.

CREATE TABLE audit (
    seq           INTEGER PRIMARY KEY AUTOINCREMENT,
    at            TEXT NOT NULL,
    operator      TEXT NOT NULL,
    installation  TEXT NOT NULL,
    action        TEXT NOT NULL CHECK (action IN ('create', 'update', 'delete', 'merge', 'import', 'export',
                                                  'backup', 'restore', 'sync', 'purge', 'rekey', 'encrypt',
                                                  'settings')),
    entity        TEXT NOT NULL,
    record_ids    TEXT NOT NULL DEFAULT '[]',   -- JSON array of ids
    detail        TEXT NOT NULL DEFAULT ''      -- field names, counts, file names: never personal values
);
CREATE INDEX audit_at ON audit (at);
CREATE INDEX audit_action ON audit (action, at);
CREATE INDEX audit_operator ON audit (operator, at);

CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;

CREATE TABLE setting (
    key         TEXT PRIMARY KEY NOT NULL,
    value       TEXT NOT NULL,               -- JSON
    updated_at  TEXT NOT NULL,
    updated_by  TEXT NOT NULL
);

ALTER TABLE household ADD COLUMN consent_basis TEXT CHECK (consent_basis IN ('vital_interest', 'consent'));
ALTER TABLE household ADD COLUMN purged_at TEXT;
ALTER TABLE need ADD COLUMN purged_at TEXT;
