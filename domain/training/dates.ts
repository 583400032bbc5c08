const msPerDay = 86_400_000;

/** Days since 1970-01-01 for a YYYY-MM-DD date. */
export function dayOf(date: string): number {
  return Math.round(Date.parse(`${date.slice(0, 10)}T00:00:00Z`) / msPerDay);
}

/** The date (YYYY-MM-DD) `days` days after `date` (before it when negative). */
export function addDays(date: string, days: number): string {
  return new Date((dayOf(date) + days) * msPerDay).toISOString().slice(0, 10);
}
