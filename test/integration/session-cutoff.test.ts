import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueueNames } from '../../jobs/queues';
import type { SessionMinimumCheckOutcome } from '../../jobs/session-minimum-watch';
import { approveAll } from '../support/approval';
import type { HttpClient } from '../support/http';
import { runJob } from '../support/jobs';
import { eventually, startStack, type Stack } from '../support/stack';
import { day, pledgesToPlanning, seedTestTraining, type TestCohort } from '../support/training';

interface TimelineEntry {
  type: string;
  detail: Record<string, unknown>;
}

describe('a session that reaches its cutoff below its minimum, over HTTP', () => {
  let stack: Stack;
  let staff: HttpClient;
  let trainer: HttpClient;
  let redis: Redis;
  let checks: Queue;

  beforeAll(async () => {
    stack = await startStack('cutoff', { jobsWorker: 'inline' });
    const admin = await stack.as('admin');
    [staff, trainer] = await Promise.all([stack.as('staff'), stack.as('trainer')]);
    redis = new Redis(stack.config.REDIS_URL, { maxRetriesPerRequest: null });
    checks = new Queue(QueueNames.sessionMinimum, { connection: redis, prefix: stack.config.QUEUE_PREFIX });
    await seedTestTraining(stack, admin, [
      { id: 'basic-1', courseId: 'uas-basic', start: 30, end: 50, seats: 10 },
      { id: 'advanced-1', courseId: 'uas-advanced', start: 60, end: 80, seats: 10 },
      { id: 'basic-2', courseId: 'uas-basic', start: 100, end: 120, seats: 10 },
      { id: 'advanced-2', courseId: 'uas-advanced', start: 130, end: 150, seats: 10 },
    ]);
    // The basic course runs only with 6 trainees or more.
    const basic = {
      name: 'UAS basic',
      durationDays: 20,
      minCohort: 6,
      maxCohort: 10,
      audience: 'crew',
      prerequisiteIds: [],
    };
    expect((await admin.call('PUT', '/api/v1/admin/training/courses/uas-basic', basic)).status).toBe(200);
  });
  afterAll(async () => {
    await checks?.close();
    redis?.disconnect();
    await stack?.stop();
  });

  const check = (jobId: string, asOf: string) => runJob<SessionMinimumCheckOutcome>(checks, jobId, { asOf });

  it('when the cutoff passes with too few trainees reserved, then trainers are told once and the trainees move to a later session', async () => {
    const reviewer = await stack.as('reviewer');
    const { ids, tasks } = await pledgesToPlanning(staff, reviewer, trainer, [1]);
    const [id] = ids;
    expect(
      (await trainer.post(`/api/v1/tasks/${tasks[0].id}/complete`, { decision: 'confirm' })).status,
    ).toBe(200);
    await approveAll(stack, [id]);
    const read = async () => (await staff.get(`/api/v1/pledges/${id}`)).body;
    const reserved = await eventually(async () => {
      const view = await read();
      return view.status === 'IN_TRAINING' ? view : undefined;
    });
    const basic = (reserved.trainingPlan.cohorts as TestCohort[]).find((c) => c.sessionId === 'basic-1')!;
    expect(basic.trainees).toBe(2);

    // Before the cutoff (21 days before the start), nothing happens.
    expect((await check('before-cutoff', day(5))).sessions).toEqual([]);

    // After it, 2 of 6: the cohort is cancelled by the engine and its trainees planned into the next run.
    const after = await check('after-cutoff', day(12));
    expect(after.sessions).toEqual([
      expect.objectContaining({
        sessionId: 'basic-1',
        reserved: 2,
        minimum: 6,
        moved: [basic.id],
        notMoved: [],
      }),
    ]);
    const moved = await eventually(async () => {
      const view = await read();
      const live = (view.trainingPlan.cohorts as TestCohort[]).filter((c) => c.state === 'reserved');
      return live.some((c) => c.sessionId === 'basic-2') ? view : undefined;
    });
    const live = (moved.trainingPlan.cohorts as TestCohort[]).filter((c) => c.state === 'reserved');
    expect(live.map((c) => c.sessionId).sort()).toEqual(['advanced-2', 'basic-2']);
    expect(moved.status).toBe('IN_TRAINING');
    const failed = moved.timeline.find((e: TimelineEntry) => e.type === 'training.cohort_failed');
    expect(failed.detail.reason).toContain('below its minimum at its cutoff');
    expect(moved.timeline.map((e: TimelineEntry) => e.type)).toContain('training.cohort_replanned');
    const sessions = (await trainer.get('/api/v1/training/sessions')).body.items as Array<{
      id: string;
      seatsReserved: number;
    }>;
    expect(sessions.find((s) => s.id === 'basic-1')!.seatsReserved).toBe(0);

    // Trainers hear of it once, even when the check runs again.
    expect((await check('after-cutoff-again', day(13))).sessions).toEqual([]);
    const flags = await eventually(async () => {
      const items = (await trainer.get('/api/v1/notifications?limit=200')).body.items as Array<{
        type: string;
        title: string;
      }>;
      const mine = items.filter((n) => n.type === 'training.session_short');
      return mine.length ? mine : undefined;
    });
    expect(flags).toHaveLength(1);
    expect(flags[0].title).toContain('basic-1');
  });
});
