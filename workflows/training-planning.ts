import { CancellationScope, allHandlersFinished, condition, isCancellation, workflowInfo } from '@temporalio/workflow';
import type { PledgeStatus } from '../domain/schemas/pledge';
import type { TaskPolicy } from '../domain/schemas/task-policy';
import { mergeConstraints, type StoredTrainingPlan } from '../domain/training/execution';
import type { ReplanConstraints } from '../domain/training/types';
import { activities } from './activity-proxies';
import { nowIso } from './clock';
import { HumanTasks } from './human-tasks';

export interface TrainingPlanningInput {
  pledgeId: string;
  donor: string;
  /** Plan rounds are numbered across the whole lifecycle: cohort and task ids carry the round. */
  firstRound: number;
  taskPolicy: TaskPolicy;
  /** Why the pledge is planned again (a lost seat reservation), shown in the timeline. */
  reason: string | null;
}

export interface TrainingPlanningOutcome {
  round: number;
  plan: StoredTrainingPlan;
  confirmedBy: string;
}

/**
 * Training planning: compute the plan, store it on the pledge, and ask a training coordinator to confirm it;
 * `replan` (with a comment, optionally excluding sites or sessions) computes it again and reopens the task.
 */
export async function trainingPlanning(input: TrainingPlanningInput): Promise<TrainingPlanningOutcome> {
  const { pledgeId, taskPolicy } = input;
  const status: PledgeStatus = 'TRAINING_PLANNING';
  const tasks = new HumanTasks(pledgeId, workflowInfo().workflowId, () => status).install();
  let constraints: ReplanConstraints | null = null;
  try {
    for (let round = input.firstRound; ; round++) {
      const { plan, findings } = await activities.planTraining({ pledgeId, round, constraints });
      const unmet = plan.unmet.reduce((n, u) => n + u.trainees, 0);
      await activities.recordTransition({
        pledgeId,
        eventId: `${pledgeId}:training-${round}:plan`,
        at: nowIso(),
        type: 'training.planned',
        actor: 'system',
        status,
        stage: 'training_planning',
        patch: { trainingPlan: plan, ...(findings ? { 'review.findings': findings } : {}) },
        detail: {
          round,
          cohorts: plan.cohorts.length,
          traineesNeeded: plan.traineesNeeded,
          traineesReadyByDeadline: plan.traineesReadyByDeadline,
          unmetTrainees: unmet,
          solver: plan.solver,
          ...(round === input.firstRound && input.reason ? { reason: input.reason } : {}),
          ...(constraints ? { constraints } : {}),
        },
      });
      const taskId = `${pledgeId}-training-plan-${round}`;
      await tasks.open({
        id: taskId,
        kind: 'training_plan_confirmation',
        title: `Confirm the training plan of pledge ${pledgeId} (${input.donor}), round ${round}`,
        candidateRoles: ['training_coordinator'],
        priority: unmet > 0 ? 'high' : 'normal',
        timing: taskPolicy.training_plan_confirmation,
      });
      const { input: decision, actor } = await tasks.awaitDecision(taskId, taskPolicy.training_plan_confirmation);
      const choice = decision.decision as 'confirm' | 'replan';
      await activities.recordTransition({
        pledgeId,
        eventId: `${pledgeId}:training-${round}:${choice}`,
        at: nowIso(),
        type: choice === 'confirm' ? 'training.confirmed' : 'training.replan_requested',
        actor: actor.username,
        stage: choice === 'confirm' ? 'seat_reservation' : 'training_planning',
        detail: { round, taskId, comment: decision.comment ?? null, constraints: decision.constraints ?? null },
      });
      tasks.settle(taskId);
      if (choice === 'confirm') {
        await condition(allHandlersFinished);
        return { round, plan, confirmedBy: actor.username };
      }
      constraints = mergeConstraints(constraints, decision.constraints);
    }
  } catch (err) {
    if (isCancellation(err)) await CancellationScope.nonCancellable(() => tasks.closeAll());
    throw err;
  }
}
