import { describe, expect, it } from 'vitest';
import { checkPlan } from '../../../domain/training/scheduler';
import type {
  Cohort,
  ScheduleInput,
  SessionBelowMinimum,
  TrainingPlan,
} from '../../../domain/training/types';
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

const planOf = (
  cohorts: Cohort[],
  traineesReadyByDeadline: number,
  sessionsBelowMinimum: SessionBelowMinimum[] = [],
): TrainingPlan => ({
  cohorts,
  readyBy: {},
  unmet: [],
  sessionsBelowMinimum,
  traineesNeeded: 10,
  traineesReadyByDeadline,
  solver: { method: 'greedy', status: 'test', objective: 0, bound: null, gap: null, timeMs: 0 },
});

const convFebBelowMinimum: SessionBelowMinimum = {
  sessionId: 'conv-feb',
  courseId: 'conv',
  start: '2026-02-01',
  reserved: 0,
  planned: 2,
  minimum: 3,
  cutoff: '2026-01-11',
};

describe('checkPlan', () => {
  it('when a plan respects seats, cohort sizes and order, then it has no violations', () => {
    expect(checkPlan(planOf([cohort('english-jan', 5), cohort('conv-feb', 5)], 5), input)).toEqual([]);
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

  it('when a cohort is larger than the course allows, then it reports the cohort maximum', () => {
    const violations = checkPlan(planOf([cohort('english-mar', 8)], 0), input);

    expect(violations).toEqual([
      expect.stringMatching(/cohort g@english-mar: 8 trainees, above the cohort maximum 7/),
    ]);
  });

  it('when a session stays below its minimum, then it must be flagged, and past its cutoff it is refused', () => {
    const small = [cohort('english-jan', 2), cohort('conv-feb', 2)];

    expect(checkPlan(planOf(small, 2, [convFebBelowMinimum]), input)).toEqual([]);
    expect(checkPlan(planOf(small, 2), input)).toEqual([
      expect.stringMatching(/below their minimum: plan flags \[\], cohorts give \[conv-feb\]/),
    ]);
    expect(checkPlan(planOf(small, 2, [convFebBelowMinimum]), { ...input, today: '2026-01-11' })).toEqual([]);
    expect(checkPlan(planOf(small, 2, [convFebBelowMinimum]), { ...input, today: '2026-01-12' })).toEqual([
      expect.stringMatching(
        /session conv-feb: past its cutoff 2026-01-11 with 2 trainees, below its minimum 3/,
      ),
    ]);
  });

  it('when a course has more trainees than the group, then it reports it', () => {
    const violations = checkPlan(planOf([cohort('english-jan', 5), cohort('english-mar', 6)], 0), input);

    expect(violations).toEqual([expect.stringMatching(/group g: 11 trainees in english, only 10 exist/)]);
  });

  it('when the totals do not match the cohorts or a session is excluded, then it reports both', () => {
    const violations = checkPlan(planOf([cohort('english-jan', 5), cohort('conv-feb', 5)], 10), {
      ...input,
      constraints: { excludedSessionIds: ['conv-feb'] },
    });

    expect(violations).toEqual([
      expect.stringMatching(/cohort g@conv-feb: excluded session/),
      expect.stringMatching(/traineesReadyByDeadline 10, cohorts give 5/),
    ]);
  });
});
