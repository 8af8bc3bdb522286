// French strings of the household and need forms (spread into fr.ts). Keys and `{placeholders}`
// match forms.en.ts exactly. Spaces before : ; ? ! are no-break spaces (U+00A0).
import type { FormsMessages } from "./forms.en";

export const formsFr: FormsMessages = {
  "field.notes_for_driver": "Les notes sont pour le chauffeur : les imprimer sur les feuilles de route",
  "field.notes_for_driver_hint": "Les notes non cochées ne sortent jamais de l’application.",
  "household.notes_for_driver": "Pour le chauffeur : imprimées sur les feuilles de route",
};
