-- The same features Aidmap's tiles carry (src/region/tiles.rs), in tilemaker's Lua profile API,
-- so `benches/tilemaker_compare.py` times like against like. Coastlines need shapefiles in
-- tilemaker, so there is no sea here: the comparison favours tilemaker.
node_keys = { "place" }

local places = { city = "locality", town = "locality", village = "locality", hamlet = "locality",
                 suburb = "neighbourhood", quarter = "neighbourhood", neighbourhood = "neighbourhood" }

function node_function(node)
  local kind = places[node:Find("place")]
  if kind and node:Find("name") ~= "" then
    node:Layer("places", false)
    node:Attribute("kind", kind)
    node:Attribute("name", node:Find("name"))
  end
end

local road_kinds = { motorway = "highway", trunk = "major_road", primary = "major_road", secondary = "major_road",
                     tertiary = "minor_road", unclassified = "minor_road", residential = "minor_road",
                     living_street = "minor_road", road = "minor_road" }
local landuse = { park = true, garden = true, playground = true, pitch = true, forest = true, grass = true,
                  meadow = true, cemetery = true, recreation_ground = true, village_green = true,
                  wood = true, scrub = true, beach = true }

function way_function(way)
  local highway = way:Find("highway")
  if way:Find("building") ~= "" then
    way:Layer("buildings", true)
    way:Attribute("kind", "building")
  elseif way:Find("natural") == "water" or way:Find("waterway") == "riverbank" or way:Find("waterway") == "dock" then
    way:Layer("water", true)
    way:Attribute("kind", "water")
  elseif landuse[way:Find("leisure")] or landuse[way:Find("landuse")] or landuse[way:Find("natural")] then
    way:Layer("landuse", true)
    way:Attribute("kind", "park")
  elseif highway ~= "" then
    way:Layer("roads", false)
    way:Attribute("kind", road_kinds[highway:gsub("_link", "")] or "other")
    way:Attribute("kind_detail", highway)
    if way:Find("name") ~= "" then way:Attribute("name", way:Find("name")) end
  end
end
