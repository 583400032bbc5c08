import { allHandlersFinished, condition, defineUpdate, setHandler } from '@temporalio/workflow';
import {
  handedOverLate,
  isReceived,
  lateAfter,
  lateHandoverDelayId,
  missedDateDelayId,
  missedDateDue,
  nextLotNumber,
  nextMilestone,
  lotId,
  planLots,
  redateLot,
  refuseMilestone,
  refusePlanChange,
  splitLot,
  withLots,
  type DeliveryLot,
  type LotDelay,
  type Milestone,
  type MilestoneRecord,
} from '../domain/delivery-lots';
import type { PledgeItem } from '../domain/schemas/pledge';
import type { DeliveryPolicy } from '../domain/schemas/task-policy';
import type { Actor } from '../domain/tasks';
import type { ProjectedPledge } from '../domain/pledge-lifecycle';
import { nowIso } from './clock';
import { emit } from './emit';
import { failureOf, refuse } from './failures';

export interface MilestoneArgs {
  lotId: string;
  state: Milestone;
  /** The day it happened (YYYY-MM-DD). */
  at: string;
  location: string | null;
  note: string | null;
  actor: Actor;
}

export type LotChangeArgs = {
  lotId: string;
  reason: string;
  actor: Actor;
} & ({ kind: 'redated'; plannedOn: string } | { kind: 'split'; quantity: number; plannedOn: string });

export interface LotActionResult {
  /** The lots the action changed (a split changes two). */
  lots: DeliveryLot[];
  pledge: { id: string; status: string };
}

export const recordMilestoneUpdate = defineUpdate<LotActionResult, [MilestoneArgs]>('recordMilestone');
export const changeLotUpdate = defineUpdate<LotActionResult, [LotChangeArgs]>('changeLot');

export const deliveryTrackingWorkflowId = (lifecycleWorkflowId: string) =>
  `${lifecycleWorkflowId}-deliveries`;

export interface DeliveryTrackingInput {
  pledgeId: string;
  items: PledgeItem[];
  policy: DeliveryPolicy;
}

export interface DeliveryTrackingResult {
  lots: DeliveryLot[];
  position: ProjectedPledge;
}

type Action = { kind: 'milestone'; args: MilestoneArgs } | { kind: 'change'; args: LotChangeArgs };
interface Pending {
  action: Action;
  result?: LotActionResult;
  error?: Error;
  done: boolean;
}

const today = () => nowIso().slice(0, 10);

/**
 * The equipment half of an approved pledge: plans its lots, takes the delivery cell's milestones and staff's plan
 * changes (one at a time, in arrival order), raises a delay when a lot's planned day passes before it is received
 * (a durable timer, so once even across restarts) or when it is handed over after its window, escalates a delay
 * that stays open, and returns when every lot is received.
 */
export async function deliveryTracking(input: DeliveryTrackingInput): Promise<DeliveryTrackingResult> {
  const { pledgeId, policy } = input;
  let lots = planLots(pledgeId, input.items);
  const queue: Pending[] = [];
  const find = (id: string) => lots.find((l) => l.id === id);

  /** The refusal of an action on the lots as they stand (checked by the validator and again when applied). */
  const refusal = (action: Action): string | null => {
    const lot = find(action.args.lotId);
    if (!lot) return refuse('not_found', `lot ${action.args.lotId} not found`);
    if (action.kind === 'milestone') return refuseMilestone(lot, action.args, today());
    const change = action.args;
    const refused = refusePlanChange(lot, change.kind);
    if (refused) return refused;
    if (change.kind === 'split' && change.quantity >= lot.quantity)
      return refuse(
        'unprocessable',
        `a split moves part of the lot: at most ${lot.quantity - 1} of its ${lot.quantity}`,
      );
    if (change.kind === 'redated' && change.plannedOn === lot.plannedOn)
      return `lot ${lot.id} is already planned on ${lot.plannedOn}`;
    return null;
  };

  const enqueue = async (action: Action) => {
    const pending: Pending = { action, done: false };
    queue.push(pending);
    await condition(() => pending.done);
    if (pending.error) throw pending.error;
    return pending.result!;
  };
  const validate = (action: Action) => {
    if (queue.length === 0 && lots.every(isReceived))
      refuse('conflict', `every lot of ${pledgeId} is received`);
    const refused = refusal(action);
    if (refused) refuse('conflict', refused);
  };
  setHandler(recordMilestoneUpdate, (args) => enqueue({ kind: 'milestone', args }), {
    validator: (args) => validate({ kind: 'milestone', args }),
  });
  setHandler(changeLotUpdate, (args) => enqueue({ kind: 'change', args }), {
    validator: (args) => validate({ kind: 'change', args }),
  });

  const replace = (...changed: DeliveryLot[]) => {
    lots = withLots(lots, changed);
  };

  let position: ProjectedPledge | null = null;
  /** Records an event and keeps where it left the pledge: the lifecycle reads the last position. */
  const record = async (...args: Parameters<typeof emit>) => (position = await emit(...args));

  const raise = async (lot: DeliveryLot, delay: LotDelay) => {
    const delayed = { ...lot, delays: [...lot.delays, delay] };
    replace(delayed);
    return record(pledgeId, { type: 'delivery.delayed', id: delay.id, actor: 'system', lot: delayed, delay });
  };

  const apply = async (action: Action): Promise<LotActionResult> => {
    const refused = refusal(action);
    if (refused) return refuse('conflict', refused);
    const lot = find(action.args.lotId)!;
    const { actor } = action.args;
    let recorded: ProjectedPledge;
    if (action.kind === 'milestone') {
      const { state, at, location, note } = action.args;
      const milestone: MilestoneRecord = {
        state,
        at,
        location,
        note,
        by: actor.username,
        recordedAt: nowIso(),
      };
      const moved = { ...lot, milestones: [...lot.milestones, milestone] };
      replace(moved);
      recorded = await record(pledgeId, {
        type: 'delivery.milestone',
        id: `${lot.id}:${state}`,
        actor: actor.username,
        lot: moved,
        milestone,
      });
      if (handedOverLate(lot, milestone)) {
        recorded = await raise(moved, {
          id: lateHandoverDelayId(lot),
          kind: 'handed_over_late',
          dueOn: lot.window.to,
          awaiting: nextMilestone(moved),
          raisedAt: nowIso(),
          escalatedAt: null,
        });
      }
      return { lots: [find(lot.id)!], pledge: { id: pledgeId, status: recorded.status } };
    }
    const change = action.args;
    const by = { at: nowIso(), by: actor.username, reason: change.reason };
    const changed =
      change.kind === 'redated'
        ? [redateLot(lot, change.plannedOn, by)]
        : splitLot(
            lot,
            {
              newId: lotId(pledgeId, nextLotNumber(lots)),
              quantity: change.quantity,
              plannedOn: change.plannedOn,
            },
            by,
          );
    replace(...changed);
    recorded = await record(pledgeId, {
      type: 'delivery.lot_changed',
      id: `${lot.id}:change-${lot.changes.length + 1}`,
      actor: actor.username,
      change: change.kind,
      reason: change.reason,
      lots: changed,
    });
    return { lots: changed, pledge: { id: pledgeId, status: recorded.status } };
  };

  /** Delays due now: missed planned days, then escalations of delays that stayed open. */
  const raiseDue = async () => {
    const now = Date.now();
    for (const lot of lots.filter((l) => missedDateDue(l, now, policy.lateAfterSeconds))) {
      await raise(lot, {
        id: missedDateDelayId(lot),
        kind: 'missed_planned_date',
        dueOn: lot.plannedOn,
        awaiting: nextMilestone(lot),
        raisedAt: nowIso(),
        escalatedAt: null,
      });
    }
    for (const lot of lots.filter((l) => !isReceived(l))) {
      for (const delay of lot.delays) {
        if (delay.escalatedAt || Date.parse(delay.raisedAt) + policy.escalateAfterSeconds * 1000 > now)
          continue;
        const escalated = { ...delay, escalatedAt: nowIso() };
        const current = find(lot.id)!;
        const updated = {
          ...current,
          delays: current.delays.map((d) => (d.id === delay.id ? escalated : d)),
        };
        replace(updated);
        await record(pledgeId, {
          type: 'delivery.delay_escalated',
          id: `${delay.id}:escalated`,
          actor: 'system',
          lot: updated,
          delay: escalated,
          escalateTo: policy.escalateToRoles,
        });
      }
    }
  };

  /** Milliseconds until the next delay or escalation is due, or undefined when none is pending. */
  const untilNextDue = (): number | undefined => {
    const times = lots
      .filter((l) => !isReceived(l))
      .flatMap((l) => [
        ...(l.delays.some((d) => d.id === missedDateDelayId(l))
          ? []
          : [lateAfter(l, policy.lateAfterSeconds)]),
        ...l.delays
          .filter((d) => !d.escalatedAt)
          .map((d) => Date.parse(d.raisedAt) + policy.escalateAfterSeconds * 1000),
      ]);
    return times.length ? Math.max(0, Math.min(...times) - Date.now()) : undefined;
  };

  await record(pledgeId, {
    type: 'delivery.planned',
    id: `${pledgeId}:deliveries:planned`,
    actor: 'system',
    lots,
  });
  while (!lots.every(isReceived)) {
    await raiseDue();
    const wait = untilNextDue();
    // The timer is durable: a worker that restarts picks it up from history, and a delay is raised once.
    if (wait === undefined) await condition(() => queue.length > 0);
    else if (!(await condition(() => queue.length > 0, wait))) continue;
    const pending = queue.shift()!;
    try {
      pending.result = await apply(pending.action);
    } catch (err) {
      pending.error = err instanceof Error ? err : new Error(String(err));
    }
    pending.done = true;
  }
  for (const waiting of queue.splice(0)) {
    waiting.error = failureOf('conflict', `every lot of ${pledgeId} is received`);
    waiting.done = true;
  }
  await condition(allHandlersFinished);
  return { lots, position: position! };
}
