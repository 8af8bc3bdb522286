-- Schema 13: places without a street address. A household or site may carry a landmark ("the
-- blue tent behind the church") beside its address or instead of it. Its plus code (Open
-- Location Code) is derived from its coordinates wherever it is shown, never stored.
ALTER TABLE household ADD COLUMN landmark TEXT NOT NULL DEFAULT '';
ALTER TABLE site ADD COLUMN landmark TEXT NOT NULL DEFAULT '';
