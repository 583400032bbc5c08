import { APPROVED_STATUSES, PENDING_STATUSES } from '../pledge-lifecycle';
import type { PledgeItem, PledgeStatus } from '../schemas/pledge';
import type { System } from '../schemas/reference';
import type { Coverage } from '../schemas/requirement';
import { matchPledge, type MatchableRequirement, type MatchOverrides } from './matching';

/** What coverage reads of a pledge. */
export interface CoveringPledge {
  id: string;
  status: PledgeStatus;
  items: ReadonlyArray<Pick<PledgeItem, 'systemId' | 'quantity'>>;
}

/** Pledged means under review or further on, short of an end without approval; a bare submission is not yet. */
const PLEDGED: ReadonlySet<PledgeStatus> = new Set<PledgeStatus>([
  ...PENDING_STATUSES.filter((s) => s !== 'SUBMITTED'),
  ...APPROVED_STATUSES,
]);
const APPROVED: ReadonlySet<PledgeStatus> = new Set<PledgeStatus>(APPROVED_STATUSES);

/**
 * Each requirement's coverage by the given pledges, as they match now (staff's overrides first): required, and the
 * units pledged, approved and ready. A closed requirement keeps only what staff matched to it explicitly.
 */
export function coverageOf(
  requirements: readonly MatchableRequirement[],
  pledges: Iterable<CoveringPledge>,
  catalog: ReadonlyMap<string, System>,
  overrides: ReadonlyMap<string, MatchOverrides> = new Map(),
): Map<string, Coverage> {
  const coverage = new Map<string, Coverage>(
    requirements.map((r) => [r.id, { required: r.quantity, pledged: 0, approved: 0, ready: 0 }]),
  );
  for (const pledge of pledges) {
    if (!PLEDGED.has(pledge.status)) continue;
    for (const match of matchPledge(pledge.items, catalog, requirements, overrides.get(pledge.id))) {
      const c = match.requirementId === null ? undefined : coverage.get(match.requirementId);
      if (!c) continue;
      c.pledged += match.quantity;
      if (APPROVED.has(pledge.status)) c.approved += match.quantity;
      if (pledge.status === 'READY') c.ready += match.quantity;
    }
  }
  return coverage;
}

/** Units still missing once what is pledged arrives (0 when pledges meet it). */
export const shortfall = (c: Coverage): number => Math.max(0, c.required - c.pledged);

/** The share of a requirement a quantity covers (0.25 for 2 of 8), to two decimals. */
export const shareOf = (quantity: number, required: number): number =>
  required > 0 ? Math.round((quantity / required) * 100) / 100 : 0;

/** Urgent: priority 1 or 2. */
export const URGENT_PRIORITY = 2;

/**
 * The dashboard's panel: open urgent requirements that pledges do not yet fill, the furthest short first (by the
 * share missing, then the units missing, then urgency).
 */
export function unfilledUrgent<
  R extends { priority: number; status: string; coverage: Coverage; id: string },
>(requirements: readonly R[]): Array<R & { shortfall: number }> {
  return requirements
    .filter((r) => r.status === 'open' && r.priority <= URGENT_PRIORITY && shortfall(r.coverage) > 0)
    .map((r) => ({ ...r, shortfall: shortfall(r.coverage) }))
    .sort(
      (a, b) =>
        b.shortfall / b.coverage.required - a.shortfall / a.coverage.required ||
        b.shortfall - a.shortfall ||
        a.priority - b.priority ||
        (a.id < b.id ? -1 : 1),
    );
}
