import type { Router } from 'express';
import { z } from 'zod';
import { pingMongo } from '../../infra/mongo';
import { pingRedis } from '../../infra/redis';
import { pingTemporal } from '../../infra/temporal';
import type { ApiDeps } from '../deps';
import type { DocumentedEndpoint } from '../http/openapi';

const Check = z.enum(['ok', 'down']);
const Checks = z.object({ temporal: Check, mongo: Check, redis: Check });

export const Liveness = z.object({ status: z.literal('ok') }).meta({ id: 'Liveness' });
export const Ready = z.object({ status: z.literal('ready'), checks: Checks }).meta({ id: 'Ready' });
export const NotReady = z
  .object({
    status: z.literal('unavailable'),
    checks: Checks,
    down: z.array(z.enum(['temporal', 'mongo', 'redis'])).describe('The services that are down'),
  })
  .meta({ id: 'NotReady' });

/** Liveness and readiness: readiness names each dependency that is down. */
export function mountHealth(router: Router, deps: ApiDeps) {
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' } satisfies z.infer<typeof Liveness>);
  });
  router.get('/readyz', async (_req, res) => {
    const [temporal, mongo, redis] = await Promise.all([
      pingTemporal(deps.temporal.connection),
      pingMongo(deps.store.connection),
      pingRedis(deps.redis),
    ]);
    const checks = {
      temporal: temporal ? 'ok' : 'down',
      mongo: mongo ? 'ok' : 'down',
      redis: redis ? 'ok' : 'down',
    } as const;
    const down = (['temporal', 'mongo', 'redis'] as const).filter((k) => checks[k] !== 'ok');
    if (down.length) {
      res.status(503).json({ status: 'unavailable', checks, down } satisfies z.infer<typeof NotReady>);
    } else {
      res.json({ status: 'ready', checks } satisfies z.infer<typeof Ready>);
    }
  });
}

/** The endpoints for operators, outside /api/v1 (`/metrics` is mounted by `app.ts`). */
export const operationsEndpoints: DocumentedEndpoint[] = [
  {
    method: 'get',
    path: '/healthz',
    operationId: 'checkLiveness',
    summary: 'Liveness: the API process is up',
    tag: 'operations',
    responses: {
      200: { description: 'Up', schema: Liveness },
      500: { description: 'The process is failing' },
    },
  },
  {
    method: 'get',
    path: '/readyz',
    operationId: 'checkReadiness',
    summary: 'Readiness: Temporal, the database and Redis all answer',
    tag: 'operations',
    responses: {
      200: { description: 'Ready', schema: Ready },
      503: { description: 'Not ready: `down` names what is down', schema: NotReady },
      500: { description: 'The process is failing' },
    },
  },
  {
    method: 'get',
    path: '/metrics',
    operationId: 'getMetrics',
    summary: 'Prometheus metrics of the API process',
    description:
      'Answered only with `Authorization: Bearer $METRICS_TOKEN`; without `METRICS_TOKEN` set it is off (404).',
    tag: 'operations',
    security: 'metricsToken',
    responses: {
      200: {
        description: 'Prometheus text exposition format',
        contentType: 'text/plain',
        schema: z.string().meta({ id: 'PrometheusText' }),
      },
      401: { description: 'No metrics token, or the wrong one' },
      404: { description: 'Metrics are off: `METRICS_TOKEN` is not set' },
      500: { description: 'The metrics could not be collected' },
    },
  },
];
