import {
  allHandlersFinished,
  condition,
  continueAsNew,
  defineSignal,
  isCancellation,
  log,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { TaskPolicy } from '../domain/schemas/task-policy';
import {
  mergeConstraints,
  planConfirmationTaskId,
  type StoredTrainingPlan,
} from '../domain/training/execution';
import {
  PORTFOLIO_PLAN_SIGNAL,
  portfolioReason,
  type PortfolioPlanChange,
} from '../domain/training/portfolio-change';
import type { ReplanConstraints } from '../domain/training/types';
import type { ProjectedPledge } from '../domain/pledge-lifecycle';
import { activities } from './activity-proxies';
import { emit } from './emit';
import { DEFAULT_HISTORY_LIMIT, historyIsLong } from './history-limit';
import { HumanTasks } from './human-tasks';
import { trackPledge, type StagePledge } from './stage';

export interface TrainingPlanningInput {
  pledge: StagePledge;
  /** Plan rounds are numbered across the whole lifecycle: cohort and task ids carry the round. */
  firstRound: number;
  taskPolicy: TaskPolicy;
  /** Why the pledge is planned again (a lost seat reservation), shown in the timeline. */
  reason: string | null;
  /** History events after which a planning that is replanned again and again continues as a new run. */
  historyLimit?: number;
  /** Where an earlier run of this planning stopped when it continued as new. */
  resume?: PlanningResume;
}

/** What a planning carries into its next run: the coordinator's constraints and the portfolio's moves. */
export interface PlanningResume {
  constraints: ReplanConstraints | null;
  planRevision: number;
  moved: PortfolioPlanChange | null;
}

export interface TrainingPlanningOutcome {
  round: number;
  plan: StoredTrainingPlan;
  confirmedBy: string;
  position: ProjectedPledge;
}

export const portfolioPlanSignal = defineSignal<[PortfolioPlanChange]>(PORTFOLIO_PLAN_SIGNAL);

/**
 * Training planning: compute the plan, record it, and ask a training coordinator to confirm it; `replan` (with a
 * comment, optionally excluding sites or sessions) computes it again and reopens the task. While the plan waits
 * for confirmation, the portfolio planner may move it (another pledge's planning found a better plan for both):
 * the new plan is recorded as a new round and the coordinator is asked again.
 */
export async function trainingPlanning(input: TrainingPlanningInput): Promise<TrainingPlanningOutcome> {
  const { pledge, taskPolicy, historyLimit = DEFAULT_HISTORY_LIMIT } = input;
  const stage = trackPledge(pledge);
  const tasks = new HumanTasks(stage.tasks).install();
  let constraints: ReplanConstraints | null = input.resume?.constraints ?? null;
  /** The portfolio run behind the plan on the record, and the newest run that moved it since. */
  const portfolio: { planRevision: number; moved: PortfolioPlanChange | null } = {
    planRevision: input.resume?.planRevision ?? 0,
    moved: input.resume?.moved ?? null,
  };
  setHandler(portfolioPlanSignal, (change) => {
    if (change.revision > Math.max(portfolio.planRevision, portfolio.moved?.revision ?? 0))
      portfolio.moved = change;
  });
  const movedSincePlanned = () =>
    portfolio.moved !== null && portfolio.moved.revision > portfolio.planRevision;
  /**
   * Between rounds, once the history has grown past its limit, the planning goes on as a new run from where it
   * stands: no task is open then, and the parent's wait follows the new run.
   */
  const continueIfLong = async (round: number) => {
    if (!historyIsLong(historyLimit)) return;
    log.warn('training planning history is long: continuing as a new run', {
      pledgeId: pledge.id,
      historyLength: workflowInfo().historyLength,
      historyLimit,
      round,
    });
    await condition(allHandlersFinished);
    await continueAsNew<typeof trainingPlanning>({
      ...input,
      pledge: { ...pledge, status: stage.status() },
      firstRound: round,
      reason: null,
      resume: { constraints, planRevision: portfolio.planRevision, moved: portfolio.moved },
    });
  };
  try {
    for (let round = input.firstRound; ; round++) {
      if (round > input.firstRound) await continueIfLong(round);
      const adopted = movedSincePlanned() ? portfolio.moved : null;
      portfolio.moved = null;
      const { plan, findings, revision } = adopted
        ? await activities.adoptPortfolioPlan({
            pledgeId: pledge.id,
            round,
            change: adopted,
            training: taskPolicy.training,
          })
        : await activities.planTraining({
            pledgeId: pledge.id,
            round,
            constraints,
            training: taskPolicy.training,
          });
      portfolio.planRevision = Math.max(portfolio.planRevision, revision ?? 0);
      stage.follow(
        await emit(pledge.id, {
          type: 'training.planned',
          id: `${pledge.id}:training-${round}:plan`,
          actor: 'system',
          round,
          plan,
          findings,
          reason: adopted ? portfolioReason(adopted.cause) : round === input.firstRound ? input.reason : null,
          ...(adopted ? { movedFor: adopted.cause } : {}),
        }),
      );
      const unmet = plan.unmet.reduce((n, u) => n + u.trainees, 0);
      const taskId = planConfirmationTaskId(pledge.id, round);
      await tasks.open({
        id: taskId,
        kind: 'training_plan_confirmation',
        title: `Confirm the training plan${round > 1 ? ` (round ${round})` : ''}: ${pledge.title}`,
        candidateRoles: ['training_coordinator'],
        priority: unmet > 0 ? 'high' : 'normal',
        timing: taskPolicy.training_plan_confirmation,
      });
      const decided = tasks.awaitDecision(taskId, taskPolicy.training_plan_confirmation);
      let roundOver = false;
      const movedFirst = await Promise.race([
        decided.then(() => false),
        condition(() => roundOver || movedSincePlanned()).then(() => !roundOver),
      ]);
      roundOver = true;
      // A decision taken in the same breath as the move wins: the coordinator decided on the plan they saw.
      if (movedFirst && tasks.snapshot(taskId).state === 'open') {
        await tasks.close(taskId);
        await decided.catch(() => undefined);
        continue;
      }
      const { input: decision, actor } = await decided;
      const confirmed = decision.decision === 'confirm';
      const position = stage.follow(
        await emit(pledge.id, {
          type: confirmed ? 'training.confirmed' : 'training.replan_requested',
          id: `${pledge.id}:training-${round}:${decision.decision}`,
          actor: actor.username,
          round,
          taskId,
          comment: decision.comment ?? null,
          constraints: decision.constraints ?? null,
        }),
      );
      tasks.settle(taskId, position.status);
      if (confirmed) {
        await condition(allHandlersFinished);
        return { round, plan, confirmedBy: actor.username, position };
      }
      constraints = mergeConstraints(constraints, decision.constraints);
      // The coordinator's replan supersedes any move the portfolio made meanwhile.
      portfolio.moved = null;
    }
  } catch (err) {
    if (isCancellation(err)) await tasks.closeForCancellation();
    throw err;
  }
}
