-- Schema version 4: road closures drawn by the hub (a line across a washed-out road, or a
-- flooded area). Routing avoids the active ones. geometry is a GeoJSON LineString or Polygon
-- in WGS 84 (lon, lat).

CREATE TABLE closure (
    id          TEXT PRIMARY KEY NOT NULL,
    name        TEXT NOT NULL CHECK (length(trim(name)) > 0),
    geometry    TEXT NOT NULL,
    active      INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    updated_by  TEXT NOT NULL
);
