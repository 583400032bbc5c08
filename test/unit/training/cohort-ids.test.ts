import { describe, expect, it } from 'vitest';
import { cohortId, pledgeIdOfCohort } from '../../../domain/training/execution';

describe('cohort ids: a cohort event finds its pledge without a search', () => {
  it('gives back the pledge id a cohort id was made from', () => {
    expect(pledgeIdOfCohort(cohortId('PL0123ABC', 1, 3))).toBe('PL0123ABC');
    expect(pledgeIdOfCohort(cohortId('PL-with-dashes', 12, 40))).toBe('PL-with-dashes');
  });

  it('says null for an id the planner did not make', () => {
    expect(pledgeIdOfCohort('no-such-cohort')).toBeNull();
    expect(pledgeIdOfCohort('-R1-C2')).toBeNull();
    expect(pledgeIdOfCohort('PL1-R1-Cx')).toBeNull();
  });
});
