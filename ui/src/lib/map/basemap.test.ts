import { describe, expect, it } from "vitest";
import { BASEMAP, FONTS, basemapLayers, basemapSource, fontStacks } from "./basemap";
import { baseStyle, layerStack } from "./layers";

// The glyph files shipped in ui/public (keys only; nothing is loaded).
const glyphFiles = Object.keys(import.meta.glob("../../../public/glyphs/*/*.pbf", { query: "?url" })).map((p) =>
  p.replace("../../../public/glyphs/", ""),
);

describe("basemap style", () => {
  it("styles the pack's tiles with the Protomaps light flavour, under everything of ours", () => {
    const stack = layerStack({ basemap: true });
    const ids = stack.map((l) => l.id);
    expect(new Set(ids).size).toBe(ids.length);
    const base = basemapLayers();
    expect(base.length).toBeGreaterThan(40);
    expect(ids.slice(0, base.length)).toEqual(base.map((l) => l.id));
    expect(base.every((l) => "source" in l && l.source === BASEMAP)).toBe(true);
    const layersOf = new Set(base.map((l) => ("source-layer" in l ? l["source-layer"] : "")));
    for (const l of ["earth", "water", "landuse", "buildings", "roads", "places"]) expect(layersOf).toContain(l);
    // Street and place labels are there.
    expect(base.some((l) => l.type === "symbol" && l["source-layer"] === "roads")).toBe(true);
    expect(base.some((l) => l.type === "symbol" && l["source-layer"] === "places")).toBe(true);
  });

  it("uses only fonts whose glyphs ship with the app", () => {
    const stacks = fontStacks(basemapLayers());
    expect(stacks).toEqual([FONTS.bold, FONTS.italic, FONTS.regular].sort());
    for (const s of stacks) {
      const files = glyphFiles.filter((f) => f.startsWith(`${s}/`)).map((f) => f.slice(s.length + 1));
      // Latin, Latin Extended, Greek, Cyrillic, general punctuation at least.
      for (const range of ["0-255", "256-511", "768-1023", "1024-1279", "8192-8447"]) expect(files).toContain(`${range}.pbf`);
    }
  });

  it("asks nothing of the network: tiles from tiles://, glyphs from the app, no sprite", () => {
    const style = baseStyle();
    expect(style.sprite).toBeUndefined();
    expect(style.glyphs).toMatch(/^(http:\/\/localhost(:\d+)?|tauri:\/\/localhost)?\/glyphs\/\{fontstack\}\/\{range\}\.pbf$/);
    expect(basemapSource().tiles).toEqual(["tiles://localhost/{z}/{x}/{y}.mvt"]);
    const text = JSON.stringify(basemapLayers());
    expect(text).not.toMatch(/https?:\/\//);
  });
});
