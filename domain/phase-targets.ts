import { INITIAL_POSITION, PENDING_STATUSES, transition, type PledgeEventType } from './pledge-lifecycle';
import type { PledgeItem, PledgeStatus } from './schemas/pledge';
import type { PhaseTargetPolicy } from './schemas/phase-targets';

/**
 * Phase time targets, measured from a pledge's status transitions. A phase is a stretch of time in which the
 * pledge holds one of the phase's statuses; each stretch is measured on its own (a pledge reviewed twice has two
 * review phases), so a report over any period is recomputed from the transitions alone.
 */

export const Phases = [
  'intake_to_review_decision',
  'training_planning',
  'command_approval',
  'submission_to_approval',
  'approval_to_ready',
] as const;
export type Phase = (typeof Phases)[number];

/** What people call each phase (the web app and the decision brief). */
export const phaseTitle: Record<Phase, string> = {
  intake_to_review_decision: 'Intake to review decision',
  training_planning: 'Training planning',
  command_approval: 'Command approval',
  submission_to_approval: 'Submission to approval',
  approval_to_ready: 'Approval to ready (by the delivery window)',
};

/** A status the pledge entered, and when. */
export interface StatusChange {
  status: PledgeStatus;
  at: string;
}

/** The statuses the pledge went through, replayed from its timeline with the state machine. */
export function statusHistory(
  timeline: ReadonlyArray<{ type: string; at: string; status?: PledgeStatus }>,
): StatusChange[] {
  const history: StatusChange[] = [];
  let status: PledgeStatus | null = null;
  for (const entry of timeline) {
    // Entries keep the status they led to; older ones are replayed (none of them depended on lots).
    const next: PledgeStatus | null | undefined =
      entry.type === 'pledge.submitted'
        ? INITIAL_POSITION.status
        : (entry.status ?? (status && transition(status, entry.type as PledgeEventType)?.status));
    if (!next || next === status) continue;
    status = next;
    history.push({ status, at: entry.at });
  }
  return history;
}

/** The statuses a phase spans, and those whose arrival completes it (any other arrival abandons it). */
const phaseStatuses: Record<
  Phase,
  { during: readonly PledgeStatus[]; completedBy: readonly PledgeStatus[] }
> = {
  intake_to_review_decision: {
    during: ['SUBMITTED', 'UNDER_REVIEW'],
    completedBy: ['TRAINING_PLANNING', 'CHANGES_REQUESTED', 'REVIEW_REJECTED'],
  },
  training_planning: { during: ['TRAINING_PLANNING'], completedBy: ['AWAITING_APPROVAL'] },
  command_approval: { during: ['AWAITING_APPROVAL'], completedBy: ['APPROVED', 'REJECTED', 'RETURNED'] },
  submission_to_approval: { during: PENDING_STATUSES, completedBy: ['APPROVED'] },
  approval_to_ready: { during: ['APPROVED', 'IN_TRAINING'], completedBy: ['READY'] },
};

/** One stretch of a phase: completed, still open, or abandoned (withdrawn, rejected at intake, …). */
export interface PhaseSpan {
  phase: Phase;
  start: string;
  end: string | null;
  state: 'completed' | 'open' | 'abandoned';
}

export function phaseSpans(history: readonly StatusChange[]): PhaseSpan[] {
  const spans: PhaseSpan[] = [];
  for (const phase of Phases) {
    const { during, completedBy } = phaseStatuses[phase];
    let start: string | null = null;
    for (const change of history) {
      const inside = during.includes(change.status);
      if (inside && start === null) start = change.at;
      else if (!inside && start !== null) {
        const state = completedBy.includes(change.status) ? 'completed' : 'abandoned';
        spans.push({ phase, start, end: change.at, state });
        start = null;
      }
    }
    if (start !== null) spans.push({ phase, start, end: null, state: 'open' });
  }
  return spans.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
}

/** What the measure needs of a pledge. */
export interface PhasePledge {
  id: string;
  title: string;
  donor: string;
  items: ReadonlyArray<Pick<PledgeItem, 'deliveryWindow'>>;
  statusHistory: readonly StatusChange[];
}

export interface MeasuredSpan extends PhaseSpan {
  /** Days the stretch took, or has taken so far. */
  days: number;
  /** The target's length in days (for approval to READY: from the approval to the due date). */
  targetDays: number;
  dueBy: string;
  /** Whether a completed stretch met its target; null while open or when abandoned. */
  met: boolean | null;
  /** Completed late, or open past its due date. */
  overTarget: boolean;
}

const DAY_MS = 24 * 3600 * 1000;
const days = (fromMs: number, toMs: number) => Math.round(((toMs - fromMs) / DAY_MS) * 100) / 100;

/** The end of the pledge's latest delivery window (the whole last day), plus the policy's grace. */
function readyDueBy(items: PhasePledge['items'], graceDays: number): number {
  const lastDay = items.map((i) => i.deliveryWindow.to).reduce((a, b) => (a > b ? a : b));
  return Date.parse(`${lastDay}T00:00:00Z`) + (1 + graceDays) * DAY_MS;
}

/** Every phase stretch of a pledge, measured against the policy's targets at `now`. */
export function measurePhases(pledge: PhasePledge, policy: PhaseTargetPolicy, now: Date): MeasuredSpan[] {
  return phaseSpans(pledge.statusHistory).map((span) => {
    const startMs = Date.parse(span.start);
    const dueMs =
      span.phase === 'approval_to_ready'
        ? readyDueBy(pledge.items, policy.readyGraceDays)
        : startMs + policy.targets[span.phase] * DAY_MS;
    const endMs = span.end ? Date.parse(span.end) : now.getTime();
    const met = span.state === 'completed' ? endMs <= dueMs : null;
    return {
      ...span,
      days: days(startMs, endMs),
      targetDays: days(startMs, dueMs),
      dueBy: new Date(dueMs).toISOString(),
      met,
      overTarget: met === false || (span.state === 'open' && endMs > dueMs),
    };
  });
}

/** The value below which a share `p` of the sorted values lie, interpolated between neighbours. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (!sorted.length) return null;
  const at = (sorted.length - 1) * p;
  const below = Math.floor(at);
  const above = Math.min(below + 1, sorted.length - 1);
  return Math.round((sorted[below] + (sorted[above] - sorted[below]) * (at - below)) * 100) / 100;
}

export interface PhaseFigures {
  phase: Phase;
  /** The policy's length in days; null for approval to READY, which is due by the delivery window. */
  targetDays: number | null;
  completed: number;
  met: number;
  /** Share of the stretches completed in the period that met the target; null when none completed. */
  shareMet: number | null;
  medianDays: number | null;
  p90Days: number | null;
}

export interface OverTarget {
  pledgeId: string;
  title: string;
  donor: string;
  phase: Phase;
  since: string;
  dueBy: string;
  days: number;
  daysOver: number;
}

export interface PhaseTargetReport {
  from: string;
  to: string;
  policyVersion: number;
  phases: PhaseFigures[];
  /** Pledges in a phase now and past its due date, the longest overdue first. */
  overTarget: OverTarget[];
}

/** A completed stretch of one pledge, as the export lists it. */
export interface CompletedSpan extends MeasuredSpan {
  pledgeId: string;
  title: string;
  donor: string;
}

/**
 * The period's figures: stretches completed between the start of `from` and the end of `to` (both whole UTC days)
 * count toward each phase's share met, median and p90; the over-target list is as of `now`.
 */
export function phaseTargetReport(
  pledges: Iterable<PhasePledge>,
  policy: PhaseTargetPolicy,
  period: { from: string; to: string; now: Date },
): PhaseTargetReport & { completedSpans: CompletedSpan[] } {
  const fromMs = Date.parse(`${period.from}T00:00:00Z`);
  const toMs = Date.parse(`${period.to}T00:00:00Z`) + DAY_MS;
  const completedSpans: CompletedSpan[] = [];
  const overTarget: OverTarget[] = [];
  for (const pledge of pledges) {
    for (const span of measurePhases(pledge, policy, period.now)) {
      const who = { pledgeId: pledge.id, title: pledge.title, donor: pledge.donor };
      if (span.state === 'completed' && span.end) {
        const endMs = Date.parse(span.end);
        if (endMs >= fromMs && endMs < toMs) completedSpans.push({ ...span, ...who });
      } else if (span.state === 'open' && span.overTarget) {
        overTarget.push({
          ...who,
          phase: span.phase,
          since: span.start,
          dueBy: span.dueBy,
          days: span.days,
          daysOver: days(Date.parse(span.dueBy), period.now.getTime()),
        });
      }
    }
  }
  const phases = Phases.map((phase): PhaseFigures => {
    const done = completedSpans.filter((s) => s.phase === phase);
    const sorted = done.map((s) => s.days).sort((a, b) => a - b);
    const met = done.filter((s) => s.met).length;
    return {
      phase,
      targetDays: phase === 'approval_to_ready' ? null : policy.targets[phase],
      completed: done.length,
      met,
      shareMet: done.length ? Math.round((met / done.length) * 10_000) / 10_000 : null,
      medianDays: percentile(sorted, 0.5),
      p90Days: percentile(sorted, 0.9),
    };
  });
  overTarget.sort((a, b) => b.daysOver - a.daysOver || a.pledgeId.localeCompare(b.pledgeId));
  return {
    from: period.from,
    to: period.to,
    policyVersion: policy.version,
    phases,
    overTarget,
    completedSpans: completedSpans.sort((a, b) => (a.end! < b.end! ? -1 : a.end! > b.end! ? 1 : 0)),
  };
}
