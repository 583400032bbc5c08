import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Course } from '../../../domain/schemas/reference';
import { chainFor } from '../../../domain/training/demand';
import { checkPlan, greedySchedule, scheduleTraining } from '../../../domain/training/scheduler';
import type { ScheduleInput, TrainingPlan } from '../../../domain/training/types';
import { course, system } from './fixtures';

const dateAt = (day: number): string => new Date(Date.UTC(2026, 0, 1 + day)).toISOString().slice(0, 10);

const courseArb = (index: number) =>
  fc
    .record({
      min: fc.integer({ min: 1, max: 4 }),
      spread: fc.integer({ min: 0, max: 8 }),
      prerequisite: fc.boolean(),
    })
    .map(({ min, spread, prerequisite }) =>
      course(`c${index}`, {
        minCohort: min,
        maxCohort: min + spread,
        prerequisiteIds: prerequisite && index > 0 ? [`c${index - 1}`] : [],
      }),
    );

/** Random small instances: up to 4 courses in prerequisite chains, 16 sessions, 4 groups, optional replan. */
const instanceArb: fc.Arbitrary<ScheduleInput> = fc
  .integer({ min: 1, max: 4 })
  .chain((courseCount) =>
    fc.record({
      courses: fc.tuple(...Array.from({ length: courseCount }, (_v, i) => courseArb(i))),
      // 1-4 sessions per course; later courses (which may need earlier ones) tend to run later.
      sessions: fc
        .tuple(
          ...Array.from({ length: courseCount }, (_v, index) =>
            fc.array(
              fc.record({
                course: fc.constant(index),
                // Coarse dates make sessions start on the day another ends, the edge case of prerequisite order.
                start: fc.integer({ min: 0, max: 16 }).map((d) => index * 25 + d * 5),
                length: fc.integer({ min: 0, max: 6 }).map((d) => d * 5),
                seats: fc.integer({ min: 1, max: 20 }),
                taken: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 20 })),
                site: fc.constantFrom('site-a', 'site-b'),
              }),
              { minLength: 1, maxLength: 4 },
            ),
          ),
        )
        .map((perCourse) => perCourse.flat()),
      groups: fc.array(
        fc.record({
          targets: fc.uniqueArray(fc.integer({ min: 0, max: courseCount - 1 }), {
            minLength: 1,
            maxLength: courseCount,
          }),
          trainees: fc.integer({ min: 1, max: 25 }),
          deadline: fc.integer({ min: 4, max: 50 }).map((d) => d * 5),
          system: fc.constantFrom('s1', 's2', 's3'),
        }),
        { minLength: 1, maxLength: 4 },
      ),
      // A replan in about one instance out of four.
      excludedSite: fc.integer({ min: 0, max: 3 }).map((x) => (x === 0 ? 'site-b' : null)),
      notBefore: fc
        .integer({ min: 0, max: 3 })
        .chain((x) => (x === 0 ? fc.integer({ min: 0, max: 60 }) : fc.constant(null))),
      // Half the instances are planned on a day when the cutoff of some sessions has passed.
      today: fc.option(fc.integer({ min: 0, max: 80 }), { nil: null }),
      cutoffDays: fc.integer({ min: 0, max: 30 }),
    }),
  )
  .map(({ courses, sessions, groups, excludedSite, notBefore, today, cutoffDays }) => {
    const byId = new Map<string, Course>(courses.map((c) => [c.id, c]));
    return {
      courses,
      sessions: sessions.map((s, i) => ({
        id: `s${i}`,
        courseId: `c${s.course}`,
        siteId: s.site,
        start: dateAt(s.start),
        end: dateAt(s.start + s.length),
        seats: s.seats,
        seatsTaken: Math.min(s.taken, s.seats),
      })),
      groups: groups.map((g, i) => ({
        id: `g${i}`,
        systemId: g.system,
        audience: 'crew' as const,
        trainees: g.trainees,
        courseChain: chainFor(system(g.system, { courseIds: g.targets.map((t) => `c${t}`) }), 'crew', byId),
        deadline: dateAt(g.deadline),
      })),
      constraints: {
        excludedSiteIds: excludedSite === null ? [] : [excludedSite],
        ...(notBefore === null ? {} : { notBefore: dateAt(notBefore) }),
      },
      ...(today === null ? {} : { today: dateAt(today) }),
      sessionMinimumCutoffDays: cutoffDays,
    };
  });

const accountedFor = (plan: TrainingPlan): number =>
  plan.traineesReadyByDeadline + plan.unmet.reduce((sum, u) => sum + u.trainees, 0);

describe('scheduleTraining on random small instances', () => {
  it('when solved by MIP and by greedy, then both plans are valid and the MIP has at least as many ready', async () => {
    await fc.assert(
      fc.asyncProperty(instanceArb, async (input) => {
        const mip = await scheduleTraining(input);
        const greedy = greedySchedule(input);

        expect(checkPlan(mip, input)).toEqual([]);
        expect(checkPlan(greedy, input)).toEqual([]);
        expect(mip.solver.method).toBe('mip');
        expect(mip.traineesReadyByDeadline).toBeGreaterThanOrEqual(greedy.traineesReadyByDeadline);
        expect(mip.solver.objective).toBeGreaterThanOrEqual(greedy.solver.objective);
        expect(mip.solver.bound ?? Infinity).toBeGreaterThanOrEqual(mip.solver.objective);
        expect(accountedFor(mip)).toBe(mip.traineesNeeded);
        expect(accountedFor(greedy)).toBe(greedy.traineesNeeded);
      }),
      { numRuns: 150 },
    );
  });

  it('when one group needs one course without cohort minimum, then the MIP readies min(trainees, seats in time)', async () => {
    const single = fc.record({
      trainees: fc.integer({ min: 1, max: 60 }),
      maxCohort: fc.integer({ min: 1, max: 15 }),
      deadline: fc.integer({ min: 0, max: 120 }),
      sessions: fc.array(
        fc.record({
          start: fc.integer({ min: 0, max: 120 }),
          length: fc.integer({ min: 0, max: 20 }),
          seats: fc.integer({ min: 1, max: 20 }),
        }),
        { minLength: 1, maxLength: 8 },
      ),
    });
    await fc.assert(
      fc.asyncProperty(single, async ({ trainees, maxCohort, deadline, sessions }) => {
        const input: ScheduleInput = {
          groups: [
            {
              id: 'g',
              systemId: 's',
              audience: 'crew',
              trainees,
              courseChain: ['c'],
              deadline: dateAt(deadline),
            },
          ],
          courses: [course('c', { maxCohort })],
          sessions: sessions.map((s, i) => ({
            id: `s${i}`,
            courseId: 'c',
            siteId: 'site-a',
            start: dateAt(s.start),
            end: dateAt(s.start + s.length),
            seats: s.seats,
            seatsTaken: 0,
          })),
        };
        const seatsInTime = sessions
          .filter((s) => s.start + s.length <= deadline)
          .reduce((sum, s) => sum + Math.min(s.seats, maxCohort), 0);

        const plan = await scheduleTraining(input);

        expect(plan.traineesReadyByDeadline).toBe(Math.min(trainees, seatsInTime));
      }),
      { numRuns: 80 },
    );
  });
});
