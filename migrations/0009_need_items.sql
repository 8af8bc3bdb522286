-- Schema version 9: needs name catalogue items; items have contents, a medical mark and kit
-- components; categories have a default item; substitution groups say which items may stand
-- in for which; a saved plan stores each need's load (item, quantity, depot, substitution) and
-- what was handed over.
--
-- Nothing is guessed on upgrade: a need gets an item only when its category has a single item,
-- or its unit is exactly one item's unit (the Rust step after this file), and never a medicine
-- need (it must name its item); the others use their category's default once the coordinator
-- sets one, or wait in the "to match" queue.

ALTER TABLE item ADD COLUMN contents_amount REAL CHECK (contents_amount IS NULL OR contents_amount > 0);
ALTER TABLE item ADD COLUMN contents_unit   TEXT NOT NULL DEFAULT '';  -- "L", "kg", "nappies", "family of 4, 3 days"
ALTER TABLE item ADD COLUMN medical         INTEGER NOT NULL DEFAULT 0 CHECK (medical IN (0, 1));
-- Medicine items of older files are medical until the coordinator says otherwise: never
-- substituted, never a default.
UPDATE item SET medical = 1 WHERE category = 'medicine';

-- The item a need that names only its category is loaded as. Medicine has none (see the core).
CREATE TABLE category_default (
    category    TEXT PRIMARY KEY NOT NULL,
    item_id     TEXT NOT NULL REFERENCES item (id),
    updated_at  TEXT NOT NULL,
    updated_by  TEXT NOT NULL
) WITHOUT ROWID;

-- Items that may stand in for each other, counted by unit (one for one) or by contents
-- (litres for litres). A medical item is never substituted.
CREATE TABLE substitution_group (
    id          TEXT PRIMARY KEY NOT NULL,
    name        TEXT NOT NULL CHECK (length(trim(name)) > 0),
    basis       TEXT NOT NULL CHECK (basis IN ('unit', 'contents')),
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    updated_by  TEXT NOT NULL
);
CREATE TABLE substitution_member (
    group_id    TEXT NOT NULL REFERENCES substitution_group (id) ON DELETE CASCADE,
    item_id     TEXT NOT NULL REFERENCES item (id),
    position    INTEGER NOT NULL DEFAULT 0,      -- preference order within the group
    PRIMARY KEY (group_id, item_id)
) WITHOUT ROWID;

-- A kit item and what one kit holds.
CREATE TABLE kit_component (
    kit_id        TEXT NOT NULL REFERENCES item (id),
    component_id  TEXT NOT NULL REFERENCES item (id),
    quantity      REAL NOT NULL CHECK (quantity > 0),
    PRIMARY KEY (kit_id, component_id),
    CHECK (kit_id <> component_id)
) WITHOUT ROWID;

-- The catalogue item a need asks for (NULL: only its category; the default applies).
ALTER TABLE need ADD COLUMN item_id TEXT REFERENCES item (id);

-- A plan's loads, stored when decided. plan_need.item_id / quantity are what the need is loaded
-- as (item units); substitute_for is the need's own item when another is loaded instead;
-- site_id the depot it is drawn from; asked_* the need as it was asked (restored if a partial
-- outcome is cleared); delivered what was handed over (NULL until an outcome); missing the
-- quantity a depot lacked (not_enough_stock).
ALTER TABLE plan_need ADD COLUMN substitute_for TEXT;
ALTER TABLE plan_need ADD COLUMN site_id TEXT;
ALTER TABLE plan_need ADD COLUMN asked_quantity REAL;
ALTER TABLE plan_need ADD COLUMN asked_unit TEXT;
ALTER TABLE plan_need ADD COLUMN delivered REAL;
ALTER TABLE plan_need ADD COLUMN missing REAL;

-- A merge folds identical open needs of the two households into one (same item): what each
-- was before, so Undo restores both exactly. JSON: [{"kept": Need, "merged": Need}].
ALTER TABLE merge_record ADD COLUMN folded_needs TEXT NOT NULL DEFAULT '[]';

-- Loads of plans saved before this version: the depot is their run's.
UPDATE plan_need SET site_id = (SELECT r.site_id FROM plan_stop s JOIN plan_run r ON r.id = s.run_id
                                 WHERE s.id = plan_need.stop_id)
 WHERE item_id IS NOT NULL;
