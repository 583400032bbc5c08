import { trainingDemand } from '../domain/training/demand';
import {
  failedCohortDemand,
  isLive,
  mergeCapacityFindings,
  planCapacityFindings,
  summarisePlan,
  type PlannedCohort,
  type PlanSummary,
  cohortId,
  type SessionSupply,
  type StoredTrainingPlan,
} from '../domain/training/execution';
import { scheduleTraining } from '../domain/training/scheduler';
import { defaultSessionMinimumCutoffDays } from '../domain/training/session-minimum';
import type { Cohort, OfferedSession, ReplanConstraints, TraineeGroup } from '../domain/training/types';
import type { Finding, PledgeItem } from '../domain/schemas/pledge';
import type { Course, Session, System } from '../domain/schemas/reference';
import type { TrainingPolicy } from '../domain/schemas/task-policy';
import {
  releaseCohortSeats,
  releasePledgeSeats,
  reserveCohortSeats,
  reservedSeatsBySession,
  type CohortSeatRequest,
  type SeatOutcome,
} from '../store/seat-ledger';
import type { ActivityDeps } from './deps';
import { attemptDeadline } from './projection-activities';

interface PledgeTrainingDoc {
  _id: string;
  items: PledgeItem[];
  review?: { findings?: Finding[] } | null;
  trainingPlan?: StoredTrainingPlan | null;
}

export interface PlanResult {
  plan: StoredTrainingPlan;
  /** The pledge's findings with the plan's TRAINING_CAPACITY findings merged in; null when nothing is unmet. */
  findings: Finding[] | null;
}

export interface FailureReplan {
  releasedCohortIds: string[];
  /** The replacement cohorts (state `planned`); their seats are not reserved yet. */
  cohorts: PlannedCohort[];
  /** Readiness with the replacements in place. */
  summary: PlanSummary;
  findings: Finding[] | null;
}

const today = () => new Date().toISOString().slice(0, 10);
/** The policy's cutoff; workflows that started before the policy had a training part pass none. */
const cutoffDaysOf = (training: TrainingPolicy | undefined) =>
  training?.sessionMinimumCutoffDays ?? defaultSessionMinimumCutoffDays;
const tomorrow = () => new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
const latest = (...dates: Array<string | undefined>) =>
  dates
    .filter((d): d is string => !!d)
    .sort()
    .pop() as string;

/** Training planning, seat reservation and release. */
export function createTrainingActivities({ store, logger, projector, reference: ref }: ActivityDeps) {
  const loadContext = async (pledgeId: string) => {
    const pledge = await store.Pledge.findById(pledgeId, {
      items: 1,
      review: 1,
      trainingPlan: 1,
    }).lean<PledgeTrainingDoc>();
    if (!pledge) throw new Error(`pledge ${pledgeId} not found`);
    const [systems, courses, sessions] = await Promise.all([ref.systems(), ref.courses(), ref.sessions()]);
    const catalog = new Map<string, System>(systems.map((s) => [s.id, s]));
    // A reference error (unknown course, prerequisite cycle) is retried: an admin can fix the data meanwhile.
    const groups = trainingDemand(pledge.items, catalog, new Map(courses.map((c) => [c.id, c])));
    return { pledge, catalog, courses, sessions, groups };
  };

  const offer = (sessions: Session[], taken: Map<string, number>): OfferedSession[] =>
    sessions.filter((s) => s.start > today()).map((s) => ({ ...s, seatsTaken: taken.get(s.id) ?? 0 }));

  /** The sessions still to come, as other pledges hold them and as the coordinator's exclusions leave them. */
  const supplyFor = async (
    ctx: { pledge: PledgeTrainingDoc; courses: Course[]; sessions: Session[] },
    training: TrainingPolicy | undefined,
  ): Promise<SessionSupply> => {
    const others = await reservedSeatsBySession(store, { pledgeId: { $ne: ctx.pledge._id } });
    const excludedSites = new Set(ctx.pledge.trainingPlan?.constraints?.excludedSiteIds ?? []);
    const excludedSessions = new Set(ctx.pledge.trainingPlan?.constraints?.excludedSessionIds ?? []);
    return {
      sessions: offer(ctx.sessions, others).filter(
        (s) => !excludedSites.has(s.siteId) && !excludedSessions.has(s.id),
      ),
      courses: new Map(ctx.courses.map((c) => [c.id, c])),
      rule: { cutoffDays: cutoffDaysOf(training), today: today() },
      notBefore: tomorrow(),
    };
  };

  const findingsFor = (
    ctx: { pledge: PledgeTrainingDoc; catalog: Map<string, System>; groups: TraineeGroup[] },
    unmet: PlanSummary['unmet'],
    round: number,
  ): Finding[] | null => {
    if (!unmet.length || !ctx.pledge.review) return null;
    const existing = Array.isArray(ctx.pledge.review.findings) ? ctx.pledge.review.findings : [];
    return mergeCapacityFindings(existing, planCapacityFindings(ctx.groups, unmet, ctx.catalog, round));
  };

  const numbered =
    (pledgeId: string, round: number, groups: TraineeGroup[], first = 1) =>
    (c: Cohort, i: number): PlannedCohort => {
      const group = groups.find((g) => g.id === c.groupId);
      return {
        ...c,
        id: cohortId(pledgeId, round, first + i),
        step: group ? group.courseChain.indexOf(c.courseId) : 0,
        state: 'planned',
      };
    };

  return {
    /**
     * Plans the pledge's trainees into sessions that start after today, with the seats that other pledges hold
     * taken out (and counted toward each session's minimum); cohort ids are unique per pledge and round.
     */
    async planTraining(input: {
      pledgeId: string;
      round: number;
      constraints: ReplanConstraints | null;
      training?: TrainingPolicy;
    }): Promise<PlanResult> {
      const { pledgeId, round, constraints } = input;
      const ctx = await loadContext(pledgeId);
      const taken = await reservedSeatsBySession(store, { pledgeId: { $ne: pledgeId } });
      const plan = await scheduleTraining({
        groups: ctx.groups,
        courses: ctx.courses,
        sessions: offer(ctx.sessions, taken),
        constraints: { ...(constraints ?? {}), notBefore: latest(constraints?.notBefore, tomorrow()) },
        today: today(),
        sessionMinimumCutoffDays: cutoffDaysOf(input.training),
      });
      const stored: StoredTrainingPlan = {
        cohorts: plan.cohorts.map(numbered(pledgeId, round, ctx.groups)),
        readyBy: plan.readyBy,
        unmet: plan.unmet,
        sessionsBelowMinimum: plan.sessionsBelowMinimum,
        traineesNeeded: plan.traineesNeeded,
        traineesReadyByDeadline: plan.traineesReadyByDeadline,
        solver: plan.solver,
        computedAt: new Date().toISOString(),
        round,
        constraints,
      };
      logger.info(
        {
          pledgeId,
          round,
          cohorts: stored.cohorts.length,
          unmet: plan.unmet.length,
          sessionsBelowMinimum: plan.sessionsBelowMinimum.length,
          solver: plan.solver,
        },
        'training planned',
      );
      return { plan: stored, findings: findingsFor(ctx, plan.unmet, round) };
    },

    /** Takes a cohort's seats, all or none; idempotent (a retry finds the seats the cohort already holds). */
    async reserveCohortSeats(req: CohortSeatRequest): Promise<SeatOutcome> {
      const outcome = await reserveCohortSeats(store, req, { deadline: attemptDeadline() });
      if (!outcome.ok) logger.info({ ...req, reason: outcome.reason }, 'cohort seats unavailable');
      await projector.projectSessionSeats([req.sessionId]);
      return outcome;
    },

    /** Gives a cohort's seats back (saga compensation, replaced cohorts); idempotent. */
    async releaseCohortSeats(cohort: { cohortId: string; sessionId: string }): Promise<number> {
      const released = await releaseCohortSeats(store, cohort.cohortId);
      await projector.projectSessionSeats([cohort.sessionId]);
      return released;
    },

    /**
     * Withdrawal: gives back every seat of cohorts that have not started (started and completed ones are history)
     * and closes the pledge to reservations. Returns the plan's cohorts as they are after it, or null without plan.
     */
    async releasePledgeSeats(pledgeId: string): Promise<{ seats: number; cohorts: PlannedCohort[] | null }> {
      const pledge = await store.Pledge.findById(pledgeId, { trainingPlan: 1 }).lean<PledgeTrainingDoc>();
      const cohorts = Array.isArray(pledge?.trainingPlan?.cohorts) ? pledge.trainingPlan.cohorts : null;
      const keep = (cohorts ?? [])
        .filter((c) => c.state === 'started' || c.state === 'completed')
        .map((c) => c.id);
      const seats = await releasePledgeSeats(store, pledgeId, keep);
      await projector.projectSessionSeats((cohorts ?? []).map((c) => c.sessionId));
      const after =
        cohorts?.map((c) =>
          c.state === 'reserved' || c.state === 'planned' ? { ...c, state: 'released' as const } : c,
        ) ?? null;
      logger.info({ pledgeId, seats }, 'pledge seats released');
      return { seats, cohorts: after };
    },

    /**
     * Plans the trainees of a failed cohort (and of the downstream cohorts that lose them) into later sessions.
     * Seats of the failed and released cohorts count as free; the caller releases them, then reserves the result.
     * With `failedTrainees`, the cohort completed and only that many of its trainees retake it: it keeps its
     * state and seats, and its trainees who passed count as trained.
     */
    async replanFailedCohort(input: {
      pledgeId: string;
      round: number;
      cohorts: PlannedCohort[];
      failedCohortId: string;
      failedOn: string;
      training?: TrainingPolicy;
      failedTrainees?: number;
    }): Promise<FailureReplan> {
      const { pledgeId, round, cohorts, failedCohortId, failedOn, failedTrainees } = input;
      const ctx = await loadContext(pledgeId);
      const failed = cohorts.find((c) => c.id === failedCohortId);
      const group = ctx.groups.find((g) => g.id === failed?.groupId);
      if (!failed || !group)
        throw new Error(`cohort ${failedCohortId} of pledge ${pledgeId} has no trainee group`);
      const { releasedCohortIds, demand } = failedCohortDemand(
        cohorts,
        failedCohortId,
        group,
        failedOn,
        failedTrainees,
      );
      const freed = new Set(
        failedTrainees === undefined ? [failedCohortId, ...releasedCohortIds] : releasedCohortIds,
      );
      const taken = await reservedSeatsBySession(store, { cohortId: { $nin: [...freed] } });
      const replacements: PlannedCohort[] = [];
      for (const { group: part, notBefore } of demand) {
        const used = new Map(taken);
        for (const c of replacements) used.set(c.sessionId, (used.get(c.sessionId) ?? 0) + c.trainees);
        const plan = await scheduleTraining({
          groups: [part],
          courses: ctx.courses,
          sessions: offer(ctx.sessions, used),
          constraints: {
            // The coordinator's exclusions still hold; the failed session cannot be taken again.
            excludedSiteIds: ctx.pledge.trainingPlan?.constraints?.excludedSiteIds ?? [],
            excludedSessionIds: [
              ...(ctx.pledge.trainingPlan?.constraints?.excludedSessionIds ?? []),
              failed.sessionId,
            ],
            notBefore: latest(notBefore, tomorrow()),
          },
          today: today(),
          sessionMinimumCutoffDays: cutoffDaysOf(input.training),
        });
        replacements.push(
          ...plan.cohorts.map(numbered(pledgeId, round, ctx.groups, replacements.length + 1)),
        );
      }
      const after = [
        ...cohorts.map((c) =>
          freed.has(c.id)
            ? { ...c, state: c.id === failedCohortId ? ('failed' as const) : ('released' as const) }
            : c,
        ),
        ...replacements.map((c) => ({ ...c, state: 'reserved' as const })),
      ];
      const summary = summarisePlan(ctx.groups, after, await supplyFor(ctx, input.training));
      logger.info(
        {
          pledgeId,
          failedCohortId,
          failedTrainees,
          released: releasedCohortIds,
          replacements: replacements.length,
        },
        'failed cohort replanned',
      );
      return {
        releasedCohortIds,
        cohorts: replacements,
        summary,
        findings: findingsFor(ctx, summary.unmet, round),
      };
    },

    /** Readiness and unmet demand of the plan's live cohorts (after a replan that could not be reserved). */
    async summariseTrainingPlan(input: {
      pledgeId: string;
      round: number;
      cohorts: PlannedCohort[];
      training?: TrainingPolicy;
    }): Promise<{
      summary: PlanSummary;
      findings: Finding[] | null;
    }> {
      const ctx = await loadContext(input.pledgeId);
      const summary = summarisePlan(
        ctx.groups,
        input.cohorts.filter(isLive),
        await supplyFor(ctx, input.training),
      );
      return { summary, findings: findingsFor(ctx, summary.unmet, input.round) };
    },
  };
}
