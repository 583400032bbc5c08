import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueueNames } from '../../jobs/queues';
import type { HttpClient } from '../support/http';
import { runJob } from '../support/jobs';
import { advance, people, submitPledge, testPledge } from '../support/pledge-stages';
import { eventually, startStack, type Stack } from '../support/stack';
import { seedTestTraining } from '../support/training';

const FRA = 'fra-2024-02-16';
const DEU = 'deu-2024-02-16';

interface Notice {
  id: string;
  type: string;
  title: string;
}

describe('bilateral security agreements', () => {
  let stack: Stack;
  let staff: HttpClient;
  let fra: HttpClient;
  let deu: HttpClient;
  let redis: Redis;
  let checks: Queue;

  beforeAll(async () => {
    // The jobs worker runs as its own process, so the alert test can kill it as a crash would.
    stack = await startStack('agreements', { jobsWorker: 'process' });
    [staff, fra, deu] = await Promise.all(['staff', 'liaison.fra', 'liaison.deu'].map((u) => stack.as(u)));
    redis = new Redis(stack.config.REDIS_URL, { maxRetriesPerRequest: null });
    checks = new Queue(QueueNames.agreementAlerts, { connection: redis, prefix: stack.config.QUEUE_PREFIX });
  });
  afterAll(async () => {
    await checks?.close();
    redis?.disconnect();
    await stack?.stop();
  });

  it('when staff list agreements, then the seeded ones are there with their public first-year figures', async () => {
    const res = await staff.get('/api/v1/agreements');
    expect(res.status).toBe(200);
    const byId = new Map(res.body.items.map((a: { id: string }) => [a.id, a]));
    expect([...byId.keys()]).toEqual(
      expect.arrayContaining(['gbr-2024-01-12', DEU, FRA, 'dnk-2024-02-23', 'nld-2024-03-01']),
    );
    const gbr = byId.get('gbr-2024-01-12') as { termYears: number; commitments: unknown[] };
    // Reported in pounds for a financial year: left empty rather than converted.
    expect(gbr.commitments).toEqual([{ year: 2024, valueEur: null }]);
    expect(gbr.termYears).toBe(10);
    const fraAgreement = byId.get(FRA) as { fulfilment: Array<{ year: number }>; signedOn: string };
    expect(fraAgreement.signedOn).toBe('2024-02-16');
    expect(fraAgreement.fulfilment.map((y) => y.year)).toEqual(
      Array.from({ length: 10 }, (_, i) => 2024 + i),
    );
  });

  it("when a liaison reads or edits another nation's agreement, then it is a 404; its own, it may", async () => {
    const list = await fra.get('/api/v1/agreements');
    expect(list.status).toBe(200);
    expect(list.body.items.map((a: { donor: string }) => a.donor)).toEqual(['FRA']);
    expect((await fra.get(`/api/v1/agreements/${DEU}`)).status).toBe(404);
    expect((await fra.patch(`/api/v1/agreements/${DEU}`, { termYears: 5 })).status).toBe(404);
    expect((await deu.get(`/api/v1/agreements/${DEU}`)).status).toBe(200);

    const edited = await fra.patch(`/api/v1/agreements/${FRA}`, {
      commitments: [
        { year: 2024, valueEur: 3_000_000_000 },
        { year: 2025, valueEur: null },
      ],
    });
    expect(edited.status).toBe(200);
    expect(edited.body.commitments).toEqual([
      { year: 2024, valueEur: 3_000_000_000 },
      { year: 2025, valueEur: null },
    ]);
    // Every change is on the audit log, with who made it.
    await eventually(async () => {
      const entries = await Promise.all(
        ['audit_log', 'audit_pending'].map((c) =>
          stack.db.collection(c).countDocuments({ action: 'agreement.updated', actor: 'liaison.fra' }),
        ),
      );
      return entries.some((n) => n > 0);
    });
  });

  it('when callers may not, then they are refused: 401, 403 by role, 403 for another donor, 400 naming the field', async () => {
    expect((await stack.anonymous.get('/api/v1/agreements')).status).toBe(401);
    const [reviewer, auditor, trainer] = await Promise.all(
      ['reviewer', 'auditor', 'trainer'].map((u) => stack.as(u)),
    );
    expect((await reviewer.get('/api/v1/agreements')).status).toBe(403);
    expect((await trainer.get(`/api/v1/agreements/${FRA}`)).status).toBe(403);
    expect((await auditor.get(`/api/v1/agreements/${FRA}`)).status).toBe(200);
    expect((await auditor.patch(`/api/v1/agreements/${FRA}`, { termYears: 5 })).status).toBe(403);

    const body = {
      donor: 'ITA',
      title: 'Agreement on security cooperation between Italy and Ukraine',
      signedOn: '2024-02-24',
      termYears: 10,
      commitments: [{ year: 2024, valueEur: null }],
    };
    expect((await fra.post('/api/v1/agreements', body)).status).toBe(403);
    const bad = await staff.post('/api/v1/agreements', { ...body, termYears: 0 });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { path: string }) => d.path)).toContain('termYears');
    const badPatch = await staff.patch(`/api/v1/agreements/${FRA}`, { status: 'forgotten' });
    expect(badPatch.status).toBe(400);
    expect(badPatch.body.error.details.map((d: { path: string }) => d.path)).toContain('status');

    const created = await staff.post('/api/v1/agreements', body);
    expect(created.status).toBe(201);
    expect(created.body.id).toBe('ita-2024-02-24');
    expect((await staff.post('/api/v1/agreements', body)).status).toBe(409);
  });

  it("when a donor's pledge is approved, then it counts against the agreement's year of approval", async () => {
    const admin = await stack.as('admin');
    await seedTestTraining(stack, admin, [
      { id: 'uas-basic-1', courseId: 'uas-basic', start: 20, end: 40, seats: 100 },
      { id: 'uas-advanced-1', courseId: 'uas-advanced', start: 50, end: 70, seats: 100 },
    ]);
    const p = await people(stack);
    const id = await submitPledge(p, testPledge('FRA'));
    await advance(p, id, (v) => ['APPROVED', 'IN_TRAINING'].includes(v.status));
    const year = new Date().getUTCFullYear();
    const view = (await fra.get(`/api/v1/agreements/${FRA}`)).body;
    expect(view.fulfilment.find((y: { year: number }) => y.year === year)).toMatchObject({
      year,
      approvedEur: 5_000_000,
      approvedPledges: 1,
    });
    expect(view.total.approvedEur).toBe(5_000_000);
    // Another donor's agreement is untouched.
    expect((await staff.get(`/api/v1/agreements/${DEU}`)).body.total.approvedEur).toBe(0);
  });

  it('when an agreement is behind its commitment at mid-year, then staff and its liaison are told exactly once, across a worker crash', async () => {
    const agreementNotices = async (client: HttpClient, agreementId: string) =>
      ((await client.get('/api/v1/notifications?limit=200')).body.items as Notice[]).filter(
        (n) => n.type === 'agreement.behind' && n.id.startsWith(`agreement:${agreementId}:2024:`),
      );
    const check = (jobId: string, asOf: string) => runJob<{ alerts: string[] }>(checks, jobId, { asOf });

    // Mid-2024, nothing of France's EUR 3bn approved that year: behind.
    const first = await check('mid-2024-a', '2024-07-15T08:00:00.000Z');
    expect(first.alerts).toContain(`agreement:${FRA}:2024:behind`);
    await eventually(async () => (await agreementNotices(fra, FRA)).length === 1);
    await eventually(async () => (await agreementNotices(staff, FRA)).length === 1);

    await stack.killJobsWorker();
    await stack.startJobsWorker();
    const again = await check('mid-2024-b', '2024-07-16T08:00:00.000Z');
    expect(again.alerts).toEqual([]);
    // Give a duplicate the time to show, then count.
    await new Promise((r) => setTimeout(r, 1_000));
    expect(await agreementNotices(fra, FRA)).toHaveLength(1);
    expect(await agreementNotices(staff, FRA)).toHaveLength(1);
    // Germany's liaison hears of Germany's agreement, not of France's.
    expect(await agreementNotices(deu, FRA)).toHaveLength(0);
    expect(await agreementNotices(deu, DEU)).toHaveLength(1);
    expect((await staff.get(`/api/v1/agreements/${FRA}`)).body.alertedYears).toEqual([2024]);
  });
});
