import { describe, expect, it } from "vitest";
import type { PlanChoices } from "../bindings/PlanChoices";
import type { ShiftChoice } from "../bindings/ShiftChoice";
import {
  OUTCOMES, UNSERVED_REASONS, VIOLATIONS, buildRequest, clampSeconds, dayStart, defaultForm, dispatchSummary, fitsShift, formProblem, fraction, groupUnserved, historyKey, hhmm,
  hoursMinutes, isTextField, km, problemCount, problemsByStop, sortPlans, stockByDepot, usableShifts,
} from "./board";
import { run, view } from "./fixture";
import { en } from "../i18n/en";

const shift = (id: string, idle: string | null = null): ShiftChoice => ({
  shift_id: id, driver: `D${id}`, vehicle: idle === "no_vehicle" ? null : "Van", site_id: "s1", site_name: "Depot",
  starts_at: "2026-03-02T08:00:00Z", ends_at: "2026-03-02T12:00:00Z", capacity_kg: 300, capacity_l: 400, cooler: false,
  high_clearance: false, idle,
});
const choices = (over: Partial<PlanChoices> = {}): PlanChoices => ({
  needs: 12, households: 9, in_other_drafts: 0, shifts: [shift("a"), shift("b"), shift("c", "no_vehicle")],
  depots: [["s1", "Depot"], ["s2", "Church"]], existing_draft: null, duplicates: 0, ...over,
});

describe("planning board set-up", () => {
  it("starts with everything chosen and sends 'all' as [] and null", () => {
    const form = defaultForm("2026-03-02");
    const req = buildRequest(form, choices(), 42);
    expect(req).toEqual({
      day: "2026-03-02", day_start: new Date(2026, 2, 2).toISOString(), urgencies: [], categories: [], area: null,
      shift_ids: null, site_ids: null, household_ids: null, seconds: 10, seed: 42n,
    });
    expect(usableShifts(choices())).toEqual(["a", "b"]);
    expect(formProblem(form, choices())).toBeNull();
  });

  it("sends only what is ticked, in the vocabulary's order", () => {
    const form = { ...defaultForm("2026-03-02"), urgencies: ["low" as const, "critical" as const], categories: ["food" as const], excludedShifts: ["b"], excludedDepots: ["s1"], seconds: 30 };
    form.area = { type: "Polygon", coordinates: [[[7, 43], [8, 43], [8, 44], [7, 43]]] };
    const req = buildRequest(form, choices(), 1);
    expect(req.urgencies).toEqual(["critical", "low"]);
    expect(req.categories).toEqual(["food"]);
    expect(req.shift_ids).toEqual(["a"]);
    expect(req.site_ids).toEqual(["s2"]);
    expect(req.area).toEqual(form.area);
    expect(req.seconds).toBe(30);
    // An idle shift left unticked does not make the choice partial.
    expect(buildRequest({ ...defaultForm("2026-03-02"), excludedShifts: ["c"] }, choices(), 1).shift_ids).toBeNull();
  });

  it("computes the local midnight of the day", () => {
    const start = new Date(dayStart("2026-10-25"));
    expect([start.getFullYear(), start.getMonth(), start.getDate(), start.getHours(), start.getMinutes()]).toEqual([2026, 9, 25, 0, 0]);
  });

  it("says what keeps it from planning", () => {
    const ok = defaultForm("2026-03-02");
    expect(formProblem({ ...ok, day: "" }, choices())).toBe("plan.setup.pick_day");
    expect(formProblem({ ...ok, urgencies: [] }, choices())).toBe("plan.setup.pick_urgency");
    expect(formProblem({ ...ok, categories: [] }, choices())).toBe("plan.setup.pick_category");
    expect(formProblem({ ...ok, seconds: 0 }, choices())).toBe("plan.setup.seconds_range");
    expect(formProblem({ ...ok, seconds: 601 }, choices())).toBe("plan.setup.seconds_range");
    expect(formProblem({ ...ok, seconds: 2.5 }, choices())).toBe("plan.setup.seconds_range");
    expect(formProblem(ok, choices({ shifts: [shift("c", "no_start_site")] }))).toBe("plan.setup.no_shifts");
    expect(formProblem({ ...ok, excludedShifts: ["a", "b"] }, choices())).toBe("plan.setup.pick_shift");
    expect(formProblem({ ...ok, excludedDepots: ["s1", "s2"] }, choices())).toBe("plan.setup.pick_depot");
    expect(formProblem(ok, choices({ needs: 0, households: 0 }))).toBe("plan.setup.no_needs");
    expect(formProblem(ok, null)).toBeNull();
    expect([clampSeconds(0), clampSeconds(42.4), clampSeconds(9999), clampSeconds(Number.NaN)]).toEqual([1, 42, 600, 10]);
  });
});

describe("planning board review", () => {
  it("formats local times, durations and distances", () => {
    const nine = new Date(2026, 2, 2, 9, 5).toISOString();
    expect(hhmm(nine)).toBe("09:05");
    expect(hhmm("nonsense")).toBe("");
    expect(hoursMinutes(3600 + 29 * 60 + 40)).toEqual({ h: 1, m: 30 });
    expect(hoursMinutes(59n)).toEqual({ h: 0, m: 1 });
    expect(hoursMinutes(-5)).toEqual({ h: 0, m: 0 });
    expect(km(12345)).toBe("12.3");
    expect(fraction(150, 300)).toBe(0.5);
    expect(fraction(5, 0)).toBeNull();
  });

  it("checks the shift fit and sorts violations by stop", () => {
    expect(fitsShift(run("r", []))).toBe(true);
    expect(fitsShift(run("r", [], { back: "2026-03-02T13:30:00Z" }))).toBe(false);
    expect(fitsShift(run("r", [], { departure: "2026-03-02T07:30:00Z" }))).toBe(false);
    const v = view();
    expect([...problemsByStop(v.runs[1])]).toEqual([["c", ["late"]], ["", ["after_shift"]]]);
    expect(problemCount(v)).toBe(2);
  });

  it("adds up stock per depot and flags what does not fit", () => {
    const rows = stockByDepot([
      { site_id: "s1", site_name: "Depot", item_id: "w", item_name: "Water", quantity: 30, on_hand: 50, reserved_elsewhere: 20 },
      { site_id: "s1", site_name: "Depot", item_id: "f", item_name: "Food", quantity: 5, on_hand: 8, reserved_elsewhere: 4 },
      { site_id: "s2", site_name: "Church", item_id: "w", item_name: "Water", quantity: 2.5, on_hand: 10, reserved_elsewhere: 0 },
    ]);
    expect(rows.map((d) => [d.site_name, d.lines.map((l) => [l.item_name, l.available, l.fits])])).toEqual([
      ["Depot", [["Water", 30, true], ["Food", 4, false]]],
      ["Church", [["Water", 10, true]]],
    ]);
    const v = { ...view(), stock: rows.flatMap((d) => d.lines) };
    expect(dispatchSummary(v)).toEqual({ items: 37.5, depots: 2, needs: 3 });
  });

  it("groups unserved needs by reason, removed first", () => {
    const v = view();
    const extra = { ...v.unserved[1], need_id: "x", reason: "something_new" };
    const groups = groupUnserved([v.unserved[1], extra, v.unserved[0], { ...v.unserved[1], need_id: "y" }]);
    expect(groups.map((g) => [g.reason, g.needs.length])).toEqual([["removed", 1], ["not_chosen", 2], ["something_new", 1]]);
  });

  it("lists saved plans newest first, discarded ones on request", () => {
    const info = view().info;
    const plans = [
      { ...info, id: "1", day: "2026-03-01" },
      { ...info, id: "2", day: "2026-03-03", status: "discarded" as const },
      { ...info, id: "3", day: "2026-03-02" },
    ];
    expect(sortPlans(plans, false).map((p) => p.id)).toEqual(["3", "1"]);
    expect(sortPlans(plans, true).map((p) => p.id)).toEqual(["2", "3", "1"]);
  });

  it("knows undo and redo keys, and leaves text fields their own", () => {
    const key = (k: string, mods: Partial<{ ctrlKey: boolean; metaKey: boolean; shiftKey: boolean; altKey: boolean }> = {}) =>
      historyKey({ key: k, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...mods });
    expect(key("z", { ctrlKey: true })).toBe("undo");
    expect(key("Z", { ctrlKey: true, shiftKey: true })).toBe("redo");
    expect(key("y", { ctrlKey: true })).toBe("redo");
    expect(key("z", { metaKey: true })).toBe("undo");
    expect(key("z")).toBeNull();
    expect(key("z", { ctrlKey: true, altKey: true })).toBeNull();
    const input = (type: string) => Object.assign(document.createElement("input"), { type });
    expect(isTextField(input("text"))).toBe(true);
    expect(isTextField(input("number"))).toBe(true);
    expect(isTextField(input("checkbox"))).toBe(false);
    expect(isTextField(document.createElement("textarea"))).toBe(true);
    expect(isTextField(document.createElement("select"))).toBe(false);
    expect(isTextField(document.createElement("button"))).toBe(false);
    expect(isTextField(null)).toBe(false);
  });
});

describe("planning board words", () => {
  it("has a message for every reason, violation, outcome, status and idle shift the backend names", () => {
    const keys = [
      ...UNSERVED_REASONS.map((r) => `plan.reason.${r}`),
      ...VIOLATIONS.map((v) => `plan.violation.${v}`),
      ...OUTCOMES.map((o) => `plan.outcome.${o}`),
      ...["draft", "dispatched", "completed", "discarded"].map((s) => `plan.status.${s}`),
      ...["no_vehicle", "no_start_site"].map((i) => `plan.idle.${i}`),
    ];
    for (const k of keys) expect(en, k).toHaveProperty([k]);
  });
});
