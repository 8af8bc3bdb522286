// English strings of the household and need forms added after en.ts grew long (spread into
// en.ts). Keys and `{placeholders}` must match forms.es.ts and forms.fr.ts exactly.
export const formsEn = {
  "field.notes_for_driver": "Notes are for the driver: print them on route sheets",
  "field.notes_for_driver_hint": "Unmarked notes never leave the app.",
  "household.notes_for_driver": "For the driver: printed on route sheets",
} as const;

export type FormsKey = keyof typeof formsEn;
export type FormsMessages = Record<FormsKey, string>;
