// Labels of the native menu, from the i18n layer (the Rust side has no strings of its own).
import { t } from "./i18n/index.svelte";

export const MENU_KEYS = [
  "file", "new", "open", "open_recent", "no_recent", "import", "export", "region", "import_region", "use_basemap", "backup", "hub_network", "restore", "audit", "change_passphrase", "encrypt", "lock",
  "settings", "quit", "edit", "help", "open_demo", "about",
] as const;

export function menuLabels(): Record<string, string> {
  return Object.fromEntries(MENU_KEYS.map((k) => [k, t(`menu.${k}`)]));
}
