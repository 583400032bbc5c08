import { isPending } from '../pledge-lifecycle';
import type { PledgeItem, PledgeStatus } from '../schemas/pledge';
import type {
  ApprovalImpact,
  ApprovalImpactGroup,
  ApprovalImpactSummary,
  WhatIfGroup,
} from '../schemas/training-portfolio';
import { impactSentences } from './approval-impact-text';
import { dayOf } from './dates';
import { trainingDemand, TrainingReferenceError } from './demand';
import { isLive, type CohortState } from './execution';
import { planWhatIf, type WhatIfDemand, type WhatIfPlanInput } from './what-if';

/** A pledge as the impact reads it: what it offers, hence whom it needs trained. */
export interface ImpactPledge {
  id: string;
  title: string;
  status: PledgeStatus;
  items: PledgeItem[];
}

export interface ApprovalImpactInput extends Omit<WhatIfPlanInput, 'demand'> {
  /** The pledge awaiting the decision, with the cohorts of its training plan (null when it has none). */
  pledge: ImpactPledge & {
    cohorts: Array<{ sessionId: string; trainees: number; state: CohortState }> | null;
  };
  /** Every pledge in the portfolio: the pending ones other than `pledge` are compared. */
  portfolio: Iterable<ImpactPledge>;
}

/**
 * Where the pledge's plan is the one its approval would reserve. Earlier (or back in review after a return) a
 * plan on the record was made for the items before an amendment, so the pledge is planned afresh instead.
 */
const PLAN_IS_CURRENT: readonly PledgeStatus[] = ['TRAINING_PLANNING', 'AWAITING_APPROVAL'];

const addSeats = (taken: ReadonlyMap<string, number>, seats: Iterable<[string, number]>) => {
  const sum = new Map(taken);
  for (const [sessionId, n] of seats) sum.set(sessionId, (sum.get(sessionId) ?? 0) + n);
  return sum;
};

/**
 * What approving `pledge` would do to the training of the other pledges still being decided. They hold no seats
 * yet, so they are planned together twice by the engine's planner: against the seats held now, then also against
 * the seats this pledge's plan would hold once approved (its live cohorts; without a current plan, the plan it
 * would get now). Each of their trainee groups that would be ready later, no longer be fully trainable, or have
 * fewer trainees ready by its delivery is listed, and summed per system and audience with sentences for people.
 */
export async function approvalImpact(input: ApprovalImpactInput): Promise<ApprovalImpact> {
  const { pledge, portfolio, ...planning } = input;
  const plan = (demand: WhatIfDemand[], taken: ReadonlyMap<string, number>) =>
    planWhatIf({ ...planning, demand, taken });
  const pledgeDemand = (p: ImpactPledge): WhatIfDemand => ({
    source: { kind: 'pledge', pledgeId: p.id },
    items: p.items,
  });

  const cohorts = PLAN_IS_CURRENT.includes(pledge.status) ? pledge.cohorts : null;
  const own = cohorts ? null : await plan([pledgeDemand(pledge)], input.taken);
  const ownSeats: Array<[string, number]> = cohorts
    ? cohorts.filter(isLive).map((c) => [c.sessionId, c.trainees])
    : own!.groups.flatMap((g) => g.cohorts.map((c): [string, number] => [c.sessionId, c.trainees]));

  const courses = new Map(input.courses.map((c) => [c.id, c]));
  const others: ImpactPledge[] = [];
  const pledgesLeftOut: ApprovalImpact['pledgesLeftOut'] = [];
  for (const p of portfolio) {
    if (p.id === pledge.id || !isPending(p.status)) continue;
    try {
      trainingDemand(p.items, input.catalog, courses);
      others.push(p);
    } catch (err) {
      // Reference data changed under an old pledge: it cannot be planned, the others still are.
      if (!(err instanceof TrainingReferenceError)) throw err;
      pledgesLeftOut.push({ pledgeId: p.id, reason: err.message });
    }
  }
  const demand = others.map(pledgeDemand);
  const without = demand.length ? await plan(demand, input.taken) : null;
  // A pledge that takes no seat changes nothing: the same plan, not a second solve that could break ties otherwise.
  const withIt = without && ownSeats.length ? await plan(demand, addSeats(input.taken, ownSeats)) : without;

  const titles = new Map(others.map((p) => [p.id, p.title]));
  const after = new Map((withIt?.groups ?? []).map((g) => [g.groupId, g]));
  const affected = (without?.groups ?? [])
    .map((before) => compareGroup(before, after.get(before.groupId)!, titles))
    .filter(setBack)
    .sort(worstFirst);
  const summary = summarise(affected);
  return {
    pledgeId: pledge.id,
    asOf: input.today,
    seatsFrom: cohorts ? 'plan' : 'planned_now',
    pledgesCompared: others.length,
    pledgesLeftOut,
    affected,
    summary,
    sentences: impactSentences(summary, (id) => input.catalog.get(id)),
    solver: { own: own?.solver ?? null, without: without?.solver ?? null, with: withIt?.solver ?? null },
  };
}

function compareGroup(
  before: WhatIfGroup,
  after: WhatIfGroup,
  titles: ReadonlyMap<string, string>,
): ApprovalImpactGroup {
  const pledgeId = before.source.kind === 'pledge' ? before.source.pledgeId : '';
  return {
    pledgeId,
    title: titles.get(pledgeId) ?? pledgeId,
    systemId: before.systemId,
    audience: before.audience,
    trainees: before.trainees,
    deadline: before.deadline,
    readyOnWithout: before.readyOn,
    readyOnWith: after.readyOn,
    delayDays:
      before.readyOn !== null && after.readyOn !== null ? dayOf(after.readyOn) - dayOf(before.readyOn) : null,
    lostByDeadline: Math.max(0, before.readyByDeadline - after.readyByDeadline),
  };
}

/** Trainable without the pledge and no longer with it. */
const noLongerPlannable = (g: ApprovalImpactGroup) => g.readyOnWithout !== null && g.readyOnWith === null;
const delayed = (g: ApprovalImpactGroup) => g.delayDays !== null && g.delayDays > 0;
const setBack = (g: ApprovalImpactGroup) => noLongerPlannable(g) || delayed(g) || g.lostByDeadline > 0;

const worstFirst = (a: ApprovalImpactGroup, b: ApprovalImpactGroup) =>
  Number(noLongerPlannable(b)) - Number(noLongerPlannable(a)) ||
  (b.delayDays ?? 0) - (a.delayDays ?? 0) ||
  b.lostByDeadline - a.lostByDeadline ||
  a.pledgeId.localeCompare(b.pledgeId) ||
  a.systemId.localeCompare(b.systemId);

function summarise(affected: ApprovalImpactGroup[]): ApprovalImpactSummary[] {
  const bySystem = new Map<string, ApprovalImpactGroup[]>();
  for (const g of affected) {
    const key = `${g.systemId}|${g.audience}`;
    bySystem.set(key, [...(bySystem.get(key) ?? []), g]);
  }
  const sum = (groups: ApprovalImpactGroup[], n: (g: ApprovalImpactGroup) => number) =>
    groups.reduce((total, g) => total + n(g), 0);
  return [...bySystem.values()]
    .map((groups): ApprovalImpactSummary => {
      const delays = groups.filter(delayed).map((g) => g.delayDays!);
      return {
        systemId: groups[0].systemId,
        audience: groups[0].audience,
        pledges: new Set(groups.map((g) => g.pledgeId)).size,
        traineesDelayed: sum(groups.filter(delayed), (g) => g.trainees),
        shortestDelayDays: delays.length ? Math.min(...delays) : null,
        largestDelayDays: delays.length ? Math.max(...delays) : null,
        traineesNoLongerPlannable: sum(groups.filter(noLongerPlannable), (g) => g.trainees),
        traineesNoLongerReadyByDeadline: sum(groups, (g) => g.lostByDeadline),
      };
    })
    .sort(
      (a, b) =>
        b.traineesNoLongerPlannable - a.traineesNoLongerPlannable ||
        (b.largestDelayDays ?? 0) - (a.largestDelayDays ?? 0) ||
        b.traineesNoLongerReadyByDeadline - a.traineesNoLongerReadyByDeadline ||
        a.systemId.localeCompare(b.systemId) ||
        a.audience.localeCompare(b.audience),
    );
}
