import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpClient } from '../support/http';
import { approveAll } from '../support/approval';
import { eventually, startStack, type Stack } from '../support/stack';
import {
  checkSeatLedger,
  day,
  pledgesToPlanning,
  seedTestTraining,
  type TestCohort,
} from '../support/training';

const testSession = /^uas-(basic|advanced)-/;

describe('20 training plans confirmed at the same moment, competing for scarce sessions', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack('seats');
  });
  afterAll(async () => stack?.stop());

  /**
   * Confirms the open plan tasks all at once and waits until each pledge is either in training or back with the
   * coordinator with a later plan; then checks the ledger and each side of that split.
   */
  async function confirmAtOnce(
    trainer: HttpClient,
    ids: string[],
    tasks: Array<{ id: string; pledgeId: string }>,
    { approve }: { approve: boolean },
  ) {
    const rounds = new Map<string, number>();
    for (const p of await stack.db
      .collection('pledges')
      .find({ _id: { $in: ids as never[] } })
      .toArray()) {
      rounds.set(String(p._id), p.trainingPlan.round as number);
    }
    const started = Date.now();
    const confirmations = await Promise.all(
      tasks.map((t) => trainer.post(`/api/v1/tasks/${t.id}/complete`, { decision: 'confirm' })),
    );
    expect(confirmations.map((r) => r.status)).toEqual(tasks.map(() => 200));
    const confirmed = new Set(tasks.map((t) => t.pledgeId));
    // First plans go up the command chain; the commander's approvals, all at once, start the reservations.
    if (approve) await approveAll(stack, [...confirmed]);
    const outcome = await eventually(
      async () => {
        const docs = await stack.db
          .collection('pledges')
          .find({ _id: { $in: [...confirmed] as never[] } })
          .toArray();
        const reserved = docs.filter((p) => p.status === 'IN_TRAINING');
        const replanned = docs.filter(
          (p) =>
            p.status === 'APPROVED' &&
            p.stage === 'training_planning' &&
            p.trainingPlan.round > rounds.get(String(p._id))!,
        );
        const open = await trainer.get('/api/v1/tasks?kind=training_plan_confirmation&limit=200');
        const reopened = new Set(open.body.items.map((t: { pledgeId: string }) => t.pledgeId));
        if (
          reserved.length + replanned.length !== confirmed.size ||
          !replanned.every((p) => reopened.has(p._id))
        )
          return undefined;
        return { reserved, replanned, open: open.body.items as Array<{ id: string; pledgeId: string }> };
      },
      { timeoutMs: 90_000, intervalMs: 250 },
    );
    const elapsed = Date.now() - started;
    const ledger = await checkSeatLedger(stack);
    for (const p of outcome.reserved)
      expect((p.trainingPlan.cohorts as TestCohort[]).every((c) => c.state === 'reserved')).toBe(true);
    for (const p of outcome.replanned) {
      expect(
        await stack.db.collection('seat_reservations').countDocuments({ pledgeId: p._id, kind: 'reserved' }),
      ).toBe(0);
      expect(p.timeline.map((e: { type: string }) => e.type)).toContain('training.seats_unavailable');
    }
    const sessions = (await trainer.get('/api/v1/training/sessions')).body.items.filter((s: { id: string }) =>
      testSession.test(s.id),
    );
    for (const s of sessions) {
      expect(s.seatsLeft).toBeGreaterThanOrEqual(0);
      expect(s.seatsReserved).toBe(ledger.perSession.get(s.id) ?? 0);
      expect(s.seatsReserved).toBeLessThanOrEqual(s.seats);
    }
    const seats = sessions.reduce((n: number, s: { seats: number }) => n + s.seats, 0);
    console.log(
      `seat concurrency: ${tasks.length} confirmed at once -> ${outcome.reserved.length} reserved, ${outcome.replanned.length} replanned; ` +
        `${ledger.seats}/${seats} seats taken; settled in ${elapsed} ms; per session ${JSON.stringify(Object.fromEntries(ledger.perSession))}`,
    );
    return outcome;
  }

  it('when they all reserve at once, then no session is overbooked and every plan is either fully reserved or replanned', async () => {
    const [admin, staff, reviewer, trainer] = await Promise.all(
      ['admin', 'staff', 'reviewer', 'trainer'].map((u) => stack.as(u)),
    );
    // Room for all 20 plans of 4 or 6 trainees each: unconfirmed plans are made around each other, so none overlap.
    await seedTestTraining(stack, admin, [
      { id: 'uas-basic-1', courseId: 'uas-basic', start: 20, end: 40, seats: 50 },
      { id: 'uas-basic-2', courseId: 'uas-basic', start: 60, end: 80, seats: 50 },
      { id: 'uas-advanced-1', courseId: 'uas-advanced', start: 50, end: 70, seats: 50 },
      { id: 'uas-advanced-2', courseId: 'uas-advanced', start: 90, end: 110, seats: 50 },
    ]);
    const quantities = Array.from({ length: 20 }, (_, i) => 2 + (i % 2));
    const { ids, tasks } = await pledgesToPlanning(staff, reviewer, trainer, quantities);
    const planned = await stack.db
      .collection('pledges')
      .find({ _id: { $in: ids as never[] } })
      .toArray();
    expect(planned.every((p) => p.trainingPlan.cohorts.length > 0)).toBe(true);
    expect(planned.every((p) => p.trainingPlan.round === 1)).toBe(true);

    // Then the sites cut every session to 12 seats before anything is reserved: the 20 plans now compete for
    // 24 basic and 24 advanced seats.
    const sessions = (await trainer.get('/api/v1/training/sessions')).body.items.filter((s: { id: string }) =>
      testSession.test(s.id),
    );
    for (const { id, seatsReserved: _r, seatsLeft: _l, ...fields } of sessions)
      expect(
        (await admin.call('PUT', `/api/v1/admin/training/sessions/${id}`, { ...fields, seats: 12 })).status,
      ).toBe(200);
    // And a later pair of sessions opens that no plan uses yet: the race alone decides how full the cut sessions
    // end (plans of 4 and 6 can fill 12 seats exactly), so these are what makes room for a replan to race again.
    for (const [id, courseId, start, end] of [
      ['uas-basic-3', 'uas-basic', 20, 40],
      ['uas-advanced-3', 'uas-advanced', 50, 70],
    ] as const) {
      expect(
        (
          await admin.call('PUT', `/api/v1/admin/training/sessions/${id}`, {
            courseId,
            siteId: 'test-range',
            start: day(start),
            end: day(end),
            seats: 6,
          })
        ).status,
      ).toBe(200);
    }

    const first = await confirmAtOnce(trainer, ids, tasks, { approve: true });
    expect(first.reserved.length).toBeGreaterThan(0);
    expect(first.replanned.length).toBeGreaterThan(0);

    // The replans were made around the seats now held; those that still found seats race again.
    const again = first.replanned
      .filter((p) => (p.trainingPlan.cohorts as TestCohort[]).length > 0)
      .map((p) => String(p._id));
    expect(again.length).toBeGreaterThan(0);
    const second = await confirmAtOnce(
      trainer,
      again,
      first.open.filter((t) => again.includes(t.pledgeId)),
      { approve: false },
    );
    expect(second.reserved.length).toBeGreaterThan(0);
    // Plans with nothing left to plan say so: every trainee unmet, for want of capacity.
    for (const p of first.replanned.filter((d) => !again.includes(String(d._id)))) {
      expect(p.trainingPlan.unmet.reduce((n: number, u: { trainees: number }) => n + u.trainees, 0)).toBe(
        p.trainingPlan.traineesNeeded,
      );
    }
  }, 300_000);
});
