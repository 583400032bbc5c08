import express, { Router, type Request, type RequestHandler } from 'express';
import { can, type Principal } from '../../domain/permissions';
import type { Store } from '../../store';
import type { TokenService } from '../auth/tokens';
import { ApiError, forbidden, validationError } from './errors';
import { runIdempotently } from './idempotency';
import type { RouteResult, RouteSpec } from './route';

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal;
  }
}

const unauthenticated = (message: string) => new ApiError(401, 'UNAUTHENTICATED', message);

/**
 * Resolves the bearer token into a principal, or fails with a JSON 401. What an authenticated caller gets
 * depends on who it is (a liaison sees its nation only), so no shared cache may keep it and a browser must
 * revalidate it (the ETag makes that a 304 when nothing changed).
 */
export function authenticate(tokens: TokenService): RequestHandler {
  return async (req, res, next) => {
    const header = req.get('authorization');
    if (!header) return next(unauthenticated('missing Authorization: Bearer <token> header'));
    const match = /^Bearer ([A-Za-z0-9._~+/=-]+)$/.exec(header.trim());
    if (!match) return next(unauthenticated('Authorization header must be "Bearer <token>"'));
    try {
      req.principal = await tokens.verify(match[1]);
      res.setHeader('Cache-Control', 'private, no-cache');
      res.vary('Authorization');
      next();
    } catch {
      next(unauthenticated('invalid or expired token'));
    }
  };
}

function parse<T>(schema: RouteSpec['body'], value: unknown, where: string): T {
  if (!schema) return undefined as T;
  const result = schema.safeParse(value);
  if (!result.success) throw validationError(result.error, where === 'body' ? [] : [where]);
  return result.data as T;
}

/** The parameters a query schema names: any other is refused, so a misspelt filter is not silently ignored. */
function queryParameterNames(spec: RouteSpec): Set<string> {
  if (!spec.query) return new Set();
  const shape = (spec.query as { shape?: Record<string, unknown> }).shape;
  if (!shape)
    throw new Error(`${spec.method.toUpperCase()} ${spec.path}: the query schema must be an object`);
  return new Set(Object.keys(shape));
}

function refuseUnknownQuery(known: Set<string>, query: Record<string, unknown>) {
  const unknown = Object.keys(query).filter((k) => !known.has(k));
  if (!unknown.length) return;
  const accepted = known.size
    ? `this route takes ${[...known].join(', ')}`
    : 'this route takes no query parameters';
  throw new ApiError(
    400,
    'VALIDATION_FAILED',
    `unknown query parameter${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}; ${accepted}`,
    unknown.map((k) => ({ path: `query.${k}`, message: `unknown parameter; ${accepted}` })),
  );
}

function send(res: Parameters<RequestHandler>[1], result: RouteResult) {
  for (const [k, v] of Object.entries(result.headers ?? {})) res.setHeader(k, v);
  if (result.contentType) {
    res.status(result.status).type(result.contentType).send(result.body);
  } else if (result.body === undefined) {
    res.status(result.status).end();
  } else {
    res.status(result.status).json(result.body);
  }
}

const IDEMPOTENCY_KEY = /^[A-Za-z0-9._:-]{1,200}$/;

/** Mounts route specs on a router: authentication, permission, validation, idempotency, handler. */
export function mountRoutes(routes: RouteSpec[], deps: { tokens: TokenService; store: Store }): Router {
  const router = Router();
  const auth = authenticate(deps.tokens);
  for (const spec of routes) {
    const handlers: RequestHandler[] = [];
    const knownQuery = queryParameterNames(spec);
    if (spec.access !== 'public') {
      const action = spec.access;
      handlers.push(auth, (req, _res, next) => next(can(req.principal!, action) ? undefined : forbidden()));
    }
    const raw = spec.rawBody;
    // Raw bodies are read only after authentication and permission, and only for their route.
    if (raw) handlers.push(express.text({ type: raw.type, limit: raw.limit ?? '2mb' }));
    handlers.push(async (req: Request, res) => {
      if (raw) {
        if (spec.body && !req.is(raw.type)) {
          throw new ApiError(415, 'UNSUPPORTED_MEDIA_TYPE', `send the body as ${raw.type}`);
        }
        if (typeof req.body !== 'string') req.body = '';
      } else if (spec.body && (req.body === undefined || !req.is('application/json'))) {
        throw new ApiError(415, 'UNSUPPORTED_MEDIA_TYPE', 'send the body as application/json');
      }
      refuseUnknownQuery(knownQuery, req.query);
      const ctx = {
        req,
        res,
        principal: req.principal ?? { username: 'anonymous', roles: [], nation: null },
        params: parse(spec.params, req.params, 'params'),
        query: parse(spec.query, req.query, 'query'),
        body: parse(spec.body, req.body, 'body'),
      };
      const key = spec.idempotent ? req.get('idempotency-key') : undefined;
      if (key !== undefined && !IDEMPOTENCY_KEY.test(key)) {
        throw new ApiError(400, 'VALIDATION_FAILED', 'invalid Idempotency-Key', [
          {
            path: 'headers.idempotency-key',
            message: 'must be 1-200 characters of letters, digits, . _ : -',
          },
        ]);
      }
      const result = key
        ? await runIdempotently(
            deps.store,
            { principal: ctx.principal.username, key, route: `${spec.method} ${req.path}`, body: req.body },
            () => spec.handler(ctx),
          )
        : await spec.handler(ctx);
      send(res, result);
    });
    router[spec.method](spec.path, ...handlers);
  }
  return router;
}
