// Operator profiles: the names this computer's volunteers pick at unlock, so the audit log says
// who did what. Kept in local storage (names only; nothing about households).

const KEY = "aidmap.operators";
const MAX = 20;

export function knownOperators(storage: Storage = localStorage): string[] {
  try {
    const list = JSON.parse(storage.getItem(KEY) ?? "[]");
    return Array.isArray(list) ? list.filter((x): x is string => typeof x === "string") : [];
  } catch {
    return [];
  }
}

/** The most recently used profile, or "" when none was ever chosen. */
export function lastOperator(storage: Storage = localStorage): string {
  return knownOperators(storage)[0] ?? "";
}

/** Moves `name` to the front of the list (most recent first). */
export function rememberOperator(name: string, storage: Storage = localStorage): string[] {
  const clean = name.trim();
  if (!clean) return knownOperators(storage);
  const list = [clean, ...knownOperators(storage).filter((n) => n !== clean)].slice(0, MAX);
  storage.setItem(KEY, JSON.stringify(list));
  return list;
}
