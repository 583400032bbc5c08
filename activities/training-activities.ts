import { Context } from '@temporalio/activity';
import { WorkflowNotFoundError } from '@temporalio/client';
import { ApplicationFailure, ApplicationFailureCategory } from '@temporalio/common';
import { trainingDemand, TrainingReferenceError } from '../domain/training/demand';
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
import { sameCohorts, schedulePortfolio, weighByNeed, weightedReadiness } from '../domain/training/portfolio';
import { PORTFOLIO_PLAN_SIGNAL, type PortfolioPlanChange } from '../domain/training/portfolio-change';
import type {
  Cohort,
  OfferedSession,
  ReplanConstraints,
  SolverReport,
  TraineeGroup,
} from '../domain/training/types';
import type { Finding } from '../domain/schemas/pledge';
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
import { tryLease } from '../store/locks';
import { pledgeRepository, type PledgeTrainingContext } from '../store/pledges';
import {
  holdPlan,
  portfolioPlans,
  seatsOf,
  type PortfolioPlan,
  type PortfolioPlans,
} from '../store/training-portfolio';
import type { ActivityDeps } from './deps';
import { attemptDeadline } from './projection-activities';

export interface PlanResult {
  plan: StoredTrainingPlan;
  /** The pledge's findings with the plan's TRAINING_CAPACITY findings merged in; null when nothing is unmet. */
  findings: Finding[] | null;
  /** The portfolio planner's run that made the plan (absent in histories from before the portfolio planner). */
  revision?: number;
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
/**
 * The portfolio's joint plan must fit the activity's attempt with the solo plan before it; HiGHS returns the
 * best plan found by then (the greedy start at worst).
 */
const portfolioTimeLimitSeconds = 4;
/** How long a planning attempt waits for another one to finish before it is retried. */
const portfolioLeaseWaitMs = 6_000;
const addSeats = (a: ReadonlyMap<string, number>, b: ReadonlyMap<string, number>) => {
  const sum = new Map(a);
  for (const [sessionId, n] of b) sum.set(sessionId, (sum.get(sessionId) ?? 0) + n);
  return sum;
};
const latest = (...dates: Array<string | undefined>) =>
  dates
    .filter((d): d is string => !!d)
    .sort()
    .pop() as string;

/** Training planning, seat reservation and release. */
export function createTrainingActivities({ store, logger, projector, reference: ref }: ActivityDeps) {
  const loadContext = async (pledgeId: string) => {
    const pledge = await pledgeRepository(store.Pledge).trainingContext(pledgeId);
    if (!pledge) throw new Error(`pledge ${pledgeId} not found`);
    const [systems, courses, sessions] = await Promise.all([ref.systems(), ref.courses(), ref.sessions()]);
    const catalog = new Map<string, System>(systems.map((s) => [s.id, s]));
    // A reference error (unknown course, prerequisite cycle) is retried: an admin can fix the data meanwhile.
    const groups = trainingDemand(pledge.items, catalog, new Map(courses.map((c) => [c.id, c])));
    return { pledge, catalog, courses, sessions, groups };
  };

  /**
   * One planning at a time: each reads the unconfirmed plans and may move them, so two at once could both
   * plan into the same seats.
   */
  const portfolioLease = async () => {
    const waitUntil = Date.now() + portfolioLeaseWaitMs;
    for (;;) {
      const release = await tryLease(store.Lock, 'training-portfolio', 20_000);
      if (release) return release;
      // Benign: the retry is the plan, not a fault worth an error in the worker's log.
      if (Date.now() > waitUntil)
        throw ApplicationFailure.create({
          message: 'another training plan is being made; retrying',
          category: ApplicationFailureCategory.BENIGN,
        });
      await new Promise((resolve) => setTimeout(resolve, 100 + Math.random() * 200));
    }
  };

  const offer = (sessions: Session[], taken: Map<string, number>): OfferedSession[] =>
    sessions.filter((s) => s.start > today()).map((s) => ({ ...s, seatsTaken: taken.get(s.id) ?? 0 }));

  /** The sessions still to come, as other pledges hold them and as the coordinator's exclusions leave them. */
  const supplyFor = async (
    ctx: { pledge: PledgeTrainingContext; courses: Course[]; sessions: Session[] },
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
    ctx: { pledge: PledgeTrainingContext; catalog: Map<string, System>; groups: TraineeGroup[] },
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
      const rule = { cutoffDays: cutoffDaysOf(input.training), today: today() };
      const release = await portfolioLease();
      try {
        const revision = Date.now();
        const others = await portfolioPlans(store, pledgeId);
        const confirmed = await reservedSeatsBySession(store, { pledgeId: { $ne: pledgeId } });
        const own = weighByNeed(ctx.groups, ctx.pledge.review?.findings);
        const planAround = (held: Map<string, number>) =>
          scheduleTraining({
            groups: own,
            courses: ctx.courses,
            sessions: offer(ctx.sessions, held),
            constraints: { ...(constraints ?? {}), notBefore: latest(constraints?.notBefore, tomorrow()) },
            today: rule.today,
            sessionMinimumCutoffDays: rule.cutoffDays,
          });
        const solo = await planAround(addSeats(confirmed, seatsOf([...others.unconfirmed, ...others.fixed])));
        /**
         * Whether the plans still awaiting a coordinator are what keeps this pledge's trainees late: planned as if
         * they held no seats, it readies more. When seats are short for everyone, moving them cannot help, and the
         * joint solve (seconds, under the portfolio's lease) is not run.
         */
        const lateForOthers = async () => {
          if (others.unconfirmed.length === 0) return false;
          const free = await planAround(addSeats(confirmed, seatsOf(others.fixed)));
          return weightedReadiness(own, free.cohorts) > weightedReadiness(own, solo.cohorts);
        };
        const stored = (
          cohorts: PlannedCohort[],
          summary: PlanSummary,
          solver: SolverReport,
        ): StoredTrainingPlan => ({
          readyBy: summary.readyBy,
          unmet: summary.unmet,
          sessionsBelowMinimum: summary.sessionsBelowMinimum,
          traineesNeeded: summary.traineesNeeded,
          traineesReadyByDeadline: summary.traineesReadyByDeadline,
          cohorts,
          solver,
          computedAt: new Date().toISOString(),
          round,
          constraints,
        });
        // A coordinator's exclusions apply to this pledge alone: it is planned around the others.
        const joint =
          constraints || solo.traineesReadyByDeadline >= solo.traineesNeeded || !(await lateForOthers())
            ? null
            : await replanPortfolio({
                pledgeId,
                own,
                solo: solo.cohorts,
                others,
                confirmed,
                ctx,
                rule,
                revision,
              });
        const plan = joint
          ? stored(joint.own, joint.summary, joint.solver)
          : stored(solo.cohorts.map(numbered(pledgeId, round, ctx.groups)), solo, solo.solver);
        await holdPlan(store, pledgeId, plan.cohorts);
        logger.info(
          {
            pledgeId,
            round,
            cohorts: plan.cohorts.length,
            unmet: plan.unmet.length,
            sessionsBelowMinimum: plan.sessionsBelowMinimum.length,
            solver: plan.solver,
            portfolio: joint ? { moved: joint.moved } : null,
          },
          'training planned',
        );
        return { plan, findings: findingsFor(ctx, plan.unmet, round), revision };
      } finally {
        await release();
      }

      /**
       * Plans this pledge with every other unconfirmed plan that no coordinator shaped by hand, against the seats
       * confirmed plans hold. Adopted only when more trainees are ready by their delivery dates (weighted by
       * Ukraine's need) than with this pledge planned around the others; each other plan that changes is sent to
       * its planning workflow, which records it and asks its coordinator to confirm it again.
       */
      async function replanPortfolio(args: {
        pledgeId: string;
        own: TraineeGroup[];
        solo: Cohort[];
        others: PortfolioPlans;
        confirmed: Map<string, number>;
        ctx: Awaited<ReturnType<typeof loadContext>>;
        rule: { cutoffDays: number; today: string };
        revision: number;
      }) {
        const { ctx, rule } = args;
        const courseById = new Map(ctx.courses.map((c) => [c.id, c]));
        const movable: Array<PortfolioPlan & { groups: TraineeGroup[] }> = [];
        const fixed: PortfolioPlan[] = [...args.others.fixed];
        for (const other of args.others.unconfirmed) {
          try {
            const groups = weighByNeed(trainingDemand(other.items, ctx.catalog, courseById), other.findings);
            movable.push({ ...other, groups });
          } catch (err) {
            if (!(err instanceof TrainingReferenceError)) throw err;
            fixed.push(other);
          }
        }
        if (movable.length === 0) return null;
        const held = addSeats(args.confirmed, seatsOf(fixed));
        const schedule = await schedulePortfolio(
          [{ pledgeId: args.pledgeId, groups: args.own }, ...movable],
          {
            courses: ctx.courses,
            sessions: offer(ctx.sessions, held),
            constraints: { notBefore: tomorrow() },
            today: rule.today,
            sessionMinimumCutoffDays: rule.cutoffDays,
            timeLimitSeconds: portfolioTimeLimitSeconds,
          },
        );
        const before = movable.reduce(
          (sum, m) => sum + weightedReadiness(m.groups, m.cohorts),
          weightedReadiness(args.own, args.solo),
        );
        if (schedule.weightedReadyByDeadline <= before) return null;

        const changed = movable.filter((m) => !sameCohorts(schedule.cohorts.get(m.pledgeId)!, m.cohorts));
        const client = Context.current().client;
        for (const m of changed) {
          const change: PortfolioPlanChange = {
            revision: args.revision,
            cohorts: schedule.cohorts.get(m.pledgeId)!,
            solver: schedule.solver,
            cause: { pledgeId: args.pledgeId, title: ctx.pledge.title },
          };
          // Held before the workflow hears of it, so that the next planning already sees the move.
          await holdPlan(store, m.pledgeId, change.cohorts);
          try {
            await client.workflow
              .getHandle(m.workflowId!)
              .signal<[PortfolioPlanChange]>(PORTFOLIO_PLAN_SIGNAL, change);
          } catch (err) {
            // Confirmed or withdrawn meanwhile: its plan is no longer the portfolio's to move.
            if (!(err instanceof WorkflowNotFoundError)) throw err;
          }
        }
        const cohorts = schedule.cohorts.get(args.pledgeId)!.map(numbered(args.pledgeId, round, ctx.groups));
        const takenAfter = addSeats(
          held,
          seatsOf(movable.map((m) => ({ cohorts: schedule.cohorts.get(m.pledgeId)! }))),
        );
        const summary = summarisePlan(ctx.groups, cohorts, {
          sessions: offer(ctx.sessions, takenAfter),
          courses: courseById,
          rule,
          notBefore: tomorrow(),
        });
        return { own: cohorts, summary, solver: schedule.solver, moved: changed.map((m) => m.pledgeId) };
      }
    },

    /**
     * Records a plan the portfolio planner made for this pledge while its plan waited for confirmation: the
     * cohorts numbered for this round, with readiness and unmet demand against the seats others hold.
     */
    async adoptPortfolioPlan(input: {
      pledgeId: string;
      round: number;
      change: PortfolioPlanChange;
      training?: TrainingPolicy;
    }): Promise<PlanResult> {
      const { pledgeId, round, change } = input;
      const ctx = await loadContext(pledgeId);
      const cohorts = change.cohorts.map(numbered(pledgeId, round, ctx.groups));
      const others = await portfolioPlans(store, pledgeId);
      const confirmed = await reservedSeatsBySession(store, { pledgeId: { $ne: pledgeId } });
      const summary = summarisePlan(ctx.groups, cohorts, {
        sessions: offer(ctx.sessions, addSeats(confirmed, seatsOf([...others.unconfirmed, ...others.fixed]))),
        courses: new Map(ctx.courses.map((c) => [c.id, c])),
        rule: { cutoffDays: cutoffDaysOf(input.training), today: today() },
        notBefore: tomorrow(),
      });
      const plan: StoredTrainingPlan = {
        cohorts,
        ...summary,
        solver: change.solver,
        computedAt: new Date().toISOString(),
        round,
        constraints: null,
      };
      logger.info(
        { pledgeId, round, revision: change.revision, cause: change.cause },
        'portfolio plan adopted',
      );
      return { plan, findings: findingsFor(ctx, plan.unmet, round), revision: change.revision };
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
      const pledge = await pledgeRepository(store.Pledge).trainingPlan(pledgeId);
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
