import { describe, expect, it } from 'vitest';
import { checkPlan, greedySchedule, scheduleTraining } from '../../../domain/training/scheduler';
import type { ScheduleInput } from '../../../domain/training/types';
import { course, group, session } from './fixtures';

const summary = (cohorts: Array<{ sessionId: string; trainees: number }>) =>
  cohorts.map((c) => `${c.sessionId}:${c.trainees}`).sort();

describe('scheduleTraining', () => {
  it('when two sessions have enough seats, then everyone goes to the earlier one', async () => {
    const input: ScheduleInput = {
      groups: [group('g', 10, ['conv'], '2026-03-01')],
      courses: [course('conv')],
      sessions: [
        session('feb', 'conv', '2026-02-01', '2026-02-10', 20),
        session('jan', 'conv', '2026-01-05', '2026-01-20', 20),
      ],
    };

    const plan = await scheduleTraining(input);

    expect(summary(plan.cohorts)).toEqual(['jan:10']);
    expect(plan.readyBy).toEqual({ 'f-16': '2026-01-20' });
    expect(plan.unmet).toEqual([]);
    expect(plan).toMatchObject({ traineesNeeded: 10, traineesReadyByDeadline: 10 });
    expect(plan.solver).toMatchObject({ method: 'mip', status: 'optimal' });
    expect(plan.solver.gap).toBeLessThanOrEqual(1e-4);
    expect(plan.solver.bound).toBeGreaterThanOrEqual(plan.solver.objective);
  });

  it('when the prerequisite ends on or after a session starts, then the trainees wait for a later session', async () => {
    const input: ScheduleInput = {
      groups: [group('g', 5, ['english', 'conv'], '2026-06-01')],
      courses: [course('english'), course('conv', { prerequisiteIds: ['english'] })],
      sessions: [
        session('english-jan', 'english', '2026-01-01', '2026-01-20', 10),
        session('conv-overlap', 'conv', '2026-01-15', '2026-02-15', 10),
        session('conv-same-day', 'conv', '2026-01-20', '2026-02-20', 10),
        session('conv-mar', 'conv', '2026-03-01', '2026-04-01', 10),
      ],
    };

    const plan = await scheduleTraining(input);

    expect(summary(plan.cohorts)).toEqual(['conv-mar:5', 'english-jan:5']);
    expect(plan.readyBy['f-16']).toBe('2026-04-01');
    expect(checkPlan(plan, input)).toEqual([]);
  });

  it('when only some trainees finish the prerequisite before a session starts, then only they take it', async () => {
    const input: ScheduleInput = {
      groups: [group('g', 10, ['english', 'conv'], '2026-02-15')],
      courses: [course('english'), course('conv', { prerequisiteIds: ['english'] })],
      sessions: [
        session('english-early', 'english', '2026-01-01', '2026-01-10', 5),
        session('english-late', 'english', '2026-01-05', '2026-01-20', 5),
        session('conv-jan', 'conv', '2026-01-20', '2026-02-10', 10),
        session('conv-mar', 'conv', '2026-03-01', '2026-03-20', 10),
      ],
    };

    const plan = await scheduleTraining(input);

    expect(plan.solver.method).toBe('mip');
    expect(summary(plan.cohorts)).toEqual(['conv-jan:5', 'conv-mar:5', 'english-early:5', 'english-late:5']);
    expect(plan.traineesReadyByDeadline).toBe(5);
    expect(plan.unmet).toEqual([
      {
        reason: 'after_deadline',
        groupId: 'g',
        systemId: 'f-16',
        courseId: 'conv',
        trainees: 5,
        earliestReady: '2026-03-20',
        deadline: '2026-02-15',
      },
    ]);
  });

  it('when other plans hold seats, then only the free seats are used and the rest is unmet', async () => {
    const input: ScheduleInput = {
      groups: [group('g', 10, ['conv'], '2026-03-01')],
      courses: [course('conv')],
      sessions: [session('jan', 'conv', '2026-01-05', '2026-01-20', 10, { seatsTaken: 4 })],
    };

    const plan = await scheduleTraining(input);

    expect(summary(plan.cohorts)).toEqual(['jan:6']);
    expect(plan.unmet).toEqual([
      {
        reason: 'no_seats',
        groupId: 'g',
        systemId: 'f-16',
        courseId: 'conv',
        trainees: 4,
        sessions: [{ sessionId: 'jan', start: '2026-01-05', free: 6, planned: 6 }],
      },
    ]);
    expect(plan.readyBy['f-16']).toBeNull();
    expect(plan.traineesReadyByDeadline).toBe(6);
  });

  it('when the leftover is below the cohort minimum, then it still gets a seat and its session is flagged', async () => {
    const input: ScheduleInput = {
      groups: [group('g', 12, ['conv'], '2026-06-01')],
      courses: [course('conv', { minCohort: 5, maxCohort: 10 })],
      sessions: [
        session('jan', 'conv', '2026-01-05', '2026-01-20', 10),
        session('feb', 'conv', '2026-02-01', '2026-02-10', 3),
      ],
    };

    const plan = await scheduleTraining(input);

    expect(summary(plan.cohorts)).toEqual(['feb:2', 'jan:10']);
    expect(plan.unmet).toEqual([]);
    expect(plan.sessionsBelowMinimum).toEqual([
      {
        sessionId: 'feb',
        courseId: 'conv',
        start: '2026-02-01',
        reserved: 0,
        planned: 2,
        minimum: 5,
        cutoff: '2026-01-11',
      },
    ]);
  });

  it('when a group exceeds the cohort maximum, then it is split so that every session reaches its minimum', async () => {
    const input: ScheduleInput = {
      groups: [group('g', 12, ['conv'], '2026-06-01')],
      courses: [course('conv', { minCohort: 5, maxCohort: 10 })],
      sessions: [
        session('jan', 'conv', '2026-01-05', '2026-01-20', 30),
        session('feb', 'conv', '2026-02-01', '2026-02-10', 30),
      ],
    };

    const plan = await scheduleTraining(input);

    expect(plan.traineesReadyByDeadline).toBe(12);
    expect(plan.cohorts).toHaveLength(2);
    for (const cohort of plan.cohorts) expect(cohort.trainees).toBeGreaterThanOrEqual(5);
    expect(plan.sessionsBelowMinimum).toEqual([]);
    // Earliest readiness with both sessions at their minimum: as many as that allows in January.
    expect(plan.cohorts.find((c) => c.sessionId === 'jan')?.trainees).toBe(7);
  });

  it('when a site is excluded by a replan, then the other site is used', async () => {
    const input: ScheduleInput = {
      groups: [group('g', 8, ['conv'], '2026-06-01')],
      courses: [course('conv')],
      sessions: [
        session('a-jan', 'conv', '2026-01-05', '2026-01-20', 20, { siteId: 'site-a' }),
        session('b-mar', 'conv', '2026-03-01', '2026-03-20', 20, { siteId: 'site-b' }),
      ],
      constraints: { excludedSiteIds: ['site-a'] },
    };

    const plan = await scheduleTraining(input);

    expect(plan.cohorts.map((c) => [c.sessionId, c.siteId, c.trainees])).toEqual([['b-mar', 'site-b', 8]]);
  });

  it('when sessions are excluded or start before notBefore, then they are not used', async () => {
    const input: ScheduleInput = {
      groups: [group('g', 8, ['conv'], '2026-06-01')],
      courses: [course('conv')],
      sessions: [
        session('jan', 'conv', '2026-01-05', '2026-01-20', 20),
        session('feb', 'conv', '2026-02-05', '2026-02-20', 20),
        session('apr', 'conv', '2026-04-05', '2026-04-20', 20),
      ],
      constraints: { excludedSessionIds: ['feb'], notBefore: '2026-01-10' },
    };

    const plan = await scheduleTraining(input);

    expect(summary(plan.cohorts)).toEqual(['apr:8']);
  });

  it('when seats exist only after the deadline, then trainees are scheduled late and reported as late', async () => {
    const input: ScheduleInput = {
      groups: [group('g', 4, ['conv'], '2026-03-01')],
      courses: [course('conv')],
      sessions: [session('apr', 'conv', '2026-04-01', '2026-04-20', 20)],
    };

    const plan = await scheduleTraining(input);

    expect(summary(plan.cohorts)).toEqual(['apr:4']);
    expect(plan.traineesReadyByDeadline).toBe(0);
    expect(plan.readyBy['f-16']).toBe('2026-04-20');
    expect(plan.unmet).toEqual([
      {
        reason: 'after_deadline',
        groupId: 'g',
        systemId: 'f-16',
        courseId: 'conv',
        trainees: 4,
        earliestReady: '2026-04-20',
        deadline: '2026-03-01',
      },
    ]);
  });

  it('when a greedy first choice blocks another group, then the MIP finds the plan that makes both ready', async () => {
    // Greedy gives group "a" the early session; "b" then cannot finish its second course in time.
    const input: ScheduleInput = {
      groups: [
        group('a', 10, ['x'], '2026-03-01', 'sys-a'),
        group('b', 10, ['x', 'y'], '2026-03-01', 'sys-b'),
      ],
      courses: [course('x'), course('y', { prerequisiteIds: ['x'] })],
      sessions: [
        session('x-jan', 'x', '2026-01-01', '2026-01-10', 10),
        session('x-feb', 'x', '2026-02-15', '2026-02-25', 10),
        session('y-feb', 'y', '2026-02-01', '2026-02-10', 10),
      ],
    };

    const [mip, greedy] = [await scheduleTraining(input), greedySchedule(input)];

    expect(greedy.traineesReadyByDeadline).toBe(10);
    expect(mip.traineesReadyByDeadline).toBe(20);
    expect(summary(mip.cohorts)).toEqual(['x-feb:10', 'x-jan:10', 'y-feb:10']);
    expect(mip.cohorts.find((c) => c.sessionId === 'x-jan')?.groupId).toBe('b');
    expect(mip.solver.objective).toBeGreaterThan(greedy.solver.objective);
  });

  it('when a course has no sessions at all, then its group is unmet at that course', async () => {
    const input: ScheduleInput = {
      groups: [group('g', 3, ['english', 'conv'], '2026-06-01')],
      courses: [course('english'), course('conv')],
      sessions: [session('english-jan', 'english', '2026-01-01', '2026-01-20', 10)],
    };

    const plan = await scheduleTraining(input);

    expect(plan.cohorts).toEqual([]);
    expect(plan.unmet).toEqual([
      { reason: 'no_seats', groupId: 'g', systemId: 'f-16', courseId: 'conv', trainees: 3, sessions: [] },
    ]);
    expect(plan.readyBy).toEqual({ 'f-16': null });
  });

  it('when a later course of the chain is short of seats, then the shortfall is reported at that course', async () => {
    const input: ScheduleInput = {
      groups: [group('g', 10, ['english', 'conv'], '2026-06-01')],
      courses: [course('english'), course('conv', { prerequisiteIds: ['english'] })],
      sessions: [
        session('english-jan', 'english', '2026-01-01', '2026-01-20', 30),
        session('conv-feb', 'conv', '2026-02-01', '2026-02-20', 4),
      ],
    };

    const plan = await scheduleTraining(input);

    expect(summary(plan.cohorts)).toEqual(['conv-feb:4', 'english-jan:4']);
    expect(plan.unmet).toEqual([
      {
        reason: 'no_seats',
        groupId: 'g',
        systemId: 'f-16',
        courseId: 'conv',
        trainees: 6,
        sessions: [{ sessionId: 'conv-feb', start: '2026-02-01', free: 4, planned: 4 }],
      },
    ]);
  });

  it('when the model exceeds maxMipVariables, then the greedy plan is returned and says why', async () => {
    const input: ScheduleInput = {
      groups: [group('g', 10, ['conv'], '2026-03-01')],
      courses: [course('conv')],
      sessions: [session('jan', 'conv', '2026-01-05', '2026-01-20', 20)],
      maxMipVariables: 0,
    };

    const plan = await scheduleTraining(input);

    expect(plan.solver.method).toBe('greedy');
    expect(plan.solver.status).toMatch(/^fallback: model too large/);
    expect(summary(plan.cohorts)).toEqual(['jan:10']);
  });

  it('when the solver stops at once or fails, then the greedy plan comes back and the next solve works', async () => {
    const input: ScheduleInput = {
      groups: [
        group('a', 10, ['x'], '2026-03-01', 'sys-a'),
        group('b', 10, ['x', 'y'], '2026-03-01', 'sys-b'),
      ],
      courses: [course('x'), course('y', { prerequisiteIds: ['x'] })],
      sessions: [
        session('x-jan', 'x', '2026-01-01', '2026-01-10', 10),
        session('x-feb', 'x', '2026-02-15', '2026-02-25', 10),
        session('y-feb', 'y', '2026-02-01', '2026-02-10', 10),
      ],
    };

    const stopped = await scheduleTraining({ ...input, timeLimitSeconds: 0 });
    const failed = await scheduleTraining({ ...input, timeLimitSeconds: -1 });
    const next = await scheduleTraining(input);

    expect(stopped.solver).toMatchObject({ method: 'mip', status: 'timeLimit', bound: null, gap: null });
    expect(stopped.traineesReadyByDeadline).toBe(10);
    expect(failed.solver.method).toBe('greedy');
    expect(failed.solver.status).toMatch(/^fallback: solver failed/);
    expect(failed.traineesReadyByDeadline).toBe(10);
    expect(next.solver).toMatchObject({ method: 'mip', status: 'optimal' });
    expect(next.traineesReadyByDeadline).toBe(20);
  });

  it('when solved many times in a row, then the reused solver runtime keeps giving the same plan', async () => {
    const input: ScheduleInput = {
      groups: [group('g', 12, ['conv'], '2026-06-01')],
      courses: [course('conv', { minCohort: 5, maxCohort: 10 })],
      sessions: [
        session('jan', 'conv', '2026-01-05', '2026-01-20', 30),
        session('feb', 'conv', '2026-02-01', '2026-02-10', 30),
      ],
    };

    const plans = [];
    for (let i = 0; i < 30; i++) plans.push(await scheduleTraining(input));

    expect(new Set(plans.map((p) => JSON.stringify(p.cohorts))).size).toBe(1);
    expect(plans.every((p) => p.solver.method === 'mip')).toBe(true);
  });
});
