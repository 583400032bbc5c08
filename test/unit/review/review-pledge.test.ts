import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { catalog } from '../../../domain/reference/seed-data';
import { reviewPledge } from '../../../domain/review/review-pledge';
import { Finding } from '../../../domain/schemas/pledge';
import { defaultReviewPolicy as policy } from '../../../domain/schemas/policy';
import { contextWith, item, pledgeOf, withCode } from './fixtures';

describe('reviewPledge', () => {
  it('when France offers Mirage 2000 beside the F-16, then the review flags fragmentation', () => {
    const review = reviewPledge(pledgeOf([item('mirage-2000-5', 6)]), contextWith());

    expect(review.findings.map((f) => [f.code, f.severity])).toEqual([
      ['FLEET_FRAGMENTATION', 'warning'],
      ['AMMUNITION_SUPPLY', 'warning'],
      ['NEED_MATCH', 'info'],
    ]);
    expect(review.findings[0].message).toContain('F-16');
    // Serving no requirement is said, and weighs nothing.
    expect(review.findings[2]).toMatchObject({ requirementId: null, systemId: null });
    expect(review.score).toBe(45);
    expect(review.recommendation).toBe('accept_with_conditions');
  });

  it('when the Netherlands offers F-16 with sustainment, then the review recommends accepting', () => {
    const review = reviewPledge(pledgeOf([item('f-16', 6)], { donor: 'NLD' }), contextWith());

    expect(review.findings.map((f) => f.code)).toEqual(['FLEET_COMMONALITY', 'NEED_MATCH']);
    expect(review.score).toBe(100);
    expect(review.recommendation).toBe('accept');
  });

  it('when no Patriot crew can be trained in time, then the blocker asks the donor for changes', () => {
    const training = { bySystem: { patriot: { traineesNeeded: 90, traineesReadyByDeadline: 0 } } };

    const review = reviewPledge(pledgeOf([item('patriot')], { donor: 'DEU' }), contextWith({ training }));

    expect(review.findings[0]).toMatchObject({ code: 'TRAINING_CAPACITY', severity: 'blocker' });
    expect(review.score).toBe(60);
    expect(review.recommendation).toBe('request_changes');
  });

  it('when a new howitzer family comes bare and untrainable, then the score falls below reject', () => {
    const training = { bySystem: { archer: { traineesNeeded: 48, traineesReadyByDeadline: 0 } } };
    const pledge = pledgeOf([item('archer', 8)], {
      donor: 'SWE',
      sustainment: { spareParts: false, maintenanceYears: 0 },
    });

    const review = reviewPledge(pledge, contextWith({ training }));

    expect(review.findings.map((f) => f.code)).toEqual([
      'TRAINING_CAPACITY',
      'FLEET_FRAGMENTATION',
      'SUSTAINMENT_GAP',
      'NEED_MATCH',
    ]);
    expect(review.score).toBe(15);
    expect(review.recommendation).toBe('reject');
  });

  it('when the pledge is among the open pledges, then it is not its own duplicate', () => {
    const pledge = pledgeOf([item('caesar', 6)], { id: 'p-1' });
    const openPledges = [{ id: 'p-1', donor: 'FRA', items: pledge.items }];

    expect(withCode(reviewPledge(pledge, contextWith({ openPledges })).findings, 'DUPLICATE_PLEDGE')).toEqual(
      [],
    );
  });

  it('when the same pledge is reviewed twice, then the output is identical and schema-valid', () => {
    const pledge = pledgeOf(
      [item('gepard', 10), item('archer'), item('f-16'), item('gripen-c'), item('mirage-2000-5')],
      {
        sustainment: { spareParts: false, maintenanceYears: 0 },
      },
    );

    const first = reviewPledge(pledge, contextWith());

    expect(reviewPledge(structuredClone(pledge), contextWith())).toEqual(first);
    expect(first.findings.every((f) => Finding.safeParse(f).success)).toBe(true);
    expect(first.findings[0].severity).toBe('blocker');
  });

  it('when any catalogued pledge is reviewed, then score and recommendation follow the policy', () => {
    const systemIds = catalog.map((s) => s.id);
    const arbitraryPledge = fc.record({
      items: fc.array(
        fc.record({ systemId: fc.constantFrom(...systemIds), quantity: fc.integer({ min: 1, max: 200 }) }),
        { minLength: 1, maxLength: 6 },
      ),
      spareParts: fc.boolean(),
      maintenanceYears: fc.integer({ min: 0, max: 5 }),
      ready: fc.integer({ min: 0, max: 100 }),
    });

    fc.assert(
      fc.property(arbitraryPledge, ({ items, spareParts, maintenanceYears, ready }) => {
        const pledge = pledgeOf(
          items.map((i) => item(i.systemId, i.quantity)),
          { sustainment: { spareParts, maintenanceYears } },
        );
        const bySystem = Object.fromEntries(
          items.map((i) => [i.systemId, { traineesNeeded: 50, traineesReadyByDeadline: ready }]),
        );

        const { findings, score, recommendation } = reviewPledge(
          pledge,
          contextWith({ training: { bySystem } }),
        );

        expect(score).toBeGreaterThanOrEqual(0);
        expect(score).toBeLessThanOrEqual(100);
        const blocked = findings.some((f) => f.severity === 'blocker');
        if (score < policy.thresholds.reject) expect(recommendation).toBe('reject');
        else if (blocked) expect(recommendation).toBe('request_changes');
        else
          expect(recommendation).toBe(
            score >= policy.thresholds.accept ? 'accept' : 'accept_with_conditions',
          );
      }),
      { numRuns: 200 },
    );
  });
});
