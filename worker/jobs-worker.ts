import { Worker, type Job } from 'bullmq';
import { loadConfig, type Config } from '../infra/config';
import { createLogger, type Logger } from '../infra/logger';
import { connectMongo } from '../infra/mongo';
import { connectRedis } from '../infra/redis';
import {
  AGREEMENT_CHECK_EVERY_MS,
  AGREEMENT_CHECK_SCHEDULER,
  createAgreementAlertProcessor,
} from '../jobs/agreement-alerts';
import { createDeliveryProcessor } from '../jobs/delivery-processor';
import {
  createSessionMinimumProcessor,
  SESSION_MINIMUM_CHECK_EVERY_MS,
  SESSION_MINIMUM_CHECK_SCHEDULER,
} from '../jobs/session-minimum-watch';
import { createNotificationProcessor } from '../jobs/notification-processor';
import { createImportProcessor } from '../jobs/pledge-import';
import { notificationPublisher } from '../jobs/notification-publisher';
import { createQueues, type QueueName, type Queues } from '../jobs/queues';
import { createStore, ensureIndexes, type Store } from '../store';
import type { Projector } from '../store/projector';
import { wireProjector } from '../store/projector-wiring';
import { stopOnSignals, within } from '../infra/shutdown';

/** What a job processor may use; the worker builds it once. */
export interface JobDeps {
  config: Config;
  logger: Logger;
  store: Store;
  queues: Queues;
  /** Imports submit pledges, which records them. */
  projector: Projector;
}

/** Processes one job; `close` releases what the processor holds (an SMTP pool, say). */
export type JobProcessor = ((job: Job) => Promise<unknown>) & { close?(): Promise<void> };

// The queues this process works and the processor of each: a new queue is one more line.
const processors: Partial<Record<QueueName, (deps: JobDeps) => JobProcessor>> = {
  notifications: createNotificationProcessor,
  deliveries: createDeliveryProcessor,
  imports: createImportProcessor,
  'agreement-alerts': createAgreementAlertProcessor,
  'session-minimum-watch': createSessionMinimumProcessor,
};

const CONCURRENCY = 10;

export interface RunningJobsWorker {
  workers: Worker[];
  /** Resolves once `stop` has closed every worker and connection. */
  done: Promise<void>;
  stop(): Promise<void>;
}

/** Starts the BullMQ workers of the engine's queues (notifications fan-out, deliveries). */
export async function start(
  config: Config = loadConfig(process.env, { auth: false }),
): Promise<RunningJobsWorker> {
  const logger = createLogger('jobs-worker', config.LOG_LEVEL);
  const mongo = await connectMongo(config.MONGODB_URI, { slowMs: config.MONGO_SLOW_MS, logger });
  const store = createStore(mongo);
  await ensureIndexes(store);
  const redis = connectRedis(config.REDIS_URL, 'worker');
  const queues = createQueues(redis, config.QUEUE_PREFIX);
  const { projector, chainer } = wireProjector({
    store,
    redis,
    publish: notificationPublisher(queues),
    prefix: config.QUEUE_PREFIX,
    logger,
  });
  const deps: JobDeps = { config, logger, store, queues, projector };

  const running = Object.entries(processors).map(([name, make]) => {
    const processor = make(deps);
    const worker = new Worker(name, processor, {
      connection: redis,
      prefix: config.QUEUE_PREFIX,
      concurrency: CONCURRENCY,
      // A job whose worker died is picked up again once its lock lapses.
      lockDuration: config.JOB_LOCK_MS,
      stalledInterval: config.JOB_LOCK_MS,
    });
    worker.on('failed', (job, err) =>
      logger.warn(
        { queue: name, jobId: job?.id, attemptsMade: job?.attemptsMade, err: err.message },
        'job failed',
      ),
    );
    // While Redis is down the worker reconnects every second or two: say so once a minute, not at every attempt.
    let lastReported = 0;
    worker.on('error', (err) => {
      if (Date.now() - lastReported < 60_000) return;
      lastReported = Date.now();
      logger.error({ queue: name, err: err.message }, 'worker error (repeats are not logged for a minute)');
    });
    return { worker, processor };
  });

  // The check of agreements behind their commitment repeats in Redis: one schedule, whichever worker upserts it.
  await queues.agreementAlerts.upsertJobScheduler(
    AGREEMENT_CHECK_SCHEDULER,
    { every: AGREEMENT_CHECK_EVERY_MS },
    { name: 'check', data: {} },
  );
  // So does the check of sessions that reached their cutoff below their minimum.
  await queues.sessionMinimum.upsertJobScheduler(
    SESSION_MINIMUM_CHECK_SCHEDULER,
    { every: SESSION_MINIMUM_CHECK_EVERY_MS },
    { name: 'check', data: {} },
  );

  let signalDone!: () => void;
  const done = new Promise<void>((resolve) => (signalDone = resolve));
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      // Let in-flight jobs finish (a while), then release the processors' resources and the connections. Each step
      // is bounded: with Redis or the database down, a graceful close would wait for them for ever.
      await Promise.all(
        running.map((r) => within(4_000, r.worker.close()).then(() => within(1_000, r.worker.close(true)))),
      );
      await within(1_000, Promise.all(running.map(async (r) => r.processor.close?.())));
      await within(1_000, chainer.stop());
      await within(1_000, queues.close());
      redis.disconnect();
      await within(1_000, mongo.close());
      logger.info('jobs worker stopped');
      signalDone();
    })());

  logger.info({ queues: Object.keys(processors), prefix: config.QUEUE_PREFIX }, 'jobs worker running');
  return { workers: running.map((r) => r.worker), done, stop };
}

if (require.main === module) {
  start()
    .then((w) => {
      stopOnSignals(
        () => w.stop(),
        (message) => console.error(`jobs worker: ${message}`),
      );
      return w.done;
    })
    .catch((err: unknown) => {
      console.error(err instanceof Error ? err.message : err);
      process.exit(1);
    });
}
