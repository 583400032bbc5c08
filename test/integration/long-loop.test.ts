import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpClient } from '../support/http';
import { eventually, startStack, type Stack } from '../support/stack';

const ROUNDS = 30;
const HISTORY_LIMIT = 300;
const year = new Date().getUTCFullYear() + 1;
const pledge = (round: number) => ({
  donor: 'FRA',
  items: [
    {
      systemId: 'caesar',
      quantity: 2 + (round % 3),
      deliveryWindow: { from: `${year}-03-01`, to: `${year}-09-30` },
    },
  ],
  trainingOffered: true,
  sustainment: { spareParts: true, maintenanceYears: 2 },
  valueEur: 30_000_000,
  notes: `round ${round}`,
});

describe('a pledge that goes round many times keeps a bounded history', () => {
  let stack: Stack;
  let fra: HttpClient;
  let reviewer: HttpClient;
  beforeAll(async () => {
    stack = await startStack('long-loop', { env: { LIFECYCLE_HISTORY_LIMIT: String(HISTORY_LIMIT) } });
    [fra, reviewer] = await Promise.all([stack.as('liaison.fra'), stack.as('reviewer')]);
  });
  afterAll(async () => stack?.stop());

  it(`when changes are requested and made ${ROUNDS} times, then the lifecycle continues as new runs, each under its history limit, and the pledge goes on`, async () => {
    const { id } = (await fra.post('/api/v1/pledges', pledge(0))).body;
    for (let round = 1; round <= ROUNDS; round++) {
      const review = await eventually(
        async () =>
          (await reviewer.get(`/api/v1/tasks?kind=compatibility_review&pledgeId=${id}`)).body.items[0],
      );
      expect(review.id).toBe(`${id}-review-${round}`);
      const decided = await reviewer.post(`/api/v1/tasks/${review.id}/complete`, {
        decision: 'request_changes',
        comment: `round ${round}`,
      });
      expect(decided.body.pledge.status).toBe('CHANGES_REQUESTED');
      await eventually(
        async () => (await fra.get(`/api/v1/tasks?kind=revision&pledgeId=${id}`)).body.items[0],
      );
      const amended = await fra.post(`/api/v1/pledges/${id}/amend`, pledge(round));
      expect(amended.status, JSON.stringify(amended.body)).toBe(202);
    }
    const last = await eventually(
      async () =>
        (await reviewer.get(`/api/v1/tasks?kind=compatibility_review&pledgeId=${id}`)).body.items[0],
    );
    expect(
      (await reviewer.post(`/api/v1/tasks/${last.id}/complete`, { decision: 'accept' })).body.pledge.status,
    ).toBe('TRAINING_PLANNING');
    const view = (await fra.get(`/api/v1/pledges/${id}`)).body;
    expect(view.revision).toBe(ROUNDS + 1);
    expect(view.timeline.filter((e: { type: string }) => e.type === 'pledge.amended')).toHaveLength(ROUNDS);

    const client = stack.api.deps.temporal.client;
    const runs: Array<{ runId: string; events: number }> = [];
    for await (const run of client.workflow.list({ query: `WorkflowId = "pledge-${id}"` })) {
      const history = await client.workflow.getHandle(run.workflowId, run.runId).fetchHistory();
      runs.push({ runId: run.runId, events: history.events?.length ?? 0 });
    }
    console.log(
      `long loop: ${ROUNDS} rounds in ${runs.length} runs of ${runs.map((r) => r.events).join(', ')} events (limit ${HISTORY_LIMIT})`,
    );
    expect(runs.length).toBeGreaterThan(1);
    // A run goes on past the limit only to the end of the round in progress.
    for (const run of runs) expect(run.events).toBeLessThan(HISTORY_LIMIT + 150);
  }, 300_000);
});
