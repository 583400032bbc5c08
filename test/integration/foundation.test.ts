import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { METRICS_TOKEN, startStack, type Stack } from '../support/stack';

const year = new Date().getUTCFullYear() + 1;
const miragePledge = {
  donor: 'FRA',
  items: [
    {
      systemId: 'mirage-2000-5',
      quantity: 6,
      deliveryWindow: { from: `${year}-06-01`, to: `${year}-12-31` },
    },
  ],
  trainingOffered: true,
  sustainment: { spareParts: true, maintenanceYears: 2 },
  valueEur: 450_000_000,
};

describe('foundation over HTTP against the real stack', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack('foundation');
  });
  afterAll(async () => stack?.stop());

  it('when the right password is given, then login returns a token and the user', async () => {
    const res = await stack.anonymous.post('/api/v1/auth/login', {
      username: 'liaison.fra',
      password: 'nsatu-demo',
    });
    expect(res.status).toBe(200);
    expect(res.body.token).toMatch(/^ey/);
    expect(res.body.user).toMatchObject({ username: 'liaison.fra', roles: ['donor_liaison'], nation: 'FRA' });
    const me = await (await stack.as('liaison.fra')).get('/api/v1/me');
    expect(me.body).toMatchObject({ username: 'liaison.fra', nation: 'FRA' });
  });

  it('when the password is wrong, then login is a JSON 401', async () => {
    const res = await stack.anonymous.post('/api/v1/auth/login', {
      username: 'liaison.fra',
      password: 'wrong',
    });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('UNAUTHENTICATED');
  });

  it('when no token or a forged token is sent, then the API answers 401 in JSON', async () => {
    const none = await stack.anonymous.get('/api/v1/pledges');
    expect(none.status).toBe(401);
    expect(none.body.error.code).toBe('UNAUTHENTICATED');
    const forged = await stack.anonymous.get('/api/v1/pledges', {
      authorization: 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJhZG1pbiIsInJvbGVzIjpbImFkbWluIl19.',
    });
    expect(forged.status).toBe(401);
  });

  it('when a reviewer tries to create a pledge, then it is a 403 and nothing is created', async () => {
    const reviewer = await stack.as('reviewer');
    const res = await reviewer.post('/api/v1/pledges', miragePledge);
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('FORBIDDEN');
    expect(await stack.db.collection('pledges').countDocuments()).toBe(0);
  });

  it("when a liaison asks for another nation's pledge, then it is a 404 and it is absent from lists", async () => {
    const fra = await stack.as('liaison.fra');
    const created = await fra.post('/api/v1/pledges', miragePledge);
    expect(created.status).toBe(202);
    const deu = await stack.as('liaison.deu');
    expect((await deu.get(`/api/v1/pledges/${created.body.id}`)).status).toBe(404);
    const list = await deu.get('/api/v1/pledges');
    expect(list.body.items.map((p: { id: string }) => p.id)).not.toContain(created.body.id);
    const asStaff = await (await stack.as('staff')).get(`/api/v1/pledges/${created.body.id}`);
    expect(asStaff.status).toBe(200);
  });

  it('when a liaison pledges for another nation, then it is refused naming the donor field', async () => {
    const deu = await stack.as('liaison.deu');
    const res = await deu.post('/api/v1/pledges', miragePledge);
    expect(res.status).toBe(403);
    expect(res.body.error.details).toContainEqual(expect.objectContaining({ path: 'donor' }));
  });

  it('when the body is invalid, then it is a 400 listing each failing path and nothing is created', async () => {
    const staff = await stack.as('staff');
    const before = await stack.db.collection('pledges').countDocuments();
    const res = await staff.post('/api/v1/pledges', {
      donor: 'france',
      items: [
        {
          systemId: 'mirage-2000-5',
          quantity: 0,
          deliveryWindow: { from: `${year}-06-01`, to: `${year}-01-01` },
        },
      ],
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    const paths = res.body.error.details.map((d: { path: string }) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['donor', 'items.0.quantity', 'items.0.deliveryWindow.to']));
    const unknown = await staff.post('/api/v1/pledges', {
      ...miragePledge,
      items: [{ ...miragePledge.items[0], systemId: 'no-such-jet' }],
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.details).toContainEqual(expect.objectContaining({ path: 'items.0.systemId' }));
    const past = await staff.post('/api/v1/pledges', {
      ...miragePledge,
      items: [{ ...miragePledge.items[0], deliveryWindow: { from: '2020-01-01', to: '2020-06-30' } }],
    });
    expect(past.status).toBe(400);
    expect(await stack.db.collection('pledges').countDocuments()).toBe(before);
  });

  it('when the JSON is malformed, then it is a 400 MALFORMED_JSON', async () => {
    const staff = await stack.as('staff');
    const res = await staff.post('/api/v1/pledges', '{"donor": "FRA",');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('MALFORMED_JSON');
  });

  it('when the body is too large, then it is a 413 in JSON', async () => {
    const staff = await stack.as('staff');
    const res = await staff.post('/api/v1/pledges', { ...miragePledge, notes: 'x'.repeat(400_000) });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('when a route does not exist, then it is a JSON 404', async () => {
    const res = await stack.anonymous.get('/api/v1/no-such-route');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('NOT_FOUND');
  });

  it('when a request is replayed with the same Idempotency-Key, then the first response returns and nothing new is created', async () => {
    const fra = await stack.as('liaison.fra');
    const headers = { 'idempotency-key': 'foundation-replay-1' };
    const before = await stack.db.collection('pledges').countDocuments();
    const first = await fra.post('/api/v1/pledges', miragePledge, headers);
    const second = await fra.post('/api/v1/pledges', miragePledge, headers);
    expect(first.status).toBe(202);
    expect(second.status).toBe(202);
    expect(second.body).toEqual(first.body);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(await stack.db.collection('pledges').countDocuments()).toBe(before + 1);
    const other = await fra.post('/api/v1/pledges', { ...miragePledge, valueEur: 1 }, headers);
    expect(other.status).toBe(422);
    expect(await stack.db.collection('pledges').countDocuments()).toBe(before + 1);
  });

  it('when concurrent requests share an Idempotency-Key, then exactly one pledge is created', async () => {
    const fra = await stack.as('liaison.fra');
    const before = await stack.db.collection('pledges').countDocuments();
    const results = await Promise.all(
      Array.from({ length: 8 }, () =>
        fra.post('/api/v1/pledges', miragePledge, { 'idempotency-key': 'foundation-race' }),
      ),
    );
    expect(results.every((r) => r.status === 202)).toBe(true);
    expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
    expect(await stack.db.collection('pledges').countDocuments()).toBe(before + 1);
  });

  it('when asked, then health, readiness, metrics and the OpenAPI document answer', async () => {
    expect((await stack.anonymous.get('/healthz')).status).toBe(200);
    const ready = await stack.anonymous.get('/readyz');
    expect(ready.body).toEqual({ status: 'ready', checks: { temporal: 'ok', mongo: 'ok', redis: 'ok' } });
    const doc = await stack.anonymous.get('/api/v1/openapi.json');
    expect(doc.status).toBe(200);
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/pledges',
        '/api/v1/pledges/{id}',
        '/api/v1/tasks/{id}/complete',
        '/api/v1/auth/login',
      ]),
    );
    expect(doc.body.paths['/api/v1/pledges'].post.requestBody).toBeDefined();
    const metrics = await fetch(`${stack.url}/metrics`, {
      headers: { authorization: `Bearer ${METRICS_TOKEN}` },
    });
    expect(await metrics.text()).toContain('nsatu_http_request_duration_seconds');
    const res = await stack.anonymous.get('/healthz');
    expect(res.headers.get('x-request-id')).toBeTruthy();
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });
});
