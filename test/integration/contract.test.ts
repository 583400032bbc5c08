import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contractCounts } from '../support/contract-mismatches';
import type { HttpClient } from '../support/http';
import { rawRequest } from '../support/reliability';
import { eventually, startStack, type Stack } from '../support/stack';

const year = new Date().getUTCFullYear() + 1;
const bare = {
  donor: 'FRA',
  items: [
    { systemId: 'caesar', quantity: 4, deliveryWindow: { from: `${year}-09-01`, to: `${year}-12-31` } },
  ],
};

// Every response these tests receive is also checked against the OpenAPI document (test/support/contract.ts):
// here are the answers the document promises beyond their bodies.
describe('the HTTP contract: headers, refusals and fields the document promises', () => {
  let stack: Stack;
  let fra: HttpClient, reviewer: HttpClient, trainer: HttpClient, cos: HttpClient, admin: HttpClient;

  const openTask = (client: HttpClient, pledgeId: string, kind: string) =>
    eventually(async () => {
      const res = await client.get(`/api/v1/tasks?kind=${kind}&pledgeId=${pledgeId}`);
      return res.body.items?.[0] as { id: string } | undefined;
    });

  beforeAll(async () => {
    stack = await startStack('contract');
    [fra, reviewer, trainer, cos, admin] = await Promise.all(
      ['liaison.fra', 'reviewer', 'trainer', 'cos', 'admin'].map((u) => stack.as(u)),
    );
  });
  afterAll(async () => stack?.stop());

  it('when a request has no token, a bad one or wrong credentials, then the 401 says WWW-Authenticate: Bearer', async () => {
    const answers = [
      await stack.anonymous.get('/api/v1/pledges'),
      await stack.anonymous.get('/api/v1/me', { authorization: 'Bearer not.a.token' }),
      await stack.anonymous.post('/api/v1/auth/login', { username: 'staff', password: 'not the password' }),
    ];
    for (const res of answers) {
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer');
      expect(res.body.error.code).toBe('UNAUTHENTICATED');
    }
  });

  it('when an authenticated GET is answered, then it is private, revalidated and varies by Authorization; its ETag gets a 304', async () => {
    const first = await fra.get('/api/v1/catalog/systems');
    expect(first.status).toBe(200);
    expect(first.headers.get('cache-control')).toBe('private, no-cache');
    expect(first.headers.get('vary')).toMatch(/\bAuthorization\b/i);
    const etag = first.headers.get('etag');
    expect(etag).toBeTruthy();
    // fetch adds `Cache-Control: no-cache` to a conditional request unless it carries one (an end-to-end
    // reload, which no server answers with a 304): a browser's cache revalidates with `max-age=0`.
    const again = await fra.get('/api/v1/catalog/systems', {
      'if-none-match': etag!,
      'cache-control': 'max-age=0',
    });
    expect(again.status).toBe(304);
    expect(again.body).toBeNull();
    // The export is never kept, by anyone.
    const csv = await fra.get('/api/v1/pledges/export.csv');
    expect(csv.headers.get('cache-control')).toBe('no-store');
    expect(csv.headers.get('vary')).toMatch(/\bAuthorization\b/i);
    // What anyone may read is not private.
    const document = await stack.anonymous.get('/api/v1/openapi.json');
    expect(document.headers.get('cache-control') ?? '').not.toMatch(/private/);
  });

  it('when a query has parameters the route does not take, then 400 names each, and nothing is done', async () => {
    const list = await fra.get('/api/v1/pledges?stauts=UNDER_REVIEW&limit=5&sort=new');
    expect(list.status).toBe(400);
    expect(list.body.error.code).toBe('VALIDATION_FAILED');
    expect(list.body.error.message).toMatch(/stauts/);
    expect(list.body.error.message).toMatch(/sort/);
    expect(list.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual([
      'query.sort',
      'query.stauts',
    ]);
    const me = await fra.get('/api/v1/me?verbose=true');
    expect(me.status).toBe(400);
    expect(me.body.error.details).toEqual([
      { path: 'query.verbose', message: 'unknown parameter; this route takes no query parameters' },
    ]);
    const before = await stack.db.collection('pledges').countDocuments();
    const created = await fra.post('/api/v1/pledges?dryRun=true', bare);
    expect(created.status).toBe(400);
    expect(created.body.error.message).toMatch(/dryRun/);
    expect(await stack.db.collection('pledges').countDocuments()).toBe(before);
  });

  it('when a pledge has no notes and no value, then its page, the list and the CSV carry them as null', async () => {
    const created = await fra.post('/api/v1/pledges', bare);
    expect(created.status).toBe(202);
    const page = await fra.get(`/api/v1/pledges/${created.body.id}`);
    expect(page.body).toMatchObject({ notes: null, valueEur: null, trainingPlan: null, approval: null });
    const listed = (await fra.get('/api/v1/pledges?limit=200')).body.items.find(
      (p: { id: string }) => p.id === created.body.id,
    );
    expect(listed).toMatchObject({ notes: null, valueEur: null });
    expect(Object.keys(listed)).not.toContain('trainingPlan');
    expect(Object.keys(listed)).not.toContain('approval');
  });

  it('when a signing payload is asked for a decision an approval does not take, or would refuse, then 400 or 422 and nothing to sign', async () => {
    const created = await fra.post('/api/v1/pledges', { ...bare, valueEur: 20_000_000 });
    const id: string = created.body.id;
    const review = await openTask(reviewer, id, 'compatibility_review');
    const bogus = await reviewer.get(`/api/v1/tasks/${review.id}/signing-payload?decision=bogus`);
    expect(bogus.status).toBe(400);
    expect(bogus.body.error.details.map((d: { path: string }) => d.path)).toEqual(['query.decision']);
    const notApproval = await reviewer.get(`/api/v1/tasks/${review.id}/signing-payload?decision=approve`);
    expect(notApproval.status).toBe(422);

    expect((await reviewer.post(`/api/v1/tasks/${review.id}/complete`, { decision: 'accept' })).status).toBe(
      200,
    );
    const plan = await openTask(trainer, id, 'training_plan_confirmation');
    expect((await trainer.post(`/api/v1/tasks/${plan.id}/complete`, { decision: 'confirm' })).status).toBe(
      200,
    );
    const approval = await openTask(cos, id, 'command_approval');
    const payload = (query: string) => cos.get(`/api/v1/tasks/${approval.id}/signing-payload?${query}`);

    expect((await payload('decision=accept')).status).toBe(400);
    const refused = [
      await payload('decision=reject'),
      await payload('decision=approve_with_conditions'),
      await payload('decision=approve&conditions=only%20on%20Mondays'),
    ];
    for (const res of refused) {
      expect(res.status).toBe(422);
      expect(res.body.error.code).toBe('UNPROCESSABLE');
      expect(res.body.payload).toBeUndefined();
    }
    const fine = await payload('decision=return&comment=the%20value%20is%20unclear');
    expect(fine.status).toBe(200);
    expect(JSON.parse(fine.body.payload)).toMatchObject({
      decision: 'return',
      comment: 'the value is unclear',
    });
  });

  it('when an admin lists users, then each shows whether it is active and its e-mail, as documented', async () => {
    const users = await admin.get('/api/v1/admin/users');
    expect(users.status).toBe(200);
    for (const u of users.body.items) {
      expect(typeof u.active).toBe('boolean');
      expect(u).toHaveProperty('email');
    }
  });

  it('when a path under /api/v1 has no route, then the JSON 404 of the document, checked like any answer', async () => {
    const res = await rawRequest(stack.url, { method: 'GET', path: '/api/v1/no-such-thing' });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('NOT_FOUND');
    expect(contractCounts().checked).toBeGreaterThan(20);
  });
});
