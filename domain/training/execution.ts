import type { Finding } from '../schemas/pledge';
import type { Course, System } from '../schemas/reference';
import { addDays } from './dates';
import { sessionStandings, sessionsBelowMinimum, type SessionMinimumRule } from './session-minimum';
import { explainShortfall, lateness } from './shortfall';
import { foldSystemReady } from './readiness';
import type {
  Cohort,
  OfferedSession,
  ReplanConstraints,
  SessionBelowMinimum,
  SolverReport,
  TraineeGroup,
  UnmetTraining,
} from './types';

/**
 * A cohort's life: `planned` in a plan awaiting confirmation, `reserved` once its seats are held, then
 * `started`, `completed` or `failed` as the site reports; `released` when its seats were given back without it
 * having run (its trainees were replanned after a failure upstream, or the pledge was withdrawn).
 */
export const CohortStates = ['planned', 'reserved', 'started', 'completed', 'failed', 'released'] as const;
export type CohortState = (typeof CohortStates)[number];

// No zod here: workflow code imports this module (each cached workflow evaluates its imports afresh).
export const CohortEventTypes = ['started', 'completed', 'failed'] as const;
export type CohortEventType = (typeof CohortEventTypes)[number];

/** A cohort as the pledge's plan keeps it. `step` is the course's place in the group's chain. */
export interface PlannedCohort extends Cohort {
  step: number;
  state: CohortState;
  startedAt?: string | null;
  completedAt?: string | null;
  failedAt?: string | null;
  /**
   * Of a completed cohort, the trainees who passed and failed, as the site reported them (absent when it gave no
   * counts: every trainee passed). Failed trainees retake the course in a later session.
   */
  passed?: number;
  failed?: number;
}

/** What the plan says about readiness, recomputed whenever cohorts change. */
export interface PlanSummary {
  readyBy: Record<string, string | null>;
  unmet: UnmetTraining[];
  /** Sessions of the plan still to run that stay below their minimum with every pledge's trainees counted. */
  sessionsBelowMinimum: SessionBelowMinimum[];
  traineesNeeded: number;
  traineesReadyByDeadline: number;
}

/** A cohort's id: its pledge's id, the planning round and its number in that round. */
export const cohortId = (pledgeId: string, round: number, n: number) => `${pledgeId}-R${round}-C${n}`;

/** The task that asks a coordinator to confirm the plan of a planning round. */
export const planConfirmationTaskId = (pledgeId: string, round: number) =>
  `${pledgeId}-training-plan-${round}`;

/** The pledge id a cohort id begins with, or null for an id of another shape. */
export const pledgeIdOfCohort = (id: string): string | null => /^(.+)-R\d+-C\d+$/.exec(id)?.[1] ?? null;

/** The pledge's `trainingPlan` read model. */
export interface StoredTrainingPlan extends PlanSummary {
  cohorts: PlannedCohort[];
  solver: SolverReport;
  computedAt: string;
  round: number;
  constraints: ReplanConstraints | null;
}

/** Cohorts whose trainees still count: not failed and not released. */
export const isLive = (c: Pick<PlannedCohort, 'state'>) => c.state !== 'failed' && c.state !== 'released';

/** Every live cohort has completed: the crews are ready. */
export const trainingComplete = (cohorts: PlannedCohort[]) =>
  cohorts.filter(isLive).every((c) => c.state === 'completed');

/** The trainees a cohort takes on to the next course: every one of it until it completes, then those who passed. */
export const traineesThrough = (c: Pick<PlannedCohort, 'state' | 'trainees' | 'failed'>) =>
  c.state === 'completed' ? c.trainees - (c.failed ?? 0) : c.trainees;

/** A completed cohort's outcome (every trainee passed when the site gave no counts); null before it completes. */
export function cohortOutcome(
  c: Pick<PlannedCohort, 'state' | 'trainees' | 'passed' | 'failed'>,
): { passed: number; failed: number } | null {
  return c.state === 'completed' ? { passed: traineesThrough(c), failed: c.failed ?? 0 } : null;
}

/** Counts a site reports with a completion: both or neither (none: every trainee passed). */
export interface CompletionCounts {
  passed?: number;
  failed?: number;
}

/** A report's counts refused, with the field to correct. */
export interface CountsRefusal {
  field: 'passed' | 'failed';
  message: string;
}

/** What is wrong with a count that is not one. */
export const notACount = 'must be a whole number, 0 or more';

/** Why counts cannot go with a report of `type` as given, whatever the cohort, or null when they can. */
export function refuseCountsShape(type: CohortEventType, counts: CompletionCounts): CountsRefusal | null {
  const fields = ['passed', 'failed'] as const;
  const given = fields.filter((f) => counts[f] !== undefined);
  if (!given.length) return null;
  if (type !== 'completed')
    return { field: given[0], message: `only a completion carries counts, not a report of ${type}` };
  const notWhole = given.find((f) => !Number.isInteger(counts[f]) || counts[f]! < 0);
  if (notWhole) return { field: notWhole, message: notACount };
  const missing = fields.find((f) => counts[f] === undefined);
  return missing ? { field: missing, message: 'give both passed and failed, or neither' } : null;
}

/** Why a completion's counts do not account for the cohort's `trainees` exactly, or null when they do. */
export function refuseCompletionCounts(
  trainees: number,
  { passed, failed }: CompletionCounts,
): CountsRefusal | null {
  if (passed === undefined || failed === undefined || passed + failed === trainees) return null;
  return {
    field: 'failed',
    message: `${passed} passed and ${failed} failed make ${passed + failed}, but the cohort has ${trainees} trainees`,
  };
}

/** Why a site's report cannot apply to the cohort as it stands, or null when it can. */
export function refuseCohortEvent(cohort: PlannedCohort, type: CohortEventType): string | null {
  const allowedFrom: Record<CohortEventType, CohortState[]> = {
    started: ['reserved'],
    completed: ['started'],
    // A site may cancel a course before it starts as well as fail trainees during it.
    failed: ['reserved', 'started'],
  };
  if (allowedFrom[type].includes(cohort.state)) return null;
  const hint =
    type === 'completed' && cohort.state === 'reserved'
      ? ': it never started'
      : cohort.state === 'planned'
        ? ': its seats are not reserved'
        : '';
  return `cohort ${cohort.id} is ${cohort.state}; it cannot be reported ${type}${hint}`;
}

/** Trainees of one group who must (re)take the group's chain from `chain[0]`, no earlier than `notBefore`. */
export interface ReplanDemand {
  group: TraineeGroup;
  notBefore: string;
}

/**
 * After cohort `failedId` failed on `failedOn` (all of it, or `failedTrainees` of it when it completed with some
 * failed): the cohorts downstream in its group whose seats are released (not started, starting after the failed
 * course ends: the failed trainees were to be in them), and the demand to plan again. The failed trainees retake
 * the failed course and everything after it, in sessions that start after the failure; the other trainees who
 * were in released downstream cohorts (those who passed included) re-enter the chain where they were, no earlier
 * than those cohorts started.
 */
export function failedCohortDemand(
  cohorts: PlannedCohort[],
  failedId: string,
  group: TraineeGroup,
  failedOn: string,
  failedTrainees?: number,
): { releasedCohortIds: string[]; demand: ReplanDemand[] } {
  const failed = cohorts.find((c) => c.id === failedId);
  if (!failed) throw new RangeError(`unknown cohort ${failedId}`);
  const retaking = failedTrainees ?? failed.trainees;
  const chain = group.courseChain;
  const k = failed.step;
  const released = cohorts.filter(
    (c) =>
      c.groupId === group.id &&
      c.step > k &&
      (c.state === 'reserved' || c.state === 'planned') &&
      c.start > failed.end,
  );
  const later = (a: string, b: string) => (a > b ? a : b);
  const demand: ReplanDemand[] = [
    {
      group: { ...group, trainees: retaking, courseChain: chain.slice(k) },
      notBefore: addDays(later(failedOn.slice(0, 10), failed.start), 1),
    },
  ];
  let lost = retaking;
  for (let step = k + 1; step < chain.length; step++) {
    const atStep = released.filter((c) => c.step === step);
    const inReleased = atStep.reduce((sum, c) => sum + c.trainees, 0);
    const reentering = inReleased - lost;
    if (reentering > 0) {
      demand.push({
        group: { ...group, trainees: reentering, courseChain: chain.slice(step) },
        notBefore: atStep.map((c) => c.start).sort()[0],
      });
    }
    lost = inReleased;
  }
  return { releasedCohortIds: released.map((c) => c.id), demand };
}

/** The sessions a plan's shortfalls are explained against: those still to come, as other pledges hold them. */
export interface SessionSupply {
  /** Sessions that can still be taken, with the seats other pledges hold in `seatsTaken`. */
  sessions: OfferedSession[];
  courses: ReadonlyMap<string, Course>;
  rule: SessionMinimumRule;
  /** Nothing can start before this date (YYYY-MM-DD). */
  notBefore?: string;
}

/**
 * Readiness and unmet demand from the live cohorts: per group, the trainees who get through the whole chain,
 * those on time, and why the others are short, explained from the first course where fewer trainees than
 * needed have a seat, against the sessions as they stand.
 */
export function summarisePlan(
  groups: TraineeGroup[],
  cohorts: PlannedCohort[],
  supply: SessionSupply,
): PlanSummary {
  const live = cohorts.filter(isLive);
  const planned = new Map<string, number>();
  for (const c of live) planned.set(c.sessionId, (planned.get(c.sessionId) ?? 0) + c.trainees);
  const standings = sessionStandings(supply.sessions, supply.courses, planned, supply.rule);
  const readyBy: Record<string, string | null> = {};
  const unmet: UnmetTraining[] = [];
  let traineesReadyByDeadline = 0;
  for (const group of groups) {
    const mine = live.filter((c) => c.groupId === group.id);
    const last = group.courseChain.length - 1;
    const perStep = group.courseChain.map((_, step) =>
      mine.filter((c) => c.step === step).reduce((sum, c) => sum + traineesThrough(c), 0),
    );
    const finals = mine.filter((c) => c.step === last);
    const completed = perStep[last] ?? 0;
    const onTime = finals
      .filter((c) => c.end <= group.deadline)
      .reduce((sum, c) => sum + traineesThrough(c), 0);
    traineesReadyByDeadline += onTime;
    const step = perStep.findIndex((n) => n < group.trainees);
    if (completed < group.trainees && step >= 0) {
      const previous = step > 0 ? mine.filter((c) => c.step === step - 1) : [];
      const earliestStart = latest(supply.notBefore, dayAfterLeftoversFinish(previous, perStep[step]));
      const groupPlanned = new Map<string, number>();
      for (const c of mine) groupPlanned.set(c.sessionId, (groupPlanned.get(c.sessionId) ?? 0) + c.trainees);
      unmet.push(
        explainShortfall(group, group.trainees - completed, standings, { step, earliestStart, groupPlanned }),
      );
    }
    const late = lateness(
      group,
      finals.map((c) => ({ end: c.end, trainees: traineesThrough(c) })),
    );
    if (late) unmet.push(late);
    foldSystemReady(
      readyBy,
      group,
      completed,
      finals.map((c) => c.end),
    );
  }
  const traineesNeeded = groups.reduce((sum, g) => sum + g.trainees, 0);
  return {
    readyBy,
    unmet,
    sessionsBelowMinimum: sessionsBelowMinimum(standings),
    traineesNeeded,
    traineesReadyByDeadline,
  };
}

/**
 * The day after the first trainee without a seat in the next course finishes this one: the next course's
 * seats go to those who finish first, so the ones left over are the `seated` + 1st to finish onwards.
 */
function dayAfterLeftoversFinish(cohorts: PlannedCohort[], seated: number): string | undefined {
  let passed = 0;
  for (const c of [...cohorts].sort((a, b) => (a.end < b.end ? -1 : a.end > b.end ? 1 : 0))) {
    passed += traineesThrough(c);
    if (passed > seated) return addDays(c.end, 1);
  }
  return undefined;
}

const latest = (...dates: Array<string | undefined>): string | undefined =>
  dates
    .filter((d): d is string => d !== undefined)
    .sort()
    .pop();

/**
 * TRAINING_CAPACITY findings of a plan, one per system with trainees who cannot be ready by delivery: a blocker
 * when none can, a warning otherwise.
 */
export function planCapacityFindings(
  groups: TraineeGroup[],
  unmet: UnmetTraining[],
  catalog: ReadonlyMap<string, Pick<System, 'id' | 'name'>>,
  round: number,
): Finding[] {
  const needed = new Map<string, number>();
  for (const g of groups) needed.set(g.systemId, (needed.get(g.systemId) ?? 0) + g.trainees);
  const short = new Map<string, number>();
  for (const u of unmet) short.set(u.systemId, (short.get(u.systemId) ?? 0) + u.trainees);
  return [...short.entries()].map(([systemId, missing]): Finding => {
    const total = needed.get(systemId) ?? missing;
    const ready = Math.max(0, total - missing);
    const name = catalog.get(systemId)?.name ?? systemId;
    return ready === 0
      ? {
          code: 'TRAINING_CAPACITY',
          severity: 'blocker',
          message: `Training plan (round ${round}): none of the ${total} ${name} trainees can be ready before delivery`,
          systemId,
        }
      : {
          code: 'TRAINING_CAPACITY',
          severity: 'warning',
          message: `Training plan (round ${round}): only ${ready} of the ${total} ${name} trainees can be ready before delivery; ${missing} cannot`,
          systemId,
        };
  });
}

/** The findings with each system's TRAINING_CAPACITY finding replaced by the plan's (others kept as they are). */
export function mergeCapacityFindings(existing: Finding[], fromPlan: Finding[]): Finding[] {
  const systems = new Set(fromPlan.map((f) => f.systemId));
  return [
    ...existing.filter((f) => !(f.code === 'TRAINING_CAPACITY' && systems.has(f.systemId))),
    ...fromPlan,
  ];
}

/** Constraints of successive replans add up: exclusions are kept, the latest `notBefore` wins. */
export function mergeConstraints(
  previous: ReplanConstraints | null,
  next: ReplanConstraints | undefined,
): ReplanConstraints | null {
  if (!next) return previous;
  const union = (a?: string[], b?: string[]) => [...new Set([...(a ?? []), ...(b ?? [])])];
  const notBefore = [previous?.notBefore, next.notBefore]
    .filter((d): d is string => !!d)
    .sort()
    .pop();
  return {
    excludedSiteIds: union(previous?.excludedSiteIds, next.excludedSiteIds),
    excludedSessionIds: union(previous?.excludedSessionIds, next.excludedSessionIds),
    ...(notBefore ? { notBefore } : {}),
  };
}
