import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approveAll } from '../support/approval';
import { eventually, startStack, type Stack } from '../support/stack';
import {
  checkSeatLedger,
  day,
  pledgesToPlanning,
  seedTestTraining,
  type TestCohort,
} from '../support/training';

describe('a worker killed in the middle of the seat reservation saga', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack('seatcrash', { workerProcess: true });
  });
  afterAll(async () => stack?.stop());

  it('when it is kill -9ed while seats are being taken and then restarted, then no seat is taken twice and none leaks', async () => {
    const [admin, staff, reviewer, trainer] = await Promise.all(
      ['admin', 'staff', 'reviewer', 'trainer'].map((u) => stack.as(u)),
    );
    // Room for everyone, so every plan should end fully reserved; six delivery tranches make twelve cohorts a plan.
    await seedTestTraining(
      stack,
      admin,
      [1, 2, 3].flatMap((n) => [
        { id: `uas-basic-${n}`, courseId: 'uas-basic', start: 20 * n, end: 20 * n + 15, seats: 200 },
        {
          id: `uas-advanced-${n}`,
          courseId: 'uas-advanced',
          start: 20 * n + 30,
          end: 20 * n + 45,
          seats: 200,
        },
      ]),
    );
    const tranches = (quantity: number) =>
      [0, 1, 2, 3, 4, 5].map((i) => ({
        systemId: 'test-uas',
        quantity,
        deliveryWindow: { from: day(300 + i), to: day(400) },
      }));
    const { ids, tasks } = await pledgesToPlanning(staff, reviewer, trainer, [2, 2, 3], tranches);
    const plans = await stack.db
      .collection('pledges')
      .find({ _id: { $in: ids as never[] } })
      .toArray();
    const cohorts = plans.reduce((n, p) => n + p.trainingPlan.cohorts.length, 0);
    const wanted = plans.reduce(
      (n, p) => n + (p.trainingPlan.cohorts as TestCohort[]).reduce((m, c) => m + c.trainees, 0),
      0,
    );
    expect(cohorts).toBeGreaterThanOrEqual(30);

    const confirmations = await Promise.all(
      tasks.map((t) => trainer.post(`/api/v1/tasks/${t.id}/complete`, { decision: 'confirm' })),
    );
    expect(confirmations.map((r) => r.status)).toEqual(tasks.map(() => 200));
    await approveAll(stack, ids);
    const seats = stack.db.collection('seat_reservations');
    const takenAtKill = await eventually(
      async () => (await seats.countDocuments({ kind: 'reserved' })) || undefined,
      {
        timeoutMs: 30_000,
        intervalMs: 5,
      },
    );
    await stack.killWorker();
    const afterKill = await seats.countDocuments({ kind: 'reserved' });
    console.log(
      `saga crash: killed with ${takenAtKill} seats taken (${afterKill} after the kill) of ${wanted} wanted in ${cohorts} cohorts`,
    );
    expect(afterKill).toBeLessThan(wanted);

    await stack.startWorker();
    const restarted = Date.now();
    await eventually(
      async () => {
        const docs = await stack.db
          .collection('pledges')
          .find({ _id: { $in: ids as never[] } }, { projection: { status: 1 } })
          .toArray();
        return docs.every((p) => p.status === 'IN_TRAINING') || undefined;
      },
      { timeoutMs: 110_000, intervalMs: 500 },
    );
    const ledger = await checkSeatLedger(stack);
    expect(ledger.seats).toBe(wanted);
    console.log(
      `saga crash: all ${ids.length} plans reserved ${ledger.seats} seats ${Date.now() - restarted} ms after the restart`,
    );
  }, 240_000);
});
