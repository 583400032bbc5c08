import { timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { ApiError } from './errors';

/**
 * `/metrics` tells an outsider how busy the engine is and which routes fail, so it answers only the operators'
 * scraper, which sends `Authorization: Bearer <METRICS_TOKEN>`. Without a token configured it is off.
 */
export function metricsAccess(token: string | undefined): RequestHandler {
  const expected = token ? Buffer.from(`Bearer ${token}`) : null;
  return (req, _res, next) => {
    if (!expected)
      return next(new ApiError(404, 'NOT_FOUND', 'metrics are off: set METRICS_TOKEN to scrape them'));
    const given = Buffer.from(req.headers.authorization ?? '');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      return next(
        new ApiError(401, 'UNAUTHENTICATED', 'send the metrics token: Authorization: Bearer <METRICS_TOKEN>'),
      );
    }
    next();
  };
}
