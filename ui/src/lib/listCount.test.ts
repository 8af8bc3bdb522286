import { describe, expect, it } from "vitest";
import { setLanguage } from "./i18n/index.svelte";
import { countLine, listCounts } from "./listCount";

const rows = (n: number, prefix = "h") => Array.from({ length: n }, (_, i) => ({ id: `${prefix}${i}` }));
const ids = (...lists: { id: string }[][]) => new Set(lists.flat().map((r) => r.id));

describe("household list count line", () => {
  it("counts the whole list against the pins when there is no search (closed households have no pin)", () => {
    setLanguage("en");
    // 300 households, 100 loaded; 289 active (pins), 11 closed.
    const pinIds = ids(rows(289));
    const c = listCounts({ query: "", total: 300, items: rows(100), pinIds });
    expect(c).toEqual({ shown: 100, total: 300, scope: "all", onMap: 289, offMap: 11 });
    expect(countLine(c)).toBe("Showing 100 of 300 · 289 on the map (11 closed, not on the map)");
    expect(countLine(c, 4)).toBe("Showing 100 of 300 · 289 on the map (11 closed, not on the map) · 4 imported rows without a location");
    expect(countLine(c, 1)).toContain("· 1 imported row without a location");
  });

  it("counts exactly when every row of a search is loaded", () => {
    setLanguage("en");
    const items = [...rows(18, "a"), ...rows(2, "c")];
    const c = listCounts({ query: "rue", total: 20, items, pinIds: ids(rows(18, "a"), rows(500, "z")) });
    expect(c).toEqual({ shown: 20, total: 20, scope: "all", onMap: 18, offMap: 2 });
    expect(countLine(c)).toBe("Showing 20 of 20 · 18 on the map (2 closed, not on the map)");
    const all = listCounts({ query: "rue", total: 3, items: rows(3), pinIds: ids(rows(3)) });
    expect(countLine(all)).toBe("Showing 3 of 3 · 3 on the map");
  });

  it("says 'of these' when a search has more rows than are loaded", () => {
    setLanguage("en");
    const items = rows(100);
    const c = listCounts({ query: "a", total: 300, items, pinIds: ids(rows(97), rows(50, "other")) });
    expect(c).toEqual({ shown: 100, total: 300, scope: "shown", onMap: 97, offMap: 3 });
    expect(countLine(c)).toBe("Showing 100 of 300 · 97 of these 100 on the map");
  });

  it("never counts more on the map than in the list", () => {
    const c = listCounts({ query: "  ", total: 5, items: rows(2), pinIds: ids(rows(9)) });
    expect(c.onMap).toBe(5);
    expect(c.offMap).toBe(0);
  });

  it("speaks Spanish and French, singular and plural", () => {
    const c = listCounts({ query: "", total: 120, items: rows(100), pinIds: ids(rows(119)) });
    setLanguage("es");
    expect(countLine(c, 2)).toBe("Mostrando 100 de 120 · 119 en el mapa (1 cerrado, fuera del mapa) · 2 filas importadas sin ubicación");
    setLanguage("fr");
    expect(countLine(c, 1)).toBe("100 sur 120 affichés · 119 sur la carte (1 fermé, hors de la carte) · 1 ligne importée sans position");
    setLanguage("en");
  });
});
