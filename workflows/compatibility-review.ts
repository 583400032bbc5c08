import { allHandlersFinished, condition, isCancellation } from '@temporalio/workflow';
import type { DecisionRecord } from '../domain/pledge-record';
import { SeparationRules } from '../domain/tasks';
import type { ReviewPolicy } from '../domain/schemas/policy';
import type { TaskPolicy } from '../domain/schemas/task-policy';
import type { ProjectedPledge } from '../domain/pledge-lifecycle';
import { activities } from './activity-proxies';
import { nowIso } from './clock';
import { emit } from './emit';
import { HumanTasks } from './human-tasks';
import { trackPledge, type StagePledge } from './stage';

export interface ReviewInput {
  pledge: StagePledge;
  round: number;
  reviewPolicy: ReviewPolicy;
  taskPolicy: TaskPolicy;
}

export interface ReviewOutcome {
  decision: 'accept' | 'accept_with_conditions' | 'reject' | 'request_changes';
  conditions: string[];
  comment: string | null;
  decidedBy: string;
  blockerOverridden: boolean;
}

export interface ReviewResult {
  outcome: ReviewOutcome;
  position: ProjectedPledge;
}

const eventOf = {
  accept: 'review.accepted',
  accept_with_conditions: 'review.accepted',
  reject: 'review.rejected',
  request_changes: 'review.changes_requested',
} as const;

/**
 * Compatibility review: run the rules, record the findings, open a review task for the capability-coalition
 * reviewers, and record their decision.
 */
export async function compatibilityReview(input: ReviewInput): Promise<ReviewResult> {
  const { pledge, round } = input;
  const stage = trackPledge(pledge);
  const tasks = new HumanTasks(stage.tasks).install();
  const taskId = `${pledge.id}-review-${round}`;
  const timing = input.taskPolicy.compatibility_review;
  try {
    const review = await activities.runCompatibilityReview(pledge.id, input.reviewPolicy);
    const { coalitions } = stage.follow(
      await emit(pledge.id, {
        type: 'review.findings',
        id: `${pledge.id}:review-${round}:findings`,
        actor: 'system',
        round,
        review,
        policyVersion: input.reviewPolicy.version,
      }),
    );
    const blockers = review.findings.filter((f) => f.severity === 'blocker').length;
    await tasks.open({
      id: taskId,
      kind: 'compatibility_review',
      title: `Compatibility review${round > 1 ? ` (round ${round})` : ''}: ${pledge.title}`,
      candidateRoles: ['reviewer'],
      // A result recorded before coalitions were returned has none: the task is then open to every reviewer.
      coalitions: coalitions ?? [],
      excluded: input.taskPolicy.separationOfDuties.enabled
        ? [{ username: pledge.submittedBy, rule: SeparationRules.submitter }]
        : [],
      priority: blockers ? 'high' : 'normal',
      timing,
    });
    const { input: decision, actor } = await tasks.awaitDecision(taskId, timing);
    const choice = decision.decision as ReviewOutcome['decision'];
    const task = tasks.snapshot(taskId);
    const decided: DecisionRecord = {
      decision: choice,
      comment: decision.comment ?? null,
      conditions: decision.conditions ?? [],
      by: actor.username,
      onBehalfOf: task.decision?.onBehalfOf ?? null,
      at: task.decision?.at ?? nowIso(),
    };
    const position = stage.follow(
      await emit(pledge.id, {
        type: eventOf[choice],
        id: `${pledge.id}:review-${round}:decision`,
        actor: actor.username,
        round,
        taskId,
        decision: decided,
      }),
    );
    tasks.settle(taskId, position.status);
    await condition(allHandlersFinished);
    return {
      outcome: {
        decision: choice,
        conditions: decided.conditions,
        comment: decided.comment,
        decidedBy: actor.username,
        blockerOverridden: blockers > 0 && (choice === 'accept' || choice === 'accept_with_conditions'),
      },
      position,
    };
  } catch (err) {
    if (isCancellation(err)) await tasks.closeForCancellation();
    throw err;
  }
}
