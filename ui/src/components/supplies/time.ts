// Local days and times for shifts: the UI works in the computer's time zone and sends RFC 3339
// with its offset; the backend stores UTC.

/** `YYYY-MM-DD` of a date in local time. */
export function localDay(d: Date): string {
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

/** RFC 3339 with the local offset for a local day and `HH:MM`. */
export function localTime(day: string, hhmm: string): string {
  const [y, m, d] = day.split("-").map(Number);
  const [hh, mm] = hhmm.split(":").map(Number);
  const date = new Date(y, m - 1, d, hh, mm);
  const off = -date.getTimezoneOffset();
  const sign = off >= 0 ? "+" : "-";
  const p = (n: number) => String(Math.floor(Math.abs(n))).padStart(2, "0");
  return `${day}T${p(hh)}:${p(mm)}:00${sign}${p(off / 60)}:${p(off % 60)}`;
}

/** The bounds of a local day, for "available on" and the day view. */
export function dayBounds(day: string): { from: string; until: string } {
  const [y, m, d] = day.split("-").map(Number);
  const next = localDay(new Date(y, m - 1, d + 1));
  return { from: localTime(day, "00:00"), until: localTime(next, "00:00") };
}

/** Hours since local midnight of `day` (may be < 0 or > 24 for shifts crossing midnight). */
export function hoursInto(day: string, iso: string): number {
  const [y, m, d] = day.split("-").map(Number);
  return (new Date(iso).getTime() - new Date(y, m - 1, d).getTime()) / 3_600_000;
}

/** A time as the user reads it (24-hour, the UI's locale). */
export { formatTime as clock } from "../../lib/datetime";
