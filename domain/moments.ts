/**
 * Moments (ISO 8601 instants) inside text meant for people: notification bodies say "due 2026-12-02T00:52:21Z",
 * which the web app shows in the reader's time and an e-mail shows as a readable UTC time.
 */

const ISO_MOMENT = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?Z/g;

/** Splits text around the ISO moments it contains. */
export function splitMoments(text: string): Array<{ text: string } | { iso: string }> {
  const parts: Array<{ text: string } | { iso: string }> = [];
  let last = 0;
  for (const m of text.matchAll(ISO_MOMENT)) {
    if (m.index > last) parts.push({ text: text.slice(last, m.index) });
    parts.push({ iso: m[0] });
    last = m.index + m[0].length;
  }
  if (last < text.length) parts.push({ text: text.slice(last) });
  return parts;
}

// UTC, named as such: an e-mail reaches people in several time zones and is read later than it is sent.
const utcMoment = new Intl.DateTimeFormat('en-GB', {
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
  timeZone: 'UTC',
});

/** "Wed, 2 Dec 2026, 00:52 UTC" for an ISO moment (the text itself when it is not one). */
export function readableUtc(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : `${utcMoment.format(date)} UTC`;
}

/** The text with each ISO moment in it made readable (UTC). */
export const withReadableMoments = (text: string): string =>
  splitMoments(text)
    .map((part) => ('iso' in part ? readableUtc(part.iso) : part.text))
    .join('');
