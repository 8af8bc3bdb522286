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
