import { describe, expect, it } from "vitest";
import type { SheetPreview } from "../bindings/SheetPreview";
import { itemText, previewLines } from "./sheets";

const preview = (stop: Partial<SheetPreview["stop"]> = {}): SheetPreview => ({
  title: "Run 2 — 2026-12-02",
  driver: "Ana",
  destroy: "Personal information: destroy this sheet after 2026-12-05.",
  stop: {
    number: 3, eta: "10:42", lat: 43.7, lon: 7.4, address: "12 rue Grimaldi", plus_code: null, landmark: null, cross_street: null, alias: "Marie",
    phone: null, access_notes: null, items: [], cold_chain: false, medical_priority: false, driver_notes: null,
    ...stop,
  },
});

describe("route sheet preview", () => {
  it("writes items as the sheets do: catalogued as a count, else quantity, unit and name", () => {
    expect(itemText({ quantity: 3, unit: "kg", name: "Rice 1 kg", catalogued: true, note: "" })).toBe("3 × Rice 1 kg");
    expect(itemText({ quantity: 2, unit: "tarp", name: "shelter", catalogued: false, note: "" })).toBe("2 tarp shelter");
    expect(itemText({ quantity: 1.5, unit: "L", name: "water", catalogued: false, note: "" })).toBe("1.5 L water");
  });

  it("adds the core's note and writes numbers as the core does (no .0, at most 3 decimals)", () => {
    expect(itemText({ quantity: 12, unit: "bottle", name: "Water 1.5 L", catalogued: true, note: " (18 L)" })).toBe("12 × Water 1.5 L (18 L)");
    expect(itemText({ quantity: 2.0, unit: "jerrycan", name: "Water jerrycan 10 L", catalogued: true, note: " (18 L) — instead of Water 5 L" }))
      .toBe("2 × Water jerrycan 10 L (18 L) — instead of Water 5 L");
    expect(itemText({ quantity: 0.33333, unit: "kg", name: "Rice", catalogued: true, note: "" })).toBe("0.333 × Rice");
    expect(itemText({ quantity: 6, unit: "L", name: "agua", catalogued: false, note: " (6 L)" })).toBe("6 L agua (6 L)");
  });

  it("lists only the always-there lines when the stop carries nothing optional", () => {
    expect(previewLines(preview(), "en")).toEqual([
      { kind: "title", text: "Run 2 — 2026-12-02" },
      { kind: "driver", text: "Driver: Ana" },
      { kind: "stop", text: "3 · 10:42 · Marie" },
      { kind: "address", text: "12 rue Grimaldi" },
      { kind: "destroy", text: "Personal information: destroy this sheet after 2026-12-05." },
    ]);
  });

  it("adds cross street, phone, access, driver notes, flags and items in order", () => {
    const lines = previewLines(
      preview({
        cross_street: "Rue Basse", phone: "+377 93 00 00 00", access_notes: "Gate 4521", driver_notes: "Dog in the yard",
        cold_chain: true, medical_priority: true,
        items: [
          { quantity: 6, unit: "L", name: "water", catalogued: false, note: "" },
          { quantity: 1, unit: "box", name: "Insulin kit", catalogued: true, note: "" },
          { quantity: 12, unit: "bottle", name: "Water 1.5 L", catalogued: true, note: " (18 L)" },
        ],
      }),
      "en",
    );
    expect(lines.map((l) => l.kind)).toEqual(["title", "driver", "stop", "address", "near", "phone", "access", "note", "flags", "item", "item", "item", "destroy"]);
    expect(lines.find((l) => l.kind === "near")?.text).toBe("near Rue Basse");
    expect(lines.find((l) => l.kind === "note")?.text).toBe("Note: Dog in the yard");
    expect(lines.find((l) => l.kind === "flags")?.text).toBe("❄ COLD CHAIN · ✚ MEDICAL PRIORITY");
    expect(lines.filter((l) => l.kind === "item").map((l) => l.text)).toEqual(["6 L water", "1 × Insulin kit", "12 × Water 1.5 L (18 L)"]);
  });

  it("says the fixed words in the sheets' language, whatever the app's language", () => {
    const lines = previewLines(preview({ cross_street: "Calle Mayor", medical_priority: true }), "es");
    expect(lines.find((l) => l.kind === "driver")?.text).toBe("Conductor: Ana");
    expect(lines.find((l) => l.kind === "near")?.text).toBe("cerca de Calle Mayor");
    expect(lines.find((l) => l.kind === "flags")?.text).toBe("✚ PRIORIDAD MÉDICA");
    expect(previewLines(preview({ cross_street: "Rue Basse" }), "fr").find((l) => l.kind === "near")?.text).toBe("près de Rue Basse");
  });
});
