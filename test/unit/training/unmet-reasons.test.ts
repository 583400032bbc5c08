import { describe, expect, it } from 'vitest';
import { checkPlan, greedySchedule, scheduleTraining } from '../../../domain/training/scheduler';
import type { ScheduleInput, TrainingPlan } from '../../../domain/training/types';
import { course, group, session } from './fixtures';

/** Both planners, so the reasons do not depend on which one answered. */
async function plansFor(input: ScheduleInput): Promise<TrainingPlan[]> {
  const plans = [await scheduleTraining(input), greedySchedule(input)];
  for (const plan of plans) expect(checkPlan(plan, input)).toEqual([]);
  return plans;
}

describe('unmet training, each reason with its numbers', () => {
  it('when the sessions of a course are full, then no_seats lists what each could take and what the plan uses', async () => {
    const input: ScheduleInput = {
      groups: [group('g', 10, ['conv'], '2026-12-01')],
      courses: [course('conv')],
      sessions: [
        session('jan', 'conv', '2026-01-05', '2026-01-20', 10, { seatsTaken: 7 }),
        session('feb', 'conv', '2026-02-05', '2026-02-20', 10, { seatsTaken: 10 }),
        session('mar', 'conv', '2026-03-05', '2026-03-20', 8, { seatsTaken: 6 }),
      ],
    };

    for (const plan of await plansFor(input)) {
      expect(plan.traineesReadyByDeadline).toBe(5);
      expect(plan.unmet).toEqual([
        {
          reason: 'no_seats',
          groupId: 'g',
          systemId: 'f-16',
          courseId: 'conv',
          trainees: 5,
          sessions: [
            { sessionId: 'jan', start: '2026-01-05', free: 3, planned: 3 },
            { sessionId: 'feb', start: '2026-02-05', free: 0, planned: 0 },
            { sessionId: 'mar', start: '2026-03-05', free: 2, planned: 2 },
          ],
        },
      ]);
    }
  });

  it('when every session of a course starts before its prerequisite can end, then prerequisite_too_late gives the earliest start', async () => {
    const input: ScheduleInput = {
      groups: [group('g', 5, ['english', 'conv'], '2026-12-01')],
      courses: [course('english'), course('conv', { prerequisiteIds: ['english'] })],
      sessions: [
        session('english-jan', 'english', '2026-01-01', '2026-01-20', 10),
        session('english-feb', 'english', '2026-02-01', '2026-02-25', 10),
        session('conv-early', 'conv', '2026-01-15', '2026-02-15', 10),
        // The day English ends is too early: a course starts after its prerequisite has ended.
        session('conv-same-day', 'conv', '2026-01-20', '2026-02-20', 10),
      ],
    };

    for (const plan of await plansFor(input)) {
      expect(plan.cohorts).toEqual([]);
      expect(plan.unmet).toEqual([
        {
          reason: 'prerequisite_too_late',
          groupId: 'g',
          systemId: 'f-16',
          courseId: 'conv',
          trainees: 5,
          prerequisiteId: 'english',
          earliestStart: '2026-01-21',
          lastSessionStart: '2026-01-20',
        },
      ]);
    }
  });

  it('when some trainees can only finish after delivery, then after_deadline gives the first of their readiness dates', async () => {
    const input: ScheduleInput = {
      groups: [group('g', 6, ['conv'], '2026-03-01')],
      courses: [course('conv')],
      sessions: [
        session('feb', 'conv', '2026-02-01', '2026-02-20', 4),
        session('apr', 'conv', '2026-04-01', '2026-04-20', 1),
        session('may', 'conv', '2026-05-01', '2026-05-20', 5),
      ],
    };

    const [mip, greedy] = await plansFor(input);

    expect(mip.traineesReadyByDeadline).toBe(4);
    expect(mip.readyBy).toEqual({ 'f-16': '2026-05-20' });
    expect(mip.unmet).toEqual([
      {
        reason: 'after_deadline',
        groupId: 'g',
        systemId: 'f-16',
        courseId: 'conv',
        trainees: 2,
        earliestReady: '2026-04-20',
        deadline: '2026-03-01',
      },
    ]);
    // The greedy plan keeps the late pair together in May, and says so.
    expect(greedy.unmet).toEqual([
      expect.objectContaining({ reason: 'after_deadline', trainees: 2, earliestReady: '2026-05-20' }),
    ]);
  });

  it('when a later course of the chain is full, then no_seats names that course, not the first one', async () => {
    const input: ScheduleInput = {
      groups: [group('g', 6, ['english', 'conv'], '2026-12-01')],
      courses: [course('english'), course('conv', { prerequisiteIds: ['english'] })],
      sessions: [
        session('english-jan', 'english', '2026-01-01', '2026-01-20', 30),
        session('conv-jan', 'conv', '2026-01-10', '2026-01-30', 10),
        session('conv-feb', 'conv', '2026-02-01', '2026-02-20', 10, { seatsTaken: 8 }),
      ],
    };

    for (const plan of await plansFor(input)) {
      expect(plan.unmet).toEqual([
        {
          reason: 'no_seats',
          groupId: 'g',
          systemId: 'f-16',
          courseId: 'conv',
          trainees: 4,
          // conv-jan starts before English ends: not a session these trainees could take.
          sessions: [{ sessionId: 'conv-feb', start: '2026-02-01', free: 2, planned: 2 }],
        },
      ]);
    }
  });
});
