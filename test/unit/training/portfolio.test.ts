import { describe, expect, it } from 'vitest';
import type { Finding } from '../../../domain/schemas/pledge';
import {
  needWeight,
  sameCohorts,
  schedulePortfolio,
  weighByNeed,
  weightedReadiness,
} from '../../../domain/training/portfolio';
import { scheduleTraining } from '../../../domain/training/scheduler';
import { course, group, session } from './fixtures';

const courses = [course('english', { minCohort: 1, maxCohort: 20 })];
/** One early session and one that ends after the urgent pledge's delivery. */
const sessions = [
  session('early', 'english', '2027-02-01', '2027-02-20', 8),
  session('late', 'english', '2027-06-01', '2027-06-20', 8),
];
const base = { courses, sessions, today: '2027-01-04', constraints: { notBefore: '2027-01-05' } };

describe('the portfolio planner', () => {
  it('when a pledge planned first took the only seats an urgent one needed, then planning them together trains both in time', async () => {
    const relaxed = group('crew', 8, ['english'], '2027-12-01');
    const urgent = group('crew', 8, ['english'], '2027-03-01');

    // Pledge by pledge: the first takes the earliest session, the second is late.
    const first = await scheduleTraining({ ...base, groups: [relaxed] });
    expect(first.cohorts.map((c) => c.sessionId)).toEqual(['early']);
    const second = await scheduleTraining({
      ...base,
      groups: [urgent],
      sessions: sessions.map((s) => ({ ...s, seatsTaken: s.id === 'early' ? 8 : 0 })),
    });
    expect(second.traineesReadyByDeadline).toBe(0);

    const together = await schedulePortfolio(
      [
        { pledgeId: 'PL-RELAXED', groups: [relaxed] },
        { pledgeId: 'PL-URGENT', groups: [urgent] },
      ],
      base,
    );
    expect(together.traineesReadyByDeadline).toBe(16);
    expect(together.cohorts.get('PL-URGENT')).toEqual([
      expect.objectContaining({ groupId: 'crew', sessionId: 'early', trainees: 8 }),
    ]);
    expect(together.cohorts.get('PL-RELAXED')).toEqual([
      expect.objectContaining({ groupId: 'crew', sessionId: 'late', trainees: 8 }),
    ]);
  });

  it('when only one of two pledges can be ready in time, then the one serving the more urgent requirement is', async () => {
    const deadline = '2027-03-01';
    const need = (priority: number): Finding[] => [
      {
        code: 'NEED_MATCH',
        severity: 'info',
        message: 'serves a requirement',
        systemId: 'f-16',
        requirementId: `R${priority}`,
        priority,
        coverageShare: 1,
      },
    ];
    const low = weighByNeed([group('crew', 8, ['english'], deadline)], need(5));
    const high = weighByNeed([group('crew', 8, ['english'], deadline)], need(1));
    expect(low[0].weight).toBe(1);
    expect(high[0].weight).toBe(5);

    // The low-priority pledge comes first in every order the planner could be fed.
    for (const order of [
      [
        { pledgeId: 'PL-LOW', groups: low },
        { pledgeId: 'PL-HIGH', groups: high },
      ],
      [
        { pledgeId: 'PL-HIGH', groups: high },
        { pledgeId: 'PL-LOW', groups: low },
      ],
    ]) {
      const together = await schedulePortfolio(order, base);
      expect(weightedReadiness(high, together.cohorts.get('PL-HIGH')!)).toBe(40);
      expect(together.cohorts.get('PL-HIGH')![0].sessionId).toBe('early');
      expect(together.cohorts.get('PL-LOW')![0].sessionId).toBe('late');
    }
  });

  it('weighs a requirement priority from 5 (priority 1) to 1, and a system that serves none as 1', () => {
    expect([1, 2, 3, 4, 5].map(needWeight)).toEqual([5, 4, 3, 2, 1]);
    expect(needWeight(null)).toBe(1);
    expect(weighByNeed([group('crew', 2, ['english'], '2027-03-01')], [])[0].weight).toBe(1);
  });

  it('tells a plan that moved a cohort from one that only listed the same cohorts in another order', () => {
    const a = {
      id: 'x',
      groupId: 'g',
      systemId: 'f-16',
      courseId: 'english',
      siteId: 's',
      start: '',
      end: '',
    };
    const plan = [
      { ...a, sessionId: 'early', trainees: 4 },
      { ...a, sessionId: 'late', trainees: 4 },
    ];
    expect(sameCohorts(plan, [...plan].reverse())).toBe(true);
    expect(sameCohorts(plan, [{ ...a, sessionId: 'early', trainees: 8 }])).toBe(false);
  });
});
