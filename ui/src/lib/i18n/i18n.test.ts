import { describe, expect, it } from "vitest";
// The reference is English as merged by index.svelte.ts: en.ts and the catalogues kept beside
// it (dashboard.*.ts).
import { catalogues, direction, en, format, pickLanguage, setLanguage, t, tk } from "./index.svelte";

describe("i18n", () => {
  it("has every English key, with the same placeholders, in every language", () => {
    const placeholders = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort();
    for (const [lang, cat] of Object.entries(catalogues)) {
      expect(Object.keys(cat).sort(), lang).toEqual(Object.keys(en).sort());
      for (const key of Object.keys(en) as (keyof typeof en)[]) {
        expect(cat[key].trim().length, `${lang} ${key}`).toBeGreaterThan(0);
        expect(placeholders(cat[key]), `${lang} ${key}`).toEqual(placeholders(en[key]));
      }
    }
  });

  it("follows the system language when supported, else English", () => {
    expect(pickLanguage(["es-MX", "en"])).toBe("es");
    expect(pickLanguage(["de-DE", "fr-CA"])).toBe("fr");
    expect(pickLanguage(["de"])).toBe("en");
  });

  it("switches language and sets the document direction", () => {
    setLanguage("fr");
    expect(t("needs.add")).toBe(catalogues.fr["needs.add"]);
    expect(document.documentElement.lang).toBe("fr");
    expect(document.documentElement.dir).toBe("ltr");
    setLanguage(null);
    expect(direction("ar")).toBe("rtl");
  });

  it("fills placeholders and translates vocabulary keys", () => {
    setLanguage("en");
    expect(format("{a} of {b}", { a: 1, b: 2 })).toBe("1 of 2");
    expect(t("search.showing", { shown: 3, total: 9 })).toBe("Showing 3 of 9");
    expect(t("map.count", { count: 96998 })).toBe("96,998 households on the map");
    expect(t("map.count", { count: 1 })).toBe("1 household on the map");
    expect(tk("category", "baby_supplies")).toBe("Baby supplies");
    expect(tk("category", "unheard_of")).toBe("unheard_of");
  });
});
