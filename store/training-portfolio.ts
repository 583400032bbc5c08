import { Schema, type Connection } from 'mongoose';
import type { PledgeRecord } from '../domain/pledge-record';
import type { Finding, PledgeItem } from '../domain/schemas/pledge';
import { planConfirmationTaskId, type StoredTrainingPlan } from '../domain/training/execution';
import type { Cohort, ReplanConstraints } from '../domain/training/types';
import type { Store } from './index';
import { taskRepository } from './tasks';

/** A pledge's held plan, as stored (`_id` = pledge id). */
export interface PlanHoldRecord {
  _id: string;
  cohorts: Cohort[];
  at: Date;
}

/**
 * The plan each pledge's planning last made or was given, written under the portfolio lease before the lease is
 * released: the next planning sees it even before the plan reaches the pledge's record and inbox.
 */
export const planHoldSchema = new Schema<PlanHoldRecord>(
  {
    _id: String,
    // `[{}]` is mongoose's array of Mixed, as `[Schema.Types.Mixed]` is, in a form the typed schema accepts.
    cohorts: { type: [{}], default: [] },
    at: { type: Date, required: true },
  },
  { strict: true, versionKey: false, minimize: false },
);
export const planHoldModel = (c: Connection) =>
  c.model<PlanHoldRecord>('PlanHold', planHoldSchema, 'training_plan_holds');

/** Records the plan of a pledge. */
export async function holdPlan(store: Store, pledgeId: string, cohorts: Cohort[]) {
  await store.PlanHold.replaceOne({ _id: pledgeId }, { cohorts, at: new Date() }, { upsert: true });
}

/** A pledge whose plan is made but whose seats are not reserved yet. */
export interface PortfolioPlan {
  pledgeId: string;
  title: string;
  /** The planning workflow that owns its confirmation task (unconfirmed plans): it hears of a plan made for it. */
  workflowId: string | null;
  items: PledgeItem[];
  findings: Finding[];
  cohorts: Cohort[];
  /** A coordinator's exclusions: such a plan was shaped by hand, and the portfolio leaves it as it is. */
  constraints: ReplanConstraints | null;
}

export interface PortfolioPlans {
  /** Waiting for a coordinator to confirm them: the portfolio may still move them. */
  unconfirmed: PortfolioPlan[];
  /** Confirmed (waiting for command approval or for their seats), being recorded, or shaped by hand: fixed. */
  fixed: PortfolioPlan[];
}

/** What the portfolio reads of a pledge: of its plan, only the constraints. */
type PlanningPledge = Pick<PledgeRecord, '_id' | 'title' | 'status' | 'stage' | 'items' | 'review'> & {
  trainingPlan: Pick<StoredTrainingPlan, 'constraints' | 'round'> | null;
};

/** Plans that still wait for their seats: in planning, awaiting approval, or replanned after lost seats. */
const waitsForSeats = (p: Pick<PlanningPledge, 'status' | 'stage'>) =>
  p.status === 'TRAINING_PLANNING' ||
  p.status === 'AWAITING_APPROVAL' ||
  (p.status === 'APPROVED' && (p.stage === 'training_planning' || p.stage === 'seat_reservation'));

/**
 * The plans of pledges other than `exceptPledgeId` that hold no seats yet. A hold whose pledge has moved on
 * (reserved, withdrawn, rejected, returned for revision) is dropped here: its seats are in the ledger, or free.
 */
export async function portfolioPlans(store: Store, exceptPledgeId: string): Promise<PortfolioPlans> {
  // Few holds (pledges between planning and their seats), each read with its pledge and its plan's confirmation task
  // by id: a query on any other field makes FerretDB decode the whole collection, and this runs under the lease.
  const holds = (await store.PlanHold.find({}).lean()).filter((h) => h._id !== exceptPledgeId);
  if (holds.length === 0) return { unconfirmed: [], fixed: [] };
  const tasks = taskRepository(store.Task);
  const read = await Promise.all(
    holds.map(async (hold) => {
      const pledge = await store.Pledge.findById(hold._id, {
        title: 1,
        status: 1,
        stage: 1,
        items: 1,
        review: 1,
        'trainingPlan.constraints': 1,
        'trainingPlan.round': 1,
      }).lean<PlanningPledge>();
      // The confirmation task of the plan the pledge's record shows (a newer plan has no open task yet).
      const round = pledge?.trainingPlan?.round;
      const task = round ? await tasks.openTaskOwner(planConfirmationTaskId(hold._id, round)) : null;
      return { pledge, task };
    }),
  );
  const byId = new Map(read.flatMap(({ pledge }) => (pledge ? [[pledge._id, pledge] as const] : [])));
  const open = read.flatMap(({ task }) => (task ? [task] : []));
  const awaitingConfirmation = new Map(open.map((t) => [t.pledgeId, t.workflowId]));
  const result: PortfolioPlans = { unconfirmed: [], fixed: [] };
  const stale: string[] = [];
  for (const hold of holds.sort((a, b) => (a._id < b._id ? -1 : 1))) {
    const pledge = byId.get(hold._id);
    // A hold written a moment ago may precede its pledge's record: it counts, as fixed.
    if (pledge && !waitsForSeats(pledge)) {
      stale.push(hold._id);
      continue;
    }
    const plan: PortfolioPlan = {
      pledgeId: hold._id,
      title: pledge?.title ?? hold._id,
      workflowId: awaitingConfirmation.get(hold._id) ?? null,
      items: pledge?.items ?? [],
      findings: Array.isArray(pledge?.review?.findings) ? pledge.review.findings : [],
      cohorts: hold.cohorts,
      constraints: pledge?.trainingPlan?.constraints ?? null,
    };
    if (pledge && plan.workflowId && !plan.constraints) result.unconfirmed.push(plan);
    else result.fixed.push(plan);
  }
  if (stale.length) await store.PlanHold.deleteMany({ _id: { $in: stale } });
  return result;
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
