import { demoRequirements } from '../../../domain/reference/demo-requirements';
import { ammunitionSupply, catalogById, inventory } from '../../../domain/reference/seed-data';
import type { MatchableRequirement } from '../../../domain/requirements/matching';
import type { PledgeUnderReview, ReviewContext } from '../../../domain/review/review-context';
import type { Finding, PledgeItem } from '../../../domain/schemas/pledge';
import { defaultReviewPolicy } from '../../../domain/schemas/policy';

/** One pledge item; the delivery window defaults to the first half of 2027. */
export const item = (systemId: string, quantity = 1, from = '2027-01-01', to = '2027-06-30'): PledgeItem => ({
  systemId,
  quantity,
  deliveryWindow: { from, to },
});

/** A French pledge with training and full sustainment unless overridden. */
export const pledgeOf = (
  items: PledgeItem[],
  overrides: Partial<PledgeUnderReview> = {},
): PledgeUnderReview => ({
  id: 'pledge-under-review',
  donor: 'FRA',
  items,
  trainingOffered: true,
  sustainment: { spareParts: true, maintenanceYears: 2 },
  ...overrides,
});

/** The demo's requirements (Ukraine's open needs), by their needs' ids. */
export const requirements: MatchableRequirement[] = demoRequirements(2027).map(({ key, ...r }) => ({
  ...r,
  id: key,
  status: 'open',
}));

/** The seed reference data and the demo's requirements under the default policy, with no other open pledges. */
export const contextWith = (overrides: Partial<ReviewContext> = {}): ReviewContext => ({
  catalog: catalogById,
  inventory,
  requirements,
  ammunitionSupply,
  openPledges: [],
  policy: defaultReviewPolicy,
  ...overrides,
});

/** The findings of one code. */
export const withCode = (findings: Finding[], code: Finding['code']): Finding[] =>
  findings.filter((f) => f.code === code);
