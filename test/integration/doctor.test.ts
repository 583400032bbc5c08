import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diagnose, repair } from '../../scripts/doctor';
import { eventually, startStack, type Stack } from '../support/stack';

const year = new Date().getUTCFullYear() + 1;

describe('doctor: pledges whose workflow stopped are found and re-driven', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack('doctor');
  });
  afterAll(async () => stack?.stop());

  it('when a pledge’s workflow is terminated under it, then the doctor names it and its open task, and a repair brings it back to work', async () => {
    const [fra, reviewer, auditor] = await Promise.all(
      ['liaison.fra', 'reviewer', 'auditor'].map((u) => stack.as(u)),
    );
    const { id } = (
      await fra.post('/api/v1/pledges', {
        donor: 'FRA',
        items: [
          { systemId: 'caesar', quantity: 2, deliveryWindow: { from: `${year}-03-01`, to: `${year}-09-30` } },
        ],
      })
    ).body;
    const task = await eventually(
      async () => (await reviewer.get(`/api/v1/tasks?pledgeId=${id}`)).body.items[0],
    );
    const { client } = stack.api.deps.temporal;
    const { store, projector } = stack.api.deps;
    await client.workflow.getHandle(`pledge-${id}`).terminate('an operator mistake, under test');

    // The doctor lists running workflows from Temporal's visibility store, which follows a termination a moment
    // later (it is eventually consistent), and the server stops the review child after its parent, by the parent
    // close policy: the findings are those once both have happened.
    const findings = await eventually(
      async () => {
        const mine = (await diagnose({ store, client })).filter((f) => f.pledgeId === id);
        const kinds = new Set(mine.map((f) => f.kind));
        return kinds.has('workflow_not_running') && kinds.has('task_without_workflow') ? mine : undefined;
      },
      { timeoutMs: 30_000 },
    );
    expect(findings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          kind: 'workflow_not_running',
          status: 'UNDER_REVIEW',
          workflowStatus: 'TERMINATED',
        }),
        expect.objectContaining({ kind: 'task_without_workflow', taskId: task.id }),
      ]),
    );
    // A decision now would reach nothing: it is refused, not lost silently.
    expect((await reviewer.post(`/api/v1/tasks/${task.id}/complete`, { decision: 'accept' })).status).toBe(
      409,
    );

    const done = await repair({ store, client, projector }, id, 'ops.test');
    expect(done.join('\n')).toMatch(/reset pledge-.* \(TERMINATED\)/);
    // The review runs again from where it stood: its task is open and can be decided.
    const again = await eventually(async () => {
      const open = (await reviewer.get(`/api/v1/tasks?pledgeId=${id}`)).body.items[0];
      return open && (await diagnose({ store, client })).every((f) => f.pledgeId !== id) ? open : undefined;
    });
    // The task's record is open again before the new review run waits on it: until then a decision is a 409.
    const decided = await eventually(async () => {
      const res = await reviewer.post(`/api/v1/tasks/${again.id}/complete`, { decision: 'accept' });
      return res.status === 409 && /not open in this workflow/.test(res.body.error.message) ? undefined : res;
    });
    expect(decided.status).toBe(200);
    expect(decided.body.pledge.status).toBe('TRAINING_PLANNING');
    const audit = (await auditor.get(`/api/v1/pledges/${id}/audit`)).body.items.map(
      (e: { action: string }) => e.action,
    );
    expect(audit).toContain('operator.workflow_reset');
  });
});
