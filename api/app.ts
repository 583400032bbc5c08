import { randomUUID } from 'node:crypto';
import express from 'express';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import swaggerUi from 'swagger-ui-express';
import type { ApiDeps } from './deps';
import { errorHandler, jsonNotFound } from './http/errors';
import { createApiMetrics } from './http/metrics';
import { mountRoutes } from './http/mount';
import { buildOpenApiDocument } from './http/openapi';
import { route, type RouteSpec } from './http/route';
import { authRoutes, loginRateLimit } from './routes/auth';
import { mountHealth } from './routes/health';
import { apiRoutes } from './routes';
import { mountWebApp } from './web';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,100}$/;
const API_VERSION = '1.0.0';

/** Every documented route of the API (the OpenAPI document and the authorisation matrix use this list). */
export function allRoutes(deps: ApiDeps): RouteSpec[] {
  const routes = [...authRoutes(deps), ...apiRoutes(deps)];
  let document: unknown;
  routes.push(
    route({
      method: 'get',
      path: '/openapi.json',
      summary: 'This OpenAPI document',
      tag: 'meta',
      access: 'public',
      responses: { 200: { description: 'OpenAPI 3.1 document' } },
      handler: async () => ({ status: 200, body: (document ??= buildOpenApiDocument(routes, API_VERSION)) }),
    }),
  );
  return routes;
}

/** The Express application: security headers, logs with request ids, metrics, health, API, docs, web app. */
export function createApp(deps: ApiDeps) {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
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
        req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    }),
  );
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: { 'script-src': ["'self'", "'unsafe-inline'"], 'img-src': ["'self'", 'data:'] },
      },
    }),
  );
  const metrics = createApiMetrics(deps.queues);
  app.use(metrics.observe);

  const health = express.Router();
  mountHealth(health, deps);
  app.use(health);
  app.get('/metrics', async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });

  app.use(express.json({ limit: deps.config.BODY_LIMIT, strict: true }));
  app.post('/api/v1/auth/login', loginRateLimit(deps));

  const routes = allRoutes(deps);
  app.use('/api/docs', swaggerUi.serve, swaggerUi.setup(undefined, { swaggerOptions: { url: '/api/v1/openapi.json' } }));
  app.use('/api/v1', mountRoutes(routes, deps));
  app.use('/api', jsonNotFound);
  mountWebApp(app);
  app.use(jsonNotFound);
  app.use(errorHandler(deps.logger));
  return app;
}
