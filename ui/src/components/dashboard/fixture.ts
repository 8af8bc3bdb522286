// A day's report for the dashboard's tests: deliveries over 14 days, open needs, two critical
// needs waiting (one for a reason only the planner words), places, stock short and not
// issued, shifts ahead.
import type { DayOutcomes } from "../../lib/bindings/DayOutcomes";
import type { OutcomeCounts } from "../../lib/bindings/OutcomeCounts";
import type { Report } from "../../lib/bindings/Report";

const zero: OutcomeCounts = { delivered: 0, partly: 0, nobody_home: 0, refused: 0, unsafe: 0, households_reached: 0 };

function days(last: string, n: number): string[] {
  const [y, m, d] = last.split("-").map(Number);
  return Array.from({ length: n }, (_, i) => {
    const date = new Date(y, m - 1, d - (n - 1 - i));
    const p = (x: number) => String(x).padStart(2, "0");
    return `${date.getFullYear()}-${p(date.getMonth() + 1)}-${p(date.getDate())}`;
  });
}

/** The day `k` days after `day`. */
function after(day: string, k: number): string {
  const [y, m, d] = day.split("-").map(Number);
  const date = new Date(y, m - 1, d + k);
  const p = (x: number) => String(x).padStart(2, "0");
  return `${date.getFullYear()}-${p(date.getMonth() + 1)}-${p(date.getDate())}`;
}

export function report(day = "2026-12-05"): Report {
  const perDay: DayOutcomes[] = days(day, 14).map((d, i) => ({
    day: d,
    outcomes: i === 13 ? { delivered: 4, partly: 1, nobody_home: 2, refused: 1, unsafe: 0, households_reached: 5 } : i === 12 ? { ...zero, delivered: 2, households_reached: 2 } : zero,
    hours_on_runs: i === 13 ? 6.5 : i === 12 ? 3 : 0,
    drivers: i === 13 ? 2 : i === 12 ? 1 : 0,
  }));
  return {
    day,
    made_at: `${day}T14:05:00Z`,
    operation: "Flood Relief",
    today: { delivered: 4, partly: 1, nobody_home: 2, refused: 1, unsafe: 0, households_reached: 5 },
    last_7_days: { delivered: 6, partly: 1, nobody_home: 2, refused: 1, unsafe: 0, households_reached: 7 },
    since_start: { delivered: 31, partly: 3, nobody_home: 9, refused: 2, unsafe: 1, households_reached: 28 },
    per_day: perDay,
    open_needs: { total: 17, critical: 3, high: 5, normal: 6, low: 3, under_1_day: 4, days_1_to_3: 6, days_3_to_7: 5, over_7_days: 2 },
    oldest_critical: [
      {
        need_id: "n1", household_id: "hh-1", household_name: "Ana Secreta", category: "medicine", quantity: 2, unit: "boxes",
        requested_at: "2026-11-27T09:00:00Z", days_waiting: 8, reason: "no_cooler", text: "Needs a cooler; no vehicle on shift has one",
      },
      {
        need_id: "n2", household_id: "hh-2", household_name: "Bea Oculta", category: "water", quantity: 12, unit: "L",
        requested_at: "2026-12-04T09:00:00Z", days_waiting: 1, reason: "back_open", text: "A visit handed nothing over",
      },
      {
        need_id: "n3", household_id: "hh-3", household_name: "Carl Nuevo", category: "food", quantity: 1, unit: "parcel",
        requested_at: "2026-12-05T09:00:00Z", days_waiting: 0, reason: "brand_new_reason", text: "A reason the app has no words for",
      },
    ],
    areas_by: "places",
    areas: [
      {
        key: "place:Port", label: "Port", households: 12, open_needs: 9, critical_needs: 2, visits_7_days: 6, delivered_7_days: 5,
        outline: [[7.42, 43.73], [7.43, 43.73], [7.43, 43.74], [7.42, 43.74], [7.42, 43.73]],
      },
      {
        key: "place:Hill", label: "Hill", households: 5, open_needs: 0, critical_needs: 0, visits_7_days: 1, delivered_7_days: 1,
        outline: [[7.40, 43.73], [7.41, 43.73], [7.41, 43.74], [7.40, 43.74], [7.40, 43.73]],
      },
    ],
    stock: [
      { item_id: "it-water", item: "Water 1.5 L", unit: "bottle", on_hand: 30, reserved: 10, issued_per_day: 12.5, days_of_cover: 1.6 },
      { item_id: "it-rice", item: "Rice", unit: "kg", on_hand: 100, reserved: 0, issued_per_day: 5, days_of_cover: 20 },
      { item_id: "it-tarp", item: "Tarp", unit: "", on_hand: 8, reserved: 0, issued_per_day: 0, days_of_cover: null },
    ],
    volunteers: {
      active_drivers: 4,
      shifts_ahead: [1, 2, 3].map((k, i) => ({ day: after(day, k), shifts: 3 - i, with_vehicle: 2 - i })),
      vehicles_tomorrow: 2,
      coolers_tomorrow: 1,
      high_clearance_tomorrow: 0,
    },
  };
}

/** An operation with nothing recorded yet. */
export function emptyReport(day = "2026-12-05"): Report {
  return {
    ...report(day),
    today: zero,
    last_7_days: zero,
    since_start: zero,
    per_day: days(day, 14).map((d) => ({ day: d, outcomes: zero, hours_on_runs: 0, drivers: 0 })),
    open_needs: { total: 0, critical: 0, high: 0, normal: 0, low: 0, under_1_day: 0, days_1_to_3: 0, days_3_to_7: 0, over_7_days: 0 },
    oldest_critical: [],
    areas_by: "grid",
    areas: [],
    stock: [],
    volunteers: { active_drivers: 0, shifts_ahead: [], vehicles_tomorrow: 0, coolers_tomorrow: 0, high_clearance_tomorrow: 0 },
  };
}
