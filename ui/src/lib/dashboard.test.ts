import { beforeAll, describe, expect, it } from "vitest";
import type { DayOutcomes } from "./bindings/DayOutcomes";
import {
  coverText, dayChartData, decimal, isDay, localDate, lowCover, reasonKey, recentDays, reportFileName, reportLanguage, reportRequest, shortDay,
} from "./dashboard";
import { setLanguage, t } from "./i18n/index.svelte";

beforeAll(() => setLanguage("en"));

const outcomes = (delivered: number, partly: number, nobody_home: number, refused = 0, unsafe = 0) => ({
  delivered, partly, nobody_home, refused, unsafe, households_reached: delivered + partly,
});

describe("dashboard logic", () => {
  it("asks for a local date and its local midnight", () => {
    const r = reportRequest("2026-03-29");
    expect(r.day).toBe("2026-03-29");
    expect(r.day_start).toBe(new Date(2026, 2, 29).toISOString());
    expect(new Date(r.day_start).getHours()).toBe(0);
    expect(new Date(r.day_start).getDate()).toBe(29);
    expect(() => reportRequest("2026-02-31")).toThrow(RangeError);
    expect(() => reportRequest("29/03/2026")).toThrow(RangeError);
  });

  it("knows a real date and today's local date", () => {
    expect(isDay("2026-12-05")).toBe(true);
    expect(isDay("2026-13-01")).toBe(false);
    expect(isDay("2026-12-5")).toBe(false);
    expect(isDay("")).toBe(false);
    expect(localDate(new Date(2026, 0, 9, 23, 59))).toBe("2026-01-09");
    expect(shortDay("2026-12-05", "en-GB")).toBe("5 Dec");
  });

  it("writes days of cover with at most one decimal, — when nothing was issued", () => {
    expect(coverText(null)).toBe("—");
    expect(coverText(1.25)).toBe("1.3");
    expect(coverText(3)).toBe("3");
    expect(coverText(0)).toBe("0");
    expect(coverText(Number.POSITIVE_INFINITY)).toBe("—");
    expect(decimal(2.04)).toBe("2");
    expect(decimal(-0.01)).toBe("0");
    expect([lowCover(1.9), lowCover(2), lowCover(null), lowCover(0)]).toEqual([true, false, false, true]);
  });

  it("words the reason a critical need waits: its own keys, the planner's, else nothing", () => {
    expect(reasonKey("on_run")).toBe("dash.reason.on_run");
    expect(reasonKey("back_open")).toBe("dash.reason.back_open");
    expect(reasonKey("not_planned")).toBe("dash.reason.not_planned");
    expect(reasonKey("no_cooler")).toBe("plan.reason.no_cooler");
    expect(reasonKey("not_enough_stock")).toBe("plan.reason.not_enough_stock");
    expect(reasonKey("something_new")).toBeNull();
    expect(t(reasonKey("not_planned")!)).toBe("Not on any plan yet");
  });

  it("stacks each day's delivered and partly under the other outcomes", () => {
    const days: DayOutcomes[] = [
      { day: "2026-12-04", outcomes: outcomes(3, 1, 2, 1, 0), hours_on_runs: 5, drivers: 2 },
      { day: "2026-12-05", outcomes: outcomes(0, 0, 0), hours_on_runs: 0, drivers: 0 },
    ];
    const data = dayChartData(days, { handed: "Handed", other: "Other" }, (d) => d.slice(5));
    expect(data.labels).toEqual(["12-04", "12-05"]);
    expect(data.datasets.map((d) => [d.key, d.label, d.data])).toEqual([
      ["handed", "Handed", [4, 0]],
      ["other", "Other", [3, 0]],
    ]);
    expect(new Set(data.datasets.map((d) => d.stack)).size).toBe(1);
    expect(recentDays(days, 1).map((d) => d.day)).toEqual(["2026-12-05"]);
    expect(recentDays(days, 7).map((d) => d.day)).toEqual(["2026-12-05", "2026-12-04"]);
  });

  it("offers the UI language for the PDF and safe file names", () => {
    expect([reportLanguage("fr"), reportLanguage("es"), reportLanguage("en"), reportLanguage("de")]).toEqual(["fr", "es", "en", "en"]);
    expect(reportFileName("Flood: Nord/Sud", "situation-report", "2026-12-05", "pdf")).toBe("Flood- Nord-Sud-situation-report-2026-12-05.pdf");
    expect(reportFileName("  ", "figures", "2026-12-05", "csv")).toBe("aidmap-figures-2026-12-05.csv");
  });
});
