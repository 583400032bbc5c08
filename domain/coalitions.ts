import { APPROVED_STATUSES, CLOSED_STATUSES } from './pledge-lifecycle';
import type { PledgeStatus } from './schemas/pledge';

/** What a coalition's figures need of a pledge. */
export interface CoalitionPledge {
  donor: string;
  status: PledgeStatus;
  coalitions: string[];
  valueEur: number | null;
}

export interface NationContribution {
  nation: string;
  role: 'lead' | 'member' | 'donor';
  /** Pledges not closed without approval (pending or approved), and their value. */
  pledged: number;
  pledgedEur: number;
  approved: number;
  approvedEur: number;
}

const isApproved = (s: PledgeStatus) => (APPROVED_STATUSES as readonly PledgeStatus[]).includes(s);
const isClosed = (s: PledgeStatus) => (CLOSED_STATUSES as readonly PledgeStatus[]).includes(s);

/**
 * What each nation brings to a coalition: its leads and members first (even with nothing pledged yet), then
 * every other donor with a pledge in it.
 */
export function contributionsTo(
  coalition: { id: string; leads: string[]; members: string[] },
  pledges: Iterable<CoalitionPledge>,
): NationContribution[] {
  const rows = new Map<string, NationContribution>();
  const row = (nation: string, role: NationContribution['role']) => {
    let r = rows.get(nation);
    if (!r) rows.set(nation, (r = { nation, role, pledged: 0, pledgedEur: 0, approved: 0, approvedEur: 0 }));
    return r;
  };
  for (const n of coalition.leads) row(n, 'lead');
  for (const n of coalition.members) row(n, 'member');
  for (const p of pledges) {
    if (!p.coalitions.includes(coalition.id) || isClosed(p.status)) continue;
    const r = row(p.donor, 'donor');
    r.pledged += 1;
    r.pledgedEur += p.valueEur ?? 0;
    if (isApproved(p.status)) {
      r.approved += 1;
      r.approvedEur += p.valueEur ?? 0;
    }
  }
  const rank = { lead: 0, member: 1, donor: 2 };
  return [...rows.values()].sort(
    (a, b) => rank[a.role] - rank[b.role] || b.pledgedEur - a.pledgedEur || a.nation.localeCompare(b.nation),
  );
}
