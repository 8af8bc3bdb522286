import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { autolockMinutes, DEFAULT_AUTOLOCK_MINUTES, setAutolockMinutes, watchIdle } from "./idle";
import { knownOperators, lastOperator, rememberOperator } from "./operator";

function memoryStorage(): Storage {
  const m = new Map<string, string>();
  return {
    get length() { return m.size; },
    clear: () => m.clear(),
    getItem: (k) => m.get(k) ?? null,
    key: (i) => [...m.keys()][i] ?? null,
    removeItem: (k) => void m.delete(k),
    setItem: (k, v) => void m.set(k, String(v)),
  };
}

describe("auto-lock timer", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("fires after the idle minutes and not while the user is active", () => {
    const target = new EventTarget();
    const onIdle = vi.fn();
    const stop = watchIdle(2, onIdle, target);
    vi.advanceTimersByTime(90_000);
    target.dispatchEvent(new Event("keydown"));
    vi.advanceTimersByTime(90_000);
    expect(onIdle).not.toHaveBeenCalled();
    vi.advanceTimersByTime(30_001);
    expect(onIdle).toHaveBeenCalledOnce();
    stop();
  });

  it("stops when asked and does nothing at 0 minutes", () => {
    const target = new EventTarget();
    const onIdle = vi.fn();
    watchIdle(1, onIdle, target)();
    watchIdle(0, onIdle, target);
    vi.advanceTimersByTime(10 * 60_000);
    expect(onIdle).not.toHaveBeenCalled();
  });

  it("keeps the preference, with a default", () => {
    const s = memoryStorage();
    expect(autolockMinutes(s)).toBe(DEFAULT_AUTOLOCK_MINUTES);
    setAutolockMinutes(0, s);
    expect(autolockMinutes(s)).toBe(0);
    setAutolockMinutes(25.7, s);
    expect(autolockMinutes(s)).toBe(25);
    setAutolockMinutes(100_000, s);
    expect(autolockMinutes(s)).toBe(480);
    s.setItem("aidmap.autolock_minutes", "nonsense");
    expect(autolockMinutes(s)).toBe(DEFAULT_AUTOLOCK_MINUTES);
  });
});

describe("operator profiles", () => {
  it("remembers names, most recent first, without duplicates or blanks", () => {
    const s = memoryStorage();
    expect(lastOperator(s)).toBe("");
    rememberOperator("Ana", s);
    rememberOperator(" Ben ", s);
    rememberOperator("Ana", s);
    rememberOperator("   ", s);
    expect(knownOperators(s)).toEqual(["Ana", "Ben"]);
    expect(lastOperator(s)).toBe("Ana");
    s.setItem("aidmap.operators", "{broken");
    expect(knownOperators(s)).toEqual([]);
  });
});
