import type { Router } from 'express';
import { pingMongo } from '../../infra/mongo';
import { pingRedis } from '../../infra/redis';
import { pingTemporal } from '../../infra/temporal';
import type { ApiDeps } from '../deps';

/** Liveness and readiness: readiness names each dependency that is down. */
export function mountHealth(router: Router, deps: ApiDeps) {
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const [temporal, mongo, redis] = await Promise.all([
      pingTemporal(deps.temporal.connection),
      pingMongo(deps.store.connection),
      pingRedis(deps.redis),
    ]);
    const checks = { temporal: temporal ? 'ok' : 'down', mongo: mongo ? 'ok' : 'down', redis: redis ? 'ok' : 'down' };
    const down = Object.entries(checks).filter(([, v]) => v !== 'ok').map(([k]) => k);
    res
      .status(down.length ? 503 : 200)
      .json(down.length ? { status: 'unavailable', checks, down } : { status: 'ready', checks });
  });
}
