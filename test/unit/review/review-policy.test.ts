import { describe, expect, it } from 'vitest';
import { inventory } from '../../../domain/reference/seed-data';
import { defaultReviewPolicy, ReviewPolicy } from '../../../domain/schemas/policy';

describe('ReviewPolicy', () => {
  it('when the default policy is parsed, then it is valid version 1', () => {
    expect(ReviewPolicy.parse(defaultReviewPolicy)).toEqual(defaultReviewPolicy);
    expect(defaultReviewPolicy.version).toBe(1);
  });

  it.each([
    { case: 'reject above accept', change: { thresholds: { accept: 50, reject: 60 } } },
    { case: 'a missing weight', change: { weights: { FLEET_FRAGMENTATION: -25 } } },
    { case: 'a family limit of one', change: { familyLimits: { fighter: 1 } } },
    { case: 'an unknown category', change: { familyLimits: { submarine: 3 } } },
  ])('when a policy has $case, then it is rejected', ({ change }) => {
    expect(ReviewPolicy.safeParse({ ...defaultReviewPolicy, ...change }).success).toBe(false);
  });

  it('when Ukraine adds one new fighter family, then the default limit is not yet reached', () => {
    const fighters = inventory.filter((e) => e.category === 'fighter').length;

    expect(fighters + 1).toBeLessThan(defaultReviewPolicy.familyLimits.fighter ?? Infinity);
    expect(fighters + 2).toBe(defaultReviewPolicy.familyLimits.fighter);
  });

  it('when the weights are read, then problems subtract, positives add and blockers weigh more', () => {
    const { weights, blockerFactor } = defaultReviewPolicy;

    expect(weights.NEED_MATCH).toBeGreaterThan(0);
    expect(weights.FLEET_COMMONALITY).toBeGreaterThan(0);
    for (const code of [
      'FLEET_FRAGMENTATION',
      'TRAINING_CAPACITY',
      'AMMUNITION_SUPPLY',
      'SUSTAINMENT_GAP',
      'DUPLICATE_PLEDGE',
    ] as const) {
      expect(weights[code]).toBeLessThan(0);
    }
    expect(blockerFactor).toBeGreaterThan(1);
  });
});
