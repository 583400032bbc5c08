import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultApprovalPolicy } from '../../domain/schemas/approval-policy';
import { rebuildProjections } from '../../store/projection-rebuild';
import type { HttpClient } from '../support/http';
import { registerSigner, signedDecision, type Signer } from '../support/signing';
import { eventually, startStack, type Stack } from '../support/stack';

const year = new Date().getUTCFullYear() + 1;
const pledgeOf = (overrides: Record<string, unknown> = {}) => ({
  donor: 'FRA',
  items: [
    { systemId: 'caesar', quantity: 6, deliveryWindow: { from: `${year}-09-01`, to: `${year}-12-31` } },
  ],
  trainingOffered: true,
  sustainment: { spareParts: true, maintenanceYears: 3 },
  valueEur: 40_000_000,
  ...overrides,
});

describe('command approval: a chain of signed decisions', () => {
  let stack: Stack;
  let fra: HttpClient,
    reviewer: HttpClient,
    trainer: HttpClient,
    cos: HttpClient,
    commander: HttpClient,
    deputy: HttpClient;
  let cosKey: Signer, commanderKey: Signer, deputyKey: Signer;

  const openTask = (client: HttpClient, pledgeId: string, kind: string, exclude: string[] = []) =>
    eventually(async () => {
      const res = await client.get(`/api/v1/tasks?kind=${kind}&pledgeId=${pledgeId}`);
      return res.body.items.find((t: { id: string }) => !exclude.includes(t.id));
    });

  /** Submit, accept the review, confirm the plan: the pledge reaches AWAITING_APPROVAL. */
  async function toApproval(body = pledgeOf()) {
    const created = await fra.post('/api/v1/pledges', body);
    expect(created.status).toBe(202);
    const id: string = created.body.id;
    const review = await openTask(reviewer, id, 'compatibility_review');
    expect((await reviewer.post(`/api/v1/tasks/${review.id}/complete`, { decision: 'accept' })).status).toBe(
      200,
    );
    const plan = await openTask(trainer, id, 'training_plan_confirmation');
    expect((await trainer.post(`/api/v1/tasks/${plan.id}/complete`, { decision: 'confirm' })).status).toBe(
      200,
    );
    const first = await openTask(cos, id, 'command_approval');
    return { id, first };
  }

  /** As far as the commander's step: the chief of staff has approved. */
  async function toCommander() {
    const { id, first } = await toApproval();
    await cos.post(
      `/api/v1/tasks/${first.id}/complete`,
      await signedDecision(cos, cosKey, first.id, { decision: 'approve' }),
    );
    const second = await openTask(commander, id, 'command_approval');
    return { id, first, second };
  }

  beforeAll(async () => {
    stack = await startStack('approval', { workerProcess: true, jobsWorker: 'inline' });
    [fra, reviewer, trainer, cos, commander, deputy] = await Promise.all(
      ['liaison.fra', 'reviewer', 'trainer', 'cos', 'commander', 'deputy'].map((u) => stack.as(u)),
    );
    [cosKey, commanderKey, deputyKey] = await Promise.all([
      registerSigner(cos),
      registerSigner(commander),
      registerSigner(deputy),
    ]);
  });
  afterAll(async () => stack?.stop());

  it('when cos and the commander approve with valid signatures, then the pledge is APPROVED and both signatures verify', async () => {
    const { id, first } = await toApproval();
    const pending = (await fra.get(`/api/v1/pledges/${id}`)).body;
    expect(pending.status).toBe('AWAITING_APPROVAL');
    expect(pending.approval.chain.map((s: { role: string }) => s.role)).toEqual([
      'chief_of_staff',
      'commander',
    ]);
    expect(pending.approval.packageHash).toMatch(/^[0-9a-f]{64}$/);

    const byCos = await cos.post(
      `/api/v1/tasks/${first.id}/complete`,
      await signedDecision(cos, cosKey, first.id, { decision: 'approve' }),
    );
    expect(byCos.status).toBe(200);
    expect(byCos.body.pledge.status).toBe('AWAITING_APPROVAL');
    const second = await openTask(commander, id, 'command_approval');
    const decision = await signedDecision(commander, commanderKey, second.id, {
      decision: 'approve_with_conditions',
      comment: 'Approved; spares first',
      conditions: ['Spare parts delivered before the first battery'],
    });
    const byCommander = await commander.post(`/api/v1/tasks/${second.id}/complete`, decision);
    expect(byCommander.status).toBe(200);
    expect(byCommander.body.pledge.status).toBe('APPROVED');

    const pledge = (await fra.get(`/api/v1/pledges/${id}`)).body;
    expect(pledge.approval.chain).toEqual([
      expect.objectContaining({
        role: 'chief_of_staff',
        decision: 'approve',
        by: 'cos',
        signatureValid: true,
      }),
      expect.objectContaining({
        role: 'commander',
        decision: 'approve_with_conditions',
        by: 'commander',
        signatureValid: true,
      }),
    ]);
    expect(pledge.approval.packageValid).toBe(true);
    const auditor = await stack.as('auditor');
    const verify = (await auditor.get('/api/v1/audit/verify')).body;
    expect(verify.ok).toBe(true);
    expect(verify.signaturesChecked).toBeGreaterThanOrEqual(4);
  });

  it('when a signature is missing, by someone else’s key, or over another decision or comment, then 422 and the task stays open', async () => {
    const { first } = await toApproval();
    const url = `/api/v1/tasks/${first.id}/complete`;
    expect((await cos.post(url, { decision: 'approve' })).status).toBe(422);
    const withCommandersKey = await signedDecision(cos, commanderKey, first.id, { decision: 'approve' });
    expect((await cos.post(url, withCommandersKey)).status).toBe(422);
    const signedReject = await signedDecision(cos, cosKey, first.id, { decision: 'reject', comment: 'no' });
    expect((await cos.post(url, { ...signedReject, decision: 'approve', comment: undefined })).status).toBe(
      422,
    );
    const signedComment = await signedDecision(cos, cosKey, first.id, {
      decision: 'approve',
      comment: 'fine',
    });
    expect((await cos.post(url, { ...signedComment, comment: 'fine, and more' })).status).toBe(422);
    const malformed = await cos.post(url, { decision: 'approve', signature: '***', keyId: cosKey.keyId });
    expect(malformed.status).toBe(422);
    expect((await cos.get(`/api/v1/tasks/${first.id}`)).body.state).toBe('open');

    expect((await fra.post(url, { decision: 'approve' })).status).toBe(403);
    expect((await reviewer.post(url, { decision: 'approve' })).status).toBe(403);
    expect(
      (await cos.post(url, await signedDecision(cos, cosKey, first.id, { decision: 'approve' }))).status,
    ).toBe(200);
    expect(
      (await cos.post(url, await signedDecision(cos, cosKey, first.id, { decision: 'approve' }))).status,
    ).toBe(409);
  });

  it('when a pledge is valued above the threshold, then SACEUR joins the chain; below it does not', async () => {
    const { id: high } = await toApproval(pledgeOf({ valueEur: 2_000_000_000 }));
    const { id: low } = await toApproval(pledgeOf({ valueEur: 5_000_000 }));
    const roles = async (id: string) =>
      (await fra.get(`/api/v1/pledges/${id}`)).body.approval.chain.map((s: { role: string }) => s.role);
    expect(await roles(high)).toEqual(['chief_of_staff', 'commander', 'saceur']);
    expect(await roles(low)).toEqual(['chief_of_staff', 'commander']);
  });

  it('when the commander returns the pledge, then it is RETURNED; the amendment goes through review again to a fresh chain', async () => {
    const { id, first, second } = await toCommander();
    const before = (await fra.get(`/api/v1/pledges/${id}`)).body.approval.packageHash;
    const returned = await commander.post(
      `/api/v1/tasks/${second.id}/complete`,
      await signedDecision(commander, commanderKey, second.id, {
        decision: 'return',
        comment: 'Add a maintenance package',
      }),
    );
    expect(returned.body.pledge.status).toBe('RETURNED');
    await openTask(fra, id, 'revision');
    expect(
      (
        await fra.post(
          `/api/v1/pledges/${id}/amend`,
          pledgeOf({ sustainment: { spareParts: true, maintenanceYears: 5 } }),
        )
      ).status,
    ).toBe(202);
    const review = await openTask(reviewer, id, 'compatibility_review');
    expect(review.id).toContain('review-2');
    await reviewer.post(`/api/v1/tasks/${review.id}/complete`, { decision: 'accept' });
    const plan = await openTask(trainer, id, 'training_plan_confirmation');
    await trainer.post(`/api/v1/tasks/${plan.id}/complete`, { decision: 'confirm' });
    const fresh = await openTask(cos, id, 'command_approval', [first.id]);
    expect(fresh.id).not.toBe(first.id);
    const after = (await fra.get(`/api/v1/pledges/${id}`)).body.approval;
    expect(after.packageHash).not.toBe(before);
    expect(after.chain.every((s: { decision: unknown }) => s.decision === null)).toBe(true);
  });

  it('when the donor withdraws 32 ms after the commander returns the pledge, then neither answers 5xx, a refusal is a 409 naming the state, and the pledge ends WITHDRAWN with nothing open', async () => {
    const { id, second } = await toCommander();
    const returnDecision = await signedDecision(commander, commanderKey, second.id, {
      decision: 'return',
      comment: 'Add a maintenance package',
    });
    const returning = commander.post(`/api/v1/tasks/${second.id}/complete`, returnDecision);
    await new Promise((resolve) => setTimeout(resolve, 32));
    const withdrawn = await fra.post(`/api/v1/pledges/${id}/withdraw`, { reason: 'Guns needed at home' });
    const returned = await returning;
    console.log(
      `return then withdraw: the return answered ${returned.status}, the withdrawal ${withdrawn.status}`,
    );

    for (const res of [returned, withdrawn]) {
      expect([200, 202, 409], JSON.stringify(res.body)).toContain(res.status);
      if (res.status === 409)
        expect(res.body.error.message).toMatch(/cancelled|completed|the pledge is [A-Z_]+/);
    }
    // Whichever came second, the donor can still withdraw the returned pledge: nothing is left stuck.
    if (withdrawn.status === 409)
      expect((await fra.post(`/api/v1/pledges/${id}/withdraw`, { reason: 'again' })).status).toBe(202);
    // The pledge is WITHDRAWN and no task of it (the revision a return opens included) is left open.
    await eventually(async () => {
      const status = (await fra.get(`/api/v1/pledges/${id}`)).body.status;
      const open = (await fra.get(`/api/v1/tasks?pledgeId=${id}`)).body.items;
      return status === 'WITHDRAWN' && open.length === 0 ? true : undefined;
    });
    const lifecycle = stack.api.deps.temporal.client.workflow.getHandle(`pledge-${id}`);
    await lifecycle.result();
    expect((await lifecycle.describe()).status.name).toBe('COMPLETED');
  });

  it('when a stored decision is edited in the database, then audit/verify reports it', async () => {
    const { id, first } = await toApproval();
    await cos.post(
      `/api/v1/tasks/${first.id}/complete`,
      await signedDecision(cos, cosKey, first.id, { decision: 'approve' }),
    );
    await eventually(
      async () => (await fra.get(`/api/v1/pledges/${id}`)).body.approval.chain[0].decision === 'approve',
    );
    await stack.db
      .collection('pledges')
      .updateOne({ _id: id as never }, { $set: { 'approval.chain.0.comment': 'forged comment' } });
    const auditor = await stack.as('auditor');
    const verify = (await auditor.get('/api/v1/audit/verify')).body;
    expect(verify.ok).toBe(false);
    expect(verify.problems).toContainEqual(expect.objectContaining({ pledgeId: id, step: 1 }));
    // The page shows the record as projected; once the projections are rebuilt from the edited record, it shows the break.
    const { store, redis, config } = stack.api.deps;
    await rebuildProjections(store, redis, config.QUEUE_PREFIX);
    await eventually(
      async () => (await fra.get(`/api/v1/pledges/${id}`)).body.approval.chain[0].signatureValid === false,
    );
    await stack.db
      .collection('pledges')
      .updateOne({ _id: id as never }, { $set: { 'approval.chain.0.comment': null } });
    await rebuildProjections(store, redis, config.QUEUE_PREFIX);
  });

  it('when every process restarts mid-chain, then the open step stays open, decided steps stay decided and signatures verify', async () => {
    const { id, second } = await toCommander();
    await stack.killWorker();
    await stack.restartApi();
    await stack.startWorker();
    const fresh = commander;
    const pledge = (await fresh.get(`/api/v1/pledges/${id}`)).body;
    expect(pledge.approval.chain[0]).toMatchObject({ decision: 'approve', signatureValid: true });
    expect((await fresh.get(`/api/v1/tasks/${second.id}`)).body.state).toBe('open');
    const done = await fresh.post(
      `/api/v1/tasks/${second.id}/complete`,
      await signedDecision(fresh, commanderKey, second.id, { decision: 'approve' }),
    );
    expect(done.body.pledge.status).toBe('APPROVED');
  });

  it('when a key is revoked, then it signs nothing new but decisions it signed still verify', async () => {
    const { id, first } = await toApproval();
    const oldKey = await registerSigner(cos);
    await cos.post(
      `/api/v1/tasks/${first.id}/complete`,
      await signedDecision(cos, oldKey, first.id, { decision: 'approve' }),
    );
    expect((await cos.post(`/api/v1/me/keys/${oldKey.keyId}/revoke`)).status).toBe(200);
    expect((await fra.get(`/api/v1/pledges/${id}`)).body.approval.chain[0].signatureValid).toBe(true);
    const { first: next } = await toApproval();
    const res = await cos.post(
      `/api/v1/tasks/${next.id}/complete`,
      await signedDecision(cos, oldKey, next.id, { decision: 'approve' }),
    );
    expect(res.status).toBe(422);
  });

  it('when the commander’s step passes its SLA, then it escalates to the deputy, whose signed approval counts on the commander’s behalf', async () => {
    const admin = await stack.as('admin');
    const { version: _v, ...policy } = defaultApprovalPolicy;
    const published = await admin.post('/api/v1/admin/policies/approval', {
      ...policy,
      steps: {
        ...policy.steps,
        commander: {
          slaSeconds: 5,
          remindBeforeDueSeconds: [3],
          escalateToRoles: ['deputy_commander'],
          delegateToRoles: ['deputy_commander'],
        },
      },
    });
    expect(published.status).toBe(201);
    const { id, first } = await toApproval();
    await cos.post(
      `/api/v1/tasks/${first.id}/complete`,
      await signedDecision(cos, cosKey, first.id, { decision: 'approve' }),
    );
    const step = await openTask(deputy, id, 'command_approval');
    expect(step.escalated).toBe(true);
    const done = await deputy.post(
      `/api/v1/tasks/${step.id}/complete`,
      await signedDecision(deputy, deputyKey, step.id, { decision: 'approve' }),
    );
    expect(done.status).toBe(200);
    expect(done.body.pledge.status).toBe('APPROVED');
    const chain = (await fra.get(`/api/v1/pledges/${id}`)).body.approval.chain;
    expect(chain[1]).toMatchObject({
      role: 'commander',
      by: 'deputy',
      onBehalfOf: 'commander',
      signatureValid: true,
    });
    const told = (type: string) =>
      eventually(async () => {
        const items = (await commander.get('/api/v1/notifications?limit=200')).body.items.filter(
          (n: { type: string; taskId: string }) => n.type === type && n.taskId === step.id,
        );
        return items.length ? items : undefined;
      });
    expect(await told('task.reminder')).toHaveLength(1);
    expect(await told('task.escalated')).toHaveLength(1);
    // Restore the default SLAs for any later test.
    await admin.post('/api/v1/admin/policies/approval', policy);
  });

  it('when the commander delegates to the deputy, then the deputy decides and the record says on whose behalf', async () => {
    const { id, first } = await toApproval();
    await cos.post(
      `/api/v1/tasks/${first.id}/complete`,
      await signedDecision(cos, cosKey, first.id, { decision: 'approve' }),
    );
    const step = await openTask(commander, id, 'command_approval');
    expect((await commander.post(`/api/v1/tasks/${step.id}/delegate`, { to: 'deputy' })).status).toBe(200);
    expect(
      (
        await commander.post(
          `/api/v1/tasks/${step.id}/complete`,
          await signedDecision(commander, commanderKey, step.id, { decision: 'approve' }),
        )
      ).status,
    ).toBe(403);
    const done = await deputy.post(
      `/api/v1/tasks/${step.id}/complete`,
      await signedDecision(deputy, deputyKey, step.id, { decision: 'approve' }),
    );
    expect(done.status).toBe(200);
    const chain = (await fra.get(`/api/v1/pledges/${id}`)).body.approval.chain;
    expect(chain[1]).toMatchObject({ by: 'deputy', onBehalfOf: 'commander', signatureValid: true });
  });
});
