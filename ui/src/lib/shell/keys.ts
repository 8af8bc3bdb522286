// Where a key press happened, for the window's single-key shortcuts.

/** Typing in a field: letters belong to it. */
export function typing(e: KeyboardEvent): boolean {
  const el = e.target as HTMLElement | null;
  return !!el && (el.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(el.tagName));
}

/** Single-key shortcuts are off while a form or a dialog has the focus (letters typed there
 *  must never reach the app: a space on a focused button, an "n" in a form), or a modal is open. */
export function inFormOrDialog(e: KeyboardEvent): boolean {
  const el = e.target as HTMLElement | null;
  return !!el?.closest?.("form, dialog, [role=dialog]") || !!document.querySelector("dialog[open]");
}

/** On a button, a link or a list option: Enter is theirs. */
export function onControl(e: KeyboardEvent): boolean {
  return !!(e.target as HTMLElement | null)?.closest("button, a, [role=option]");
}
