import type { RequestHandler } from 'express';
import { ApiError } from './errors';

/** A UTF-16 surrogate that is not half of a pair: JSON may spell one (`"\ud800"`), UTF-8 and BSON cannot hold it. */
const LONE_SURROGATE = /\p{Cs}/u;

/** A value still to look at, and how it was reached (its key and the node above it), to name it if it is bad. */
interface Visit {
  value: unknown;
  key: string | null;
  parent: Visit | null;
}

const pathOf = (visit: Visit, last?: string): string => {
  const keys: string[] = last === undefined ? [] : [last];
  for (let at: Visit | null = visit; at && at.key !== null; at = at.parent) keys.push(at.key);
  return keys.reverse().join('.');
};

/**
 * The dotted path of the first key or string in `value` that holds a lone surrogate, or null. It walks with a stack
 * of its own, not by recursion: a client may send JSON nested tens of thousands deep, which `JSON.parse` accepts
 * and a recursive walk would answer with a stack overflow.
 */
export function lonelySurrogateAt(value: unknown): string | null {
  const pending: Visit[] = [{ value, key: null, parent: null }];
  for (let visit = pending.pop(); visit; visit = pending.pop()) {
    if (typeof visit.value === 'string') {
      if (LONE_SURROGATE.test(visit.value)) return pathOf(visit);
      continue;
    }
    if (!visit.value || typeof visit.value !== 'object') continue;
    // Pushed last to first, so the first field is looked at first and named when several are bad.
    const entries = Object.entries(visit.value);
    for (const [key] of entries) if (LONE_SURROGATE.test(key)) return pathOf(visit, key);
    for (let i = entries.length - 1; i >= 0; i--)
      pending.push({ value: entries[i][1], key: entries[i][0], parent: visit });
  }
  return null;
}

/** Refuses a JSON body with text that cannot be stored, naming the field, before any route sees it. */
export const wellFormedBody: RequestHandler = (req, _res, next) => {
  const path = lonelySurrogateAt(req.body);
  if (path === null) return next();
  const message = 'must be well-formed Unicode text (it holds a lone surrogate)';
  next(
    new ApiError(400, 'VALIDATION_FAILED', `invalid request: ${path || '(body)'}: ${message}`, [
      { path, message },
    ]),
  );
};
