import { describe, expect, it } from "vitest";
import { actionCounts, filterOf } from "./selection";

describe("the selection's filter", () => {
  it("becomes the backend's filter, empty parts left out", () => {
    expect(filterOf({ urgencies: ["critical"], categories: [], status: "active", notVisitedDays: null })).toEqual({
      urgencies: ["critical"], categories: [], item_id: null, status: "active", area: null, not_visited_days: null,
    });
    expect(filterOf({ urgencies: [], categories: ["water"], status: "closed", notVisitedDays: 3.4 }).not_visited_days).toBe(3);
    expect(filterOf({ urgencies: [], categories: [], status: "active", notVisitedDays: 0 }).not_visited_days).toBeNull();
    const ring: [number, number][] = [[7.4, 43.7], [7.5, 43.7], [7.5, 43.8], [7.4, 43.7]];
    const f = filterOf({ urgencies: [], categories: [], status: "active", notVisitedDays: null, itemId: "w15", area: ring });
    expect([f.item_id, f.area]).toEqual(["w15", ring]);
  });

  it("counts what a confirmation asks about", () => {
    expect(actionCounts({ kind: "cancel_needs" }, 37)).toEqual({ households: 37 });
    expect(actionCounts(null, 37)).toEqual({ households: 0 });
  });
});
