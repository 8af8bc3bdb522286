// The route sheets' preview in the export dialog: one stop as a driver sees it, in the sheets'
// language (not the coordinator's), line by line in the order the sheets print them.
import type { SheetItem } from "../bindings/SheetItem";
import type { SheetLanguage } from "../bindings/SheetLanguage";
import type { SheetPreview } from "../bindings/SheetPreview";
import type { MessageKey } from "../i18n/en";
import { catalogues, format } from "../i18n/index.svelte";
import { number } from "./loads";

export const SHEET_LANGUAGES: SheetLanguage[] = ["en", "es", "fr"];

/** As the core's `SheetItem::text`: "12 × Water 1.5 L (18 L)" for a catalogue item (what is
 * loaded, with the note the core wrote in the sheets' language), "2 tarp shelter" otherwise. */
export function itemText(item: SheetItem): string {
  const q = number(item.quantity);
  return item.catalogued ? `${q} × ${item.name}${item.note}` : `${q} ${item.unit} ${item.name}${item.note}`;
}

export type PreviewLineKind = "title" | "driver" | "stop" | "address" | "near" | "phone" | "access" | "note" | "flags" | "item" | "destroy";
export type PreviewLine = { kind: PreviewLineKind; text: string };

/** A sheet word in the sheets' language (English where a catalogue lacks it). */
function word(language: SheetLanguage, key: MessageKey, params?: Record<string, string>): string {
  return format(catalogues[language]?.[key] ?? catalogues.en[key], params);
}

/** The preview's lines: title, driver, the stop (number · time · first name), address, then what the options let out. */
export function previewLines(p: SheetPreview, language: SheetLanguage): PreviewLine[] {
  const s = p.stop;
  const lines: PreviewLine[] = [
    { kind: "title", text: p.title },
    { kind: "driver", text: word(language, "plan.sheets.word.driver", { name: p.driver }) },
    { kind: "stop", text: [String(s.number), s.eta, s.alias].filter((x) => x).join(" · ") },
    // As the sheets print it: the address, or the plus code and landmark without one.
    { kind: "address", text: [s.address.trim() ? s.address : s.plus_code ?? "", s.landmark ?? ""].filter(Boolean).join(" · ") },
  ];
  if (s.cross_street) lines.push({ kind: "near", text: word(language, "plan.sheets.word.near", { street: s.cross_street }) });
  if (s.phone) lines.push({ kind: "phone", text: word(language, "plan.sheets.word.phone", { phone: s.phone }) });
  if (s.access_notes) lines.push({ kind: "access", text: word(language, "plan.sheets.word.access", { text: s.access_notes }) });
  if (s.driver_notes) lines.push({ kind: "note", text: word(language, "plan.sheets.word.note", { text: s.driver_notes }) });
  const flags = [
    s.cold_chain ? `❄ ${word(language, "plan.sheets.word.cold_chain")}` : null,
    s.medical_priority ? `✚ ${word(language, "plan.sheets.word.medical_priority")}` : null,
  ].filter((f): f is string => f !== null);
  if (flags.length) lines.push({ kind: "flags", text: flags.join(" · ") });
  for (const item of s.items) lines.push({ kind: "item", text: itemText(item) });
  lines.push({ kind: "destroy", text: p.destroy });
  return lines;
}
