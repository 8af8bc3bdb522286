// The basemap: the region pack's vector tiles (Protomaps basemap schema, served by the app's
// `tiles://` scheme) styled by `@protomaps/basemaps`' light flavour, with the Noto Sans glyphs
// the app ships. Nothing here makes a request that leaves the machine: no sprite is set, and
// the icons the style names are answered with an empty image (`blankImage`).
import type { LayerSpecification, VectorSourceSpecification } from "maplibre-gl";
import { layers, namedFlavor } from "@protomaps/basemaps";

export const BASEMAP = "basemap";
/** Zooms the pack's tiles exist for (src/region/tiles.rs MIN_ZOOM..=MAX_ZOOM); MapLibre
 * over-zooms past the last one. */
export const TILE_ZOOMS = { min: 10, max: 15 } as const;

/** The fonts `make glyphs` writes: Debian's fonts-noto-core Noto Sans. */
export const FONTS = { regular: "Noto Sans Regular", bold: "Noto Sans Bold", italic: "Noto Sans Italic" } as const;

/** Glyph PBFs bundled with the UI, at the app's own origin. */
export const GLYPHS_URL = `${globalThis.location?.origin ?? ""}/glyphs/{fontstack}/{range}.pbf`;

/** Which basemap the map shows: the pack's zooms, and a key that changes with its tiles. */
export type BasemapSpec = { min: number; max: number; key: string };

/** The tile URL carries the key, so a new basemap never shows the old one's cached tiles. */
export function basemapSource(spec: BasemapSpec = { ...TILE_ZOOMS, key: "" }): VectorSourceSpecification {
  return {
    type: "vector",
    tiles: [`tiles://localhost/{z}/{x}/{y}.mvt${spec.key ? `?v=${encodeURIComponent(spec.key)}` : ""}`],
    minzoom: spec.min,
    maxzoom: spec.max,
    attribution: "© OpenStreetMap contributors",
  };
}

/** The basemap's layers, bottom to top (they go under everything else in `layerStack`); ids
 * prefixed so they never clash with ours. The style's own background is left out: the app's
 * base style has one. */
export function basemapLayers(lang = "en"): LayerSpecification[] {
  const flavor = { ...namedFlavor("light"), ...FONTS };
  return layers(BASEMAP, flavor, { lang })
    .filter((l) => l.type !== "background")
    .map((l) => ({ ...l, id: `basemap-${l.id}` }) as LayerSpecification);
}

/** Every font stack the basemap's labels use: each must have glyphs in `public/glyphs`. */
export function fontStacks(style: LayerSpecification[]): string[] {
  const found = new Set<string>();
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) {
      if (v.length > 0 && v.every((x) => typeof x === "string" && x.startsWith("Noto "))) v.forEach((x) => found.add(x as string));
      else v.forEach(walk);
    } else if (v && typeof v === "object") Object.values(v).forEach(walk);
  };
  for (const l of style) {
    if (l.type === "symbol") walk(l.layout?.["text-font"]);
  }
  return [...found].sort();
}

/** A 1×1 transparent image for icons the style names but no sprite provides. */
export const blankImage = { width: 1, height: 1, data: new Uint8Array(4) };
