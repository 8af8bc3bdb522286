// Pure helpers of the selection pane: the list filter as the backend's SelectionFilter, and
// what a confirmation says.
import type { BulkAction } from "./bindings/BulkAction";
import type { Category } from "./bindings/Category";
import type { HouseholdStatus } from "./bindings/HouseholdStatus";
import type { SelectionFilter } from "./bindings/SelectionFilter";
import type { Urgency } from "./bindings/Urgency";
import { CATEGORIES } from "./forms";

export const FILTER_CATEGORIES: Category[] = CATEGORIES;

export type FilterForm = {
  urgencies: Urgency[];
  categories: Category[];
  status: HouseholdStatus;
  /** "Not visited for N days" (empty: any). */
  notVisitedDays: number | null;
  /** With an open need of this catalogue item (null: any). */
  itemId?: string | null;
  /** Inside this area's outline, [lon, lat] ring (null: anywhere). */
  area?: [number, number][] | null;
};

export function filterOf(form: FilterForm): SelectionFilter {
  const days = form.notVisitedDays;
  return {
    urgencies: [...form.urgencies],
    categories: [...form.categories],
    item_id: form.itemId ?? null,
    status: form.status,
    area: form.area && form.area.length >= 4 ? form.area.map(([x, y]) => [x, y]) : null,
    not_visited_days: typeof days === "number" && Number.isFinite(days) && days > 0 ? Math.round(days) : null,
  };
}

/** What the confirmation counts: the selection's households (the backend says how many it
 *  actually changed afterwards, with the ones it left alone). */
export function actionCounts(action: BulkAction | null, selected: number): { households: number } {
  return { households: action ? selected : 0 };
}
