-- Schema version 11: a tamper-evident audit log. Each entry carries `hash`: SHA-256 (hex) of
-- the previous entry's hash and this entry's fields (`audit::entry_hash`), so an entry changed,
-- removed or inserted outside Aidmap breaks the chain from there on; opening a file checks it
-- and says where it breaks. The append-only trigger is set aside while the upgrade step chains
-- the entries written before, and put back by it (`audit::chain_on_upgrade`).

DROP TRIGGER audit_no_update;
ALTER TABLE audit ADD COLUMN hash TEXT NOT NULL DEFAULT '';
