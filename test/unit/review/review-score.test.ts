import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { orderFindings, recommend, scoreFindings } from '../../../domain/review/review-score';
import { FindingCodes, type Finding } from '../../../domain/schemas/pledge';
import { defaultReviewPolicy as policy } from '../../../domain/schemas/policy';

const finding = (
  code: Finding['code'],
  severity: Finding['severity'] = 'warning',
  systemId: string | null = 'x',
) => ({
  code,
  severity,
  message: `${code} ${severity}`,
  systemId,
});

const arbitraryFinding: fc.Arbitrary<Finding> = fc.record({
  code: fc.constantFrom(...FindingCodes),
  severity: fc.constantFrom('info' as const, 'warning' as const, 'blocker' as const),
  message: fc.string({ maxLength: 20 }),
  systemId: fc.option(fc.constantFrom('f-16', 'patriot', 'm777'), { nil: null }),
});

describe('scoreFindings', () => {
  it.each([
    { case: 'no findings', findings: [], score: 80 },
    { case: 'a fragmentation warning', findings: [finding('FLEET_FRAGMENTATION')], score: 55 },
    { case: 'a fragmentation blocker', findings: [finding('FLEET_FRAGMENTATION', 'blocker')], score: 30 },
    {
      case: 'commonality and a need met',
      findings: [finding('FLEET_COMMONALITY', 'info'), finding('NEED_MATCH', 'info')],
      score: 100,
    },
    {
      case: 'more positives than fit',
      findings: Array.from({ length: 5 }, () => finding('NEED_MATCH', 'info')),
      score: 100,
    },
    {
      case: 'many blockers',
      findings: Array.from({ length: 5 }, () => finding('TRAINING_CAPACITY', 'blocker')),
      score: 0,
    },
    {
      case: 'warnings that add up below the reject line',
      findings: [
        finding('FLEET_FRAGMENTATION'),
        finding('TRAINING_CAPACITY'),
        finding('AMMUNITION_SUPPLY'),
        finding('SUSTAINMENT_GAP'),
        finding('DUPLICATE_PLEDGE'),
      ],
      score: 40,
    },
  ])('when the findings are $case, then the score is $score', ({ findings, score }) => {
    expect(scoreFindings(findings, policy)).toBe(score);
  });

  it('when any findings are scored, then the score is a whole number within 0..100', () => {
    fc.assert(
      fc.property(fc.array(arbitraryFinding, { maxLength: 30 }), (findings) => {
        const score = scoreFindings(findings, policy);
        expect(Number.isInteger(score)).toBe(true);
        expect(score).toBeGreaterThanOrEqual(0);
        expect(score).toBeLessThanOrEqual(100);
      }),
    );
  });
});

describe('recommend', () => {
  const blocker = [finding('TRAINING_CAPACITY', 'blocker')];
  it.each([
    { case: 'the score reaches accept', score: 70, findings: [], expected: 'accept' },
    { case: 'the score is high', score: 95, findings: [finding('DUPLICATE_PLEDGE')], expected: 'accept' },
    {
      case: 'the score is between the thresholds',
      score: 69,
      findings: [],
      expected: 'accept_with_conditions',
    },
    {
      case: 'the score sits on the reject line',
      score: 40,
      findings: [],
      expected: 'accept_with_conditions',
    },
    {
      case: 'the score is below reject without a blocker',
      score: 0,
      findings: [finding('FLEET_FRAGMENTATION'), finding('TRAINING_CAPACITY')],
      expected: 'accept_with_conditions',
    },
    { case: 'a blocker comes with a high score', score: 90, findings: blocker, expected: 'request_changes' },
    { case: 'a blocker comes with a low score', score: 20, findings: blocker, expected: 'reject' },
  ])('when $case, then the recommendation is $expected', ({ score, findings, expected }) => {
    expect(recommend(score, findings, policy)).toBe(expected);
  });
});

describe('the review policy: a warning alone never yields "Reject"', () => {
  it('when the findings are warnings and positives only, however many, then the score stays on or above the reject line and the recommendation is not reject', () => {
    const notBlocker = arbitraryFinding.map((f) => ({
      ...f,
      severity: f.severity === 'blocker' ? ('warning' as const) : f.severity,
    }));
    fc.assert(
      fc.property(fc.array(notBlocker, { maxLength: 30 }), (findings) => {
        const score = scoreFindings(findings, policy);
        expect(score).toBeGreaterThanOrEqual(policy.thresholds.reject);
        expect(recommend(score, findings, policy)).not.toBe('reject');
      }),
    );
  });

  it('when France offers Mirage 2000 with every warning the rules can raise, then the review recommends acceptance with conditions, not rejection', () => {
    const findings = [
      finding('FLEET_FRAGMENTATION', 'warning', 'mirage-2000-5'),
      finding('TRAINING_CAPACITY', 'warning', 'mirage-2000-5'),
      finding('AMMUNITION_SUPPLY', 'warning', 'mirage-2000-5'),
      finding('SUSTAINMENT_GAP', 'warning', 'mirage-2000-5'),
      finding('DUPLICATE_PLEDGE', 'warning', 'mirage-2000-5'),
    ];
    const score = scoreFindings(findings, policy);
    expect(score).toBe(40);
    expect(recommend(score, findings, policy)).toBe('accept_with_conditions');
  });

  it('when one of those findings is a blocker, then the score may fall below the line and the recommendation is reject', () => {
    const findings = [
      finding('FLEET_FRAGMENTATION', 'blocker', 'mirage-2000-5'),
      finding('TRAINING_CAPACITY', 'warning', 'mirage-2000-5'),
      finding('AMMUNITION_SUPPLY', 'warning', 'mirage-2000-5'),
    ];
    const score = scoreFindings(findings, policy);
    expect(score).toBeLessThan(policy.thresholds.reject);
    expect(recommend(score, findings, policy)).toBe('reject');
  });
});

describe('orderFindings', () => {
  it('when findings arrive in any order, then they come out blockers first in one stable order', () => {
    fc.assert(
      fc.property(
        fc
          .array(arbitraryFinding, { maxLength: 15 })
          .chain((fs) => fc.tuple(fc.constant(fs), fc.shuffledSubarray(fs, { minLength: fs.length }))),
        ([findings, shuffled]) => {
          const ordered = orderFindings(findings);
          expect(orderFindings(shuffled)).toEqual(ordered);
          const ranks = ordered.map((f) => ['blocker', 'warning', 'info'].indexOf(f.severity));
          expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
        },
      ),
    );
  });
});
