// Keeping keyboard focus on the control that was used while the board re-renders a plan: a
// moved stop's row is a new place in the list (and may lose focus when the list is redrawn).
export type FocusKey = { stop: string | null; run: string | null; testid: string | null };

/** What the focused element is, by its stop, run and test id (null outside `root`). */
export function focusKey(root: HTMLElement | undefined, el: Element | null): FocusKey | null {
  if (!(el instanceof HTMLElement) || !root?.contains(el)) return null;
  return {
    stop: el.closest<HTMLElement>("[data-stop-id]")?.dataset.stopId ?? null,
    run: el.closest<HTMLElement>("[data-run-id]")?.dataset.runId ?? null,
    testid: el.dataset.testid ?? null,
  };
}

/** Focuses the same control again if focus was lost: the same button of the same stop (or run),
 * else the stop's main button, else, for a stop taken off the runs, the unserved heading. */
export function restoreFocus(root: HTMLElement | undefined, key: FocusKey | null): void {
  const active = document.activeElement;
  if (!key || !root || (active instanceof HTMLElement && active !== document.body && root.contains(active))) return;
  const scope = key.stop
    ? root.querySelector(`[data-testid=plan-stop][data-stop-id="${CSS.escape(key.stop)}"]`)
    : key.run
      ? root.querySelector(`[data-testid=plan-run-card][data-run-id="${CSS.escape(key.run)}"]`)
      : root;
  const target =
    (key.testid && scope?.querySelector<HTMLElement>(`[data-testid="${key.testid}"]:not(:disabled)`)) ||
    scope?.querySelector<HTMLElement>(".stop-main") ||
    (key.stop ? root.querySelector<HTMLElement>("[data-testid=plan-unserved] h3") : null);
  target?.focus();
}
