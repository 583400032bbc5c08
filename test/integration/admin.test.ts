import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultReviewPolicy } from '../../domain/schemas/policy';
import { httpClient } from '../support/http';
import { eventually, startStack, type Stack } from '../support/stack';

const year = new Date().getUTCFullYear() + 1;
const mirage = {
  donor: 'FRA',
  items: [
    {
      systemId: 'mirage-2000-5',
      quantity: 6,
      deliveryWindow: { from: `${year}-06-01`, to: `${year}-12-31` },
    },
  ],
  sustainment: { spareParts: true, maintenanceYears: 2 },
};

describe('admin: reference data, policy versions and users', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack('admin');
  });
  afterAll(async () => stack?.stop());

  it('when a new review policy is published, then new pledges use it and a running review keeps its version', async () => {
    const admin = await stack.as('admin');
    const fra = await stack.as('liaison.fra');
    const before = await fra.post('/api/v1/pledges', mirage);
    const running = await eventually(async () => {
      const p = (await fra.get(`/api/v1/pledges/${before.body.id}`)).body;
      return p.review ? p : undefined;
    });
    expect(running.review.policyVersion).toBe(1);

    const { version: _v, ...v1 } = defaultReviewPolicy;
    const published = await admin.post('/api/v1/admin/policies/review', {
      ...v1,
      familyLimits: { ...v1.familyLimits, fighter: 6 },
    });
    expect(published.status).toBe(201);
    expect(published.body.version).toBe(2);

    const after = await fra.post('/api/v1/pledges', {
      ...mirage,
      items: [{ ...mirage.items[0], quantity: 4 }],
    });
    const fresh = await eventually(async () => {
      const p = (await fra.get(`/api/v1/pledges/${after.body.id}`)).body;
      return p.review ? p : undefined;
    });
    expect(fresh.review.policyVersion).toBe(2);
    const fragmentation = fresh.review.findings.find(
      (f: { code: string }) => f.code === 'FLEET_FRAGMENTATION',
    );
    expect(fragmentation.severity).toBe('blocker');
    const old = (await fra.get(`/api/v1/pledges/${before.body.id}`)).body;
    expect(old.review.findings.find((f: { code: string }) => f.code === 'FLEET_FRAGMENTATION').severity).toBe(
      'warning',
    );

    const versions = await (await stack.as('reviewer')).get('/api/v1/policies/review');
    expect(versions.body.items.map((v: { version: number }) => v.version)).toEqual([2, 1]);
  });

  it('when a policy or a system is invalid, then it is a 400 naming the field; non-admins get 403', async () => {
    const admin = await stack.as('admin');
    const bad = await admin.post('/api/v1/admin/policies/review', { ...defaultReviewPolicy, baseScore: 400 });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { path: string }) => d.path)).toContain('baseScore');
    const system = await admin.call('PUT', '/api/v1/admin/catalog/systems/archer', {
      name: 'Archer',
      family: 'Archer',
      category: 'howitzer',
      coalition: 'artillery',
      origin: 'SWE',
      calibers: ['155mm'],
      crewPerUnit: 4,
      maintainersPerUnit: 2,
      courseIds: ['no-such-course'],
      maintenanceBurden: 'medium',
    });
    expect(system.status).toBe(400);
    expect(system.body.error.details[0].path).toBe('courseIds');
    const staff = await stack.as('staff');
    expect((await staff.post('/api/v1/admin/policies/review', defaultReviewPolicy)).status).toBe(403);
    expect((await staff.call('PUT', '/api/v1/admin/needs/x', {})).status).toBe(403);
    expect(await stack.db.collection('audit_log').countDocuments({ action: 'policy.published' })).toBe(1);
  });

  it('when an admin creates a liaison, then it can log in, and a liaison without a nation is refused', async () => {
    const admin = await stack.as('admin');
    const noNation = await admin.post('/api/v1/admin/users', {
      username: 'liaison.pol',
      displayName: 'Polish liaison',
      password: 'a-long-password-1',
      roles: ['donor_liaison'],
    });
    expect(noNation.status).toBe(400);
    const created = await admin.post('/api/v1/admin/users', {
      username: 'liaison.pol',
      displayName: 'Polish liaison',
      password: 'a-long-password-1',
      roles: ['donor_liaison'],
      nation: 'POL',
    });
    expect(created.status).toBe(201);
    const login = await httpClient(stack.url).post('/api/v1/auth/login', {
      username: 'liaison.pol',
      password: 'a-long-password-1',
    });
    expect(login.body.user).toMatchObject({ roles: ['donor_liaison'], nation: 'POL' });
    expect((await admin.call('PATCH', '/api/v1/admin/users/liaison.pol', { active: false })).status).toBe(
      200,
    );
    const refused = await httpClient(stack.url).post('/api/v1/auth/login', {
      username: 'liaison.pol',
      password: 'a-long-password-1',
    });
    expect(refused.status).toBe(401);
  });
});
