import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approveAll } from '../support/approval';
import type { HttpClient } from '../support/http';
import { eventually, startStack, type Stack } from '../support/stack';
import { day, pledgesToPlanning, seedTestTraining, type TestCohort } from '../support/training';

interface TimelineEntry {
  type: string;
  detail: Record<string, unknown>;
}

const delivery = (from: number) => (quantity: number) => [
  { systemId: 'test-uas', quantity, deliveryWindow: { from: day(from), to: day(from + 60) } },
];

describe('the portfolio planner over HTTP: unconfirmed plans are planned together', () => {
  let stack: Stack;
  let staff: HttpClient;
  let reviewer: HttpClient;
  let trainer: HttpClient;

  beforeAll(async () => {
    stack = await startStack('portfolio', { jobsWorker: 'inline' });
    const admin = await stack.as('admin');
    [staff, reviewer, trainer] = await Promise.all([
      stack.as('staff'),
      stack.as('reviewer'),
      stack.as('trainer'),
    ]);
    // Three runs of the two-course chain with 4 seats each: only the first is early enough for a delivery in
    // 120 days, the first two for one in 400 days.
    await seedTestTraining(stack, admin, [
      { id: 'basic-1', courseId: 'uas-basic', start: 30, end: 50, seats: 4 },
      { id: 'advanced-1', courseId: 'uas-advanced', start: 60, end: 80, seats: 4 },
      { id: 'basic-2', courseId: 'uas-basic', start: 200, end: 220, seats: 4 },
      { id: 'advanced-2', courseId: 'uas-advanced', start: 230, end: 250, seats: 4 },
      { id: 'basic-3', courseId: 'uas-basic', start: 420, end: 440, seats: 4 },
      { id: 'advanced-3', courseId: 'uas-advanced', start: 450, end: 470, seats: 4 },
    ]);
  });
  afterAll(async () => stack?.stop());

  const read = async (id: string) => (await staff.get(`/api/v1/pledges/${id}`)).body;
  const sessionsOf = (cohorts: TestCohort[]) => cohorts.map((c) => c.sessionId).sort();

  it('when an urgent pledge needs the seats an earlier, unconfirmed plan took, then that plan moves, its coordinator is asked again, and both are ready in time', async () => {
    // A pledge delivered in 400 days is planned first and takes the early run.
    const relaxed = await pledgesToPlanning(staff, reviewer, trainer, [2], delivery(400));
    const [relaxedId] = relaxed.ids;
    expect(sessionsOf((await read(relaxedId)).trainingPlan.cohorts)).toEqual(['advanced-1', 'basic-1']);

    // A pledge delivered in 120 days can only be ready in time in the early run.
    const urgent = await pledgesToPlanning(staff, reviewer, trainer, [2], delivery(120));
    const [urgentId] = urgent.ids;
    const urgentPlan = (await read(urgentId)).trainingPlan;
    expect(sessionsOf(urgentPlan.cohorts)).toEqual(['advanced-1', 'basic-1']);
    expect(urgentPlan.traineesReadyByDeadline).toBe(4);

    // The earlier plan was moved to the later run, which still meets its delivery, as a new round.
    const moved = await eventually(async () => {
      const view = await read(relaxedId);
      return view.trainingPlan.round === 2 ? view : undefined;
    });
    expect(moved.status).toBe('TRAINING_PLANNING');
    expect(sessionsOf(moved.trainingPlan.cohorts)).toEqual(['advanced-2', 'basic-2']);
    expect(moved.trainingPlan.traineesReadyByDeadline).toBe(4);
    const planned = moved.timeline.filter((e: TimelineEntry) => e.type === 'training.planned');
    expect(planned).toHaveLength(2);
    expect(planned[1].detail).toMatchObject({
      round: 2,
      movedFor: { pledgeId: urgentId },
      reason: expect.stringContaining('re-optimised with the training portfolio'),
    });

    // The coordinator's first task is gone: confirming it is refused, and a new one asks again.
    const oldTask = relaxed.tasks[0];
    expect((await trainer.get(`/api/v1/tasks/${oldTask.id}`)).body.state).toBe('cancelled');
    expect((await trainer.post(`/api/v1/tasks/${oldTask.id}/complete`, { decision: 'confirm' })).status).toBe(
      409,
    );
    const newTask = await eventually(async () =>
      (
        await trainer.get(`/api/v1/tasks?kind=training_plan_confirmation&pledgeId=${relaxedId}`)
      ).body.items.find((t: { id: string; state: string }) => t.id !== oldTask.id),
    );
    expect(newTask.title).toContain('round 2');

    // Coordinators are told why their plan changed.
    const notices = await eventually(async () => {
      const items = (await trainer.get('/api/v1/notifications?limit=100')).body.items as Array<{
        title: string;
        pledgeId: string;
      }>;
      const mine = items.filter((n) => n.pledgeId === relaxedId && n.title.includes('make room for'));
      return mine.length ? mine : undefined;
    });
    expect(notices).toHaveLength(1);

    // Both plans are confirmed, approved and reserved without a conflict: each holds its own run.
    for (const task of [urgent.tasks[0], newTask])
      expect((await trainer.post(`/api/v1/tasks/${task.id}/complete`, { decision: 'confirm' })).status).toBe(
        200,
      );
    await approveAll(stack, [urgentId, relaxedId]);
    for (const [id, sessions] of [
      [urgentId, ['advanced-1', 'basic-1']],
      [relaxedId, ['advanced-2', 'basic-2']],
    ] as const) {
      const view = await eventually(async () => {
        const v = await read(id);
        return v.status === 'IN_TRAINING' ? v : undefined;
      });
      expect(sessionsOf(view.trainingPlan.cohorts)).toEqual(sessions);
      expect(view.trainingPlan.cohorts.every((c: TestCohort) => c.state === 'reserved')).toBe(true);
    }
  });

  it('when a new pledge fits beside an unconfirmed plan, then that plan does not move', async () => {
    // The first two runs are held by the pledges above; these two share the third, 2 trainees each.
    const first = await pledgesToPlanning(staff, reviewer, trainer, [1], delivery(600));
    const [firstId] = first.ids;
    expect(sessionsOf((await read(firstId)).trainingPlan.cohorts)).toEqual(['advanced-3', 'basic-3']);
    const second = await pledgesToPlanning(staff, reviewer, trainer, [1], delivery(600));
    expect(sessionsOf((await read(second.ids[0])).trainingPlan.cohorts)).toEqual(['advanced-3', 'basic-3']);

    const view = await read(firstId);
    expect(view.trainingPlan.round).toBe(1);
    expect(view.timeline.filter((e: TimelineEntry) => e.type === 'training.planned')).toHaveLength(1);
    expect((await trainer.get(`/api/v1/tasks/${first.tasks[0].id}`)).body.state).toBe('open');
  });
});
