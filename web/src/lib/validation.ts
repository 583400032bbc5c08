import type { z } from 'zod';
import type { ErrorDetail } from '../api/client';

export type FieldErrors = Record<string, string>;

const valueAt = (obj: unknown, path: PropertyKey[]) =>
  path.reduce<unknown>(
    (v, k) => (v !== null && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[k] : undefined),
    obj,
  );

/** One message per field path ("items.0.quantity"), in words for people. */
export function zodFieldErrors(error: z.ZodError, input: unknown): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of error.issues) {
    const path = issue.path.map(String).join('.');
    if (out[path]) continue;
    const value = valueAt(input, issue.path);
    let message = issue.message;
    // Messages written in the shared schemas stay as they are; zod's generic ones are reworded.
    const generic = /^(Invalid|Too small|Too big)/.test(message);
    if (!generic) {
      out[path] = message;
      continue;
    }
    if (issue.code === 'invalid_type') {
      message = value === undefined || value === '' ? 'is required' : `must be a ${issue.expected}`;
    } else if (issue.code === 'too_small' && issue.origin === 'number') {
      message = issue.inclusive
        ? `must be at least ${String(issue.minimum)}`
        : `must be more than ${String(issue.minimum)}`;
    } else if (issue.code === 'too_big' && issue.origin === 'number') {
      message = `must be at most ${String(issue.maximum)}`;
    } else if (issue.code === 'too_big' && issue.origin === 'string') {
      message = `must be at most ${String(issue.maximum)} characters`;
    } else if (issue.code === 'too_small' && issue.origin === 'string') {
      // A trimmed `min(1)` is how the schemas say "not blank".
      message =
        Number(issue.minimum) <= 1 ? 'is required' : `must be at least ${String(issue.minimum)} characters`;
    } else if (issue.code === 'invalid_format' && issue.format === 'url') {
      message = 'must be a web address (https://…)';
    }
    out[path] = message;
  }
  return out;
}

/** The API's `error.details` as field errors (paths are the same dotted paths as the form's). */
export function serverFieldErrors(details: ErrorDetail[]): FieldErrors {
  const out: FieldErrors = {};
  for (const d of details) if (!out[d.path]) out[d.path] = d.message;
  return out;
}

/** "" → undefined, "12" → 12, "abc" → NaN (so the schema reports it). */
export const numberOrUndefined = (s: string): number | undefined => (s.trim() === '' ? undefined : Number(s));
