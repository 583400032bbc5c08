import type { AgreementPolicy, Commitment } from './schemas/agreement';

/** What fulfilment needs of an agreement. */
export interface AgreementTerms {
  donor: string;
  signedOn: string;
  termYears: number;
  commitments: Commitment[];
}

/** What fulfilment needs of a pledge: approved pledges count against the year they were approved in. */
export interface ApprovedPledge {
  donor: string;
  approvedAt: string | null;
  valueEur: number | null;
}

export interface YearFulfilment {
  year: number;
  approvedEur: number;
  approvedPledges: number;
  committedEur: number | null;
  shareOfCommitment: number | null;
}

/** The calendar years an agreement runs over: from the year of signature, `termYears` of them. */
export function termYearsOf(a: Pick<AgreementTerms, 'signedOn' | 'termYears'>): number[] {
  const first = Number(a.signedOn.slice(0, 4));
  return Array.from({ length: a.termYears }, (_, i) => first + i);
}

/**
 * Per year of the term: the value of the donor's pledges approved that year (on or after signature), against
 * the year's public commitment. A pledge without a value counts as a pledge but adds nothing.
 */
export function fulfilmentOf(a: AgreementTerms, pledges: Iterable<ApprovedPledge>): YearFulfilment[] {
  const years = termYearsOf(a);
  const byYear = new Map(years.map((y) => [y, { approvedEur: 0, approvedPledges: 0 }]));
  for (const p of pledges) {
    if (p.donor !== a.donor || !p.approvedAt || p.approvedAt.slice(0, 10) < a.signedOn) continue;
    const row = byYear.get(Number(p.approvedAt.slice(0, 4)));
    if (!row) continue;
    row.approvedEur += p.valueEur ?? 0;
    row.approvedPledges += 1;
  }
  const committed = new Map(a.commitments.map((c) => [c.year, c.valueEur]));
  return years.map((year) => {
    const { approvedEur, approvedPledges } = byYear.get(year)!;
    const committedEur = committed.get(year) ?? null;
    return {
      year,
      approvedEur,
      approvedPledges,
      committedEur,
      shareOfCommitment: committedEur ? approvedEur / committedEur : null,
    };
  });
}

/** The totals of a fulfilment: public commitments, approvals, and the years with no public figure. */
export function totalsOf(fulfilment: YearFulfilment[]) {
  return {
    committedEur: fulfilment.reduce((sum, y) => sum + (y.committedEur ?? 0), 0),
    approvedEur: fulfilment.reduce((sum, y) => sum + y.approvedEur, 0),
    uncommittedYears: fulfilment.filter((y) => y.committedEur === null).map((y) => y.year),
  };
}

/**
 * The years an agreement is behind at `now`: the year is under way and past its check day, its commitment is
 * public, and what is not yet approved exceeds the policy's share of it. A year that has ended is not alerted
 * late: the alert is meant to prompt action while the year can still be caught up.
 */
export function yearsBehind(
  fulfilment: YearFulfilment[],
  policy: AgreementPolicy,
  now: Date,
): YearFulfilment[] {
  const today = now.toISOString().slice(0, 10);
  return fulfilment.filter(
    (y) =>
      y.committedEur !== null &&
      y.committedEur > 0 &&
      today >= `${y.year}-${policy.checkFrom}` &&
      today <= `${y.year}-12-31` &&
      (y.committedEur - y.approvedEur) / y.committedEur > policy.midYearShortfallShare,
  );
}
