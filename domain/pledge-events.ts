import {
  deliveriesComplete,
  lotState,
  withLots,
  type DeliveryLot,
  type LotDelay,
  type MilestoneRecord,
} from './delivery-lots';
import type { NotificationEvent } from './notifications';
import type { Role } from './schemas/common';
import { INITIAL_POSITION, transition, type PledgeEventType, type Position } from './pledge-lifecycle';
import type {
  ApprovalStepRecord,
  DecisionRecord,
  PledgeDerived,
  PledgeRecord,
  StoredApproval,
  StoredReview,
  TimelineEntry,
} from './pledge-record';
import type { PledgeReview } from './review/review-pledge';
import type { Finding, PledgeInput } from './schemas/pledge';
import type { PlannedCohort, StoredTrainingPlan } from './training/execution';
import type { ReplanConstraints } from './training/types';

/**
 * What can happen to a pledge, as typed domain events. Workflows (and submission) emit them; one projector turns
 * each into every write it implies. An event's `id` is deterministic (pledge, stage, round, step), so emitting
 * it again changes nothing.
 */
interface Base<T extends PledgeEventType> {
  type: T;
  id: string;
  pledgeId: string;
  at: string;
  /** Username, or "system". */
  actor: string;
}

export type PledgeEvent =
  | (Base<'pledge.submitted'> & { workflowId: string; pledge: PledgeInput; derived: PledgeDerived })
  | (Base<'intake.accepted'> & { coalitions: string[] })
  | (Base<'intake.rejected'> & { coalitions: string[]; problems: string[] })
  | (Base<'review.findings'> & { round: number; review: PledgeReview; policyVersion: number })
  | (Base<'review.accepted' | 'review.changes_requested' | 'review.rejected'> & {
      round: number;
      taskId: string;
      decision: DecisionRecord;
    })
  | (Base<'pledge.amended'> & { revision: number; pledge: PledgeInput; derived: PledgeDerived })
  | (Base<'training.planned'> & {
      round: number;
      plan: StoredTrainingPlan;
      findings: Finding[] | null;
      reason: string | null;
      /** The pledge whose planning made the portfolio planner move this unconfirmed plan. */
      movedFor?: { pledgeId: string; title: string };
    })
  | (Base<'training.replan_requested' | 'training.confirmed'> & {
      round: number;
      taskId: string;
      comment: string | null;
      constraints: ReplanConstraints | null;
    })
  | (Base<'approval.started'> & {
      round: number;
      package: unknown;
      packageHash: string;
      policyVersion: number;
      chain: ApprovalStepRecord[];
    })
  | (Base<'approval.step_approved' | 'approval.approved' | 'approval.rejected' | 'approval.returned'> & {
      round: number;
      /** 1-based place of the decided step in the chain. */
      step: number;
      decided: ApprovalStepRecord;
      /** The next step, opened by this decision (none when the chain ends). */
      next: number | null;
    })
  | (Base<'training.seats_reserved'> & { plan: StoredTrainingPlan; seats: number })
  | (Base<'training.seats_unavailable'> & {
      plan: StoredTrainingPlan;
      cohortId: string | null;
      reason: string | null;
    })
  | (Base<'training.failed'> & { attempts: number; reason: string })
  | (Base<'training.in_training'> & { plan: StoredTrainingPlan })
  | (Base<'training.cohort_started' | 'training.cohort_completed' | 'training.cohort_failed'> & {
      plan: StoredTrainingPlan;
      cohort: PlannedCohort;
      /** Why the cohort failed, when not the site's own report (a session cancelled at its cutoff). */
      reason?: string;
    })
  | (Base<'training.cohort_replanned'> & {
      plan: StoredTrainingPlan;
      failedCohortId: string;
      released: string[];
      replacements: PlannedCohort[];
      findings: Finding[] | null;
      /** Set when the cohort completed with this many trainees failed (absent: the whole cohort failed). */
      failedTrainees?: number;
    })
  | (Base<'training.replan_failed'> & {
      plan: StoredTrainingPlan;
      failedCohortId: string;
      reason: string;
      findings: Finding[] | null;
      failedTrainees?: number;
    })
  | (Base<'training.ready'> & { plan: StoredTrainingPlan })
  | (Base<'delivery.planned'> & { lots: DeliveryLot[] })
  | (Base<'delivery.lot_changed'> & {
      change: 'split' | 'redated';
      reason: string;
      /** The lots as they are after the change (the changed one, and for a split the new one). */
      lots: DeliveryLot[];
    })
  | (Base<'delivery.milestone'> & { lot: DeliveryLot; milestone: MilestoneRecord })
  | (Base<'delivery.delayed'> & { lot: DeliveryLot; delay: LotDelay })
  | (Base<'delivery.delay_escalated'> & { lot: DeliveryLot; delay: LotDelay; escalateTo: Role[] })
  | (Base<'pledge.withdrawn'> & { reason: string; seatsReleased: number; cohorts: PlannedCohort[] | null });

export type EventOf<T extends PledgeEventType> = Extract<PledgeEvent, { type: T }>;

/** Distributes Omit over the union, so one event can be built without its envelope. */
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** An event as a workflow builds it, before the envelope (id, pledge, time) is added. */
export type EventBody = DistributiveOmit<PledgeEvent, 'id' | 'pledgeId' | 'at'>;

const unmetTrainees = (plan: StoredTrainingPlan) => plan.unmet.reduce((n, u) => n + u.trainees, 0);
const cohortSummary = (c: PlannedCohort) => ({
  id: c.id,
  courseId: c.courseId,
  sessionId: c.sessionId,
  trainees: c.trainees,
});
/** Of a replan, how many of the cohort's trainees failed, when it was not all of them. */
const failedTraineesDetail = (event: { failedTrainees?: number }) =>
  event.failedTrainees === undefined ? {} : { failedTrainees: event.failedTrainees };
/** What failed, as a notice's title says it: the whole cohort, or some of its trainees. */
const whatFailed = (event: { failedCohortId: string; failedTrainees?: number }) =>
  event.failedTrainees === undefined
    ? `cohort ${event.failedCohortId} failed`
    : `${event.failedTrainees} ${event.failedTrainees === 1 ? 'trainee' : 'trainees'} of cohort ${event.failedCohortId} failed`;
const decisionDetail = (taskId: string, d: DecisionRecord) => ({
  taskId,
  decision: d.decision,
  comment: d.comment,
  conditions: d.conditions,
  onBehalfOf: d.onBehalfOf,
});

/** What the timeline (and the audit log) says of an event: the facts people read, not the whole payload. */
export function eventDetail(event: PledgeEvent): Record<string, unknown> {
  switch (event.type) {
    case 'pledge.submitted':
      return { revision: 1 };
    case 'intake.accepted':
      return { coalitions: event.coalitions };
    case 'intake.rejected':
      return { coalitions: event.coalitions, problems: event.problems };
    case 'review.findings':
      return {
        round: event.round,
        score: event.review.score,
        recommendation: event.review.recommendation,
        findings: event.review.findings.map(
          (f) => `${f.severity} ${f.code}${f.systemId ? ` (${f.systemId})` : ''}`,
        ),
      };
    case 'review.accepted':
    case 'review.changes_requested':
    case 'review.rejected':
      return { round: event.round, ...decisionDetail(event.taskId, event.decision) };
    case 'pledge.amended':
      return { revision: event.revision };
    case 'training.planned':
      return {
        round: event.round,
        cohorts: event.plan.cohorts.length,
        traineesNeeded: event.plan.traineesNeeded,
        traineesReadyByDeadline: event.plan.traineesReadyByDeadline,
        unmetTrainees: unmetTrainees(event.plan),
        // Plans recorded before sessions below their minimum were flagged have no such list.
        ...(event.plan.sessionsBelowMinimum?.length
          ? { sessionsBelowMinimum: event.plan.sessionsBelowMinimum.map((s) => s.sessionId) }
          : {}),
        solver: event.plan.solver,
        ...(event.reason ? { reason: event.reason } : {}),
        ...(event.movedFor ? { movedFor: event.movedFor } : {}),
        ...(event.plan.constraints ? { constraints: event.plan.constraints } : {}),
      };
    case 'training.replan_requested':
    case 'training.confirmed':
      return {
        round: event.round,
        taskId: event.taskId,
        comment: event.comment,
        constraints: event.constraints,
      };
    case 'approval.started':
      return {
        round: event.round,
        packageHash: event.packageHash,
        policyVersion: event.policyVersion,
        chain: event.chain.map((s) => `${s.role} (${s.reason})`),
      };
    case 'approval.step_approved':
    case 'approval.approved':
    case 'approval.rejected':
    case 'approval.returned': {
      const s = event.decided;
      return {
        round: event.round,
        step: event.step,
        role: s.role,
        taskId: s.taskId,
        decision: s.decision,
        comment: s.comment,
        conditions: s.conditions,
        onBehalfOf: s.onBehalfOf,
        keyId: s.keyId,
        signature: s.signature,
        payload: s.payload,
      };
    }
    case 'training.seats_reserved':
      return { round: event.plan.round, cohorts: event.plan.cohorts.length, seats: event.seats };
    case 'training.seats_unavailable':
      return { round: event.plan.round, cohortId: event.cohortId, reason: event.reason, released: true };
    case 'training.failed':
      return { attempts: event.attempts, reason: event.reason };
    case 'training.in_training':
      return { round: event.plan.round, cohorts: event.plan.cohorts.length };
    case 'training.cohort_started':
    case 'training.cohort_failed':
      return {
        ...cohortSummary(event.cohort),
        cohortId: event.cohort.id,
        ...(event.reason ? { reason: event.reason } : {}),
      };
    case 'training.cohort_completed':
      return {
        ...cohortSummary(event.cohort),
        cohortId: event.cohort.id,
        ...(event.cohort.failed === undefined
          ? {}
          : { passed: event.cohort.passed, failed: event.cohort.failed }),
      };
    case 'training.cohort_replanned':
      return {
        round: event.plan.round,
        failedCohortId: event.failedCohortId,
        ...failedTraineesDetail(event),
        released: event.released,
        replacements: event.replacements.map(cohortSummary),
        unmet: event.plan.unmet,
      };
    case 'training.replan_failed':
      return {
        round: event.plan.round,
        failedCohortId: event.failedCohortId,
        ...failedTraineesDetail(event),
        reason: event.reason,
        unmet: event.plan.unmet,
      };
    case 'training.ready':
      return { readyBy: event.plan.readyBy };
    case 'delivery.planned':
      return { lots: event.lots.map((l) => `${l.id}: ${l.quantity} × ${l.systemId} by ${l.plannedOn}`) };
    case 'delivery.lot_changed':
      return {
        change: event.change,
        reason: event.reason,
        lots: event.lots.map((l) => `${l.id}: ${l.quantity} × ${l.systemId} by ${l.plannedOn}`),
      };
    case 'delivery.milestone':
      return {
        lotId: event.lot.id,
        state: event.milestone.state,
        on: event.milestone.at,
        location: event.milestone.location,
        note: event.milestone.note,
      };
    case 'delivery.delayed':
    case 'delivery.delay_escalated':
      return {
        lotId: event.lot.id,
        kind: event.delay.kind,
        dueOn: event.delay.dueOn,
        awaiting: event.delay.awaiting,
        state: lotState(event.lot),
      };
    case 'pledge.withdrawn':
      return { reason: event.reason, seatsReleased: event.seatsReleased };
  }
}

/** The record as submitted, before any other event. */
function submittedRecord(event: EventOf<'pledge.submitted'>): PledgeRecord {
  const p = event.pledge;
  return {
    _id: event.pledgeId,
    workflowId: event.workflowId,
    donor: p.donor,
    items: p.items,
    trainingOffered: p.trainingOffered,
    sustainment: p.sustainment,
    valueEur: p.valueEur ?? null,
    notes: p.notes ?? null,
    ...event.derived,
    ...INITIAL_POSITION,
    revision: 1,
    submittedBy: event.actor,
    review: null,
    trainingPlan: null,
    approval: null,
    deliveries: null,
    timeline: [],
    version: 0,
    createdAt: event.at,
    updatedAt: event.at,
  };
}

const withFindings = (review: StoredReview | null, findings: Finding[] | null): StoredReview | null =>
  review && findings ? { ...review, findings } : review;

const withStep = (
  approval: StoredApproval | null,
  step: number,
  decided: ApprovalStepRecord,
  next: number | null,
) => {
  if (!approval) return approval;
  const chain = approval.chain.map((s, i) =>
    i === step - 1 ? decided : i === (next ?? 0) - 1 ? { ...s, state: 'open' as const } : s,
  );
  return { ...approval, chain };
};

/** The fields an event changes, beside status, stage and the timeline. */
function changes(record: PledgeRecord, event: PledgeEvent): Partial<PledgeRecord> {
  switch (event.type) {
    case 'intake.accepted':
    case 'intake.rejected':
      return { coalitions: event.coalitions };
    case 'review.findings':
      return {
        review: { ...event.review, decision: null, round: event.round, policyVersion: event.policyVersion },
      };
    case 'review.accepted':
    case 'review.changes_requested':
    case 'review.rejected':
      return record.review ? { review: { ...record.review, decision: event.decision } } : {};
    case 'pledge.amended': {
      const p = event.pledge;
      return {
        items: p.items,
        trainingOffered: p.trainingOffered,
        sustainment: p.sustainment,
        valueEur: p.valueEur ?? null,
        notes: p.notes ?? null,
        revision: event.revision,
        ...event.derived,
      };
    }
    case 'training.planned':
      return { trainingPlan: event.plan, review: withFindings(record.review, event.findings) };
    case 'approval.started':
      return {
        approval: {
          round: event.round,
          package: event.package,
          packageHash: event.packageHash,
          policyVersion: event.policyVersion,
          chain: event.chain,
        },
      };
    case 'approval.step_approved':
    case 'approval.approved':
    case 'approval.rejected':
    case 'approval.returned':
      return { approval: withStep(record.approval, event.step, event.decided, event.next) };
    case 'training.seats_reserved':
    case 'training.seats_unavailable':
    case 'training.in_training':
    case 'training.cohort_started':
    case 'training.cohort_completed':
    case 'training.cohort_failed':
    case 'training.ready':
      return { trainingPlan: event.plan };
    case 'training.cohort_replanned':
    case 'training.replan_failed':
      return { trainingPlan: event.plan, review: withFindings(record.review, event.findings) };
    case 'delivery.planned':
      return { deliveries: event.lots };
    case 'delivery.lot_changed':
    case 'delivery.milestone':
    case 'delivery.delayed':
    case 'delivery.delay_escalated':
      return { deliveries: withLots(record.deliveries, 'lot' in event ? [event.lot] : event.lots) };
    case 'pledge.withdrawn':
      return event.cohorts && record.trainingPlan
        ? { trainingPlan: { ...record.trainingPlan, cohorts: event.cohorts } }
        : {};
    default:
      return {};
  }
}

export type Applied =
  | { applied: true; record: PledgeRecord; entry: TimelineEntry; position: Position; moved: boolean }
  | { applied: false; record: PledgeRecord | null; reason: 'duplicate' | 'refused' | 'no_record' };

/**
 * One event applied to the record: the state machine decides the new position; an event already in the
 * timeline, or one the machine refuses in the record's status, changes nothing.
 */
export function applyPledgeEvent(record: PledgeRecord | null, event: PledgeEvent): Applied {
  if (record?.timeline.some((e) => e.eventId === event.id))
    return { applied: false, record, reason: 'duplicate' };
  let base: PledgeRecord;
  let position: Position;
  if (event.type === 'pledge.submitted') {
    if (record) return { applied: false, record, reason: 'duplicate' };
    base = submittedRecord(event);
    position = INITIAL_POSITION;
  } else {
    if (!record) return { applied: false, record: null, reason: 'no_record' };
    const changed = { ...record, ...changes(record, event) };
    const next = transition(record.status, event.type, {
      stage: record.stage,
      lotsOutstanding: !deliveriesComplete(changed.deliveries),
    });
    if (!next) return { applied: false, record, reason: 'refused' };
    base = changed;
    position = next;
  }
  const entry: TimelineEntry = {
    eventId: event.id,
    at: event.at,
    type: event.type,
    actor: event.actor,
    detail: eventDetail(event),
    status: position.status,
  };
  const moved = !record || record.status !== position.status;
  return {
    applied: true,
    position,
    moved,
    entry,
    record: {
      ...base,
      ...position,
      timeline: [...base.timeline, entry],
      version: base.version + 1,
      updatedAt: event.at,
    },
  };
}

/** What kind of notification (and webhook event) an event's notice is. */
function noticeType(type: PledgeEventType): NotificationEvent['type'] {
  if (type.startsWith('review.') || type.startsWith('approval.')) return 'pledge.decision';
  if (type === 'delivery.milestone' || type === 'delivery.delayed' || type === 'delivery.delay_escalated')
    return type;
  return 'pledge.status';
}

const lotLine = (lot: DeliveryLot) =>
  `lot ${lot.id} (${lot.quantity} × ${lot.systemId}, planned ${lot.plannedOn})`;

/** Who hears of an event, beyond the task notifications: decisions, training and delivery milestones. */
export function noticesOf(event: PledgeEvent, record: PledgeRecord): NotificationEvent[] {
  const notice = (
    title: string,
    body: string,
    recipients: NotificationEvent['recipients'],
  ): NotificationEvent[] => [
    {
      id: `${event.id}:notice`,
      type: noticeType(event.type),
      title: `${record.title}: ${title}`,
      body,
      pledgeId: record._id,
      taskId: 'taskId' in event ? event.taskId : 'decided' in event ? event.decided.taskId : null,
      recipients,
      at: event.at,
    },
  ];
  const donorSide = { roles: ['donor_liaison', 'staff_officer'] as const, nation: record.donor };
  const coordinators = { roles: ['training_coordinator', 'staff_officer'] as const };
  switch (event.type) {
    case 'review.accepted':
    case 'review.changes_requested':
    case 'review.rejected':
      return notice(
        `compatibility review ${event.decision.decision.replace(/_/g, ' ')}`,
        event.decision.comment ?? '',
        {
          roles: [...donorSide.roles],
          nation: donorSide.nation,
        },
      );
    case 'approval.approved':
    case 'approval.rejected':
    case 'approval.returned':
      return notice(
        event.type === 'approval.approved'
          ? 'approved'
          : event.type === 'approval.rejected'
            ? 'rejected'
            : 'returned for revision',
        event.decided.comment ?? '',
        { roles: ['donor_liaison', 'staff_officer', 'training_coordinator'], nation: record.donor },
      );
    case 'training.planned':
      // A plan the portfolio moved while it waited for confirmation: its coordinator must look again.
      return event.movedFor
        ? notice(
            `training plan changed to make room for ${event.movedFor.title}`,
            `${event.reason ?? ''} Confirm the new plan (round ${event.round}).`.trim(),
            { roles: [...coordinators.roles] },
          )
        : [];
    case 'training.failed':
      return notice(`no training plan could be reserved after ${event.attempts} attempts`, event.reason, {
        roles: [...coordinators.roles],
      });
    case 'training.in_training':
      return notice('seats reserved, training under way', '', { roles: [...coordinators.roles] });
    case 'training.cohort_replanned':
      return notice(
        whatFailed(event),
        `trainees replanned into ${event.replacements.map((c) => c.sessionId).join(', ')}`,
        { roles: [...coordinators.roles] },
      );
    case 'training.replan_failed':
      return notice(whatFailed(event), 'No later seats could be reserved for its trainees; see the plan', {
        roles: [...coordinators.roles],
      });
    case 'training.ready':
      return notice(
        record.status === 'READY'
          ? 'every cohort has completed and every lot is received: READY'
          : 'every cohort has completed: crews trained, lots still to be received',
        '',
        { roles: [...coordinators.roles] },
      );
    case 'delivery.milestone':
      // The donor follows its shipment; webhooks hear every milestone.
      return notice(
        record.status === 'READY'
          ? `${lotLine(event.lot)} received: every lot is in and the crews are trained, READY`
          : `${lotLine(event.lot)} ${event.milestone.state.replace('_', ' ')}`,
        [event.milestone.at, event.milestone.location, event.milestone.note].filter(Boolean).join(' · '),
        { roles: [...donorSide.roles], nation: donorSide.nation },
      );
    case 'delivery.delayed':
      return notice(
        event.delay.kind === 'handed_over_late'
          ? `${lotLine(event.lot)} handed over after its window (${event.lot.window.to})`
          : `${lotLine(event.lot)} is late: not received by ${event.delay.dueOn}`,
        `It is ${lotState(event.lot).replace('_', ' ')}.`,
        { roles: [...donorSide.roles], nation: donorSide.nation },
      );
    case 'delivery.delay_escalated':
      return notice(
        `${lotLine(event.lot)} still late: escalated`,
        `Not received by ${event.delay.dueOn}; it is ${lotState(event.lot).replace('_', ' ')}.`,
        { roles: event.escalateTo },
      );
    default:
      return [];
  }
}
