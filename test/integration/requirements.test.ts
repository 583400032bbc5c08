import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APPROVED_STATUSES } from '../../domain/pledge-lifecycle';
import { stateDemoRequirements } from '../../scripts/demo-requirements';
import type { HttpClient } from '../support/http';
import { advance, people, type People } from '../support/pledge-stages';
import { DEMO_PASSWORD, eventually, startStack, type Stack } from '../support/stack';
import { day } from '../support/training';

const launchers = (quantity = 8, priority = 1) => ({
  capability: { category: 'air-defence-long' },
  quantity,
  priority,
  neededBy: day(200),
  justification: 'Ballistic missile defence of Kyiv and the energy grid',
});

const patriotPledge = (quantity: number) => ({
  donor: 'DEU',
  items: [{ systemId: 'patriot', quantity, deliveryWindow: { from: day(300), to: day(400) } }],
  trainingOffered: true,
  sustainment: { spareParts: true, maintenanceYears: 3 },
  valueEur: 900_000_000,
});

interface Finding {
  code: string;
  systemId: string | null;
  requirementId?: string | null;
  priority?: number;
  coverageShare?: number;
}

describe("Ukraine's requirements and the pledges that serve them", () => {
  let stack: Stack;
  let ukr: HttpClient, deu: HttpClient, staff: HttpClient;
  let crew: People;

  const requirementActions = async () =>
    (
      await stack.db
        .collection('audit_log')
        .find({ action: /^requirement\./ })
        .toArray()
    ).map((e) => ({
      action: e.action as string,
      actor: e.actor as string,
      id: (e.detail as { id: string }).id,
    }));

  beforeAll(async () => {
    stack = await startStack('requirements');
    [ukr, deu, staff] = await Promise.all(['liaison.ukr', 'liaison.deu', 'staff'].map((u) => stack.as(u)));
    crew = await people(stack);
  });
  afterAll(async () => stack?.stop());

  it('when Ukraine needs 8 long-range launchers and Germany pledges 2 Patriots, then the review names the requirement at 25%, and after approval it shows 2 of 8 approved', async () => {
    const created = await ukr.post('/api/v1/requirements', launchers(), { 'Idempotency-Key': randomUUID() });
    expect(created.status).toBe(201);
    const requirement = created.body;
    expect(requirement).toMatchObject({
      status: 'open',
      priority: 1,
      quantity: 8,
      coverage: { required: 8, pledged: 0, approved: 0, ready: 0 },
    });

    const submitted = await deu.post('/api/v1/pledges', patriotPledge(2));
    expect(submitted.status).toBe(202);
    const pledgeId: string = submitted.body.id;
    const findings = await eventually(async () => {
      const view = await deu.get(`/api/v1/pledges/${pledgeId}`);
      return view.body.review?.findings as Finding[] | undefined;
    });
    expect(findings.filter((f) => f.code === 'NEED_MATCH')).toEqual([
      expect.objectContaining({
        systemId: 'patriot',
        requirementId: requirement.id,
        priority: 1,
        coverageShare: 0.25,
      }),
    ]);
    expect((await ukr.get(`/api/v1/requirements/${requirement.id}`)).body.coverage).toEqual({
      required: 8,
      pledged: 2,
      approved: 0,
      ready: 0,
    });

    await advance(crew, pledgeId, (v) => (APPROVED_STATUSES as readonly string[]).includes(v.status));

    const after = await ukr.get(`/api/v1/requirements/${requirement.id}`);
    expect(after.body.coverage).toMatchObject({ required: 8, pledged: 2, approved: 2 });
    const listed = await deu.get('/api/v1/requirements?status=open');
    expect(listed.body.items.find((r: { id: string }) => r.id === requirement.id).coverage.approved).toBe(2);
    expect(await requirementActions()).toContainEqual({
      action: 'requirement.created',
      actor: 'liaison.ukr',
      id: requirement.id,
    });
  });

  it('when a pledge serves no open requirement, then its review says so', async () => {
    const submitted = await deu.post('/api/v1/pledges', {
      ...patriotPledge(1),
      items: [{ systemId: 'leopard-2a6', quantity: 4, deliveryWindow: { from: day(300), to: day(400) } }],
    });
    expect(submitted.status).toBe(202);
    const findings = await eventually(async () => {
      const view = await deu.get(`/api/v1/pledges/${submitted.body.id}`);
      return view.body.review?.findings as Finding[] | undefined;
    });
    expect(findings.filter((f) => f.code === 'NEED_MATCH')).toEqual([
      expect.objectContaining({ systemId: null, requirementId: null }),
    ]);
  });

  it('when Ukraine reprioritises and closes a requirement, then each change is audited and the list follows', async () => {
    const { body: created } = await ukr.post('/api/v1/requirements', {
      ...launchers(20, 3),
      capability: { family: 'IRIS-T', category: 'air-defence-medium' },
    });

    const raised = await ukr.patch(`/api/v1/requirements/${created.id}`, { priority: 2 });
    expect(raised.status).toBe(200);
    expect(raised.body).toMatchObject({ priority: 2, updatedBy: 'liaison.ukr' });
    const amended = await staff.patch(`/api/v1/requirements/${created.id}`, {
      quantity: 24,
      neededBy: day(150),
    });
    expect(amended.body).toMatchObject({ quantity: 24, coverage: { required: 24 } });
    const closed = await ukr.patch(`/api/v1/requirements/${created.id}`, { status: 'closed' });
    expect(closed.body.status).toBe('closed');

    expect(
      (await deu.get('/api/v1/requirements?status=open')).body.items.map((r: { id: string }) => r.id),
    ).not.toContain(created.id);
    expect((await deu.get('/api/v1/requirements?status=closed')).body.items[0].id).toBe(created.id);
    const actions = (await requirementActions()).filter((a) => a.id === created.id);
    expect(actions.map((a) => [a.action, a.actor])).toEqual([
      ['requirement.created', 'liaison.ukr'],
      ['requirement.reprioritised', 'liaison.ukr'],
      ['requirement.amended', 'staff'],
      ['requirement.closed', 'liaison.ukr'],
    ]);
  });

  it("when a coalition's page lists Ukraine's requirements, then it shows those its systems serve and no other coalition's", async () => {
    const { body: irisT } = await ukr.post('/api/v1/requirements', {
      ...launchers(6, 2),
      capability: { family: 'IRIS-T' },
    });
    const { body: guns } = await ukr.post('/api/v1/requirements', {
      ...launchers(30, 2),
      capability: { category: 'howitzer' },
      justification: 'Counter-battery fire on the southern front',
    });
    const ids = async (coalition: string) =>
      (await staff.get(`/api/v1/requirements?status=open&coalition=${coalition}&limit=200`)).body.items.map(
        (r: { id: string }) => r.id,
      );
    const airDefence = await ids('iamd');
    expect(airDefence).toContain(irisT.id);
    expect(airDefence).not.toContain(guns.id);
    const artillery = await ids('artillery');
    expect(artillery).toContain(guns.id);
    expect(artillery).not.toContain(irisT.id);
    // Each listed requirement still carries its coverage, as on the list.
    const listed = (await staff.get('/api/v1/requirements?coalition=artillery&status=open')).body.items;
    expect(listed.find((r: { id: string }) => r.id === guns.id).coverage).toMatchObject({ required: 30 });

    const unknown = await staff.get('/api/v1/requirements?coalition=navy');
    expect(unknown.status).toBe(400);
    expect(JSON.stringify(unknown.body.error.details)).toContain('coalition');
  });

  it('when staff match a pledge to another requirement, then coverage moves there and the change is on the pledge’s audit', async () => {
    const { body: urgent } = await ukr.post('/api/v1/requirements', launchers(6, 1));
    const { body: reserve } = await ukr.post('/api/v1/requirements', {
      ...launchers(4, 4),
      capability: { systemId: 'patriot' },
    });
    const submitted = await deu.post('/api/v1/pledges', patriotPledge(1));
    const pledgeId: string = submitted.body.id;
    await eventually(
      async () => (await deu.get(`/api/v1/pledges/${pledgeId}`)).body.status === 'UNDER_REVIEW',
    );

    const auto = await deu.get(`/api/v1/pledges/${pledgeId}/requirement-matches`);
    expect(auto.body.items).toEqual([
      { systemId: 'patriot', quantity: 1, requirementId: expect.any(String), overridden: false },
    ]);
    expect(auto.body.items[0].requirementId).not.toBe(reserve.id);

    const moved = await staff.call('PUT', `/api/v1/pledges/${pledgeId}/requirement-matches`, {
      matches: [{ systemId: 'patriot', requirementId: reserve.id }],
      reason: 'Germany earmarks this launcher for the training battery',
    });
    expect(moved.status).toBe(200);
    expect(moved.body.items).toEqual([
      { systemId: 'patriot', quantity: 1, requirementId: reserve.id, overridden: true },
    ]);
    expect((await ukr.get(`/api/v1/requirements/${reserve.id}`)).body.coverage.pledged).toBe(1);
    expect((await ukr.get(`/api/v1/requirements/${urgent.id}`)).body.coverage.pledged).toBe(0);
    const audit = await staff.get(`/api/v1/pledges/${pledgeId}/audit`);
    expect(audit.body.items.map((e: { action: string }) => e.action)).toContain(
      'pledge.requirement_matches_overridden',
    );

    const refused = await deu.call('PUT', `/api/v1/pledges/${pledgeId}/requirement-matches`, {
      matches: [],
      reason: 'mine',
    });
    expect(refused.status).toBe(403);
    const unknown = await staff.call('PUT', `/api/v1/pledges/${pledgeId}/requirement-matches`, {
      matches: [{ systemId: 'patriot', requirementId: 'RQNOSUCH' }],
      reason: 'typo',
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.details).toEqual([
      expect.objectContaining({ path: 'matches.0.requirementId' }),
    ]);
  });

  it('when the wrong people or bad input come, then they are refused: 403, 401 and 400 naming the field', async () => {
    const fra = await stack.as('liaison.fra');
    expect((await fra.get('/api/v1/requirements')).status).toBe(200);
    expect((await fra.post('/api/v1/requirements', launchers())).status).toBe(403);
    const { body: existing } = await ukr.post('/api/v1/requirements', launchers(2, 5));
    expect((await fra.patch(`/api/v1/requirements/${existing.id}`, { priority: 1 })).status).toBe(403);
    expect((await stack.as('reviewer').then((r) => r.post('/api/v1/requirements', launchers()))).status).toBe(
      403,
    );

    const anonymous = await stack.anonymous.get('/api/v1/requirements');
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toContain('Bearer');
    expect((await stack.anonymous.post('/api/v1/requirements', launchers())).status).toBe(401);

    const cases: Array<[unknown, string]> = [
      [{ ...launchers(), priority: 7 }, 'priority'],
      [{ ...launchers(), quantity: 0 }, 'quantity'],
      [{ ...launchers(), neededBy: 'soon' }, 'neededBy'],
      [{ ...launchers(), justification: ' ' }, 'justification'],
      [{ ...launchers(), capability: {} }, 'capability'],
      [{ ...launchers(), capability: { systemId: 'no-such-system' } }, 'capability.systemId'],
      [{ ...launchers(), capability: { category: 'spaceship' } }, 'capability.category'],
    ];
    for (const [body, path] of cases) {
      const res = await ukr.post('/api/v1/requirements', body);
      expect(res.status, path).toBe(400);
      expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(path);
    }
    const patched = await ukr.patch(`/api/v1/requirements/${existing.id}`, { status: 'done' });
    expect(patched.status).toBe(400);
    expect(patched.body.error.details.map((d: { path: string }) => d.path)).toContain('status');
    expect((await ukr.get('/api/v1/requirements/RQNOSUCH')).status).toBe(404);
  });

  // Last: the demo's requirements are open from here on, and would serve the pledges of the tests above.
  it('when the quick start states the demo requirements twice, then each exists once, and a German IRIS-T offer serves the IRIS-T requirement', async () => {
    const first = await stateDemoRequirements(stack.url, DEMO_PASSWORD);
    expect(await stateDemoRequirements(stack.url, DEMO_PASSWORD)).toEqual(first);
    // The demo's German IRIS-T offer (not through submitDemoPledges: its fixed keys give fixed workflow ids, which
    // another test run's workflows in the shared Temporal namespace would already hold).
    const submitted = await deu.post('/api/v1/pledges', {
      ...patriotPledge(2),
      items: [{ systemId: 'iris-t-slm', quantity: 2, deliveryWindow: { from: day(300), to: day(400) } }],
    });
    const irisT: string = submitted.body.id;

    const findings = await eventually(async () => {
      const view = await staff.get(`/api/v1/pledges/${irisT}`);
      return view.body.status === 'UNDER_REVIEW' ? (view.body.review.findings as Finding[]) : undefined;
    });
    const served = findings.find((f) => f.code === 'NEED_MATCH')?.requirementId;
    const requirement = (await ukr.get(`/api/v1/requirements/${served}`)).body;
    expect(requirement).toMatchObject({
      capability: { family: 'IRIS-T' },
      priority: 1,
      createdBy: 'liaison.ukr',
    });
    expect(first).toContain(served);
  });
});
