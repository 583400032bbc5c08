/** The dashboard's figures as the server computes them (GET /dashboard), with the words people read. */
import type { Dashboard, Task } from '../api/types';
import { categoryText, coalitionText, statusLabel } from './labels';

export type { Dashboard };

export const labelledStatuses = (d: Dashboard) =>
  d.byStatus.map((s) => ({ ...s, label: statusLabel[s.status] }));

export const labelledCoalitions = (d: Dashboard) =>
  d.byCoalition.map((c) => ({ ...c, label: coalitionText(c.coalition) }));

export const labelledCoverage = (d: Dashboard) =>
  d.needCoverage.map((n) => ({ ...n, label: `P${n.priority} · ${n.family ?? categoryText(n.category)}` }));

export const labelledFamilies = (d: Dashboard) =>
  d.families.map((f) => ({ ...f, label: categoryText(f.category) }));

export const overdueTasks = (tasks: Task[], now = new Date().toISOString()) =>
  tasks
    .filter((t) => t.state === 'open' && (t.overdue ?? t.dueAt < now))
    .sort((a, b) => a.dueAt.localeCompare(b.dueAt));
