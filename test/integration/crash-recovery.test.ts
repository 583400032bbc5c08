import { WorkflowIdReusePolicy } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalog, generateSessions } from '../../domain/reference/seed-data';
import { demoUsers } from '../../activities/reference-activities';
import { connectTemporal, type Temporal } from '../../infra/temporal';
import { PolicyKinds } from '../../store/policies';
import { seedReferenceData } from '../../workflows/seed-reference-data';
import { eventually, startStack, type Stack } from '../support/stack';

describe('workflows survive kill -9 of the Temporal worker', () => {
  let stack: Stack;
  let temporal: Temporal;
  beforeAll(async () => {
    stack = await startStack('crash', { workerProcess: true, seed: false });
    temporal = await connectTemporal(stack.config);
  });
  afterAll(async () => {
    await temporal?.close();
    await stack?.stop();
  });

  it('when the worker is killed mid-way through seeding, then seeding completes after restart, each record once', async () => {
    const sessionsFrom = '2027-01-04';
    const handle = await temporal.client.workflow.start(seedReferenceData, {
      taskQueue: stack.config.TEMPORAL_TASK_QUEUE,
      workflowId: `seed-crash-${stack.config.TEMPORAL_TASK_QUEUE}`,
      workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
      args: [{ sessionsFrom }],
    });
    await eventually(async () => (await stack.db.collection('policies').countDocuments()) > 0, {
      intervalMs: 20,
    });
    await stack.killWorker();
    const during = await handle.describe();
    expect(during.status.name).toBe('RUNNING');
    const sessionsBeforeRestart = await stack.db.collection('training_sessions').countDocuments();
    expect(sessionsBeforeRestart).toBeLessThan(generateSessions(sessionsFrom).length);

    await stack.startWorker();
    const result = await handle.result();
    expect(result.created.sessions + sessionsBeforeRestart).toBe(generateSessions(sessionsFrom).length);
    expect(await stack.db.collection('systems').countDocuments()).toBe(catalog.length);
    expect(await stack.db.collection('training_sessions').countDocuments()).toBe(
      generateSessions(sessionsFrom).length,
    );
    expect(await stack.db.collection('users').countDocuments()).toBe(demoUsers.length);
    // Version 1 of every policy kind.
    expect(await stack.db.collection('policies').countDocuments()).toBe(PolicyKinds.length);
  });

  it('when a review decision is sent while the worker is down, then it is not lost: it completes once the worker is back', async () => {
    const fra = await stack.as('liaison.fra');
    const reviewer = await stack.as('reviewer');
    const year = new Date().getUTCFullYear() + 1;
    const created = await fra.post('/api/v1/pledges', {
      donor: 'FRA',
      items: [
        { systemId: 'caesar', quantity: 6, deliveryWindow: { from: `${year}-03-01`, to: `${year}-09-30` } },
      ],
      sustainment: { spareParts: true, maintenanceYears: 2 },
    });
    expect(created.status).toBe(202);
    const task = await eventually(
      async () =>
        (await reviewer.get(`/api/v1/tasks?kind=compatibility_review&pledgeId=${created.body.id}`)).body
          .items[0],
    );

    await stack.killWorker();
    const decision = reviewer.post(`/api/v1/tasks/${task.id}/complete`, { decision: 'accept' });
    await new Promise((r) => setTimeout(r, 2000));
    expect((await reviewer.get(`/api/v1/tasks/${task.id}`)).body.state).toBe('open');
    expect((await fra.get(`/api/v1/pledges/${created.body.id}`)).body.status).toBe('UNDER_REVIEW');

    await stack.startWorker();
    const res = await decision;
    expect(res.status).toBe(200);
    expect(res.body.pledge.status).toBe('TRAINING_PLANNING');
    expect((await reviewer.get(`/api/v1/tasks/${task.id}`)).body.state).toBe('completed');
  });
});
