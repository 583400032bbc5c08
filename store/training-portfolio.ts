import type { Finding, PledgeItem } from '../domain/schemas/pledge';
import { isLive, type PlannedCohort, type StoredTrainingPlan } from '../domain/training/execution';
import type { ReplanConstraints } from '../domain/training/types';
import type { Store } from './index';

/** A pledge whose training plan waits for a coordinator's confirmation: the portfolio may still move it. */
export interface UnconfirmedPlan {
  pledgeId: string;
  title: string;
  /** The planning workflow that owns the confirmation task: it hears of a changed plan. */
  workflowId: string;
  items: PledgeItem[];
  findings: Finding[];
  /** The live cohorts of its current plan (none held: seats are reserved once it is confirmed and approved). */
  cohorts: PlannedCohort[];
  /** A coordinator's exclusions: such a plan was shaped by hand, and the portfolio leaves it as it is. */
  constraints: ReplanConstraints | null;
}

interface PlanningPledge {
  _id: string;
  title: string;
  items: PledgeItem[];
  review?: { findings?: Finding[] } | null;
  trainingPlan?: StoredTrainingPlan | null;
}

/**
 * The pledges other than `exceptPledgeId` with a training-plan confirmation open. Read from the tasks and then
 * the pledges by id: only the planning process asks, once per plan, never a request.
 */
export async function unconfirmedPlans(store: Store, exceptPledgeId: string): Promise<UnconfirmedPlan[]> {
  const tasks = await store.Task.find(
    { kind: 'training_plan_confirmation', state: 'open' },
    { pledgeId: 1, workflowId: 1 },
  ).lean<Array<{ pledgeId: string; workflowId: string }>>();
  const owners = new Map(
    tasks.filter((t) => t.pledgeId !== exceptPledgeId).map((t) => [t.pledgeId, t.workflowId]),
  );
  if (owners.size === 0) return [];
  const pledges = await store.Pledge.find(
    { _id: { $in: [...owners.keys()] } },
    { title: 1, items: 1, review: 1, trainingPlan: 1 },
  ).lean<PlanningPledge[]>();
  return pledges
    .filter((p) => Array.isArray(p.trainingPlan?.cohorts))
    .map((p) => ({
      pledgeId: p._id,
      title: p.title,
      workflowId: owners.get(p._id)!,
      items: p.items,
      findings: Array.isArray(p.review?.findings) ? p.review.findings : [],
      cohorts: p.trainingPlan!.cohorts.filter(isLive),
      constraints: p.trainingPlan!.constraints ?? null,
    }))
    .sort((a, b) => (a.pledgeId < b.pledgeId ? -1 : 1));
}

/** Seats per session that the given plans would use. */
export function seatsOf(
  plans: Iterable<{ cohorts: ReadonlyArray<{ sessionId: string; trainees: number }> }>,
) {
  const seats = new Map<string, number>();
  for (const plan of plans)
    for (const c of plan.cohorts) seats.set(c.sessionId, (seats.get(c.sessionId) ?? 0) + c.trainees);
  return seats;
}
