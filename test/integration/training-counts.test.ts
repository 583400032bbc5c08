import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approveAll } from '../support/approval';
import type { HttpClient } from '../support/http';
import { recordNextMilestone } from '../support/pledge-stages';
import { eventually, startStack, type Stack } from '../support/stack';
import { checkSeatLedger, pledgesToPlanning, seedTestTraining, type TestCohort } from '../support/training';

interface Cohort extends TestCohort {
  courseId: string;
  start: string;
  end: string;
  passed: number | null;
  failed: number | null;
}

describe('a cohort completed with passed and failed counts, over HTTP', () => {
  let stack: Stack;
  let staff: HttpClient;
  let reviewer: HttpClient;
  let trainer: HttpClient;

  beforeAll(async () => {
    stack = await startStack('training-counts');
    const admin = await stack.as('admin');
    [staff, reviewer, trainer] = await Promise.all(['staff', 'reviewer', 'trainer'].map((u) => stack.as(u)));
    // Basic before advanced, each offered twice: a trainee who fails the first basic session takes the second.
    await seedTestTraining(stack, admin, [
      { id: 'uas-basic-1', courseId: 'uas-basic', start: 20, end: 35, seats: 10 },
      { id: 'uas-advanced-1', courseId: 'uas-advanced', start: 50, end: 65, seats: 10 },
      { id: 'uas-basic-2', courseId: 'uas-basic', start: 80, end: 95, seats: 10 },
      { id: 'uas-advanced-2', courseId: 'uas-advanced', start: 110, end: 125, seats: 10 },
    ]);
  });
  afterAll(async () => stack?.stop());

  const read = async (id: string) => (await staff.get(`/api/v1/pledges/${id}`)).body;
  const report = (cohortId: string, body: Record<string, unknown>, as = trainer) =>
    as.post(`/api/v1/training/cohorts/${cohortId}/events`, body);

  it('when 1 of a cohort of 4 fails, then only that trainee retakes the course and the pledge is READY only once the retake completes', async () => {
    const { ids, tasks } = await pledgesToPlanning(staff, reviewer, trainer, [2]);
    const [id] = ids;
    expect(
      (await trainer.post(`/api/v1/tasks/${tasks[0].id}/complete`, { decision: 'confirm' })).status,
    ).toBe(200);
    await approveAll(stack, [id]);
    const inTraining = await eventually(async () => {
      const view = await read(id);
      return view.status === 'IN_TRAINING' ? view : undefined;
    });
    const planned: Cohort[] = inTraining.trainingPlan.cohorts;
    const basic = planned.find((c) => c.courseId === 'uas-basic')!;
    expect(basic).toMatchObject({ sessionId: 'uas-basic-1', trainees: 4, state: 'reserved' });
    expect((await report(basic.id, { type: 'started', at: basic.start })).status).toBe(202);

    // Refusals change nothing: another role (403), counts that do not add up (422, naming the field), counts
    // given by halves or with another report (400).
    const timeline = (await read(id)).timeline.length;
    const counts = { type: 'completed', at: basic.end, passed: 3, failed: 1 };
    expect((await report(basic.id, counts, reviewer)).status).toBe(403);
    expect((await report(basic.id, counts, staff)).status).toBe(403);
    const short = await report(basic.id, { ...counts, passed: 2 });
    expect(short.status).toBe(422);
    expect(short.body.error.details).toEqual([
      { path: 'failed', message: '2 passed and 1 failed make 3, but the cohort has 4 trainees' },
    ]);
    expect((await report(basic.id, { type: 'completed', failed: 1 })).body.error.details[0].path).toBe(
      'passed',
    );
    expect((await report(basic.id, { type: 'started', passed: 4, failed: 0 })).status).toBe(400);
    expect((await report(basic.id, { ...counts, failed: -1, passed: 5 })).status).toBe(400);
    const unchanged = await read(id);
    expect(unchanged.timeline.length).toBe(timeline);
    expect(unchanged.trainingPlan.cohorts.find((c: Cohort) => c.id === basic.id).state).toBe('started');

    const done = await report(basic.id, counts);
    expect(done.status).toBe(202);
    expect(done.body.cohort).toMatchObject({ id: basic.id, state: 'completed', passed: 3, failed: 1 });
    expect(done.body.pledge.status).toBe('IN_TRAINING');
    const replacements: Cohort[] = done.body.replacements;
    const retake = replacements.find((c) => c.courseId === 'uas-basic')!;
    expect(retake).toMatchObject({ sessionId: 'uas-basic-2', trainees: 1, state: 'reserved' });
    // Downstream, the advanced course still takes all 4: the 3 who passed, and the one retaking after basic.
    const advanced = replacements.filter((c) => c.courseId === 'uas-advanced');
    expect(advanced.reduce((n, c) => n + c.trainees, 0)).toBe(4);
    const retakeAdvanced = advanced.find((c) => c.start > retake.end)!;
    expect(retakeAdvanced.trainees).toBe(1);

    let view = await read(id);
    const plan = view.trainingPlan;
    expect(plan.cohorts.find((c: Cohort) => c.id === basic.id)).toMatchObject({ passed: 3, failed: 1 });
    expect(plan.readyBy['test-uas']).toBe(retakeAdvanced.end);
    expect(plan.traineesReadyByDeadline).toBe(4);
    expect(plan.unmet).toEqual([]);
    const replanned = view.timeline.find((e: { type: string }) => e.type === 'training.cohort_replanned');
    expect(replanned.detail).toMatchObject({ failedCohortId: basic.id, failedTrainees: 1 });
    expect(
      view.timeline.find((e: { type: string }) => e.type === 'training.cohort_completed').detail,
    ).toMatchObject({ cohortId: basic.id, passed: 3, failed: 1 });
    // The completed cohort keeps its 4 seats; every other cohort holds exactly its trainees.
    await checkSeatLedger(stack);

    // Every other cohort completes without counts (all passed); the pledge waits for the retaken chain.
    const live = (view.trainingPlan.cohorts as Cohort[])
      .filter((c) => c.state === 'reserved')
      .sort((a, b) => a.start.localeCompare(b.start));
    expect(live.at(-1)!.id).toBe(retakeAdvanced.id);
    for (const c of live) {
      expect(view.status).toBe('IN_TRAINING');
      expect((await report(c.id, { type: 'started', at: c.start })).status).toBe(202);
      const completed = await report(c.id, { type: 'completed', at: c.end });
      expect(completed.status).toBe(202);
      expect(completed.body.cohort).toMatchObject({ passed: c.trainees, failed: 0 });
      expect(completed.body.replacements).toEqual([]);
      view = await read(id);
    }
    // The crews are trained; the equipment half (the lot received) makes the pledge READY.
    expect(view).toMatchObject({ status: 'IN_TRAINING', stage: 'awaiting_delivery' });
    const logistics = await stack.as('logistics');
    while (await recordNextMilestone(logistics, id));
    expect((await read(id)).status).toBe('READY');
  });
});
