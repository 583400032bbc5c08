import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DefaultLogger, NativeConnection, Runtime, Worker, type LogLevel } from '@temporalio/worker';
import { createActivities } from '../activities';
import { loadConfig, type Config } from '../infra/config';
import { createLogger } from '../infra/logger';
import { connectMongo } from '../infra/mongo';
import { connectRedis } from '../infra/redis';
import { temporalTls } from '../infra/temporal';
import { notificationPublisher } from '../jobs/notification-publisher';
import { createQueues } from '../jobs/queues';
import { createStore, ensureIndexes } from '../store';
import { stopOnSignals, within } from '../infra/shutdown';
import { wireProjector } from '../store/projector-wiring';
import { writeWorkflowBundleApart } from './workflow-bundle';

let runtimeInstalled = false;

/** Installs the Temporal runtime once per process: Prometheus metrics, and no worker heartbeats
 * (this dev-server version refuses them, which would only fill the logs). */
function installRuntime(metricsPort: number | undefined, level: string) {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  const sdkLevel: LogLevel =
    level === 'debug' || level === 'trace' ? 'DEBUG' : level === 'info' ? 'INFO' : 'WARN';
  Runtime.install({
    logger: new DefaultLogger(sdkLevel),
    // The process stops the worker itself (stopOnSignals), within the engine's bound.
    shutdownSignals: [],
    workerHeartbeatInterval: 0,
    ...(metricsPort
      ? { telemetryOptions: { metrics: { prometheus: { bindAddress: `127.0.0.1:${metricsPort}` } } } }
      : {}),
  });
}

export interface RunningWorker {
  worker: Worker;
  /** Resolves when the worker has stopped (after `stop` or a fatal error). */
  done: Promise<void>;
  stop(): Promise<void>;
}

/** Starts the Temporal worker of the engine's task queue: every workflow and activity. */
export async function start(
  config: Config = loadConfig(process.env, { auth: false }),
  opts: { workflowBundlePath?: string } = {},
): Promise<RunningWorker> {
  installRuntime(
    process.env.WORKER_METRICS_PORT ? Number(process.env.WORKER_METRICS_PORT) : undefined,
    config.LOG_LEVEL,
  );
  const logger = createLogger('temporal-worker', config.LOG_LEVEL);
  const mongo = await connectMongo(config.MONGODB_URI, { slowMs: config.MONGO_SLOW_MS, logger });
  const store = createStore(mongo);
  await ensureIndexes(store);
  const redis = connectRedis(config.REDIS_URL, 'worker');
  const queues = createQueues(redis, config.QUEUE_PREFIX);
  const { projector, chainer, projections, reference } = wireProjector({
    store,
    redis,
    publish: notificationPublisher(queues),
    prefix: config.QUEUE_PREFIX,
    logger,
  });
  const connection = await NativeConnection.connect({
    address: config.TEMPORAL_ADDRESS,
    tls: temporalTls(config),
  });
  const given = opts.workflowBundlePath ?? process.env.WORKFLOW_BUNDLE_PATH;
  const bundleDir = given ? undefined : await mkdtemp(path.join(os.tmpdir(), 'nsatu-workflows-'));
  const bundlePath = given ?? path.join(bundleDir!, 'workflow-bundle.js');
  const worker = await (async () => {
    try {
      if (bundleDir) await writeWorkflowBundleApart(bundlePath);
      return await Worker.create({
        connection,
        namespace: config.TEMPORAL_NAMESPACE,
        taskQueue: config.TEMPORAL_TASK_QUEUE,
        workflowBundle: { codePath: bundlePath },
        activities: createActivities({ config, logger, store, projector, projections, reference }),
        // Bounds memory: thousands of pledges wait on people for days; one that wakes up is replayed.
        maxCachedWorkflows: config.TEMPORAL_MAX_CACHED_WORKFLOWS,
        // In-flight activities get this long to finish before they are cancelled (and retried by another worker).
        shutdownGraceTime: '5s',
      });
    } finally {
      // Worker.create has read the bundle; one made for this process is not needed again.
      if (bundleDir) await rm(bundleDir, { recursive: true, force: true });
    }
  })();
  const done = worker.run().finally(async () => {
    // Bounded: with Redis or the database down, a graceful close would wait for them for ever.
    await within(1_000, chainer.stop());
    await within(1_000, queues.close());
    redis.disconnect();
    await within(1_000, mongo.close());
    await within(1_000, connection.close());
    logger.info('temporal worker stopped');
  });
  logger.info({ taskQueue: config.TEMPORAL_TASK_QUEUE }, 'temporal worker running');
  return {
    worker,
    done,
    async stop() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await done;
    },
  };
}

if (require.main === module) {
  start()
    .then((w) => {
      stopOnSignals(
        () => w.stop(),
        (message) => console.error(`temporal worker: ${message}`),
      );
      return w.done;
    })
    .then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(err);
        process.exit(1);
      },
    );
}
