import type { RequestHandler } from 'express';
import { ApiError } from './errors';

/** A UTF-16 surrogate that is not half of a pair: JSON may spell one (`"\ud800"`), UTF-8 and BSON cannot hold it. */
const LONE_SURROGATE = /\p{Cs}/u;

/** The dotted path of the first key or string in `value` that holds a lone surrogate, or null. */
export function lonelySurrogateAt(value: unknown, path: string[] = []): string | null {
  if (typeof value === 'string') return LONE_SURROGATE.test(value) ? path.join('.') : null;
  if (!value || typeof value !== 'object') return null;
  for (const [key, inner] of Object.entries(value)) {
    if (LONE_SURROGATE.test(key)) return [...path, key].join('.');
    const found = lonelySurrogateAt(inner, [...path, key]);
    if (found !== null) return found;
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
