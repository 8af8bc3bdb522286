import { describe, expect, it } from "vitest";
import { dateLocale, formatDateTime, formatDay, formatTime, inputTime } from "./datetime";

describe("dates and times", () => {
  it("use the system's variant of the UI language, else the language's usual one", () => {
    expect(dateLocale("en", ["en-US", "fr-FR"])).toBe("en-US");
    expect(dateLocale("fr", ["en-US", "fr-CA"])).toBe("fr-CA");
    expect(dateLocale("es", ["en-US"])).toBe("es-ES");
    expect(dateLocale("en", ["fr-FR"])).toBe("en-GB");
  });
  it("are 24-hour in every locale, with the month as a word", () => {
    const at = new Date(2026, 11, 5, 14, 5);
    expect(formatTime(at, "en-US")).toBe("14:05");
    expect(formatTime(at, "en-GB")).toBe("14:05");
    expect(formatDay(at, "en-GB")).toMatch(/^Sat,? 5 Dec 2026$/);
    expect(formatDay(at, "fr-FR")).toContain("5 déc");
    expect(formatDateTime(at, "en-US")).toContain("14:05");
    expect(formatDateTime(at, "en-US")).toContain("Dec");
    expect(inputTime(at.toISOString())).toBe("14:05");
  });
});

describe("typed dates", () => {
  it("show and read dates in the locale's order", async () => {
    const { formatInputDate, parseInputDate } = await import("./datetime");
    expect(formatInputDate("2026-12-05", "en-GB")).toBe("05/12/2026");
    expect(formatInputDate("2026-12-05", "en-US")).toBe("12/05/2026");
    expect(formatInputDate("2026-12-05", "fr-FR")).toBe("05/12/2026");
    expect(parseInputDate("5.12.2026", "fr-FR")).toBe("2026-12-05");
    expect(parseInputDate("05/12/26", "es-ES")).toBe("2026-12-05");
    expect(parseInputDate("12/5/2026", "en-US")).toBe("2026-12-05");
    expect(parseInputDate("2026-12-05", "en-US")).toBe("2026-12-05");
    expect(parseInputDate("31/02/2026", "en-GB")).toBeNull();
    expect(parseInputDate("13/13/2026", "en-GB")).toBeNull();
    expect(parseInputDate("tomorrow", "en-GB")).toBeNull();
  });
});
