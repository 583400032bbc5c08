import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig, type Config } from '../infra/config';
import { createLogger } from '../infra/logger';
import { connectMongo } from '../infra/mongo';
import { connectRedis, redisReady } from '../infra/redis';
import { connectTemporal } from '../infra/temporal';
import { createQueues } from '../jobs/queues';
import { createStore, ensureIndexes } from '../store';
import { keyCache } from '../store/decision-verification';
import { rebuildProjections } from '../store/projection-rebuild';
import { cachedReferenceReader } from '../store/reference-reader';
import { wireProjector } from '../infra/projection';
import { ReadViews } from './views/read-views';
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
  } = wireProjector({ store, redis, queues, prefix: config.QUEUE_PREFIX, logger });
  const views = new ReadViews({
    redis,
    subscriber: connectRedis(config.REDIS_URL, 'worker'),
    prefix: config.QUEUE_PREFIX,
    logger,
    rebuild: () => rebuildProjections(store, redis, config.QUEUE_PREFIX, { onlyIfAbsent: true }),
  });
  const reference = cachedReferenceReader(store);
  const keys = keyCache(store);
  views.onNotice((kind, id) => {
    if (kind === 'key') keys.forget(id);
    if (kind === 'reference' || kind === 'reset') reference.invalidate();
  });
  await views.start();
  const temporal = await connectTemporal(config);
  const deps: ApiDeps = {
    config,
    logger,
    store,
    temporal,
    redis,
    queues,
    tokens: createTokenService(config),
    projector,
    projections,
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
      // Stop accepting, let in-flight requests finish (at most 10 s), then close every connection.
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const grace = setTimeout(() => server.closeAllConnections(), 10_000);
      await closed;
      clearTimeout(grace);
      server.closeAllConnections?.();
      await views.stop();
      await chainer.stop();
      await queues.close();
      redis.disconnect();
      await temporal.connection.close();
      await connection.close();
      logger.info('api stopped');
    })());
  return { url: `http://127.0.0.1:${port}`, port, deps, stop };
}

if (require.main === module) {
  start()
    .then((api) => {
      for (const signal of ['SIGINT', 'SIGTERM'] as const) {
        process.once(signal, () => {
          api.stop().then(
            () => process.exit(0),
            () => process.exit(1),
          );
        });
      }
    })
    .catch((err: unknown) => {
      console.error(err instanceof Error ? err.message : err);
      process.exit(1);
    });
}
