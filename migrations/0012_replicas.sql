-- Hubs working together (issue 18): the replicas of this operation, the change log every write
-- adds to (src/store/changelog.rs), and the conflicts waiting for a person.

-- Every replica this file knows: itself (status 'self', with its signing key), the replica it
-- was copied from ('former'), replicas accepted by a person or passed on by an accepted one
-- ('accepted'), and senders whose bundles wait for a person ('held').
CREATE TABLE sync_replica (
    id            TEXT PRIMARY KEY NOT NULL,
    name          TEXT NOT NULL DEFAULT '',
    public_key    TEXT NOT NULL,
    secret        BLOB,                    -- 'self' only: the Ed25519 signing key
    installation  TEXT,                    -- 'self' only: where this copy lives, to notice a
    file_path     TEXT,                    --   copied file (it becomes a new replica)
    status        TEXT NOT NULL CHECK (status IN ('self', 'former', 'accepted', 'held')),
    vouched_by    TEXT,                    -- accepted because this accepted replica passed it on
    last_seq      INTEGER NOT NULL DEFAULT 0,  -- its changes applied here: 1..=last_seq
    hlc           TEXT NOT NULL DEFAULT '',    -- 'self': the greatest clock reading seen here
    has_of_ours   INTEGER NOT NULL DEFAULT 0,  -- what it had of this replica's changes, last heard
    first_seen    TEXT,
    last_contact  TEXT
);

-- One change of one record, made by `replica` as its change number `seq`: a record made
-- ('create'), fields changed ('set'), a record removed ('delete'), a history row added
-- ('append'). `fields` is JSON {"field": [value before, value after]} (a purged personal
-- field keeps only the hashes of its values). `signature`: Ed25519 by the replica that made
-- the change, over its digest, so that any replica may pass it on and none may forge it.
CREATE TABLE sync_change (
    replica   TEXT NOT NULL,
    seq       INTEGER NOT NULL,
    hlc       TEXT NOT NULL,
    entity    TEXT NOT NULL,
    record    TEXT NOT NULL,
    kind      TEXT NOT NULL CHECK (kind IN ('create', 'set', 'delete', 'append')),
    fields    TEXT NOT NULL,
    operator  TEXT NOT NULL,
    at        TEXT NOT NULL,
    signature TEXT NOT NULL,
    PRIMARY KEY (replica, seq)
) WITHOUT ROWID;
CREATE INDEX sync_change_record ON sync_change (entity, record);

-- Two changes of one field made without seeing each other; the winner is shown everywhere.
CREATE TABLE sync_conflict (
    entity          TEXT NOT NULL,
    record          TEXT NOT NULL,
    field           TEXT NOT NULL,
    winner_replica  TEXT NOT NULL,
    winner_seq      INTEGER NOT NULL,
    other_replica   TEXT NOT NULL,
    other_seq       INTEGER NOT NULL,
    PRIMARY KEY (entity, record, field, winner_replica, winner_seq, other_replica, other_seq)
) WITHOUT ROWID;

-- The secret change bundles of this operation are sealed with (every replica's copy holds the
-- same one): made with the operation, or on the first write after the upgrade to schema 12.
CREATE TABLE sync_secret (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    secret  BLOB NOT NULL CHECK (length(secret) = 32)
);

-- Plans belong to the replica that made them: only it changes, dispatches or closes them.
CREATE TABLE sync_plan_owner (
    plan_id  TEXT PRIMARY KEY NOT NULL,
    replica  TEXT NOT NULL
) WITHOUT ROWID;
