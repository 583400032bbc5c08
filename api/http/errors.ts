import type { ErrorRequestHandler, RequestHandler } from 'express';
import { z } from 'zod';
import { DomainFailure, type FailureKind } from '../../domain/failures';
import type { Logger } from '../../infra/logger';
import { isTransientServiceError } from './transient-errors';

export const ErrorDetail = z
  .object({
    path: z
      .string()
      .describe('The failing field, dotted (`items.0.quantity`, `query.limit`); empty for the whole body'),
    message: z.string(),
  })
  .meta({ id: 'ErrorDetail' });
export type ErrorDetail = z.infer<typeof ErrorDetail>;

/** The one shape of every error the API answers. */
export const ErrorEnvelope = z
  .object({
    error: z.object({
      code: z
        .string()
        .describe(
          'Stable, machine-readable: VALIDATION_FAILED, MALFORMED_JSON, BAD_REQUEST, UNAUTHENTICATED, FORBIDDEN, ' +
            'NOT_FOUND, CONFLICT, PAYLOAD_TOO_LARGE, UNSUPPORTED_MEDIA_TYPE, UNPROCESSABLE, IDEMPOTENCY_KEY_REUSED, ' +
            'SIGNATURE_INVALID, RATE_LIMITED, INTERNAL, UNAVAILABLE; more may be added',
        ),
      message: z.string().describe('For people; may change'),
      details: z.array(ErrorDetail),
    }),
  })
  .meta({ id: 'ErrorEnvelope' });
export type ErrorEnvelope = z.infer<typeof ErrorEnvelope>;

/** An error the client can act on; becomes the contract's error envelope. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[] = [],
    /** Headers the answer carries (e.g. `Retry-After` on a 429). */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'ApiError';
    Object.setPrototypeOf(this, ApiError.prototype);
  }
}

/** The one mapping of the failure vocabulary (`domain/failures.ts`) to HTTP: a status and the contract's code. */
export const httpOfFailure: Record<FailureKind, { status: number; code: string }> = {
  invalid: { status: 400, code: 'VALIDATION_FAILED' },
  forbidden: { status: 403, code: 'FORBIDDEN' },
  not_found: { status: 404, code: 'NOT_FOUND' },
  conflict: { status: 409, code: 'CONFLICT' },
  unprocessable: { status: 422, code: 'UNPROCESSABLE' },
  too_large: { status: 413, code: 'PAYLOAD_TOO_LARGE' },
  unavailable: { status: 503, code: 'UNAVAILABLE' },
};

/** A domain refusal as the API answers it. */
export function apiErrorOf(failure: DomainFailure): ApiError {
  const { status, code } = httpOfFailure[failure.kind];
  return new ApiError(status, code, failure.message, failure.details);
}

const refusal = (kind: FailureKind, message: string, details: ErrorDetail[] = []) =>
  apiErrorOf(new DomainFailure(kind, message, details));

/** A 400 for one field that failed a rule the schema cannot check (an unknown id, a range). */
export const invalidField = (path: string, message: string) =>
  refusal('invalid', `${path}: ${message}`, [{ path, message }]);
export const notFound = (what: string) => refusal('not_found', `${what} not found`);
export const forbidden = (message = 'your role does not allow this') => refusal('forbidden', message);
export const conflict = (message: string) => refusal('conflict', message);
export const unprocessable = (message: string, details: ErrorDetail[] = []) =>
  refusal('unprocessable', message, details);
export const unavailable = (message: string) => refusal('unavailable', message);
export const tooManyAttempts = (seconds: number) =>
  new ApiError(429, 'RATE_LIMITED', `too many attempts; try again in ${seconds} s`, [], {
    'Retry-After': String(seconds),
  });

/** A 400 that lists each failing field of a zod validation. */
export function validationError(error: z.ZodError, prefix: string[] = []): ApiError {
  const details = error.issues.map((i) => ({
    path: [...prefix, ...i.path.map(String)].join('.'),
    message: i.message,
  }));
  const summary = details.map((d) => `${d.path || '(body)'}: ${d.message}`).join('; ');
  return new ApiError(400, 'VALIDATION_FAILED', `invalid request: ${summary}`, details);
}

export const jsonNotFound: RequestHandler = (req, _res, next) => {
  next(new ApiError(404, 'NOT_FOUND', `no route for ${req.method} ${req.path}`));
};

interface HttpParserError {
  type?: string;
  status?: number;
  expose?: boolean;
}

/** The one error handler: every error leaves as JSON; only our own faults are 5xx and logged as such. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    let apiError: ApiError;
    const parserError = err as HttpParserError;
    if (err instanceof ApiError) apiError = err;
    else if (err instanceof DomainFailure) apiError = apiErrorOf(err);
    else if (err instanceof z.ZodError) apiError = validationError(err);
    else if (parserError?.type === 'entity.too.large') {
      apiError = refusal('too_large', 'request body is too large');
    } else if (parserError?.type === 'entity.parse.failed') {
      apiError = new ApiError(400, 'MALFORMED_JSON', 'request body is not valid JSON');
    } else if (parserError?.expose && parserError.status && parserError.status < 500) {
      apiError = new ApiError(parserError.status, 'BAD_REQUEST', (err as Error).message);
    } else if (err instanceof URIError && parserError.status === 400) {
      // The router could not percent-decode a path parameter (e.g. /pledges/%E0%A4%A).
      apiError = new ApiError(400, 'BAD_REQUEST', 'the URL is not validly percent-encoded');
    } else if (isTransientServiceError(err)) {
      ((req as { log?: Logger }).log ?? logger).warn({ err }, 'a service is briefly unavailable');
      apiError = new ApiError(
        503,
        'UNAVAILABLE',
        'the engine is briefly unavailable (a service is restarting); please retry (creations with the same Idempotency-Key)',
      );
    } else {
      ((req as { log?: Logger }).log ?? logger).error({ err }, 'unhandled error');
      apiError = new ApiError(500, 'INTERNAL', 'internal error; the request id identifies it in the logs');
    }
    if (res.headersSent) return;
    // RFC 9110: a 401 names the scheme that would succeed; a 503 says when to try again.
    if (apiError.status === 401) res.setHeader('WWW-Authenticate', 'Bearer');
    if (apiError.status === 503) res.setHeader('Retry-After', '1');
    for (const [name, value] of Object.entries(apiError.headers)) res.setHeader(name, value);
    res.status(apiError.status).json({
      error: { code: apiError.code, message: apiError.message, details: apiError.details },
    });
  };
}
