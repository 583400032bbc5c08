import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../infra/config';
import { connectTemporal, type Temporal } from '../../infra/temporal';

/**
 * The API closes its Temporal connection while requests may still wait on it (a restart under load). Those calls must
 * end, as errors their handlers catch, and nothing may later use the closed channel from a timer: that throws where
 * nobody can catch it (vitest reports it as an unhandled error and fails the run).
 */
describe('closing the Temporal connection under waiting calls', () => {
  const config = loadConfig({ ...process.env, NODE_ENV: 'test', AUTH_MODE: 'demo' });
  const taskQueue = `no-worker-${randomUUID().slice(0, 8)}`;
  let admin: Temporal;
  const workflowId = `waits-for-ever-${taskQueue}`;

  beforeAll(async () => {
    admin = await connectTemporal(config);
    // No worker polls this queue: the workflow stays running, so waiting for its result waits until cancelled.
    await admin.client.workflow.start('nothingPollsThisQueue', { taskQueue, workflowId, args: [] });
  });
  afterAll(async () => {
    await admin?.client.workflow
      .getHandle(workflowId)
      .terminate('test over')
      .catch(() => undefined);
    await admin?.close();
  });

  it('when it closes while a call waits for a result, then the call fails at once and later calls fail too, without touching the closed channel', async () => {
    const temporal = await connectTemporal(config);
    const waiting = temporal.client.workflow.getHandle(workflowId).result();
    const outcome = waiting.then(
      () => 'answered',
      (err: unknown) => err,
    );
    // Let the long poll reach the server.
    await new Promise((r) => setTimeout(r, 500));
    const started = Date.now();
    await temporal.close();
    const settled = await outcome;
    expect(settled).toBeInstanceOf(Error);
    expect(Date.now() - started).toBeLessThan(5_000);

    // A request handler still running after the close: its next call is an error it can catch, not a throw.
    const later = await temporal.client.workflow
      .getHandle(workflowId)
      .describe()
      .then(
        () => 'answered',
        (err: unknown) => err,
      );
    expect(later).toBeInstanceOf(Error);
    expect(String((later as Error).message) + String((later as Error).cause)).toMatch(/clos|cancel/i);
  });
});
