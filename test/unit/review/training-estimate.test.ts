import { describe, expect, it } from 'vitest';
import { catalogById, courses as seedCourses, generateSessions } from '../../../domain/reference/seed-data';
import { reviewPledge } from '../../../domain/review/review-pledge';
import { estimateTrainingCapacity, type TrainingSupply } from '../../../domain/review/training-estimate';
import type { Course, Session, System } from '../../../domain/schemas/reference';
import { contextWith, item, pledgeOf, withCode } from './fixtures';

const jet: System = {
  id: 'jet',
  name: 'Test jet',
  family: 'Jet',
  category: 'fighter',
  coalition: 'air-force',
  origin: 'USA',
  calibers: [],
  crewPerUnit: 1,
  maintainersPerUnit: 2,
  courseIds: ['conversion', 'jet-maintainer'],
  maintenanceBurden: 'high',
};
const course = (id: string, audience: Course['audience'], prerequisiteIds: string[] = []): Course => ({
  id,
  name: id,
  durationDays: 10,
  prerequisiteIds,
  minCohort: 1,
  maxCohort: 50,
  audience,
});
const session = (
  id: string,
  courseId: string,
  start: string,
  end: string,
  seats: number,
  seatsTaken = 0,
) => ({
  id,
  courseId,
  siteId: 'site',
  start,
  end,
  seats,
  seatsTaken,
});
const courses = [
  course('english', 'crew'),
  course('conversion', 'crew', ['english']),
  course('jet-maintainer', 'maintainer'),
];
const sessions: Array<Session & { seatsTaken: number }> = [
  session('english-1', 'english', '2027-01-01', '2027-01-11', 4),
  // Starts before english-1 ends, so nobody coming from english-1 can take it.
  session('conversion-1', 'conversion', '2027-01-05', '2027-01-25', 10),
  session('conversion-2', 'conversion', '2027-02-01', '2027-02-21', 2),
  session('maintainer-1', 'jet-maintainer', '2027-01-01', '2027-01-31', 8),
];
const supplyWith = (over: Partial<TrainingSupply> = {}): TrainingSupply => ({
  catalog: new Map([[jet.id, jet]]),
  courses,
  sessions,
  ...over,
});

describe('estimateTrainingCapacity', () => {
  it.each([
    { case: 'delivery after all sessions', from: '2027-06-01', ready: 2 + 8 },
    { case: 'delivery before the conversion ends', from: '2027-02-15', ready: 8 },
    { case: 'delivery on the day the conversion ends', from: '2027-02-21', ready: 8 },
    { case: 'delivery before any session ends', from: '2027-01-10', ready: 0 },
  ])('when $case, then $ready of 12 trainees are ready', ({ from, ready }) => {
    const assessment = estimateTrainingCapacity(
      { items: [item('jet', 4, from, '2027-12-31')] },
      supplyWith(),
    );

    expect(assessment.bySystem.jet).toEqual({ traineesNeeded: 4 + 8, traineesReadyByDeadline: ready });
  });

  it('when seats are already taken, then only the free seats count', () => {
    const taken = sessions.map((s) => (s.id === 'maintainer-1' ? { ...s, seatsTaken: 5 } : s));

    const assessment = estimateTrainingCapacity(
      { items: [item('jet', 4, '2027-06-01')] },
      supplyWith({ sessions: taken }),
    );

    expect(assessment.bySystem.jet.traineesReadyByDeadline).toBe(2 + 3);
  });

  it('when two items compete for seats, then the earlier delivery goes first and no seat is reused', () => {
    const pledge = { items: [item('jet', 1, '2027-09-01'), item('jet', 2, '2027-03-01')] };

    const assessment = estimateTrainingCapacity(pledge, supplyWith());

    expect(assessment.bySystem.jet).toEqual({ traineesNeeded: 3 + 6, traineesReadyByDeadline: 2 + 6 });
  });

  it('when a system is unknown or needs no course, then it needs no trainees', () => {
    const noCourses = { ...jet, id: 'fpv', courseIds: [] };
    const supply = supplyWith({ catalog: new Map([[noCourses.id, noCourses]]) });

    const assessment = estimateTrainingCapacity({ items: [item('fpv', 100), item('ghost', 3)] }, supply);

    expect(assessment.bySystem).toEqual({ fpv: { traineesNeeded: 0, traineesReadyByDeadline: 0 } });
  });

  it('when a Patriot battery is due a year after sessions begin, then its 90 troops can be ready', () => {
    const supply = {
      catalog: catalogById,
      courses: seedCourses,
      sessions: generateSessions('2026-01-01').map((s) => ({ ...s, seatsTaken: 0 })),
    };

    const assessment = estimateTrainingCapacity({ items: [item('patriot', 1, '2027-01-01')] }, supply);

    expect(assessment.bySystem.patriot).toEqual({ traineesNeeded: 90, traineesReadyByDeadline: 90 });
  });

  it('when F-16 pilots must first learn aviation English, then no pilot is ready for a near delivery', () => {
    const supply = {
      catalog: catalogById,
      courses: seedCourses,
      sessions: generateSessions('2026-01-01').map((s) => ({ ...s, seatsTaken: 0 })),
    };
    const pledge = pledgeOf([item('f-16', 6, '2026-09-01', '2026-12-31')], { donor: 'NLD' });

    const training = estimateTrainingCapacity(pledge, supply);
    const findings = withCode(reviewPledge(pledge, contextWith({ training })).findings, 'TRAINING_CAPACITY');

    // 112 days of English then 180 of conversion cannot fit before September; the maintainers can.
    expect(training.bySystem['f-16']).toEqual({ traineesNeeded: 6 + 48, traineesReadyByDeadline: 48 });
    expect(findings).toEqual([expect.objectContaining({ severity: 'warning', systemId: 'f-16' })]);
  });
});
