import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startStack, type Stack } from '../support/stack';
import type { HttpClient } from '../support/http';

const year = new Date().getUTCFullYear() + 1;
const window = { from: `${year}-06-01`, to: `${year}-12-31` };
const miragePledge = {
  donor: 'FRA',
  items: [{ systemId: 'mirage-2000-5', quantity: 6, deliveryWindow: window }],
  trainingOffered: true,
  sustainment: { spareParts: true, maintenanceYears: 2 },
  valueEur: 450_000_000,
};

async function submitAndAwaitReview(client: HttpClient, reviewer: HttpClient, body: unknown = miragePledge) {
  const created = await client.post('/api/v1/pledges', body);
  expect(created.status).toBe(202);
  const id: string = created.body.id;
  const task = await eventually(async () => {
    const inbox = await reviewer.get(`/api/v1/tasks?kind=compatibility_review&pledgeId=${id}`);
    return inbox.body.items[0];
  });
  return { id, task };
}

describe('pledge intake and compatibility review over HTTP', () => {
  let stack: Stack;
  let fra: HttpClient;
  let reviewer: HttpClient;
  beforeAll(async () => {
    stack = await startStack('review');
    fra = await stack.as('liaison.fra');
    reviewer = await stack.as('reviewer');
  });
  afterAll(async () => stack?.stop());

  it('when liaison.fra pledges Mirage 2000 jets, then the reviewer sees the F-16 fragmentation finding, claims and accepts', async () => {
    const { id, task } = await submitAndAwaitReview(fra, reviewer);
    const pledge = await fra.get(`/api/v1/pledges/${id}`);
    expect(pledge.body.status).toBe('UNDER_REVIEW');
    const fragmentation = pledge.body.review.findings.find(
      (f: { code: string }) => f.code === 'FLEET_FRAGMENTATION',
    );
    expect(fragmentation.message).toContain('F-16');
    expect(fragmentation.systemId).toBe('mirage-2000-5');
    expect(task).toMatchObject({ kind: 'compatibility_review', pledgeId: id, state: 'open', assignee: null });

    const claimed = await reviewer.post(`/api/v1/tasks/${task.id}/claim`);
    expect(claimed.status).toBe(200);
    expect(claimed.body.task.assignee).toBe('reviewer');

    const done = await reviewer.post(`/api/v1/tasks/${task.id}/complete`, {
      decision: 'accept_with_conditions',
      conditions: ['France provides a Mirage spare-parts pool for 2 years'],
      comment: 'Second Western fighter family accepted with sustainment conditions',
    });
    expect(done.status).toBe(200);
    expect(done.body.task.state).toBe('completed');
    expect(done.body.pledge).toEqual({ id, status: 'TRAINING_PLANNING' });
    const after = await fra.get(`/api/v1/pledges/${id}`);
    expect(after.body.status).toBe('TRAINING_PLANNING');
    expect(after.body.review.decision).toMatchObject({ decision: 'accept_with_conditions', by: 'reviewer' });
    expect(after.body.timeline.map((e: { type: string }) => e.type)).toEqual(
      expect.arrayContaining(['pledge.submitted', 'intake.accepted', 'review.findings', 'review.accepted']),
    );
    const audit = await fra.get(`/api/v1/pledges/${id}/audit`);
    expect(audit.body.items.map((e: { action: string }) => e.action)).toContain('review.accepted');
  });

  it('when the reviewer requests changes, then the liaison gets a revision task and an amendment runs a fresh review', async () => {
    const { id, task } = await submitAndAwaitReview(fra, reviewer);
    const res = await reviewer.post(`/api/v1/tasks/${task.id}/complete`, {
      decision: 'request_changes',
      comment: 'Add spare parts and a longer maintenance package',
    });
    expect(res.body.pledge.status).toBe('CHANGES_REQUESTED');
    const revision = await eventually(
      async () => (await fra.get(`/api/v1/tasks?kind=revision&pledgeId=${id}`)).body.items[0],
    );
    expect(revision).toMatchObject({ kind: 'revision', nation: 'FRA' });
    const deu = await stack.as('liaison.deu');
    expect((await deu.get(`/api/v1/tasks?kind=revision&pledgeId=${id}`)).body.items).toHaveLength(0);

    // The same amendment sent twice at once (a retry after a lost answer): one is applied, the other is refused.
    const amendment = { ...miragePledge, items: [{ systemId: 'f-16', quantity: 4, deliveryWindow: window }] };
    const answers = await Promise.all([
      fra.post(`/api/v1/pledges/${id}/amend`, amendment),
      fra.post(`/api/v1/pledges/${id}/amend`, amendment),
    ]);
    expect(answers.map((a) => a.status).sort()).toEqual([202, 409]);
    expect(answers.find((a) => a.status === 409)!.body.error.code).toBe('CONFLICT');
    const second = await eventually(async () => {
      const inbox = await reviewer.get(`/api/v1/tasks?kind=compatibility_review&pledgeId=${id}`);
      return inbox.body.items.find((t: { id: string }) => t.id !== task.id);
    });
    expect(second.id).toContain('review-2');
    const pledge = await fra.get(`/api/v1/pledges/${id}`);
    const codes = pledge.body.review.findings.map((f: { code: string }) => f.code);
    expect(codes).toContain('FLEET_COMMONALITY');
    expect(codes).not.toContain('FLEET_FRAGMENTATION');
    expect(pledge.body.revision).toBe(2);
    expect(
      (await fra.get(`/api/v1/tasks?kind=revision&pledgeId=${id}&state=completed`)).body.items,
    ).toHaveLength(1);
  });

  it('when the wrong people act, then they are refused: 404, 403, 422 and 409', async () => {
    const { id, task } = await submitAndAwaitReview(fra, reviewer);
    const deu = await stack.as('liaison.deu');
    expect((await deu.get(`/api/v1/pledges/${id}`)).status).toBe(404);
    expect((await deu.get('/api/v1/pledges')).body.items.map((p: { id: string }) => p.id)).not.toContain(id);
    expect((await reviewer.post('/api/v1/pledges', miragePledge)).status).toBe(403);

    const liaisonDecides = await fra.post(`/api/v1/tasks/${task.id}/complete`, { decision: 'accept' });
    expect(liaisonDecides.status).toBe(403);
    const invalid = await reviewer.post(`/api/v1/tasks/${task.id}/complete`, { decision: 'approve' });
    expect(invalid.status).toBe(422);
    expect((await reviewer.get(`/api/v1/tasks/${task.id}`)).body.state).toBe('open');

    const [a, b] = await Promise.all([
      reviewer.post(`/api/v1/tasks/${task.id}/complete`, { decision: 'accept' }),
      reviewer.post(`/api/v1/tasks/${task.id}/complete`, {
        decision: 'reject',
        comment: 'duplicate of another offer',
      }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const late = await reviewer.post(`/api/v1/tasks/${task.id}/complete`, { decision: 'accept' });
    expect(late.status).toBe(409);
  });

  it('when a task is claimed by one reviewer, then another candidate cannot complete it', async () => {
    const { task } = await submitAndAwaitReview(fra, reviewer);
    await stack.db.collection('users').insertOne({
      username: 'reviewer2',
      passwordHash: (await stack.db.collection('users').findOne({ username: 'reviewer' }))!.passwordHash,
      displayName: 'Second reviewer',
      roles: ['reviewer'],
      nation: null,
      // The pledge's review goes to its coalition's reviewers: this one reviews for every coalition.
      coalitions: ['air-force', 'iamd', 'artillery', 'armour', 'maritime', 'it', 'demining', 'drones'],
      active: true,
    });
    const other = await stack.as('reviewer2');
    expect((await reviewer.post(`/api/v1/tasks/${task.id}/claim`)).status).toBe(200);
    const res = await other.post(`/api/v1/tasks/${task.id}/complete`, { decision: 'accept' });
    expect(res.status).toBe(403);
    expect((await reviewer.post(`/api/v1/tasks/${task.id}/release`)).status).toBe(200);
    expect((await other.post(`/api/v1/tasks/${task.id}/complete`, { decision: 'accept' })).status).toBe(200);
  });

  it('when comments are posted while the task is being claimed and released, then none is lost', async () => {
    const { task } = await submitAndAwaitReview(fra, reviewer);
    const staff = await stack.as('staff');
    expect((await staff.post(`/api/v1/tasks/${task.id}/comments`, { text: '' })).status).toBe(400);
    const results = await Promise.all([
      ...Array.from({ length: 10 }, (_, i) =>
        reviewer.post(`/api/v1/tasks/${task.id}/comments`, { text: `note ${i}` }),
      ),
      reviewer
        .post(`/api/v1/tasks/${task.id}/claim`)
        .then(() => reviewer.post(`/api/v1/tasks/${task.id}/release`)),
    ]);
    expect(results.every((r) => r.status < 300)).toBe(true);
    const view = (await reviewer.get(`/api/v1/tasks/${task.id}`)).body;
    expect(view.comments.map((c: { text: string }) => c.text).sort()).toEqual(
      Array.from({ length: 10 }, (_, i) => `note ${i}`).sort(),
    );
    expect(view.assignee).toBeNull();
  });

  it('when the donor withdraws during review, then the pledge is WITHDRAWN and its task cancelled', async () => {
    const { id, task } = await submitAndAwaitReview(fra, reviewer);
    const res = await fra.post(`/api/v1/pledges/${id}/withdraw`, { reason: 'Aircraft needed at home' });
    expect(res.status).toBe(202);
    expect(res.body.status).toBe('WITHDRAWN');
    const closed = await eventually(async () => {
      const t = (await reviewer.get(`/api/v1/tasks/${task.id}`)).body;
      return t.state === 'cancelled' ? t : undefined;
    });
    expect(closed.state).toBe('cancelled');
    expect((await fra.post(`/api/v1/pledges/${id}/withdraw`, { reason: 'again' })).status).toBe(409);
  });

  it('when the chain is checked, then the audit log verifies; after an edit in the database it names the entry', async () => {
    const auditor = await stack.as('auditor');
    const ok = await auditor.get('/api/v1/audit/verify');
    expect(ok.body.ok).toBe(true);
    expect(ok.body.checked).toBeGreaterThan(5);
    expect((await reviewer.get('/api/v1/audit/verify')).status).toBe(403);
    await stack.db.collection('audit_log').updateOne({ seq: 3 }, { $set: { actor: 'someone-else' } });
    const broken = await auditor.get('/api/v1/audit/verify');
    expect(broken.body).toMatchObject({ ok: false, firstBrokenSeq: 3 });
  });
});
