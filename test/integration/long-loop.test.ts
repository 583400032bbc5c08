import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpClient } from '../support/http';
import { eventually, startStack, type Stack } from '../support/stack';

const ROUNDS = 30;
const REPLANS = 15;
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
  let trainer: HttpClient;
  beforeAll(async () => {
    stack = await startStack('long-loop', { env: { LIFECYCLE_HISTORY_LIMIT: String(HISTORY_LIMIT) } });
    [fra, reviewer, trainer] = await Promise.all(
      ['liaison.fra', 'reviewer', 'trainer'].map((u) => stack.as(u)),
    );
  });

  /** The events of each run of one workflow id, oldest first. */
  async function runsOf(workflowId: string): Promise<number[]> {
    const client = stack.api.deps.temporal.client;
    const runs: Array<{ start: number; events: number }> = [];
    for await (const run of client.workflow.list({ query: `WorkflowId = "${workflowId}"` })) {
      const history = await client.workflow.getHandle(run.workflowId, run.runId).fetchHistory();
      runs.push({ start: run.startTime.getTime(), events: history.events?.length ?? 0 });
    }
    return runs.sort((a, b) => a.start - b.start).map((r) => r.events);
  }
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

    const runs = await runsOf(`pledge-${id}`);
    console.log(
      `long loop: ${ROUNDS} rounds in ${runs.length} runs of ${runs.join(', ')} events (limit ${HISTORY_LIMIT})`,
    );
    expect(runs.length).toBeGreaterThan(1);
    // A run goes on past the limit only to the end of the round in progress.
    for (const events of runs) expect(events).toBeLessThan(HISTORY_LIMIT + 150);
  }, 300_000);

  it(`when the coordinator replans ${REPLANS} times, then the planning continues as new runs, each under its history limit, and the last plan is confirmed`, async () => {
    const { id } = (await fra.post('/api/v1/pledges', pledge(0))).body;
    const review = await eventually(
      async () =>
        (await reviewer.get(`/api/v1/tasks?kind=compatibility_review&pledgeId=${id}`)).body.items[0],
    );
    await reviewer.post(`/api/v1/tasks/${review.id}/complete`, { decision: 'accept' });
    const planTask = (round: number) =>
      eventually(async () =>
        (await trainer.get(`/api/v1/tasks?kind=training_plan_confirmation&pledgeId=${id}`)).body.items.find(
          (t: { id: string }) => t.id === `${id}-training-plan-${round}`,
        ),
      );
    for (let round = 1; round <= REPLANS; round++) {
      const task = await planTask(round);
      const replanned = await trainer.post(`/api/v1/tasks/${task.id}/complete`, {
        decision: 'replan',
        comment: `replan ${round}`,
      });
      expect(replanned.status, JSON.stringify(replanned.body)).toBe(200);
    }
    const last = await planTask(REPLANS + 1);
    const confirmed = await trainer.post(`/api/v1/tasks/${last.id}/complete`, { decision: 'confirm' });
    expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);
    expect(confirmed.body.pledge.status).toBe('AWAITING_APPROVAL');
    const view = (await fra.get(`/api/v1/pledges/${id}`)).body;
    expect(view.trainingPlan.round).toBe(REPLANS + 1);

    const runs = await runsOf(`pledge-${id}-training-plan-1`);
    console.log(`long replan loop: ${REPLANS} replans in ${runs.length} runs of ${runs.join(', ')} events`);
    expect(runs.length).toBeGreaterThan(1);
    // A run goes on past the limit only to the end of the round in progress.
    for (const events of runs) expect(events).toBeLessThan(HISTORY_LIMIT + 100);
  }, 300_000);
});
