/** The dashboard's figures, computed in the browser from the public lists (no dedicated endpoint yet). */
import { PledgeStatuses } from '@domain/schemas/pledge';
import type { InventoryEntry, Need, Pledge, System, Task } from '../api/types';
import { approvedStatuses, categoryText, closedStatuses, coalitionText, pendingStatuses, statusLabel } from './labels';

export interface StatusCount {
  status: string;
  label: string;
  count: number;
}

export function pledgesByStatus(pledges: Pledge[]): StatusCount[] {
  return PledgeStatuses.map((status) => ({ status, label: statusLabel[status], count: pledges.filter((p) => p.status === status).length })).filter(
    (s) => s.count > 0,
  );
}

export interface CoalitionCount {
  coalition: string;
  label: string;
  approved: number;
  pending: number;
  closed: number;
}

export function pledgesByCoalition(pledges: Pledge[]): CoalitionCount[] {
  const rows = new Map<string, CoalitionCount>();
  for (const p of pledges) {
    for (const c of p.coalitions.length ? p.coalitions : ['unassigned']) {
      const row = rows.get(c) ?? { coalition: c, label: coalitionText(c), approved: 0, pending: 0, closed: 0 };
      if (approvedStatuses.includes(p.status)) row.approved++;
      else if (closedStatuses.includes(p.status)) row.closed++;
      else row.pending++;
      rows.set(c, row);
    }
  }
  return [...rows.values()].sort((a, b) => b.approved + b.pending - (a.approved + a.pending));
}

export interface NeedCoverage {
  id: string;
  label: string;
  description: string;
  priority: number;
  quantity: number;
  approved: number;
  pending: number;
  gap: number;
  /** The same three as percentages of the need, so needs of very different sizes share one axis. */
  approvedPct: number;
  pendingPct: number;
  gapPct: number;
  status: string;
}

/** How much of each need approved and pending pledges cover: items of the need's category (and family, if set). */
export function needCoverage(needs: Need[], pledges: Pledge[], systems: System[]): NeedCoverage[] {
  const byId = new Map(systems.map((s) => [s.id, s]));
  return needs.map((need) => {
    let approved = 0;
    let pending = 0;
    for (const p of pledges) {
      const counted = approvedStatuses.includes(p.status) ? 'approved' : pendingStatuses.includes(p.status) ? 'pending' : null;
      if (!counted) continue;
      for (const item of p.items) {
        const s = byId.get(item.systemId);
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
      label: `P${need.priority} · ${need.family ?? categoryText(need.category)}`,
      description: need.description,
      priority: need.priority,
      quantity: need.quantity,
      approved: covered,
      pending: pendingShown,
      gap: need.quantity - covered - pendingShown,
      approvedPct: pct(covered),
      pendingPct: pct(pendingShown),
      gapPct: Math.max(0, Math.round((100 - pct(covered) - pct(pendingShown)) * 10) / 10),
      status: need.status,
    };
  });
}

export interface FamiliesInCategory {
  category: string;
  label: string;
  inService: number;
  newPledged: number;
  inServiceFamilies: string[];
  newFamilies: string[];
}

/** The fragmentation view: families Ukraine operates per category, and the new ones open or approved pledges would add. */
export function familiesPerCategory(inventory: InventoryEntry[], pledges: Pledge[], systems: System[]): FamiliesInCategory[] {
  const byId = new Map(systems.map((s) => [s.id, s]));
  const rows = new Map<string, { inService: Set<string>; pledged: Set<string> }>();
  const row = (c: string) => rows.get(c) ?? rows.set(c, { inService: new Set(), pledged: new Set() }).get(c)!;
  for (const e of inventory) row(e.category).inService.add(e.family);
  for (const p of pledges) {
    if (closedStatuses.includes(p.status)) continue;
    for (const item of p.items) {
      const s = byId.get(item.systemId);
      if (s) row(s.category).pledged.add(s.family);
    }
  }
  return [...rows.entries()]
    .map(([category, r]) => {
      const newFamilies = [...r.pledged].filter((f) => !r.inService.has(f)).sort();
      return {
        category,
        label: categoryText(category),
        inService: r.inService.size,
        newPledged: newFamilies.length,
        inServiceFamilies: [...r.inService].sort(),
        newFamilies,
      };
    })
    .sort((a, b) => b.inService + b.newPledged - (a.inService + a.newPledged));
}

export const overdueTasks = (tasks: Task[], now = new Date().toISOString()) =>
  tasks.filter((t) => t.state === 'open' && (t.overdue ?? t.dueAt < now)).sort((a, b) => a.dueAt.localeCompare(b.dueAt));
