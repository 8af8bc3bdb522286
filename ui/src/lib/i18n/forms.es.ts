// Spanish strings of the household and need forms (spread into es.ts). Keys and
// `{placeholders}` match forms.en.ts exactly.
import type { FormsMessages } from "./forms.en";

export const formsEs: FormsMessages = {
  "field.notes_for_driver": "Las notas son para el conductor: imprimirlas en las hojas de ruta",
  "field.notes_for_driver_hint": "Las notas sin marcar nunca salen de la aplicación.",
  "household.notes_for_driver": "Para el conductor: se imprimen en las hojas de ruta",
};
