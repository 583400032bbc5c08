/**
 * Formatting for people. Calendar dates (delivery windows, sessions) are the engine's UTC days; moments (due dates,
 * events) are shown relative ("in 3 days") and in the reader's own time zone on hover.
 */

const dateFmt = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  timeZone: 'UTC',
});
const monthFmt = new Intl.DateTimeFormat('en-GB', { month: 'short', year: 'numeric', timeZone: 'UTC' });
const localFmt = new Intl.DateTimeFormat('en-GB', {
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  timeZoneName: 'short',
});
const eurFmt = new Intl.NumberFormat('en-GB', {
  style: 'currency',
  currency: 'EUR',
  notation: 'compact',
  maximumFractionDigits: 1,
});

export const formatDate = (iso: string | null | undefined) => (iso ? dateFmt.format(new Date(iso)) : '—');
export const formatMonth = (iso: string | null | undefined) => (iso ? monthFmt.format(new Date(iso)) : '—');
/** The exact moment in the reader's time zone: "Tue, 2 Dec 2026, 01:52 CET". */
export const formatLocal = (iso: string | null | undefined) => (iso ? localFmt.format(new Date(iso)) : '—');
/** Kept for callers that want the exact moment inline. */
export const formatDateTime = formatLocal;
export const formatEur = (value: number | null | undefined) =>
  value === null || value === undefined ? '—' : eurFmt.format(value);
export const formatNumber = (value: number) => value.toLocaleString('en-GB');

/** "in 3 days", "2 hours ago": how far a moment is from now. */
export function relativeTime(iso: string, now = Date.now()): string {
  const diff = new Date(iso).getTime() - now;
  const abs = Math.abs(diff);
  const units: Array<[number, string]> = [
    [86_400_000, 'day'],
    [3_600_000, 'hour'],
    [60_000, 'minute'],
  ];
  for (const [ms, unit] of units) {
    if (abs >= ms) {
      const n = Math.round(abs / ms);
      const label = `${n} ${unit}${n === 1 ? '' : 's'}`;
      return diff >= 0 ? `in ${label}` : `${label} ago`;
    }
  }
  return diff >= 0 ? 'in under a minute' : 'just now';
}

/** "accept_with_conditions" → "Accept with conditions". */
export function humanize(code: string): string {
  const text = code
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[._-]+/g, ' ')
    .trim();
  return text.charAt(0).toUpperCase() + text.slice(1).toLowerCase();
}

/** "2 warnings" / "1 blocker". */
export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** A fresh random key for Idempotency-Key headers. */
export const newIdempotencyKey = () => crypto.randomUUID();
