import { describe, expect, it } from 'vitest';
import {
  fulfilmentOf,
  termYearsOf,
  totalsOf,
  yearsBehind,
  type ApprovedPledge,
} from '../../domain/agreements';
import { AgreementInput, defaultAgreementPolicy } from '../../domain/schemas/agreement';

const fra = {
  donor: 'FRA',
  signedOn: '2024-02-16',
  termYears: 3,
  commitments: [
    { year: 2024, valueEur: 3_000_000_000 },
    { year: 2025, valueEur: null },
  ],
};
const approved = (donor: string, approvedAt: string | null, valueEur: number | null): ApprovedPledge => ({
  donor,
  approvedAt,
  valueEur,
});

describe('agreement fulfilment', () => {
  it('when an agreement runs 3 years from 2024, then its years are 2024 to 2026', () => {
    expect(termYearsOf(fra)).toEqual([2024, 2025, 2026]);
  });

  it("when pledges are approved, then each counts against its approval year, only the donor's and from signature", () => {
    const rows = fulfilmentOf(fra, [
      approved('FRA', '2024-03-01T10:00:00.000Z', 1_000_000_000),
      approved('FRA', '2024-11-30T10:00:00.000Z', 500_000_000),
      approved('FRA', '2024-01-05T10:00:00.000Z', 9_000_000), // before signature
      approved('DEU', '2024-05-01T10:00:00.000Z', 7_000_000), // another donor
      approved('FRA', '2025-06-01T10:00:00.000Z', null), // no value: counted, adds nothing
      approved('FRA', '2031-01-01T10:00:00.000Z', 1), // after the term
    ]);
    expect(rows).toEqual([
      {
        year: 2024,
        approvedEur: 1_500_000_000,
        approvedPledges: 2,
        committedEur: 3_000_000_000,
        shareOfCommitment: 0.5,
      },
      { year: 2025, approvedEur: 0, approvedPledges: 1, committedEur: null, shareOfCommitment: null },
      { year: 2026, approvedEur: 0, approvedPledges: 0, committedEur: null, shareOfCommitment: null },
    ]);
    expect(totalsOf(rows)).toEqual({
      committedEur: 3_000_000_000,
      approvedEur: 1_500_000_000,
      uncommittedYears: [2025, 2026],
    });
  });
});

describe('agreement alerts', () => {
  const policy = defaultAgreementPolicy;
  const rows = (approvedEur: number) =>
    fulfilmentOf(fra, [approved('FRA', '2024-03-01T00:00:00Z', approvedEur)]);

  it('when less than half the year is approved at mid-year, then the year is behind', () => {
    expect(
      yearsBehind(rows(1_000_000_000), policy, new Date('2024-07-01T00:00:00Z')).map((y) => y.year),
    ).toEqual([2024]);
  });

  it('when it is before the check day, or the year is over, then nothing is behind', () => {
    expect(yearsBehind(rows(0), policy, new Date('2024-06-30T23:00:00Z'))).toEqual([]);
    expect(yearsBehind(rows(0), policy, new Date('2025-01-01T00:00:00Z'))).toEqual([]);
  });

  it('when the shortfall is within the policy share, or the commitment is not public, then nothing is behind', () => {
    expect(yearsBehind(rows(1_500_000_000), policy, new Date('2024-08-01T00:00:00Z'))).toEqual([]);
    // 2025 has no public figure: never alerted.
    expect(yearsBehind(rows(0), policy, new Date('2025-08-01T00:00:00Z'))).toEqual([]);
  });
});

describe('agreement input', () => {
  it('when a year is given twice, then the input is refused naming commitments', () => {
    const parsed = AgreementInput.safeParse({
      donor: 'FRA',
      title: 'France–Ukraine',
      signedOn: '2024-02-16',
      termYears: 10,
      commitments: [
        { year: 2024, valueEur: 1 },
        { year: 2024, valueEur: 2 },
      ],
    });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0].path).toEqual(['commitments']);
  });
});
