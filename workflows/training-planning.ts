import { CancellationScope, allHandlersFinished, condition, isCancellation } from '@temporalio/workflow';
import type { TaskPolicy } from '../domain/schemas/task-policy';
import { mergeConstraints, type StoredTrainingPlan } from '../domain/training/execution';
import type { ReplanConstraints } from '../domain/training/types';
import type { ProjectedPledge } from '../domain/pledge-lifecycle';
import { activities } from './activity-proxies';
import { emit } from './emit';
import { HumanTasks } from './human-tasks';
import { trackPledge, type StagePledge } from './stage';

export interface TrainingPlanningInput {
  pledge: StagePledge;
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
  position: ProjectedPledge;
}

/**
 * Training planning: compute the plan, record it, and ask a training coordinator to confirm it; `replan` (with a
 * comment, optionally excluding sites or sessions) computes it again and reopens the task.
 */
export async function trainingPlanning(input: TrainingPlanningInput): Promise<TrainingPlanningOutcome> {
  const { pledge, taskPolicy } = input;
  const stage = trackPledge(pledge);
  const tasks = new HumanTasks(stage.tasks).install();
  let constraints: ReplanConstraints | null = null;
  try {
    for (let round = input.firstRound; ; round++) {
      const { plan, findings } = await activities.planTraining({
        pledgeId: pledge.id,
        round,
        constraints,
        training: taskPolicy.training,
      });
      stage.follow(
        await emit(pledge.id, {
          type: 'training.planned',
          id: `${pledge.id}:training-${round}:plan`,
          actor: 'system',
          round,
          plan,
          findings,
          reason: round === input.firstRound ? input.reason : null,
        }),
      );
      const unmet = plan.unmet.reduce((n, u) => n + u.trainees, 0);
      const taskId = `${pledge.id}-training-plan-${round}`;
      await tasks.open({
        id: taskId,
        kind: 'training_plan_confirmation',
        title: `Confirm the training plan${round > 1 ? ` (round ${round})` : ''}: ${pledge.title}`,
        candidateRoles: ['training_coordinator'],
        priority: unmet > 0 ? 'high' : 'normal',
        timing: taskPolicy.training_plan_confirmation,
      });
      const { input: decision, actor } = await tasks.awaitDecision(
        taskId,
        taskPolicy.training_plan_confirmation,
      );
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
    }
  } catch (err) {
    if (isCancellation(err)) await CancellationScope.nonCancellable(() => tasks.closeAll());
    throw err;
  }
}
