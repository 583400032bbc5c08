import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { start as startApi, type RunningApi } from '../../api/server';
import { httpClient, type HttpClient } from '../support/http';
import { DEMO_PASSWORD, eventually, startStack, type Stack } from '../support/stack';

const year = new Date().getUTCFullYear() + 1;
const pledge = (notes: string) => ({
  donor: 'FRA',
  items: [
    { systemId: 'caesar', quantity: 2, deliveryWindow: { from: `${year}-03-01`, to: `${year}-09-30` } },
  ],
  trainingOffered: true,
  sustainment: { spareParts: true, maintenanceYears: 2 },
  valueEur: 30_000_000,
  notes,
});

/**
 * Two API processes on one engine: each serves every read from its own in-memory views, and a client that writes
 * through one reads its write through the other at once.
 */
describe('read side: several API processes, each reading its own writes and everyone else’s', () => {
  let stack: Stack;
  let second: RunningApi;
  const as = async (api: { url: string }, username: string): Promise<HttpClient> => {
    const res = await httpClient(api.url).post('/api/v1/auth/login', { username, password: DEMO_PASSWORD });
    return httpClient(api.url, res.body.token);
  };

  beforeAll(async () => {
    stack = await startStack('read-side');
    second = await startApi({ ...stack.config, PORT: 0 });
  });
  afterAll(async () => {
    await second?.stop();
    await stack?.stop();
  });

  it('when a pledge is submitted through one API process, then the other lists it, shows its page and its dashboard counts it at once', async () => {
    const [fraA, fraB, staffB] = await Promise.all([
      as(stack, 'liaison.fra'),
      as(second, 'liaison.fra'),
      as(second, 'staff'),
    ]);
    const before = (await staffB.get('/api/v1/dashboard')).body.pledges as number;
    for (let i = 0; i < 5; i++) {
      const created = await fraA.post('/api/v1/pledges', pledge(`read side ${i}`));
      expect(created.status).toBe(202);
      // No wait, no retry: the very next read, on the other process.
      const page = await fraB.get(`/api/v1/pledges/${created.body.id}`);
      expect(page.status).toBe(200);
      expect(page.body).toMatchObject({
        id: created.body.id,
        donor: 'FRA',
        title: 'FRA · 2 × CAESAR 6x6 truck-mounted howitzer · €30m · deliver Sep ' + year,
      });
      expect((await fraB.get('/api/v1/pledges?limit=1')).body.items[0].id).toBe(created.body.id);
    }
    expect((await staffB.get('/api/v1/dashboard')).body.pledges).toBe(before + 5);
  });

  it('when a reviewer decides through one process, then the task and the pledge read through the other show the decision', async () => {
    const [fraA, reviewerA, reviewerB, staffB] = await Promise.all([
      as(stack, 'liaison.fra'),
      as(stack, 'reviewer'),
      as(second, 'reviewer'),
      as(second, 'staff'),
    ]);
    const { id } = (await fraA.post('/api/v1/pledges', pledge('decided on A, read on B'))).body;
    const task = await eventually(
      async () => (await reviewerB.get(`/api/v1/tasks?pledgeId=${id}`)).body.items[0],
    );
    const claimed = await reviewerA.post(`/api/v1/tasks/${task.id}/claim`);
    expect(claimed.status).toBe(200);
    expect((await reviewerB.get(`/api/v1/tasks/${task.id}`)).body.assignee).toBe('reviewer');
    const decided = await reviewerA.post(`/api/v1/tasks/${task.id}/complete`, { decision: 'accept' });
    expect(decided.body.pledge.status).toBe('TRAINING_PLANNING');
    expect((await reviewerB.get(`/api/v1/tasks/${task.id}`)).body.state).toBe('completed');
    expect((await staffB.get(`/api/v1/pledges/${id}`)).body.status).toBe('TRAINING_PLANNING');
    expect(
      (await reviewerB.get(`/api/v1/tasks?pledgeId=${id}&kind=compatibility_review`)).body.items,
    ).toEqual([]);
    const comment = await reviewerA.post(`/api/v1/tasks/${task.id}/comments`, { text: 'read me on B' });
    expect(comment.status).toBe(201);
    expect((await reviewerB.get(`/api/v1/tasks/${task.id}`)).body.comments).toEqual([
      expect.objectContaining({ by: 'reviewer', text: 'read me on B' }),
    ]);
  });
});
