/** The API as its own process (so that its resident memory is its own), and cleanup of benchmark workflows. */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import type { Config } from '../../infra/config';
import { engineProcess } from '../../worker/process-tuning';
import { pool, sleep } from './stats';

const ROOT = path.resolve(__dirname, '../..');

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface SpawnedApi {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/** Starts `api/server.ts` as a separate process on the stack's database, task queue and queue prefix. */
export async function spawnApi(config: Config): Promise<SpawnedApi> {
  const port = await freePort();
  const started = engineProcess(path.join(ROOT, 'api/server.ts'));
  const child: ChildProcess = spawn(process.execPath, started.args, {
    cwd: ROOT,
    env: {
      ...process.env,
      ...started.env,
      NODE_ENV: 'test',
      AUTH_MODE: config.AUTH_MODE,
      JWT_SECRET: config.JWT_SECRET,
      PORT: String(port),
      LOG_LEVEL: 'silent',
      MONGODB_URI: config.MONGODB_URI,
      REDIS_URL: config.REDIS_URL,
      TEMPORAL_ADDRESS: config.TEMPORAL_ADDRESS,
      TEMPORAL_TASK_QUEUE: config.TEMPORAL_TASK_QUEUE,
      QUEUE_PREFIX: config.QUEUE_PREFIX,
      METRICS_TOKEN: 'bench-metrics-token-0123456789',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`api process exited with ${child.exitCode}`);
    const up = await fetch(`${url}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) break;
    if (Date.now() > deadline) throw new Error('api process did not start within 60 s');
    await sleep(250);
  }
  return {
    url,
    pid: child.pid!,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, sleep(10_000)]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}

/** Terminates benchmark workflows still running (pledges left waiting), so they do not linger on the server. */
export async function terminateWorkflows(client: Client, workflowIds: string[]): Promise<number> {
  let terminated = 0;
  await pool(workflowIds.length, 16, async (i) => {
    try {
      await client.workflow.getHandle(workflowIds[i]).terminate('benchmark finished');
      terminated++;
    } catch {
      // already closed
    }
  });
  return terminated;
}
