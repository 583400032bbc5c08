import type { Finding } from '../schemas/pledge';
import { scheduleTraining } from './scheduler';
import type { Cohort, ScheduleInput, SolverReport, TraineeGroup } from './types';

/** The trainee groups of one pledge whose plan is not yet confirmed: the portfolio may still move them. */
export interface PortfolioDemand {
  pledgeId: string;
  /** Group ids as the pledge knows them (unique within the pledge). */
  groups: TraineeGroup[];
}

export interface PortfolioSchedule {
  /** Per pledge, the cohorts of its groups, with the group ids as the pledge knows them. */
  cohorts: Map<string, Cohort[]>;
  /** Trainees ready by their deadline over the whole portfolio, each counted with its group's weight. */
  weightedReadyByDeadline: number;
  traineesNeeded: number;
  traineesReadyByDeadline: number;
  solver: SolverReport;
}

/** The weight of a requirement priority (1 is the most urgent of 5); a system that serves none weighs 1. */
export const needWeight = (priority: number | null | undefined): number =>
  priority === null || priority === undefined ? 1 : Math.max(1, 6 - priority);

/**
 * The groups weighted by Ukraine's need: each by the priority of the requirement its system serves, as the
 * review's NEED_MATCH findings name it (the most urgent when a system serves several).
 */
export function weighByNeed(
  groups: TraineeGroup[],
  findings: readonly Finding[] | null | undefined,
): TraineeGroup[] {
  const priority = new Map<string, number>();
  for (const f of findings ?? []) {
    if (f.code !== 'NEED_MATCH' || !f.systemId || typeof f.priority !== 'number') continue;
    priority.set(f.systemId, Math.min(priority.get(f.systemId) ?? Infinity, f.priority));
  }
  return groups.map((g) => ({ ...g, weight: needWeight(priority.get(g.systemId)) }));
}

/** Trainees ready by their deadline in `cohorts`, each counted with its group's weight. */
export function weightedReadiness(groups: readonly TraineeGroup[], cohorts: readonly Cohort[]): number {
  let sum = 0;
  for (const group of groups) {
    const last = group.courseChain[group.courseChain.length - 1];
    const onTime = cohorts
      .filter((c) => c.groupId === group.id && c.courseId === last && c.end <= group.deadline)
      .reduce((n, c) => n + c.trainees, 0);
    sum += Math.min(onTime, group.trainees) * (group.weight ?? 1);
  }
  return sum;
}

const SEPARATOR = '/';

/**
 * Plans the trainees of every pledge in `demand` together against the sessions (whose `seatsTaken` are the
 * seats confirmed plans hold), so that a pledge planned first cannot take the seats a more urgent or earlier
 * one needed. The scheduler's objective weighs each trainee ready by the deadline by its group's weight.
 */
export async function schedulePortfolio(
  demand: readonly PortfolioDemand[],
  input: Omit<ScheduleInput, 'groups'>,
): Promise<PortfolioSchedule> {
  const owner = new Map<string, { pledgeId: string; groupId: string }>();
  const groups = demand.flatMap(({ pledgeId, groups: own }) =>
    own.map((g) => {
      const id = `${pledgeId}${SEPARATOR}${g.id}`;
      owner.set(id, { pledgeId, groupId: g.id });
      return { ...g, id };
    }),
  );
  const plan = await scheduleTraining({ ...input, groups });
  const cohorts = new Map<string, Cohort[]>(demand.map((d) => [d.pledgeId, []]));
  for (const cohort of plan.cohorts) {
    const { pledgeId, groupId } = owner.get(cohort.groupId)!;
    cohorts.get(pledgeId)!.push({ ...cohort, id: cohort.id.slice(pledgeId.length + 1), groupId });
  }
  return {
    cohorts,
    weightedReadyByDeadline: weightedReadiness(groups, plan.cohorts),
    traineesNeeded: plan.traineesNeeded,
    traineesReadyByDeadline: plan.traineesReadyByDeadline,
    solver: plan.solver,
  };
}

/** Whether two plans of one pledge put the same trainees in the same sessions. */
export function sameCohorts(a: readonly Cohort[], b: readonly Cohort[]): boolean {
  const key = (cohorts: readonly Cohort[]) =>
    cohorts
      .map((c) => `${c.groupId}@${c.sessionId}x${c.trainees}`)
      .sort()
      .join('|');
  return key(a) === key(b);
}
