import { describe, expect, it } from 'vitest';
import { checkPlan } from '../../../domain/training/scheduler';
import type { Cohort, ScheduleInput, TrainingPlan } from '../../../domain/training/types';
import { course, group, session } from './fixtures';

const input: ScheduleInput = {
  groups: [group('g', 10, ['english', 'conv'], '2026-06-01')],
  courses: [
    course('english', { maxCohort: 7 }),
    course('conv', { minCohort: 3, prerequisiteIds: ['english'] }),
  ],
  sessions: [
    session('english-jan', 'english', '2026-01-01', '2026-01-20', 8, { seatsTaken: 2 }),
    session('english-mar', 'english', '2026-03-01', '2026-03-20', 20),
    session('conv-feb', 'conv', '2026-02-01', '2026-02-20', 20),
  ],
};

const cohort = (sessionId: string, trainees: number): Cohort => {
  const s = input.sessions.find((x) => x.id === sessionId);
  if (!s) throw new Error(sessionId);
  return {
    id: `g@${sessionId}`,
    groupId: 'g',
    systemId: 'f-16',
    courseId: s.courseId,
    sessionId,
    siteId: s.siteId,
    trainees,
    start: s.start,
    end: s.end,
  };
};

const planOf = (cohorts: Cohort[], traineesReadyByDeadline: number): TrainingPlan => ({
  cohorts,
  readyBy: {},
  unmet: [],
  traineesNeeded: 10,
  traineesReadyByDeadline,
  solver: { method: 'greedy', status: 'test', objective: 0, bound: null, gap: null, timeMs: 0 },
});

describe('checkPlan', () => {
  it('when a plan respects seats, cohort sizes and order, then it has no violations', () => {
    expect(checkPlan(planOf([cohort('english-jan', 6), cohort('conv-feb', 6)], 6), input)).toEqual([]);
  });

  it('when a session gets more trainees than its free seats, then it reports the overbooking', () => {
    const violations = checkPlan(planOf([cohort('english-jan', 7), cohort('conv-feb', 7)], 7), input);

    expect(violations).toEqual([
      expect.stringMatching(/session english-jan: overbooked, 7 trainees for 6 free seats/),
    ]);
  });

  it('when a course starts before its prerequisite ends, then it reports the broken order', () => {
    const violations = checkPlan(planOf([cohort('english-mar', 5), cohort('conv-feb', 5)], 5), input);

    expect(violations).toEqual([
      expect.stringMatching(/started conv by 2026-02-01, only 0 finished english/),
    ]);
  });

  it('when cohorts are too small or too large, then it reports the cohort size', () => {
    const violations = checkPlan(
      planOf([cohort('english-mar', 8), cohort('english-jan', 2), cohort('conv-feb', 2)], 2),
      input,
    );

    expect(violations).toEqual([
      expect.stringMatching(/cohort g@english-mar: 8 trainees outside cohort size 1-7/),
      expect.stringMatching(/cohort g@conv-feb: 2 trainees outside cohort size 3-50/),
    ]);
  });

  it('when a course has more trainees than the group, then it reports it', () => {
    const violations = checkPlan(planOf([cohort('english-jan', 6), cohort('english-mar', 6)], 0), input);

    expect(violations).toEqual([expect.stringMatching(/group g: 12 trainees in english, only 10 exist/)]);
  });

  it('when the totals do not match the cohorts or a session is excluded, then it reports both', () => {
    const violations = checkPlan(planOf([cohort('english-jan', 6), cohort('conv-feb', 6)], 10), {
      ...input,
      constraints: { excludedSessionIds: ['conv-feb'] },
    });

    expect(violations).toEqual([
      expect.stringMatching(/cohort g@conv-feb: excluded session/),
      expect.stringMatching(/traineesReadyByDeadline 10, cohorts give 6/),
    ]);
  });
});
