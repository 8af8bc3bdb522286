import { describe, expect, it } from "vitest";
import { dayBounds, hoursInto, localDay, localTime } from "./time";

describe("shift times", () => {
  it("makes RFC 3339 times with the local offset", () => {
    const t = localTime("2026-11-26", "08:30");
    expect(t).toMatch(/^2026-11-26T08:30:00[+-]\d\d:\d\d$/);
    expect(localDay(new Date(t))).toBe("2026-11-26");
    expect(hoursInto("2026-11-26", t)).toBeCloseTo(8.5);
  });

  it("bounds a local day, across a month end", () => {
    const b = dayBounds("2026-11-30");
    expect(b.from.startsWith("2026-11-30T00:00:00")).toBe(true);
    expect(b.until.startsWith("2026-12-01T00:00:00")).toBe(true);
  });
});
