import { CancellationScope, condition, isCancellation, workflowInfo, allHandlersFinished } from '@temporalio/workflow';
import type { PledgeStatus } from '../domain/schemas/pledge';
import type { ReviewPolicy } from '../domain/schemas/policy';
import type { TaskPolicy } from '../domain/schemas/task-policy';
import { activities } from './activity-proxies';
import { nowIso } from './clock';
import { HumanTasks } from './human-tasks';

export interface ReviewInput {
  pledgeId: string;
  donor: string;
  round: number;
  reviewPolicy: ReviewPolicy;
  taskPolicy: TaskPolicy;
  /** The status an accepted pledge moves to (the next stage's). */
  statusOnAccept: PledgeStatus;
}

export interface ReviewOutcome {
  decision: 'accept' | 'accept_with_conditions' | 'reject' | 'request_changes';
  conditions: string[];
  comment: string | null;
  decidedBy: string;
  status: PledgeStatus;
  blockerOverridden: boolean;
}

const statusAfter: Record<ReviewOutcome['decision'], PledgeStatus | null> = {
  accept: null,
  accept_with_conditions: null,
  reject: 'REVIEW_REJECTED',
  request_changes: 'CHANGES_REQUESTED',
};

/**
 * Compatibility review: run the rules, store the findings, open a review task for the
 * capability-coalition reviewers, and apply their decision.
 */
export async function compatibilityReview(input: ReviewInput): Promise<ReviewOutcome> {
  const { pledgeId, round } = input;
  let status: PledgeStatus = 'UNDER_REVIEW';
  const tasks = new HumanTasks(pledgeId, workflowInfo().workflowId, () => status).install();
  const taskId = `${pledgeId}-review-${round}`;
  try {
    const review = await activities.runCompatibilityReview(pledgeId, input.reviewPolicy);
    await activities.recordTransition({
      pledgeId,
      eventId: `${pledgeId}:review-${round}:findings`,
      at: nowIso(),
      type: 'review.findings',
      actor: 'system',
      status,
      stage: 'compatibility_review',
      patch: { review: { ...review, decision: null, round, policyVersion: input.reviewPolicy.version } },
      detail: {
        round,
        score: review.score,
        recommendation: review.recommendation,
        findings: review.findings.map((f) => `${f.severity} ${f.code}${f.systemId ? ` (${f.systemId})` : ''}`),
      },
    });
    const blockers = review.findings.filter((f) => f.severity === 'blocker').length;
    await tasks.open({
      id: taskId,
      kind: 'compatibility_review',
      title: `Compatibility review of pledge ${pledgeId} (${input.donor}), round ${round}`,
      candidateRoles: ['reviewer'],
      priority: blockers ? 'high' : 'normal',
      timing: input.taskPolicy.compatibility_review,
    });
    const { input: decision, actor } = await tasks.awaitDecision(taskId, input.taskPolicy.compatibility_review);
    const choice = decision.decision as ReviewOutcome['decision'];
    status = statusAfter[choice] ?? input.statusOnAccept;
    const outcome: ReviewOutcome = {
      decision: choice,
      conditions: decision.conditions ?? [],
      comment: decision.comment ?? null,
      decidedBy: actor.username,
      status,
      blockerOverridden: blockers > 0 && (choice === 'accept' || choice === 'accept_with_conditions'),
    };
    const task = tasks.snapshot(taskId);
    await activities.recordTransition({
      pledgeId,
      eventId: `${pledgeId}:review-${round}:decision`,
      at: nowIso(),
      type: `review.${choice}`,
      actor: actor.username,
      status,
      stage: choice === 'request_changes' ? 'revision' : choice === 'reject' ? 'closed' : 'training',
      patch: {
        'review.decision': {
          decision: choice,
          comment: outcome.comment,
          conditions: outcome.conditions,
          by: actor.username,
          onBehalfOf: task.decision?.onBehalfOf ?? null,
          at: task.decision?.at ?? nowIso(),
        },
      },
      detail: { round, taskId, decision: choice, comment: outcome.comment, conditions: outcome.conditions },
    });
    await activities.publishEvent({
      id: `${taskId}:decided`,
      type: 'pledge.decision',
      title: `Pledge ${pledgeId}: compatibility review ${choice.replace(/_/g, ' ')}`,
      body: outcome.comment ?? '',
      pledgeId,
      taskId,
      recipients: { roles: ['donor_liaison', 'staff_officer'], nation: input.donor },
      at: nowIso(),
    });
    tasks.settle(taskId);
    await condition(allHandlersFinished);
    return outcome;
  } catch (err) {
    if (isCancellation(err)) {
      await CancellationScope.nonCancellable(() => tasks.closeAll());
    }
    throw err;
  }
}
