// A rough passphrase strength hint for the New operation dialog. It only guides the user; the
// core enforces the minimum length. Length matters most, so long plain-word phrases score well.

export const MIN_LENGTH = 8;
export type Strength = "too_short" | "weak" | "fair" | "strong";

export function strength(passphrase: string): Strength {
  const p = passphrase;
  if ([...p].length < MIN_LENGTH) return "too_short";
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((r) => r.test(p)).length;
  const distinct = new Set(p.toLowerCase()).size;
  const words = p.trim().split(/\s+/).filter((w) => w.length >= 3).length;
  let score = [...p].length >= 12 ? 2 : 1;
  if (classes >= 3) score++;
  if (words >= 3 || [...p].length >= 20) score++;
  if (distinct < 5) score = 1; // "aaaaaaaa", "abababab"
  return score >= 3 ? "strong" : score === 2 ? "fair" : "weak";
}
