// Native file dialogs for the window: an operation file to open or write, a file to import,
// a folder.
import { open as openDialog, save as saveDialog } from "@tauri-apps/plugin-dialog";
import { api } from "../api";
import { t } from "../i18n/index.svelte";

export const baseName = (path: string) => path.split(/[\\/]/).pop() ?? path;
export const today = () => new Date().toISOString().slice(0, 10);

const operationFilter = () => [{ name: t("dialog.file_filter"), extensions: ["aidmap"] }];

/** One file to open, by the native dialog (end-to-end tests answer it themselves). */
export async function pickFile(filter: string, extension: string): Promise<string | null> {
  const picked = await api.e2ePickFile().catch(() => null);
  if (picked) return picked;
  const file = await openDialog({ multiple: false, directory: false, filters: [{ name: filter, extensions: extension.split(";") }] });
  return typeof file === "string" ? file : null;
}

/** A folder, by the native dialog (end-to-end tests answer it themselves), starting in
 * `defaultPath` when given. */
export async function pickFolder(title?: string, defaultPath?: string): Promise<string | null> {
  const picked = await api.e2ePickFile().catch(() => null);
  if (picked) return picked;
  const folder = await openDialog({ title, defaultPath, multiple: false, directory: true });
  return typeof folder === "string" ? folder : null;
}

/** An operation file (or a backup of one) to open. */
export async function pickOperation(title?: string): Promise<string | null> {
  const path = await openDialog({ title, multiple: false, directory: false, filters: operationFilter() });
  return typeof path === "string" ? path : null;
}

/** Where to write an operation file; `.aidmap` is added when the name lacks it. */
export async function operationTarget(defaultPath: string, title?: string): Promise<string | null> {
  const path = await saveDialog({ title, defaultPath, filters: operationFilter() });
  if (!path) return null;
  return path.endsWith(".aidmap") ? path : `${path}.aidmap`;
}

/** Where to write a file of one kind (a report, figures), by the native save dialog (end-to-end
 * tests answer it themselves); `.ext` is added when the name lacks it. */
export async function saveTarget(defaultPath: string, filter: string, ext: string): Promise<string | null> {
  const picked = await api.e2ePickFile().catch(() => null);
  const path = picked ?? (await saveDialog({ defaultPath, filters: [{ name: filter, extensions: [ext] }] }));
  if (!path) return null;
  return path.toLowerCase().endsWith(`.${ext}`) ? path : `${path}.${ext}`;
}
