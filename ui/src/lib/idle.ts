// Auto-lock: calls `onIdle` once after `minutes` without keyboard, pointer or wheel input.
// The delay is an app preference (local storage); 0 switches auto-lock off.

const KEY = "aidmap.autolock_minutes";
export const DEFAULT_AUTOLOCK_MINUTES = 10;

/** The longest delay offered (8 hours, a long shift). */
export const MAX_AUTOLOCK_MINUTES = 480;

const clamp = (m: number) => Math.min(MAX_AUTOLOCK_MINUTES, Math.max(0, Math.floor(m)));

export function autolockMinutes(storage: Storage = localStorage): number {
  const v = Number(storage.getItem(KEY));
  return storage.getItem(KEY) === null || !Number.isFinite(v) || v < 0 ? DEFAULT_AUTOLOCK_MINUTES : clamp(v);
}

export function setAutolockMinutes(minutes: number, storage: Storage = localStorage) {
  storage.setItem(KEY, String(clamp(Number.isFinite(minutes) ? minutes : DEFAULT_AUTOLOCK_MINUTES)));
}

const EVENTS = ["keydown", "pointerdown", "pointermove", "wheel", "touchstart"] as const;

/** Starts watching; returns a function that stops. */
export function watchIdle(minutes: number, onIdle: () => void, target: EventTarget = window): () => void {
  if (minutes <= 0) return () => {};
  let timer: ReturnType<typeof setTimeout> | undefined;
  const reset = () => {
    clearTimeout(timer);
    timer = setTimeout(onIdle, minutes * 60_000);
  };
  for (const e of EVENTS) target.addEventListener(e, reset, { passive: true });
  reset();
  return () => {
    clearTimeout(timer);
    for (const e of EVENTS) target.removeEventListener(e, reset);
  };
}
