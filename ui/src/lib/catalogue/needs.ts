// How a need's item and its place in planning are told: "12 × Water 1.5 L (18 L)", "waits for an
// item", "On run 3 (Inès H.) on 2026-12-05", "Not served on 2026-12-05: not enough …".
import type { Item } from "../bindings/Item";
import type { Need } from "../bindings/Need";
import type { NeedInput } from "../bindings/NeedInput";
import type { NeedPlanState } from "../bindings/NeedPlanState";
import type { MessageKey } from "../i18n/en";
import { toItemUnits, unitKey } from "./units";

/** What a need is loaded as, from the core's view of it. */
export type NeedItem =
  /** `units` × `name`; `asked` the quantity and unit asked when they were converted. */
  | { kind: "item"; units: number; name: string; asked: { quantity: number; unit: string } | null; byDefault: boolean }
  /** The item is known but the need's unit does not convert to it. */
  | { kind: "no_convert"; unit: string; name: string; byDefault: boolean }
  /** No item named and no default for the category. */
  | { kind: "waits" };

export function needItem(n: Need): NeedItem {
  if (n.item_source === "none" || !n.item_id || !n.item_name) return { kind: "waits" };
  const byDefault = n.item_source === "default";
  if (n.item_quantity === null) return { kind: "no_convert", unit: n.unit, name: n.item_name, byDefault };
  const converted = !!n.item_unit && unitKey(n.unit) !== unitKey(n.item_unit);
  return {
    kind: "item", units: n.item_quantity, name: n.item_name, byDefault,
    asked: converted ? { quantity: n.quantity, unit: n.unit } : null,
  };
}

/** Why a need is in the "to match" queue. */
export function toMatchReason(n: Need): "no_item" | "no_convert" | null {
  if (!n.item_id || n.item_source === "none") return "no_item";
  if (n.item_quantity === null) return "no_convert";
  return null;
}

/** A need as its input again, naming `item_id` (null: only the category). */
export function needToInput(n: Need, itemId: string | null = n.item_source === "named" ? n.item_id : null): NeedInput {
  return {
    category: n.category, item_id: itemId, quantity: n.quantity, unit: n.unit, urgency: n.urgency,
    requested_at: n.requested_at, wanted_by: n.wanted_by, notes: n.notes, notes_for_driver: n.notes_for_driver,
  };
}

/** The need naming `item` in `unit` (the category follows the item). */
export function matchedInput(n: Need, item: Item, quantity: number, unit: string): NeedInput {
  return { ...needToInput(n, item.id), category: item.category, quantity, unit };
}

/** A conversion preview: "18 L → 12 × Water 1.5 L" (converted), "12 × Water 1.5 L" (one for
 * one), or null (does not convert). Numbers are left to the caller's formatting. */
export function conversionPreview(
  quantity: number,
  unit: string,
  item: Pick<Item, "name" | "unit" | "contents_amount" | "contents_unit">,
): { units: number; name: string; asked: { quantity: number; unit: string } | null } | null {
  if (!(Number.isFinite(quantity) && quantity > 0)) return null;
  const c = toItemUnits(quantity, unit, item);
  if (!c) return null;
  return { units: c.units, name: item.name, asked: c.asked === null ? null : { quantity: c.asked, unit } };
}

type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

export const REASONS = [
  "item_not_chosen", "unit_not_convertible", "not_stocked", "not_enough_stock", "no_cooler", "high_clearance",
  "no_capacity", "unreachable", "outside_every_shift", "not_chosen", "household_not_active", "removed",
] as const;
export type Reason = (typeof REASONS)[number];

function isReason(r: string): r is Reason {
  return (REASONS as readonly string[]).includes(r);
}

/** Why a need was not served, in words. */
export function reasonText(s: NeedPlanState, t: Translate): string {
  const reason = s.reason ?? "removed";
  if (!isReason(reason)) return reason;
  const item = s.item_name ?? t("need_reason.its_item");
  const have = Math.max(0, s.quantity - (s.missing ?? s.quantity));
  return t(`need_reason.${reason}`, { item, have, quantity: s.quantity });
}

/** Where the need stands in planning, as one sentence. */
export function planStateText(s: NeedPlanState, t: Translate): string {
  if (s.run !== null) {
    return s.driver
      ? t("need_plan.on_run", { run: s.run, driver: s.driver, day: s.day })
      : t("need_plan.on_run_no_driver", { run: s.run, day: s.day });
  }
  return t("need_plan.not_served", { day: s.day, reason: reasonText(s, t) });
}
