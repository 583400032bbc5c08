/** What the engine recommends for a task, and whether a decision departs from it (then a reason is required). */
import type { Pledge, Task, TaskKind } from '../api/types';

const forApproval: Record<string, string> = {
  accept: 'approve',
  accept_with_conditions: 'approve_with_conditions',
  request_changes: 'return',
  reject: 'reject',
};

/** The decision the engine's review recommends for this kind of task, or null when it recommends nothing. */
export function recommendedDecision(kind: TaskKind, pledge: Pledge | undefined): string | null {
  const rec = pledge?.review?.recommendation;
  if (!rec) return null;
  if (kind === 'compatibility_review') return rec;
  if (kind === 'command_approval') return forApproval[rec] ?? null;
  return null;
}

/** True when the decision departs from the engine's recommendation. */
export const againstRecommendation = (decision: string, recommended: string | null) =>
  !!decision && !!recommended && decision !== recommended;

/** The comment that is sent (and signed): the reason for departing from the recommendation says so. */
export function commentToSend(
  comment: string,
  against: boolean,
  recommendedText: string,
): string | undefined {
  const text = comment.trim();
  if (!text) return undefined;
  return against ? `Against the engine's recommendation (${recommendedText}): ${text}` : text;
}

/** What a task asks, in one sentence. */
export function whatIsAsked(task: Task): string {
  const c = task.context;
  switch (task.kind) {
    case 'compatibility_review':
      return 'Decide whether this pledge fits Ukraine’s forces: accept it (with conditions if needed), ask the donor for changes, or reject it.';
    case 'training_plan_confirmation':
      return 'Confirm the training plan for the crews, or ask for a new plan (for example without a site, or starting later).';
    case 'command_approval':
      return `Sign your decision on the frozen decision package${c.step ? ` as step ${c.step} of ${c.of ?? c.step}` : ''}${
        c.round && c.round > 1 ? ` (approval round ${c.round})` : ''
      }: approve, approve with conditions, return for revision, or reject.`;
    case 'revision':
      return 'The reviewers or approvers asked for changes: amend the pledge and it is reviewed again.';
  }
}
