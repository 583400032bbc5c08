import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  freePort,
  startDedicatedFerretDb,
  startDedicatedRedis,
  type DedicatedService,
} from '../support/dedicated-services';
import { WORKFLOW_BUNDLE } from '../support/global-setup';
import { eventually } from '../support/stack';

const ROOT = path.resolve(__dirname, '../..');
const BOUND_MS = 10_000;

/** True while any process of the group is alive. */
const groupAlive = (pgid: number) => {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
};

async function exitTime(check: () => boolean, limitMs: number): Promise<number> {
  const started = Date.now();
  while (check()) {
    if (Date.now() - started > limitMs) return Date.now() - started;
    await new Promise((r) => setTimeout(r, 50));
  }
  return Date.now() - started;
}

/**
 * The engine stops promptly on Ctrl-C (SIGINT to its process group) and each process on SIGTERM, even when Redis
 * and the database are already gone: nothing waits for them for ever.
 */
describe('shutdown within bounds, with the services down', () => {
  let ferret: DedicatedService;
  let redis: DedicatedService;
  const children: ChildProcess[] = [];
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    [ferret, redis] = await Promise.all([startDedicatedFerretDb('nsatu_shutdown'), startDedicatedRedis()]);
    const id = randomUUID().slice(0, 8);
    env = {
      ...process.env,
      NODE_ENV: 'test',
      AUTH_MODE: 'demo',
      LOG_LEVEL: 'warn',
      MONGODB_URI: ferret.url,
      REDIS_URL: redis.url,
      TEMPORAL_TASK_QUEUE: `test-shutdown-${id}`,
      QUEUE_PREFIX: `test-shutdown-${id}`,
      WORKFLOW_BUNDLE_PATH: WORKFLOW_BUNDLE,
    };
  });
  afterAll(async () => {
    for (const c of children)
      if (c.exitCode === null && c.signalCode === null && c.pid) process.kill(-c.pid, 'SIGKILL');
    await Promise.all([ferret?.stop(), redis?.stop()]);
  });

  const spawnGroup = (args: string[], extra: NodeJS.ProcessEnv = {}) => {
    const child = spawn(process.execPath, ['--require', 'tsx/cjs', ...args], {
      cwd: ROOT,
      env: { ...env, ...extra },
      detached: true,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    children.push(child);
    return child;
  };
  const ready = (port: number) =>
    eventually(async () => (await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200, {
      timeoutMs: 120_000,
      intervalMs: 250,
    });

  it('when Ctrl-C reaches the running engine after Redis and the database went down, then every process has exited within 10 s', async () => {
    const port = await freePort();
    const engine = spawnGroup(['scripts/run-engine.ts'], { PORT: String(port) });
    await ready(port);
    await Promise.all([redis.stop(), ferret.stop()]);
    process.kill(-engine.pid!, 'SIGINT');
    const ms = await exitTime(() => groupAlive(engine.pid!), BOUND_MS + 5_000);
    console.log(
      `shutdown: engine (API, Temporal worker, jobs worker) gone ${ms} ms after Ctrl-C, Redis and FerretDB down`,
    );
    expect(ms).toBeLessThan(BOUND_MS);
    [ferret, redis] = await Promise.all([startDedicatedFerretDb('nsatu_shutdown'), startDedicatedRedis()]);
    env = { ...env, MONGODB_URI: ferret.url, REDIS_URL: redis.url };
  }, 240_000);

  it('when each process gets SIGTERM with Redis down, then it drains and exits within its bound', async () => {
    const port = await freePort();
    const api = spawnGroup(['api/server.ts'], { PORT: String(port) });
    const worker = spawnGroup(['worker/temporal-worker.ts']);
    const jobs = spawnGroup(['worker/jobs-worker.ts']);
    await ready(port);
    // The workers are up once they have had a moment past the API's readiness (each connects on its own).
    await new Promise((r) => setTimeout(r, 3_000));
    expect([api, worker, jobs].map((c) => c.exitCode ?? c.signalCode)).toEqual([null, null, null]);
    await redis.stop();
    const times: Record<string, number> = {};
    await Promise.all(
      Object.entries({ api, worker, jobs }).map(async ([name, child]) => {
        child.kill('SIGTERM');
        times[name] = await exitTime(
          () => child.exitCode === null && child.signalCode === null,
          BOUND_MS + 5_000,
        );
      }),
    );
    console.log(`shutdown: SIGTERM with Redis down: ${JSON.stringify(times)} ms`);
    for (const ms of Object.values(times)) expect(ms).toBeLessThan(BOUND_MS);
  }, 240_000);
});
