import { describe, expect, it } from 'vitest';
import { catalogById } from '../../../domain/reference/seed-data';
import { coverageOf, unfilledUrgent } from '../../../domain/requirements/coverage';
import type { MatchableRequirement } from '../../../domain/requirements/matching';
import type { PledgeStatus } from '../../../domain/schemas/pledge';

const lrad: MatchableRequirement = {
  id: 'lrad',
  capability: { category: 'air-defence-long' },
  quantity: 8,
  priority: 1,
  neededBy: '2027-06-30',
  status: 'open',
};
const pledge = (id: string, status: PledgeStatus, quantity: number, systemId = 'patriot') => ({
  id,
  status,
  items: [{ systemId, quantity }],
});

describe('coverageOf', () => {
  it('when pledges stand at different stages, then each counts as far as it got', () => {
    const coverage = coverageOf(
      [lrad],
      [
        pledge('submitted', 'SUBMITTED', 1),
        pledge('in-review', 'UNDER_REVIEW', 1),
        pledge('approved', 'APPROVED', 2),
        pledge('ready', 'READY', 3),
        pledge('withdrawn', 'WITHDRAWN', 4),
        pledge('rejected', 'REJECTED', 4),
      ],
      catalogById,
    );

    expect(coverage.get('lrad')).toEqual({ required: 8, pledged: 6, approved: 5, ready: 3 });
  });

  it('when staff moved a pledge to another requirement, then it counts there, and a closed requirement keeps it', () => {
    const reserve = { ...lrad, id: 'reserve', priority: 3, status: 'closed' as const };
    const coverage = coverageOf(
      [lrad, reserve],
      [pledge('a', 'APPROVED', 2), pledge('b', 'APPROVED', 3), pledge('c', 'APPROVED', 1, 'nasams')],
      catalogById,
      new Map([['b', { patriot: 'reserve' }]]),
    );

    expect(coverage.get('lrad')).toMatchObject({ pledged: 2, approved: 2 });
    expect(coverage.get('reserve')).toMatchObject({ pledged: 3, approved: 3 });
  });
});

describe('unfilledUrgent', () => {
  const withCoverage = (
    id: string,
    priority: number,
    required: number,
    pledged: number,
    status = 'open',
  ) => ({
    id,
    priority,
    status,
    coverage: { required, pledged, approved: 0, ready: 0 },
  });

  it('when urgent requirements fall short, then they are listed furthest short first; the met, the closed and the less urgent are not', () => {
    const panel = unfilledUrgent([
      withCoverage('half', 1, 8, 4),
      withCoverage('nothing-yet', 2, 10, 0),
      withCoverage('met', 1, 5, 6),
      withCoverage('closed', 1, 5, 0, 'closed'),
      withCoverage('not-urgent', 3, 5, 0),
      withCoverage('mostly', 1, 100, 90),
    ]);

    expect(panel.map((r) => [r.id, r.shortfall])).toEqual([
      ['nothing-yet', 10],
      ['half', 4],
      ['mostly', 10],
    ]);
  });
});
