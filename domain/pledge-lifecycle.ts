import type { PledgeStatus } from './schemas/pledge';

/**
 * The pledge state machine: every event that can happen to a pledge, and what it does to its status and stage.
 * The projector applies it to the record, the workflows to their own state, the web app reads its groups; no
 * other code spells a status transition.
 */

export const Stages = [
  'intake',
  'compatibility_review',
  'revision',
  'training_planning',
  'command_approval',
  'seat_reservation',
  'training_execution',
  'training_failed',
  /** The crews are trained; the pledge waits for its last lots to be received. */
  'awaiting_delivery',
  'closed',
] as const;
export type Stage = (typeof Stages)[number];

export const PledgeEventTypes = [
  'pledge.submitted',
  'intake.accepted',
  'intake.rejected',
  'review.findings',
  'review.accepted',
  'review.changes_requested',
  'review.rejected',
  'pledge.amended',
  'training.planned',
  'training.replan_requested',
  'training.confirmed',
  'approval.started',
  'approval.step_approved',
  'approval.approved',
  'approval.rejected',
  'approval.returned',
  'training.seats_reserved',
  'training.seats_unavailable',
  'training.failed',
  'training.in_training',
  'training.cohort_started',
  'training.cohort_completed',
  'training.cohort_failed',
  'training.cohort_replanned',
  'training.replan_failed',
  'training.ready',
  'delivery.planned',
  'delivery.lot_changed',
  'delivery.milestone',
  'delivery.delayed',
  'delivery.delay_escalated',
  'pledge.withdrawn',
] as const;
export type PledgeEventType = (typeof PledgeEventTypes)[number];

/** Where a pledge is after an event. */
export interface Position {
  status: PledgeStatus;
  stage: Stage;
}

/** A pledge as the projector left it after a batch of its events: what its workflow follows. */
export interface ProjectedPledge extends Position {
  pledgeId: string;
  title: string;
  /** The capability coalitions the pledge belongs to now (its review goes to their reviewers). */
  coalitions: string[];
  version: number;
  /** Events the state machine refused in the pledge's status (a late event after a withdrawal). */
  refused: string[];
}

const at = (status: PledgeStatus, stage: Stage): Position => ({ status, stage });

/** Statuses no event leaves: the pledge's story is over. */
export const FINAL_STATUSES = [
  'INTAKE_REJECTED',
  'REVIEW_REJECTED',
  'REJECTED',
  'READY',
  'WITHDRAWN',
] as const satisfies readonly PledgeStatus[];
/** The donor may amend the pledge (a revision task is open). */
export const AMENDABLE_STATUSES = [
  'CHANGES_REQUESTED',
  'RETURNED',
] as const satisfies readonly PledgeStatus[];
/** Still being decided: not yet approved, not ended. */
export const PENDING_STATUSES = [
  'SUBMITTED',
  'UNDER_REVIEW',
  'CHANGES_REQUESTED',
  'TRAINING_PLANNING',
  'AWAITING_APPROVAL',
  'RETURNED',
] as const satisfies readonly PledgeStatus[];
/** Approved by command, whatever its training has reached. */
export const APPROVED_STATUSES = [
  'APPROVED',
  'IN_TRAINING',
  'READY',
] as const satisfies readonly PledgeStatus[];
/** Ended without being approved. */
export const CLOSED_STATUSES = [
  'INTAKE_REJECTED',
  'REVIEW_REJECTED',
  'REJECTED',
  'WITHDRAWN',
] as const satisfies readonly PledgeStatus[];
/** A person must act before the pledge moves on (a task is open for someone). */
export const AWAITING_HUMAN_STATUSES = [
  'UNDER_REVIEW',
  'CHANGES_REQUESTED',
  'TRAINING_PLANNING',
  'AWAITING_APPROVAL',
  'RETURNED',
  'IN_TRAINING',
] as const satisfies readonly PledgeStatus[];

export const isFinal = (status: PledgeStatus) => (FINAL_STATUSES as readonly PledgeStatus[]).includes(status);
export const isAmendable = (status: PledgeStatus) =>
  (AMENDABLE_STATUSES as readonly PledgeStatus[]).includes(status);
/** Still being decided: it holds no seats yet, and its approval would take some. */
export const isPending = (status: PledgeStatus) =>
  (PENDING_STATUSES as readonly PledgeStatus[]).includes(status);
/** Not final: the pledge still competes for the same systems, seats and attention. */
export const isOpen = (status: PledgeStatus) => !isFinal(status);

/**
 * What the record holds beside its status that decides where some events lead: READY needs the crews trained
 * and every lot received, and the two halves finish in either order.
 */
export interface TransitionContext {
  /** Where the pledge stands now: delivery events leave it there. */
  stage: Stage;
  /** Lots planned and not all received, with the event applied (none for pledges approved before lots). */
  lotsOutstanding: boolean;
}

/** A position, or the rule that picks one from the record's context. */
type Outcome = Position | ((context: TransitionContext) => Position);
type Table = Partial<Record<PledgeStatus, Partial<Record<PledgeEventType, Outcome>>>>;

/** Training events once an approved pledge holds (or is getting) its seats. */
const seatPlanning = {
  'training.planned': at('APPROVED', 'training_planning'),
  'training.replan_requested': at('APPROVED', 'training_planning'),
  'training.confirmed': at('APPROVED', 'seat_reservation'),
  'training.seats_reserved': at('APPROVED', 'seat_reservation'),
  'training.seats_unavailable': at('APPROVED', 'training_planning'),
  'training.failed': at('APPROVED', 'training_failed'),
  'training.in_training': at('IN_TRAINING', 'training_execution'),
} as const;

const inTraining = at('IN_TRAINING', 'training_execution');

/** Deliveries run beside training: their events leave status and stage as they are. */
const stay =
  (status: PledgeStatus): Outcome =>
  ({ stage }) =>
    at(status, stage);
const deliveryEvents = (status: PledgeStatus) => ({
  'delivery.planned': stay(status),
  'delivery.lot_changed': stay(status),
  'delivery.milestone': stay(status),
  'delivery.delayed': stay(status),
  'delivery.delay_escalated': stay(status),
});
/** READY once both halves are done: the crews trained (the stage says so) and no lot outstanding. */
const readyWhenReceived: Outcome = ({ stage, lotsOutstanding }) =>
  stage === 'awaiting_delivery' && !lotsOutstanding ? at('READY', 'closed') : at('IN_TRAINING', stage);

/** `transitions[status][event]`: the position an event leads to. Withdrawal is added for every open status below. */
const table: Table = {
  SUBMITTED: {
    'intake.accepted': at('UNDER_REVIEW', 'compatibility_review'),
    'intake.rejected': at('INTAKE_REJECTED', 'closed'),
  },
  UNDER_REVIEW: {
    'review.findings': at('UNDER_REVIEW', 'compatibility_review'),
    'review.accepted': at('TRAINING_PLANNING', 'training_planning'),
    'review.changes_requested': at('CHANGES_REQUESTED', 'revision'),
    'review.rejected': at('REVIEW_REJECTED', 'closed'),
  },
  CHANGES_REQUESTED: { 'pledge.amended': at('UNDER_REVIEW', 'compatibility_review') },
  RETURNED: { 'pledge.amended': at('UNDER_REVIEW', 'compatibility_review') },
  TRAINING_PLANNING: {
    'training.planned': at('TRAINING_PLANNING', 'training_planning'),
    'training.replan_requested': at('TRAINING_PLANNING', 'training_planning'),
    'training.confirmed': at('AWAITING_APPROVAL', 'command_approval'),
  },
  AWAITING_APPROVAL: {
    'approval.started': at('AWAITING_APPROVAL', 'command_approval'),
    'approval.step_approved': at('AWAITING_APPROVAL', 'command_approval'),
    'approval.approved': at('APPROVED', 'seat_reservation'),
    'approval.rejected': at('REJECTED', 'closed'),
    'approval.returned': at('RETURNED', 'revision'),
  },
  APPROVED: { ...seatPlanning, ...deliveryEvents('APPROVED') },
  IN_TRAINING: {
    'training.cohort_started': inTraining,
    'training.cohort_completed': inTraining,
    'training.cohort_failed': inTraining,
    'training.cohort_replanned': inTraining,
    'training.replan_failed': inTraining,
    'training.ready': ({ lotsOutstanding }) =>
      lotsOutstanding ? at('IN_TRAINING', 'awaiting_delivery') : at('READY', 'closed'),
    ...deliveryEvents('IN_TRAINING'),
    'delivery.milestone': readyWhenReceived,
  },
};
for (const status of Object.keys(table) as PledgeStatus[]) {
  if (!isFinal(status)) table[status] = { ...table[status], 'pledge.withdrawn': at('WITHDRAWN', 'closed') };
}

/** The whole table, for documentation and the test that walks it. */
export const transitions: Readonly<Table> = table;

/** Where a new pledge starts. */
export const INITIAL_POSITION: Position = at('SUBMITTED', 'intake');

/** Where a pledge of `status` rests when its context is not known (a record from before deliveries). */
const restingStage: Partial<Record<PledgeStatus, Stage>> = {
  APPROVED: 'seat_reservation',
  IN_TRAINING: 'training_execution',
};

/**
 * The position `event` leads to from `status`, or null when the event cannot happen there. Without a context
 * the pledge has no lots outstanding and rests at its status's usual stage.
 */
export function transition(
  status: PledgeStatus,
  event: PledgeEventType,
  context?: TransitionContext,
): Position | null {
  if (event === 'pledge.submitted') return null;
  const outcome = table[status]?.[event];
  if (!outcome) return null;
  return typeof outcome === 'function'
    ? outcome(context ?? { stage: restingStage[status] ?? 'closed', lotsOutstanding: false })
    : outcome;
}

/** The events that may happen to a pledge in `status` (what the web app may offer, what a test expects). */
export const eventsFrom = (status: PledgeStatus): PledgeEventType[] =>
  Object.keys(table[status] ?? {}) as PledgeEventType[];

/** The lifecycle workflow of a pledge: one per pledge, so a second start is impossible. */
export const lifecycleWorkflowId = (pledgeId: string) => `pledge-${pledgeId}`;
