import type { Role } from './schemas/common';
import type { PledgeItem } from './schemas/pledge';

// Plain values and types only: workflow code imports this module (zod schemas of lots live in ./schemas/delivery).

/**
 * Deliveries: after approval each pledge item is shipped in lots, and each lot goes through these milestones in
 * order. A lot is `planned` until its first milestone, then in the state of its latest one.
 */
export const Milestones = ['prepared', 'shipped', 'at_hub', 'handed_over', 'received'] as const;
export type Milestone = (typeof Milestones)[number];
export const LotStates = ['planned', ...Milestones] as const;
export type LotState = (typeof LotStates)[number];

/** A milestone as the delivery cell recorded it: when it happened, where, and who says so. */
export interface MilestoneRecord {
  state: Milestone;
  /** The day it happened (YYYY-MM-DD). */
  at: string;
  location: string | null;
  note: string | null;
  by: string;
  /** When it was recorded (ISO 8601). */
  recordedAt: string;
}

/** Why a lot is late: its planned day passed before it was received, or it was handed over after its window. */
export type DelayKind = 'missed_planned_date' | 'handed_over_late';

export interface LotDelay {
  id: string;
  kind: DelayKind;
  /** The planned day (or window end) that was missed. */
  dueOn: string;
  /** The milestone the lot was waiting for when the delay was raised. */
  awaiting: Milestone | null;
  raisedAt: string;
  escalatedAt: string | null;
}

/** A change staff made to the plan of a lot, and why. */
export interface LotChange {
  kind: 'split' | 'redated';
  at: string;
  by: string;
  reason: string;
  /** For a split: the new lot; for a re-date: the day it was planned on before. */
  detail: string;
}

export interface DeliveryLot {
  id: string;
  pledgeId: string;
  /** The pledge item it delivers (its place in `items`). */
  itemIndex: number;
  systemId: string;
  quantity: number;
  /** The day it is planned to be received (YYYY-MM-DD). */
  plannedOn: string;
  /** The item's delivery window, as pledged: a handover after its end is late whatever the plan says. */
  window: { from: string; to: string };
  /** Increases with every re-date: a delay is raised at most once per plan of the lot. */
  planRevision: number;
  milestones: MilestoneRecord[];
  delays: LotDelay[];
  changes: LotChange[];
}

/** The delivery policy's defaults (its schema, DeliveryPolicy, is in ./schemas/task-policy). */
export const defaultDeliveryPolicy = {
  /** Late once its planned day has passed. */
  lateAfterSeconds: 24 * 3600,
  escalateAfterSeconds: 7 * 24 * 3600,
  escalateToRoles: ['chief_of_staff', 'staff_officer'] as Role[],
};

/** A lot's id: its pledge's id and its number within the pledge. */
export const lotId = (pledgeId: string, n: number) => `${pledgeId}-L${n}`;

/** The pledge id a lot id begins with, or null for an id of another shape. */
export const pledgeIdOfLot = (id: string): string | null => /^(.+)-L\d+$/.exec(id)?.[1] ?? null;

/**
 * The lots of an approved pledge: one per item, planned to arrive by the end of the item's window (staff split or
 * re-date a lot when the donor ships it otherwise).
 */
export function planLots(pledgeId: string, items: readonly PledgeItem[]): DeliveryLot[] {
  return items.map((item, i) => ({
    id: lotId(pledgeId, i + 1),
    pledgeId,
    itemIndex: i,
    systemId: item.systemId,
    quantity: item.quantity,
    plannedOn: item.deliveryWindow.to,
    window: { ...item.deliveryWindow },
    planRevision: 1,
    milestones: [],
    delays: [],
    changes: [],
  }));
}

export const lotState = (lot: Pick<DeliveryLot, 'milestones'>): LotState =>
  lot.milestones.length ? lot.milestones[lot.milestones.length - 1].state : 'planned';

/** The milestone the lot waits for, or null once it is received. */
export function nextMilestone(lot: Pick<DeliveryLot, 'milestones'>): Milestone | null {
  const state = lotState(lot);
  return state === 'received' ? null : Milestones[Milestones.indexOf(state as Milestone) + 1];
}

export const isReceived = (lot: Pick<DeliveryLot, 'milestones'>) => lotState(lot) === 'received';

/** Every lot received: the equipment half of READY. A pledge without lots (approved before deliveries) has none. */
export const deliveriesComplete = (lots: readonly DeliveryLot[] | null | undefined): boolean =>
  !lots || lots.every(isReceived);

/** Why a milestone cannot be recorded on the lot as it stands, or null when it can. */
export function refuseMilestone(
  lot: DeliveryLot,
  input: { state: Milestone; at: string },
  today: string,
): string | null {
  const expected = nextMilestone(lot);
  if (!expected) return `lot ${lot.id} has been received: it takes no more milestones`;
  if (input.state !== expected) {
    const done = lot.milestones.some((m) => m.state === input.state);
    return done
      ? `lot ${lot.id} is already ${input.state}`
      : `lot ${lot.id} is ${lotState(lot)}: its next milestone is ${expected}, not ${input.state}`;
  }
  if (input.at > today)
    return `a milestone cannot be recorded ahead of its day (${input.at} is after ${today})`;
  const previous = lot.milestones[lot.milestones.length - 1];
  if (previous && input.at < previous.at)
    return `${input.state} on ${input.at} would come before ${previous.state} on ${previous.at}`;
  return null;
}

/** Why the lot's plan cannot change (split or re-date), or null when it can. */
export function refusePlanChange(lot: DeliveryLot, kind: LotChange['kind']): string | null {
  if (isReceived(lot)) return `lot ${lot.id} has been received: its plan is history`;
  if (kind === 'split' && lot.milestones.some((m) => m.state !== 'prepared'))
    return `lot ${lot.id} is ${lotState(lot)}: a lot can be split only before it ships`;
  return null;
}

/** The lot re-dated: a new plan, so a new delay may be raised against it. */
export function redateLot(lot: DeliveryLot, plannedOn: string, change: Omit<LotChange, 'kind' | 'detail'>) {
  return {
    ...lot,
    plannedOn,
    planRevision: lot.planRevision + 1,
    changes: [...lot.changes, { ...change, kind: 'redated' as const, detail: `was ${lot.plannedOn}` }],
  };
}

/** `quantity` of the lot moved into a new lot `newId` planned on `plannedOn`; the rest stays as planned. */
export function splitLot(
  lot: DeliveryLot,
  split: { newId: string; quantity: number; plannedOn: string },
  change: Omit<LotChange, 'kind' | 'detail'>,
): [DeliveryLot, DeliveryLot] {
  const kept: DeliveryLot = {
    ...lot,
    quantity: lot.quantity - split.quantity,
    changes: [...lot.changes, { ...change, kind: 'split', detail: `${split.quantity} to ${split.newId}` }],
  };
  const added: DeliveryLot = {
    ...lot,
    id: split.newId,
    quantity: split.quantity,
    plannedOn: split.plannedOn,
    planRevision: 1,
    delays: [],
    changes: [{ ...change, kind: 'split', detail: `${split.quantity} from ${lot.id}` }],
  };
  return [kept, added];
}

/** The next number for a lot of the pledge (after a split). */
export const nextLotNumber = (lots: readonly DeliveryLot[]) =>
  Math.max(0, ...lots.map((l) => Number(/-L(\d+)$/.exec(l.id)?.[1] ?? 0))) + 1;

/** The delay a missed planned day raises (one per plan of the lot): its id says which plan it was. */
export const missedDateDelayId = (lot: DeliveryLot) => `${lot.id}:delay:plan-${lot.planRevision}`;
export const lateHandoverDelayId = (lot: DeliveryLot) => `${lot.id}:delay:late-handover`;

/** Milliseconds since the epoch at which a lot still not received is late: its planned day plus the grace. */
export const lateAfter = (lot: DeliveryLot, graceSeconds: number) =>
  Date.parse(`${lot.plannedOn}T00:00:00Z`) + graceSeconds * 1000;

/** Whether a missed-date delay should be raised now for the lot's current plan. */
export function missedDateDue(lot: DeliveryLot, nowMs: number, graceSeconds: number): boolean {
  return (
    !isReceived(lot) &&
    nowMs >= lateAfter(lot, graceSeconds) &&
    !lot.delays.some((d) => d.id === missedDateDelayId(lot))
  );
}

/** A handover recorded after the end of the pledged window raises a delay once. */
export const handedOverLate = (lot: DeliveryLot, milestone: { state: Milestone; at: string }) =>
  milestone.state === 'handed_over' &&
  milestone.at > lot.window.to &&
  !lot.delays.some((d) => d.id === lateHandoverDelayId(lot));

/** The lots with these replaced (by id) or added at the end. */
export function withLots(lots: readonly DeliveryLot[] | null | undefined, changed: readonly DeliveryLot[]) {
  const byId = new Map(changed.map((l) => [l.id, l]));
  const kept = (lots ?? []).map((l) => byId.get(l.id) ?? l);
  return [...kept, ...changed.filter((l) => !kept.some((k) => k.id === l.id))];
}

/** Both halves of READY, counted: lots received and crews trained against the plan. */
export function readinessProgress(
  lots: readonly DeliveryLot[],
  cohorts: ReadonlyArray<{ state: string }>,
  today: string,
) {
  const live = cohorts.filter((c) => c.state !== 'failed' && c.state !== 'released');
  return {
    lots: lots.length,
    lotsReceived: lots.filter(isReceived).length,
    quantity: lots.reduce((n, l) => n + l.quantity, 0),
    quantityReceived: lots.filter(isReceived).reduce((n, l) => n + l.quantity, 0),
    lotsLate: lots.filter((l) => !isReceived(l) && (l.delays.length > 0 || l.plannedOn < today)).length,
    cohorts: live.length,
    cohortsCompleted: live.filter((c) => c.state === 'completed').length,
  };
}
