import { randomUUID } from 'node:crypto';
import express from 'express';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import swaggerUi from 'swagger-ui-express';
import { z } from 'zod';
import type { ApiDeps } from './deps';
import { errorHandler, jsonNotFound } from './http/errors';
import { wellFormedBody } from './http/well-formed-body';
import { createApiMetrics } from './http/metrics';
import { mountRoutes } from './http/mount';
import { buildOpenApiDocument } from './http/openapi';
import { route, type RouteSpec } from './http/route';
import { metricsAccess } from './http/metrics-access';
import { authRoutes } from './routes/auth';
import { mountHealth, operationsEndpoints } from './routes/health';
import { apiRoutes } from './routes';
import { mountWebApp } from './web';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,100}$/;
const API_VERSION = '1.0.0';

const OpenApiDocument = z
  .record(z.string(), z.unknown())
  .meta({ id: 'OpenApiDocument', description: 'An OpenAPI 3.1 document' });

/** The OpenAPI document of these routes and of the operators' endpoints. */
export const apiDocument = (routes: RouteSpec[]) =>
  buildOpenApiDocument(routes, API_VERSION, operationsEndpoints);

/** Every documented route of the API (the OpenAPI document and the authorisation matrix use this list). */
export function allRoutes(deps: ApiDeps): RouteSpec[] {
  const routes = [...authRoutes(deps), ...apiRoutes(deps)];
  let document: unknown;
  routes.push(
    route({
      method: 'get',
      path: '/openapi.json',
      operationId: 'getOpenApiDocument',
      summary: 'This OpenAPI document',
      tag: 'meta',
      access: 'public',
      local: true,
      responses: { 200: { description: 'The OpenAPI 3.1 document of this API', schema: OpenApiDocument } },
      handler: async () => ({ status: 200, body: (document ??= apiDocument(routes)) }),
    }),
  );
  return routes;
}

/**
 * Stands in for every dependency when routes are built only to be described: any property is another stand-in,
 * any call does nothing. Handlers of routes built on it must never run.
 */
const describeOnly: ApiDeps = new Proxy(() => undefined, {
  get: (_target, key) => (key === 'then' ? undefined : describeOnly),
  apply: () => undefined,
}) as unknown as ApiDeps;

/** The route specs without any service (for the document, the generated client and the contract tests). */
export const describedRoutes = (): RouteSpec[] => allRoutes(describeOnly);

/** Express's `trust proxy` from TRUST_PROXY: a hop count, or addresses and subnets; nothing when unset. */
function trustProxySetting(setting: string | undefined): number | string | false {
  if (!setting) return false;
  return /^\d+$/.test(setting.trim()) ? Number(setting) : setting;
}

/** The Express application: security headers, logs with request ids, metrics, health, API, docs, web app. */
export function createApp(deps: ApiDeps) {
  const app = express();
  app.disable('x-powered-by');
  // No proxy is trusted unless one is named: otherwise a forged X-Forwarded-For would pick the client address.
  app.set('trust proxy', trustProxySetting(deps.config.TRUST_PROXY));
  app.set('query parser', 'simple');

  app.use(
    pinoHttp({
      logger: deps.logger,
      genReqId: (req, res) => {
        const given = req.headers['x-request-id'];
        const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/metrics' },
      // One short line per request: who asked what, and the outcome (headers stay out of the logs).
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({
          id: req.id,
          method: req.method,
          url: req.url,
        }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    }),
  );
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: { 'script-src': ["'self'"], 'img-src': ["'self'", 'data:'] },
      },
    }),
  );
  const metrics = createApiMetrics(deps);
  app.use(metrics.observe);

  const health = express.Router();
  mountHealth(health, deps);
  app.use(health);
  app.get('/metrics', metricsAccess(deps.config.METRICS_TOKEN), async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });

  app.use(express.json({ limit: deps.config.BODY_LIMIT, strict: true }));
  app.use(wellFormedBody);

  const routes = allRoutes(deps);
  app.use(
    '/api/docs',
    swaggerUi.serve,
    // customCss is given (empty) because swagger-ui-express otherwise writes the word `undefined` into its style.
    swaggerUi.setup(undefined, { swaggerOptions: { url: '/api/v1/openapi.json' }, customCss: '' }),
  );
  app.use('/api/v1', mountRoutes(routes, deps));
  app.use('/api', jsonNotFound);
  mountWebApp(app);
  app.use(jsonNotFound);
  app.use(errorHandler(deps.logger));
  return app;
}
