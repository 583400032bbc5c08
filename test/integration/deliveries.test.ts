import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultTaskPolicy } from '../../domain/schemas/task-policy';
import type { HttpClient } from '../support/http';
import {
  advance,
  people,
  recordNextMilestone,
  submitPledge,
  testPledge,
  type People,
  type PledgeView,
} from '../support/pledge-stages';
import { eventually, startStack, type Stack } from '../support/stack';
import { seedTestTraining } from '../support/training';

const today = () => new Date().toISOString().slice(0, 10);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const secondsSinceMidnight = () => Math.floor((Date.now() - Date.parse(`${today()}T00:00:00Z`)) / 1000);

interface Lot {
  id: string;
  quantity: number;
  plannedOn: string;
  state: string;
  milestones: Array<{ state: string; at: string; location: string | null; note: string | null; by: string }>;
  delays: Array<{ id: string; kind: string; escalatedAt: string | null }>;
}

/** How long after approval the re-dated lot of the delay test becomes late. */
const LATE_IN_SECONDS = 45;

describe('deliveries: lots, milestones, delays, and READY as equipment received and crews trained', () => {
  let stack: Stack;
  let p: People;
  let hooks: Server;
  const hookEvents: Array<{ type: string; pledgeId: string | null }> = [];

  const deliveries = async (client: HttpClient, id: string) => client.get(`/api/v1/pledges/${id}/deliveries`);
  const lotsOf = async (id: string) => (await deliveries(p.staff, id)).body.items as Lot[];
  const view = async (id: string) =>
    (await p.staff.get(`/api/v1/pledges/${id}`)).body as PledgeView & {
      stage: string;
      timeline: Array<{ type: string; detail: Record<string, unknown> }>;
    };
  const approvedOrLater = (v: PledgeView) => v.status === 'APPROVED' || v.status === 'IN_TRAINING';
  const crewsTrained = (v: PledgeView) => (v as PledgeView & { stage: string }).stage === 'awaiting_delivery';

  beforeAll(async () => {
    // A midnight between the policy and the re-date would move "today": wait it out.
    const toMidnight = 86_400 - secondsSinceMidnight();
    if (toMidnight < 300) await sleep((toMidnight + 5) * 1000);
    hooks = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        const parsed = JSON.parse(body) as { type: string; pledgeId: string | null };
        hookEvents.push({ type: parsed.type, pledgeId: parsed.pledgeId });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => hooks.listen(0, '127.0.0.1', () => r()));
    stack = await startStack('deliveries', {
      workerProcess: true,
      jobsWorker: 'inline',
      env: { WEBHOOK_ALLOW_INTERNAL_ADDRESSES: 'true' },
    });
    const admin = await stack.as('admin');
    await seedTestTraining(stack, admin, [
      { id: 'uas-basic-1', courseId: 'uas-basic', start: 30, end: 50, seats: 100 },
      { id: 'uas-advanced-1', courseId: 'uas-advanced', start: 60, end: 80, seats: 100 },
    ]);
    // A lot planned today is late this many seconds from now; a delay stays open 8 s before it is escalated.
    await stack.db.collection('policies').insertOne({
      kind: 'tasks',
      version: 2,
      createdBy: 'test',
      document: {
        ...defaultTaskPolicy,
        version: 2,
        delivery: {
          lateAfterSeconds: secondsSinceMidnight() + LATE_IN_SECONDS,
          escalateAfterSeconds: 8,
          escalateToRoles: ['chief_of_staff'],
        },
      },
    });
    const hook = await admin.post('/api/v1/admin/webhooks', {
      url: `http://127.0.0.1:${(hooks.address() as AddressInfo).port}/nsatu`,
      events: ['delivery.milestone', 'delivery.delayed'],
    });
    expect(hook.status).toBe(201);
    p = await people(stack);
  }, 120_000);
  afterAll(async () => {
    await stack?.stop();
    await new Promise<void>((r) => hooks?.close(() => r()));
  });

  it('when a re-dated lot misses its day while the worker is killed and restarted, then exactly one delay is raised, and one escalation', async () => {
    const id = await submitPledge(p, testPledge('FRA'));
    await advance(p, id, approvedOrLater);
    const [lot] = await eventually(async () => {
      const lots = await lotsOf(id);
      return lots.length ? lots : undefined;
    });
    const redated = await p.staff.patch(`/api/v1/deliveries/${lot.id}`, {
      plannedOn: today(),
      reason: 'the donor ships from stock this week',
    });
    expect(redated.status).toBe(202);
    expect(redated.body.lots[0]).toMatchObject({ id: lot.id, plannedOn: today(), state: 'planned' });

    // The timer waits in Temporal, not in the worker: kill -9 it while the delay is pending, then start another.
    await stack.killWorker();
    await sleep(3_000);
    await stack.startWorker();

    const delayed = await eventually(
      async () => {
        const [l] = await lotsOf(id);
        return l.delays.some((d) => d.escalatedAt) ? l : undefined;
      },
      { timeoutMs: 120_000, intervalMs: 1_000 },
    );
    expect(delayed.delays).toHaveLength(1);
    expect(delayed.delays[0]).toMatchObject({ kind: 'missed_planned_date' });
    // Well past both due times: nothing fires again.
    await sleep(10_000);
    const timeline = (await view(id)).timeline.map((e) => e.type);
    expect(timeline.filter((t) => t === 'delivery.delayed')).toHaveLength(1);
    expect(timeline.filter((t) => t === 'delivery.delay_escalated')).toHaveLength(1);

    // The donor's liaison and staff hear of the delay once; the chief of staff hears of the escalation once.
    const notes = async (username: string, type: string) =>
      eventually(async () => {
        const items = (await (await stack.as(username)).get('/api/v1/notifications?limit=200')).body
          .items as Array<{ type: string; pledgeId: string | null }>;
        const mine = items.filter((n) => n.type === type && n.pledgeId === id);
        return mine.length ? mine : undefined;
      });
    expect(await notes('liaison.fra', 'delivery.delayed')).toHaveLength(1);
    expect(await notes('staff', 'delivery.delayed')).toHaveLength(1);
    expect(await notes('cos', 'delivery.delay_escalated')).toHaveLength(1);
    expect(
      (await (await stack.as('liaison.deu')).get('/api/v1/notifications?limit=200')).body.items.filter(
        (n: { pledgeId: string | null }) => n.pledgeId === id,
      ),
    ).toEqual([]);
    await eventually(async () =>
      hookEvents.filter((e) => e.type === 'delivery.delayed' && e.pledgeId === id).length === 1
        ? true
        : undefined,
    );
  });

  it('when the crews are trained first, then the pledge stays IN_TRAINING until its last lot is received, and only then is READY', async () => {
    const id = await submitPledge(p, testPledge('FRA'));
    // `advance` records milestones only once the crews are trained: stop right there.
    const trained = await advance(p, id, crewsTrained);
    expect(trained.status).toBe('IN_TRAINING');
    const before = (await deliveries(p.staff, id)).body;
    expect(before.progress).toMatchObject({
      lots: 1,
      lotsReceived: 0,
      cohortsCompleted: before.progress.cohorts,
    });
    expect(before.progress.cohorts).toBeGreaterThan(0);

    const sent = new Set<string>();
    for (const state of ['prepared', 'shipped', 'at_hub', 'handed_over']) {
      expect(await recordNextMilestone(p.logistics, id, sent)).toBe(true);
      const now = await view(id);
      expect(now.status, `after ${state}`).toBe('IN_TRAINING');
    }
    expect(await recordNextMilestone(p.logistics, id, sent)).toBe(true);
    expect((await view(id)).status).toBe('READY');
    expect(await recordNextMilestone(p.logistics, id, sent)).toBe(false);

    const [lot] = await lotsOf(id);
    expect(lot.milestones.map((m) => [m.state, m.by, m.location])).toEqual(
      ['prepared', 'shipped', 'at_hub', 'handed_over', 'received'].map((s) => [
        s,
        'logistics',
        'Rzeszów hub',
      ]),
    );
    // Every milestone audited, by whom, and sent to the webhook.
    const audit = await p.staff.get(`/api/v1/pledges/${id}/audit`);
    expect(
      (audit.body.items as Array<{ action: string; actor: string }>).filter(
        (e) => e.action === 'delivery.milestone' && e.actor === 'logistics',
      ),
    ).toHaveLength(5);
    await eventually(async () =>
      hookEvents.filter((e) => e.type === 'delivery.milestone' && e.pledgeId === id).length === 5
        ? true
        : undefined,
    );
  });

  it('when the lots are received first, then the pledge stays IN_TRAINING until its cohorts complete', async () => {
    const id = await submitPledge(p, testPledge('DEU'));
    await advance(p, id, (v) => v.status === 'IN_TRAINING');
    const sent = new Set<string>();
    while (await recordNextMilestone(p.logistics, id, sent));
    const received = (await deliveries(p.staff, id)).body;
    expect(received.progress).toMatchObject({ lots: 1, lotsReceived: 1 });
    expect(received.progress.cohortsCompleted).toBeLessThan(received.progress.cohorts);
    expect((await view(id)).status).toBe('IN_TRAINING');
    const ready = await advance(p, id, (v) => v.status === 'READY');
    expect(ready.status).toBe('READY');
  });

  it('when cohort reports and milestones of one pledge arrive at the same moment, then none is lost from its record', async () => {
    const id = await submitPledge(p, testPledge('FRA'));
    const started = await advance(p, id, (v) => v.status === 'IN_TRAINING');
    const cohorts = [...(started.trainingPlan?.cohorts ?? [])].sort((a, b) => a.start.localeCompare(b.start));
    const sent = new Set<string>();
    // Both halves at once: each stream in its own order, the two racing each other on the one record.
    await Promise.all([
      (async () => {
        while (await recordNextMilestone(p.logistics, id, sent));
      })(),
      (async () => {
        for (const c of cohorts)
          for (const [type, at] of [
            ['started', c.start],
            ['completed', c.end],
          ])
            expect(
              (await p.trainer.post(`/api/v1/training/cohorts/${c.id}/events`, { type, at })).status,
            ).toBe(202);
      })(),
    ]);
    const done = await eventually(async () => {
      const v = await view(id);
      return v.status === 'READY' ? v : undefined;
    });
    const types = done.timeline.map((e) => e.type);
    expect(types.filter((t) => t === 'delivery.milestone')).toHaveLength(5);
    expect(types.filter((t) => t === 'training.cohort_started')).toHaveLength(cohorts.length);
    expect(types.filter((t) => t === 'training.cohort_completed')).toHaveLength(cohorts.length);
    const audit = await p.staff.get(`/api/v1/pledges/${id}/audit`);
    expect(audit.body.items).toHaveLength(done.timeline.length);
  });

  it('when the wrong people act or the input is wrong, then they are refused: 403, 404, 400 and 409, and nothing changes', async () => {
    const id = await submitPledge(p, testPledge('FRA', 4));
    await advance(p, id, approvedOrLater);
    const [lot] = await eventually(async () => {
      const lots = await lotsOf(id);
      return lots.length ? lots : undefined;
    });
    const deu = await stack.as('liaison.deu');
    const fra = await stack.as('liaison.fra');
    const milestone = (state: string, at = today()) => ({ state, at, location: 'Hub' });

    // Reading: the owning nation and staff see the lots; another nation's liaison finds nothing.
    expect((await deliveries(fra, id)).status).toBe(200);
    expect((await deliveries(deu, id)).status).toBe(404);
    expect(
      (await deu.get('/api/v1/deliveries')).body.dueSoon.concat(
        (await deu.get('/api/v1/deliveries')).body.overdue,
      ),
    ).toEqual([]);
    expect((await deu.post(`/api/v1/deliveries/${lot.id}/milestones`, milestone('prepared'))).status).toBe(
      403,
    );
    // Only the delivery cell records milestones; only staff re-plan lots.
    expect(
      (await p.staff.post(`/api/v1/deliveries/${lot.id}/milestones`, milestone('prepared'))).status,
    ).toBe(403);
    expect((await fra.post(`/api/v1/deliveries/${lot.id}/milestones`, milestone('prepared'))).status).toBe(
      403,
    );
    expect(
      (await p.logistics.patch(`/api/v1/deliveries/${lot.id}`, { plannedOn: today(), reason: 'sooner' }))
        .status,
    ).toBe(403);

    // Bad input names its field; out of order, ahead of time or an unknown lot are refused.
    const bad = await p.logistics.post(`/api/v1/deliveries/${lot.id}/milestones`, {
      state: 'lost',
      at: today(),
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { path: string }) => d.path)).toContain('state');
    const skipped = await p.logistics.post(`/api/v1/deliveries/${lot.id}/milestones`, milestone('shipped'));
    expect(skipped.status).toBe(409);
    expect(skipped.body.error.message).toMatch(/next milestone is prepared/);
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    expect(
      (await p.logistics.post(`/api/v1/deliveries/${lot.id}/milestones`, milestone('prepared', tomorrow)))
        .status,
    ).toBe(409);
    expect(
      (await p.logistics.post(`/api/v1/deliveries/${id}-L99/milestones`, milestone('prepared'))).status,
    ).toBe(404);
    const both = await p.staff.patch(`/api/v1/deliveries/${lot.id}`, {
      reason: 'two things at once',
      plannedOn: today(),
      split: { quantity: 1, plannedOn: today() },
    });
    expect(both.status).toBe(400);
    const past = await p.staff.patch(`/api/v1/deliveries/${lot.id}`, {
      reason: 'oops',
      plannedOn: '2020-01-01',
    });
    expect(past.status).toBe(400);
    expect(past.body.error.details[0].path).toBe('plannedOn');
    const whole = await p.staff.patch(`/api/v1/deliveries/${lot.id}`, {
      reason: 'all of it',
      split: { quantity: lot.quantity, plannedOn: today() },
    });
    expect(whole.status).toBe(400);
    expect(whole.body.error.details[0].path).toBe('split.quantity');
    expect(await lotsOf(id)).toEqual([lot]);

    // A split before shipping makes a second lot; once shipped, the lot can no longer be split.
    const split = await p.staff.patch(`/api/v1/deliveries/${lot.id}`, {
      reason: 'half comes by sea',
      split: { quantity: 1, plannedOn: lot.plannedOn },
    });
    expect(split.status).toBe(202);
    expect(split.body.lots.map((l: Lot) => [l.id, l.quantity])).toEqual([
      [lot.id, lot.quantity - 1],
      [`${id}-L2`, 1],
    ]);
    for (const state of ['prepared', 'shipped'])
      expect(
        (await p.logistics.post(`/api/v1/deliveries/${lot.id}/milestones`, milestone(state))).status,
      ).toBe(202);
    const late = await p.staff.patch(`/api/v1/deliveries/${lot.id}`, {
      reason: 'too late',
      split: { quantity: 1, plannedOn: lot.plannedOn },
    });
    expect(late.status).toBe(409);
    const [first, second] = await lotsOf(id);
    expect([first.state, first.quantity, second.state, second.quantity]).toEqual([
      'shipped',
      lot.quantity - 1,
      'planned',
      1,
    ]);
    // Two reports of the same milestone at once: one is recorded, the other refused.
    const race = await Promise.all([
      p.logistics.post(`/api/v1/deliveries/${second.id}/milestones`, milestone('prepared')),
      p.logistics.post(`/api/v1/deliveries/${second.id}/milestones`, milestone('prepared')),
    ]);
    expect(race.map((r) => r.status).sort()).toEqual([202, 409]);
    expect((await lotsOf(id))[1].milestones).toHaveLength(1);
  });
});
