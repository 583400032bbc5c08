import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startStack, type Stack } from '../support/stack';

const freePort = () =>
  new Promise<number>((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });

/** A real Redis of this test's own, so stopping it disturbs no other test. */
function startRedis(port: number, dir: string): ChildProcess {
  return spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no'],
    {
      stdio: 'ignore',
    },
  );
}

describe('readiness names the dependency that is down', () => {
  let stack: Stack;
  let redis: ChildProcess;
  let port: number;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'nsatu-redis-'));
  beforeAll(async () => {
    port = await freePort();
    redis = startRedis(port, dir);
    await new Promise((r) => setTimeout(r, 300));
    stack = await startStack('ready', { seed: false, env: { REDIS_URL: `redis://127.0.0.1:${port}` } });
  });
  afterAll(async () => {
    await stack?.stop();
    redis?.kill('SIGKILL');
  });

  it('when Redis stops, then /readyz is 503 naming redis; when it returns, then 200 again', async () => {
    expect((await stack.anonymous.get('/readyz')).status).toBe(200);
    const exited = new Promise((r) => redis.once('exit', r));
    redis.kill('SIGTERM');
    await exited;
    const down = await eventually(async () => {
      const res = await stack.anonymous.get('/readyz');
      return res.status === 503 ? res : undefined;
    });
    expect(down.body.checks).toEqual({ temporal: 'ok', mongo: 'ok', redis: 'down' });
    expect(down.body.down).toEqual(['redis']);
    expect((await stack.anonymous.get('/healthz')).status).toBe(200);

    redis = startRedis(port, dir);
    const up = await eventually(async () => {
      const res = await stack.anonymous.get('/readyz');
      return res.status === 200 ? res : undefined;
    });
    expect(up.body.status).toBe('ready');
  });
});
