import { z } from 'zod';
import { APPROVED_STATUSES, CLOSED_STATUSES, PENDING_STATUSES } from './pledge-lifecycle';
import { PledgeStatus, PledgeStatuses, type PledgeItem } from './schemas/pledge';
import type { InventoryEntry, Need, System } from './schemas/reference';

/** What the dashboard needs of a pledge. */
export interface DashboardPledge {
  status: PledgeStatus;
  coalitions: string[];
  items: Array<Pick<PledgeItem, 'systemId' | 'quantity'>>;
}

const inGroup = (group: readonly PledgeStatus[], status: PledgeStatus) => group.includes(status);

export const Dashboard = z.object({
  pledges: z.number().int(),
  approved: z.number().int().describe('approved, in training or ready'),
  byStatus: z.array(z.object({ status: PledgeStatus, count: z.number().int() })),
  byCoalition: z.array(
    z.object({
      coalition: z.string(),
      approved: z.number().int(),
      pending: z.number().int(),
      closed: z.number().int(),
    }),
  ),
  needCoverage: z.array(
    z.object({
      id: z.string(),
      priority: z.number().int(),
      category: z.string(),
      family: z.string().nullable(),
      description: z.string(),
      quantity: z.number(),
      approved: z.number(),
      pending: z.number(),
      gap: z.number(),
      approvedPct: z.number(),
      pendingPct: z.number(),
      gapPct: z.number(),
      status: z.string(),
    }),
  ),
  families: z.array(
    z.object({
      category: z.string(),
      inService: z.number().int(),
      newPledged: z.number().int(),
      inServiceFamilies: z.array(z.string()),
      newFamilies: z.array(z.string()),
    }),
  ),
});
export type Dashboard = z.infer<typeof Dashboard>;

/** The dashboard's figures over the given pledges (those the reader may see). */
export function dashboardOf(
  pledges: Iterable<DashboardPledge>,
  ref: { needs: Need[]; inventory: InventoryEntry[]; systems: System[] },
): Dashboard {
  const all = [...pledges];
  const systems = new Map(ref.systems.map((s) => [s.id, s]));

  const byStatus = PledgeStatuses.map((status) => ({
    status,
    count: all.filter((p) => p.status === status).length,
  })).filter((s) => s.count > 0);

  const coalitions = new Map<
    string,
    { coalition: string; approved: number; pending: number; closed: number }
  >();
  for (const p of all) {
    for (const c of p.coalitions.length ? p.coalitions : ['unassigned']) {
      const row = coalitions.get(c) ?? { coalition: c, approved: 0, pending: 0, closed: 0 };
      if (inGroup(APPROVED_STATUSES, p.status)) row.approved++;
      else if (inGroup(CLOSED_STATUSES, p.status)) row.closed++;
      else row.pending++;
      coalitions.set(c, row);
    }
  }
  const byCoalition = [...coalitions.values()].sort(
    (a, b) => b.approved + b.pending - (a.approved + a.pending) || (a.coalition < b.coalition ? -1 : 1),
  );

  const needCoverage = ref.needs
    .filter((n) => n.status === 'open')
    .map((need) => {
      let approved = 0;
      let pending = 0;
      for (const p of all) {
        const counted = inGroup(APPROVED_STATUSES, p.status)
          ? 'approved'
          : inGroup(PENDING_STATUSES, p.status)
            ? 'pending'
            : null;
        if (!counted) continue;
        for (const item of p.items) {
          const s = systems.get(item.systemId);
          if (!s || s.category !== need.category || (need.family && s.family !== need.family)) continue;
          if (counted === 'approved') approved += item.quantity;
          else pending += item.quantity;
        }
      }
      const covered = Math.min(need.quantity, approved);
      const pendingShown = Math.min(need.quantity - covered, pending);
      const pct = (n: number) => Math.round((n / need.quantity) * 1000) / 10;
      return {
        id: need.id,
        priority: need.priority,
        category: need.category,
        family: need.family ?? null,
        description: need.description,
        quantity: need.quantity,
        approved: covered,
        pending: pendingShown,
        gap: need.quantity - covered - pendingShown,
        approvedPct: pct(covered),
        pendingPct: pct(pendingShown),
        gapPct: Math.max(0, Math.round((100 - pct(covered) - pct(pendingShown)) * 10) / 10),
        status: need.status,
      };
    })
    .sort((a, b) => a.priority - b.priority || (a.id < b.id ? -1 : 1));

  const rows = new Map<string, { inService: Set<string>; pledged: Set<string> }>();
  const row = (c: string) => rows.get(c) ?? rows.set(c, { inService: new Set(), pledged: new Set() }).get(c)!;
  for (const e of ref.inventory) row(e.category).inService.add(e.family);
  for (const p of all) {
    if (inGroup(CLOSED_STATUSES, p.status)) continue;
    for (const item of p.items) {
      const s = systems.get(item.systemId);
      if (s) row(s.category).pledged.add(s.family);
    }
  }
  const families = [...rows.entries()]
    .map(([category, r]) => {
      const newFamilies = [...r.pledged].filter((f) => !r.inService.has(f)).sort();
      return {
        category,
        inService: r.inService.size,
        newPledged: newFamilies.length,
        inServiceFamilies: [...r.inService].sort(),
        newFamilies,
      };
    })
    .sort(
      (a, b) =>
        b.inService + b.newPledged - (a.inService + a.newPledged) || (a.category < b.category ? -1 : 1),
    );

  return {
    pledges: all.length,
    approved: all.filter((p) => inGroup(APPROVED_STATUSES, p.status)).length,
    byStatus,
    byCoalition,
    needCoverage,
    families,
  };
}
