// The household list's count line: how many are shown, how many of them are on the map, and
// why the rest are not. Only numbers the UI holds exactly (the page, its total, the pins of the
// active households, the imported rows waiting for a pin); no extra backend call.
import { t } from "./i18n/index.svelte";

export type ListCounts = {
  shown: number;
  total: number;
  /** "all": on/off count every household of the query; "shown": only the rows loaded so far. */
  scope: "all" | "shown";
  onMap: number;
  /** Households of the scope without a pin: closed ones (every household has a location, but
   * only active households are drawn). */
  offMap: number;
};

/**
 * Every household has coordinates; the map draws the active ones (`pins`). So:
 * - every row of the query is loaded: count them against the pins (exact);
 * - no search text: the query is every household, the pins are its active part (exact);
 * - a search with more rows than loaded: only the loaded rows can be counted, and the line
 *   says "of these".
 */
export function listCounts(o: {
  query: string;
  total: number;
  items: readonly { id: string }[];
  pinIds: ReadonlySet<string>;
}): ListCounts {
  const { total, items, pinIds } = o;
  const shown = items.length;
  const loadedOnMap = () => items.reduce((n, h) => n + (pinIds.has(h.id) ? 1 : 0), 0);
  if (shown >= total) {
    const onMap = loadedOnMap();
    return { shown, total, scope: "all", onMap, offMap: shown - onMap };
  }
  if (o.query.trim() === "") {
    const onMap = Math.min(pinIds.size, total);
    return { shown, total, scope: "all", onMap, offMap: total - onMap };
  }
  const onMap = loadedOnMap();
  return { shown, total, scope: "shown", onMap, offMap: shown - onMap };
}

/** "Showing 100 of 300 · 289 on the map (11 closed, not on the map) · 4 imported rows without
 * a location". */
export function countLine(c: ListCounts, pending = 0): string {
  const parts = [t("search.showing", { shown: c.shown, total: c.total })];
  if (c.scope === "all") {
    const off = c.offMap > 0 ? ` ${t("search.off_map", { count: c.offMap })}` : "";
    parts.push(t("search.on_map", { count: c.onMap }) + off);
  } else {
    parts.push(t("search.shown_on_map", { count: c.onMap, shown: c.shown }));
  }
  if (pending > 0) parts.push(t("search.pending", { count: pending }));
  return parts.join(" · ");
}
