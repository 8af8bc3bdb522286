-- Schema version 2: what the map and the household list need, without aggregating every need.
--
-- open_rank / open_needs are derived from `need` and kept by the triggers below (0 = critical …
-- 3 = low, 4 = no open need). They are a cache for speed, not user data: changing them does not
-- touch updated_at / updated_by.
-- search_text is the household's name and address folded to lower case without accents, written
-- by Aidmap (SQLite cannot fold Unicode); this migration's Rust step fills it for existing rows.

ALTER TABLE household ADD COLUMN open_rank INTEGER NOT NULL DEFAULT 4;
ALTER TABLE household ADD COLUMN open_needs INTEGER NOT NULL DEFAULT 0;
ALTER TABLE household ADD COLUMN search_text TEXT NOT NULL DEFAULT '';

CREATE TRIGGER need_after_insert AFTER INSERT ON need BEGIN
    UPDATE household SET
        open_rank = COALESCE((SELECT MIN(CASE urgency WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'normal' THEN 2 ELSE 3 END)
                              FROM need WHERE household_id = household.id AND status = 'open'), 4),
        open_needs = (SELECT COUNT(*) FROM need WHERE household_id = household.id AND status = 'open')
    WHERE id = NEW.household_id;
END;

CREATE TRIGGER need_after_update AFTER UPDATE OF status, urgency, household_id ON need BEGIN
    UPDATE household SET
        open_rank = COALESCE((SELECT MIN(CASE urgency WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'normal' THEN 2 ELSE 3 END)
                              FROM need WHERE household_id = household.id AND status = 'open'), 4),
        open_needs = (SELECT COUNT(*) FROM need WHERE household_id = household.id AND status = 'open')
    WHERE id IN (OLD.household_id, NEW.household_id);
END;

CREATE TRIGGER need_after_delete AFTER DELETE ON need BEGIN
    UPDATE household SET
        open_rank = COALESCE((SELECT MIN(CASE urgency WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'normal' THEN 2 ELSE 3 END)
                              FROM need WHERE household_id = household.id AND status = 'open'), 4),
        open_needs = (SELECT COUNT(*) FROM need WHERE household_id = household.id AND status = 'open')
    WHERE id = OLD.household_id;
END;

UPDATE household SET
    open_rank = COALESCE((SELECT MIN(CASE urgency WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'normal' THEN 2 ELSE 3 END)
                          FROM need WHERE household_id = household.id AND status = 'open'), 4),
    open_needs = (SELECT COUNT(*) FROM need WHERE household_id = household.id AND status = 'open');

-- The list's order: active first, most urgent first, then by name.
CREATE INDEX household_list ON household (status, open_rank, name COLLATE NOCASE);
