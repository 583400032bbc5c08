import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig, type Config } from '../infra/config';
import { createLogger } from '../infra/logger';
import { connectMongo } from '../infra/mongo';
import { connectRedis, redisReady } from '../infra/redis';
import { connectTemporal } from '../infra/temporal';
import { notificationPublisher } from '../jobs/notification-publisher';
import { createQueues } from '../jobs/queues';
import { createStore, ensureIndexes } from '../store';
import { startAuditCheckpoints } from '../store/audit-log';
import { loadCheckpointKey } from '../store/checkpoint-key';
import { keyCache } from '../store/decision-verification';
import { rebuildProjections } from '../store/projection-rebuild';
import { wireProjector } from '../store/projector-wiring';
import { userRepository } from '../store/users';
import { ReadViews } from './views/read-views';
import { within, stopOnSignals } from '../infra/shutdown';
import { createApp } from './app';
import { createTokenService } from './auth/tokens';
import type { ApiDeps } from './deps';

export interface RunningApi {
  url: string;
  port: number;
  deps: ApiDeps;
  stop(): Promise<void>;
}

/** Starts the API: connects to every service, then listens on PORT (0 picks a free port). */
export async function start(config: Config = loadConfig()): Promise<RunningApi> {
  const logger = createLogger('api', config.LOG_LEVEL);
  const connection = await connectMongo(config.MONGODB_URI, { slowMs: config.MONGO_SLOW_MS, logger });
  const store = createStore(connection);
  await ensureIndexes(store);
  const redis = connectRedis(config.REDIS_URL, 'producer');
  await redisReady(redis);
  const queues = createQueues(redis, config.QUEUE_PREFIX);
  const {
    projector,
    views: projections,
    chainer,
    reference,
  } = wireProjector({
    store,
    redis,
    publish: notificationPublisher(queues),
    prefix: config.QUEUE_PREFIX,
    logger,
  });
  const views = new ReadViews({
    redis,
    subscriber: connectRedis(config.REDIS_URL, 'worker'),
    prefix: config.QUEUE_PREFIX,
    logger,
    rebuild: () => rebuildProjections(store, redis, config.QUEUE_PREFIX, { onlyIfAbsent: true }),
  });
  const keys = keyCache(store);
  const users = userRepository(store.User);
  const tokens = createTokenService(config, {
    async find(username) {
      const user = await users.byName(username);
      return (
        user && {
          username: user.username,
          roles: user.roles,
          nation: user.nation,
          coalitions: user.coalitions,
          active: user.active,
          tokenVersion: user.tokenVersion,
        }
      );
    },
  });
  views.onNotice((kind, id) => {
    if (kind === 'key') keys.forget(id);
    if (kind === 'user') tokens.forget(id);
  });
  await views.start();
  const checkpointKey = await loadCheckpointKey(config.AUDIT_CHECKPOINT_KEY_FILE, {
    create: config.AUTH_MODE === 'demo',
  });
  const checkpoints = startAuditCheckpoints(store, checkpointKey, {
    every: config.AUDIT_CHECKPOINT_EVERY,
    onError: (err) => logger.warn({ err }, 'signing an audit checkpoint failed; retried shortly'),
  });
  const temporal = await connectTemporal(config);
  const deps: ApiDeps = {
    config,
    logger,
    store,
    temporal,
    redis,
    queues,
    tokens,
    projector,
    projections,
    checkpointKey,
    views,
    reference,
    keys,
  };
  const app = createApp(deps);
  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(config.PORT, '0.0.0.0');
    s.once('listening', () => resolve(s));
    s.once('error', reject);
  });
  const port = (server.address() as AddressInfo).port;
  logger.info({ port }, 'api listening');

  let stopping: Promise<void> | undefined;
  // While stopping, answers tell keep-alive clients to reconnect: a client that keeps sending on its open
  // connection would otherwise hold the server open for as long as it keeps sending.
  server.prependListener('request', (_req, res) => {
    if (stopping && !res.headersSent) res.setHeader('Connection', 'close');
  });
  const stop = () =>
    (stopping ??= (async () => {
      // Stop accepting, let in-flight requests finish (a few seconds), then close every connection. Each step is
      // bounded: with Redis or the database down, a graceful close would wait for them for ever.
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const grace = setTimeout(() => server.closeAllConnections(), 4_000);
      await closed;
      clearTimeout(grace);
      server.closeAllConnections?.();
      await within(1_000, views.stop());
      await within(1_000, chainer.stop());
      await within(1_000, checkpoints.stop());
      await within(1_000, queues.close());
      redis.disconnect();
      await within(1_000, temporal.close());
      await within(1_000, connection.close());
      logger.info('api stopped');
    })());
  return { url: `http://127.0.0.1:${port}`, port, deps, stop };
}

if (require.main === module) {
  start()
    .then((api) =>
      stopOnSignals(
        () => api.stop(),
        (message) => console.error(`api: ${message}`),
      ),
    )
    .catch((err: unknown) => {
      console.error(err instanceof Error ? err.message : err);
      process.exit(1);
    });
}
