import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import mongoose from 'mongoose';
import { Redis } from 'ioredis';
import { start as startApi, type RunningApi } from '../../api/server';
import { loadConfig, type Config } from '../../infra/config';
import { start as startWorker, type RunningWorker } from '../../worker/temporal-worker';
import { engineProcess } from '../../worker/process-tuning';
import { seed } from '../../scripts/seed';
import { WORKFLOW_BUNDLE } from './global-setup';
import { httpClient, type HttpClient } from './http';

const ROOT = path.resolve(__dirname, '../..');
export const DEMO_PASSWORD = 'nsatu-demo';
/** The operators' token the test engines' `/metrics` answers to. */
export const METRICS_TOKEN = 'test-metrics-token-0123456789';

export interface StackOptions {
  /** Run the Temporal worker as a separate process (so a test can kill -9 it). */
  workerProcess?: boolean;
  /** Start the jobs worker (notifications): in this process, or as its own process (so it can be killed). */
  jobsWorker?: 'inline' | 'process';
  env?: Record<string, string>;
  seed?: boolean;
}

export interface Stack {
  config: Config;
  url: string;
  api: RunningApi;
  anonymous: HttpClient;
  as(username: string): Promise<HttpClient>;
  startWorker(): Promise<void>;
  killWorker(): Promise<void>;
  startJobsWorker(): Promise<void>;
  killJobsWorker(): Promise<void>;
  /** Stops the API and starts it again on the same port. */
  restartApi(): Promise<void>;
  db: mongoose.Connection;
  stop(): Promise<void>;
}

/** The environment of a worker process for this stack's config. */
const workerEnv = (config: Config) => ({
  ...process.env,
  MONGODB_URI: config.MONGODB_URI,
  REDIS_URL: config.REDIS_URL,
  TEMPORAL_ADDRESS: config.TEMPORAL_ADDRESS,
  TEMPORAL_TASK_QUEUE: config.TEMPORAL_TASK_QUEUE,
  QUEUE_PREFIX: config.QUEUE_PREFIX,
  SMTP_URL: config.SMTP_URL ?? '',
  JOB_LOCK_MS: String(config.JOB_LOCK_MS),
  MONGO_SLOW_MS: String(config.MONGO_SLOW_MS),
  DELIVERY_ATTEMPTS: String(config.DELIVERY_ATTEMPTS),
  DELIVERY_BACKOFF_MS: String(config.DELIVERY_BACKOFF_MS),
  LOG_LEVEL: 'warn',
  WORKFLOW_BUNDLE_PATH: WORKFLOW_BUNDLE,
  NODE_ENV: 'test',
  AUTH_MODE: config.AUTH_MODE,
  JWT_SECRET: config.JWT_SECRET,
  WEBHOOK_ALLOW_INTERNAL_ADDRESSES: String(config.WEBHOOK_ALLOW_INTERNAL_ADDRESSES),
});

function spawnProcess(entry: string, config: Config): ChildProcess {
  const started = engineProcess(path.join(ROOT, entry));
  return spawn(process.execPath, started.args, {
    cwd: ROOT,
    env: { ...workerEnv(config), ...started.env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

/** kill -9, as a crash would. */
async function killProcess(child: ChildProcess) {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');
  await exited;
}

/**
 * A whole engine on the real services, isolated from other test files by its own database,
 * Temporal task queue and BullMQ prefix.
 */
export async function startStack(name: string, opts: StackOptions = {}): Promise<Stack> {
  const id = randomUUID().slice(0, 8);
  const config = loadConfig({
    ...process.env,
    NODE_ENV: 'test',
    // The tests sign in as the demo users, and their webhook receivers listen on this machine.
    AUTH_MODE: 'demo',
    WEBHOOK_ALLOW_INTERNAL_ADDRESSES: 'true',
    PORT: '0',
    // TEST_LOG_LEVEL=warn shows the engine's own log lines while a test runs (e.g. an unexpected 500).
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    MONGODB_URI: `mongodb://127.0.0.1:27017/nsatu_test_${name}_${id}`,
    TEMPORAL_TASK_QUEUE: `test-${name}-${id}`,
    QUEUE_PREFIX: `test-${name}-${id}`,
    METRICS_TOKEN,
    ...opts.env,
  });
  if (!existsSync(WORKFLOW_BUNDLE))
    throw new Error('workflow bundle missing: run through vitest (globalSetup)');

  let inProcess: RunningWorker | undefined;
  let child: ChildProcess | undefined;
  const startTemporalWorker = async () => {
    if (opts.workerProcess) child = spawnProcess('worker/temporal-worker.ts', config);
    else inProcess = await startWorker(config, { workflowBundlePath: WORKFLOW_BUNDLE });
  };
  const killWorker = async () => {
    if (child) await killProcess(child);
    else await inProcess?.stop();
    child = undefined;
    inProcess = undefined;
  };

  let jobs: { stop(): Promise<void> } | undefined;
  let jobsChild: ChildProcess | undefined;
  const startJobsWorker = async () => {
    if (opts.jobsWorker === 'process') jobsChild = spawnProcess('worker/jobs-worker.ts', config);
    else if (opts.jobsWorker === 'inline') {
      const { start } = await import('../../worker/jobs-worker');
      jobs = await start(config);
    }
  };
  const killJobsWorker = async () => {
    if (jobsChild) await killProcess(jobsChild);
    else await jobs?.stop();
    jobsChild = undefined;
    jobs = undefined;
  };

  await startTemporalWorker();
  let api = await startApi(config);
  await startJobsWorker();
  if (opts.seed !== false) await seed(config);
  const db = await mongoose.createConnection(config.MONGODB_URI).asPromise();

  const tokens = new Map<string, string>();
  const as = async (username: string) => {
    if (!tokens.has(username)) {
      const res = await httpClient(api.url).post('/api/v1/auth/login', { username, password: DEMO_PASSWORD });
      if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${JSON.stringify(res.body)}`);
      tokens.set(username, res.body.token);
    }
    return httpClient(api.url, tokens.get(username));
  };

  return {
    config,
    url: api.url,
    get api() {
      return api;
    },
    anonymous: httpClient(api.url),
    as,
    startWorker: startTemporalWorker,
    killWorker,
    startJobsWorker,
    killJobsWorker,
    async restartApi() {
      await api.stop();
      api = await startApi({ ...config, PORT: api.port });
    },
    db,
    async stop() {
      await killJobsWorker();
      await killWorker();
      await api.stop();
      // Test databases are left in place: dropping a FerretDB (SQLite) database while the server still
      // has it open was seen to corrupt it. `rm -rf .data` (services stopped) clears them.
      await db.close();
      const redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: 1 });
      const keys = await redis.keys(`${config.QUEUE_PREFIX}:*`).catch(() => [] as string[]);
      if (keys.length) await redis.del(...keys).catch(() => undefined);
      redis.disconnect();
    },
  };
}

/** Polls until `check` returns a value (not undefined/false), or fails with the last value seen. */
export async function eventually<T>(
  check: () => Promise<T | undefined | false>,
  { timeoutMs = 90_000, intervalMs = 200 } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
      last = value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline)
      throw new Error(
        `condition not met within ${timeoutMs} ms; last: ${String(last instanceof Error ? last.message : JSON.stringify(last))}`,
      );
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
