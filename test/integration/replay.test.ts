import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { temporal as proto } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectTemporal, type Temporal } from '../../infra/temporal';
import { databaseName } from '../../scripts/seed';
import { WORKFLOW_BUNDLE } from '../support/global-setup';
import { registerSigner, signedDecision } from '../support/signing';
import { recordNextMilestone } from '../support/pledge-stages';
import * as workflowTypes from '../../workflows';
import { eventually, startStack, type Stack } from '../support/stack';

const FIXTURES = path.resolve(__dirname, '../fixtures/histories');
type History = proto.api.history.v1.IHistory;
const HistoryMessage = proto.api.history.v1.History;
const encode = (h: History) => Buffer.from(HistoryMessage.encode(h).finish());
const decode = (b: Buffer): History => HistoryMessage.decode(b);

async function replay(histories: Array<{ workflowId: string; history: History }>) {
  const results = [];
  for await (const result of Worker.runReplayHistories(
    { workflowBundle: { codePath: WORKFLOW_BUNDLE } },
    histories,
  )) {
    results.push(result);
  }
  return results;
}

/** The histories committed as fixtures; child workflow ids derive from the parent's, so each replays under its recorded id. */
function committedFixtures(): Array<{ workflowId: string; history: History }> {
  const files = existsSync(FIXTURES) ? readdirSync(FIXTURES).filter((f) => f.endsWith('.pb')) : [];
  return files.map((f) => ({
    workflowId: f.slice(f.indexOf('@') + 1, -'.pb'.length),
    history: decode(readFileSync(path.join(FIXTURES, f))),
  }));
}

/** Renames the first scheduled activity: the code no longer matches the history. */
function breakHistory(history: History): History {
  const copy = decode(encode(history));
  const scheduled = copy.events!.find((e) => e.activityTaskScheduledEventAttributes);
  scheduled!.activityTaskScheduledEventAttributes!.activityType!.name = 'aDifferentActivity';
  return copy;
}

describe('determinism: the workflow code replays recorded histories', () => {
  let stack: Stack;
  let temporal: Temporal;
  const recorded: Array<{ workflowId: string; history: History; name: string }> = [];

  beforeAll(async () => {
    stack = await startStack('replay');
    temporal = await connectTemporal(stack.config);
    const fra = await stack.as('liaison.fra');
    const reviewer = await stack.as('reviewer');
    const year = new Date().getUTCFullYear() + 1;
    const submit = () =>
      fra.post('/api/v1/pledges', {
        donor: 'FRA',
        items: [
          {
            systemId: 'mirage-2000-5',
            quantity: 6,
            deliveryWindow: { from: `${year}-06-01`, to: `${year}-12-31` },
          },
        ],
        sustainment: { spareParts: true, maintenanceYears: 2 },
      });
    const taskOf = (id: string) =>
      eventually(
        async () =>
          (await reviewer.get(`/api/v1/tasks?kind=compatibility_review&pledgeId=${id}`)).body.items[0],
      );

    const accepted = await submit();
    const t1 = await taskOf(accepted.body.id);
    await reviewer.post(`/api/v1/tasks/${t1.id}/claim`);
    await reviewer.post(`/api/v1/tasks/${t1.id}/complete`, {
      decision: 'accept_with_conditions',
      conditions: ['spares'],
    });

    const trainer = await stack.as('trainer');
    const cos = await stack.as('cos');
    const commander = await stack.as('commander');
    const [cosKey, commanderKey] = await Promise.all([registerSigner(cos), registerSigner(commander)]);
    const openTask = (client: typeof fra, kind: string, id: string) =>
      eventually(async () => (await client.get(`/api/v1/tasks?kind=${kind}&pledgeId=${id}`)).body.items[0]);
    const plan = await openTask(trainer, 'training_plan_confirmation', accepted.body.id);
    await trainer.post(`/api/v1/tasks/${plan.id}/complete`, { decision: 'confirm' });
    const step1 = await openTask(cos, 'command_approval', accepted.body.id);
    await cos.post(
      `/api/v1/tasks/${step1.id}/complete`,
      await signedDecision(cos, cosKey, step1.id, { decision: 'approve' }),
    );
    const step2 = await openTask(commander, 'command_approval', accepted.body.id);
    const approved = await commander.post(
      `/api/v1/tasks/${step2.id}/complete`,
      await signedDecision(commander, commanderKey, step2.id, { decision: 'approve' }),
    );
    expect(approved.body.pledge.status).toBe('APPROVED');
    // Through training to READY: every cohort of the plan started and completed.
    const inTraining = await eventually(async () => {
      const p = (await fra.get(`/api/v1/pledges/${accepted.body.id}`)).body;
      return p.status === 'IN_TRAINING' || p.status === 'READY' ? p : undefined;
    });
    for (const cohort of (inTraining.trainingPlan?.cohorts ?? []) as Array<{ id: string; state: string }>) {
      if (cohort.state !== 'reserved') continue;
      for (const type of ['started', 'completed']) {
        expect((await trainer.post(`/api/v1/training/cohorts/${cohort.id}/events`, { type })).status).toBe(
          202,
        );
      }
    }
    // And the equipment half: the lot's milestones up to received.
    const logistics = await stack.as('logistics');
    while (await recordNextMilestone(logistics, accepted.body.id));
    await eventually(
      async () => (await fra.get(`/api/v1/pledges/${accepted.body.id}`)).body.status === 'READY',
    );

    const changed = await submit();
    const t2 = await taskOf(changed.body.id);
    await reviewer.post(`/api/v1/tasks/${t2.id}/complete`, {
      decision: 'request_changes',
      comment: 'add spares',
    });
    await eventually(
      async () => (await fra.get(`/api/v1/tasks?kind=revision&pledgeId=${changed.body.id}`)).body.items[0],
    );
    await fra.post(`/api/v1/pledges/${changed.body.id}/withdraw`, { reason: 'replaced by another offer' });

    // One history of every workflow type, finished: RECORD_HISTORIES=1 keeps them as the fixtures later code must replay.
    for (const [name, workflowId] of [
      ['seed-reference-data', `seed-reference-data-${databaseName(stack.config.MONGODB_URI)}`],
      ['lifecycle-ready', `pledge-${accepted.body.id}`],
      ['lifecycle-withdrawn', `pledge-${changed.body.id}`],
      ['intake-accepted', `pledge-${accepted.body.id}-intake`],
      ['review-accepted', `pledge-${accepted.body.id}-review-1`],
      ['review-changes-requested', `pledge-${changed.body.id}-review-1`],
      ['training-plan-confirmed', `pledge-${accepted.body.id}-training-plan-1`],
      ['approval-approved', `pledge-${accepted.body.id}-approval-1`],
      ['seats-reserved', `pledge-${accepted.body.id}-seats-1`],
      ['training-ready', `pledge-${accepted.body.id}-training`],
      ['deliveries-received', `pledge-${accepted.body.id}-deliveries`],
    ]) {
      const history = await temporal.client.workflow.getHandle(workflowId).fetchHistory();
      recorded.push({ name, workflowId, history });
      if (process.env.RECORD_HISTORIES === '1')
        writeFileSync(path.join(FIXTURES, `${name}@${workflowId}.pb`), encode(history));
    }
  });
  afterAll(async () => {
    await temporal?.close();
    await stack?.stop();
  });

  it('when histories recorded in this run are replayed, then none diverges', async () => {
    const results = await replay(recorded);
    expect(results).toHaveLength(recorded.length);
    for (const r of results) expect(r.error, r.workflowId).toBeUndefined();
  });

  it('when histories recorded by earlier versions are replayed, then none diverges', async () => {
    const histories = committedFixtures();
    expect(histories.length).toBeGreaterThan(0);
    for (const r of await replay(histories)) expect(r.error, r.workflowId).toBeUndefined();
  });

  it('when the committed fixtures are listed, then every workflow type the worker runs has one', () => {
    const recordedTypes = new Set(
      committedFixtures().map(
        ({ history }) => history.events?.[0]?.workflowExecutionStartedEventAttributes?.workflowType?.name,
      ),
    );
    const withoutFixture = Object.keys(workflowTypes).filter((type) => !recordedTypes.has(type));
    expect(withoutFixture, 'record them with RECORD_HISTORIES=1 (see the README)').toEqual([]);
  });

  it('when a history no longer matches the code, then replay fails with a determinism violation', async () => {
    const broken = breakHistory(recorded[0].history);
    const [result] = await replay([{ workflowId: 'broken', history: broken }]);
    expect(result.error).toBeDefined();
    expect(result.error!.name).toMatch(/DeterminismViolation/);
  });
});
