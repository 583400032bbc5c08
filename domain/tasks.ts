import { DomainFailure } from './failures';
import type { Principal } from './permissions';
import type { DecisionRecord } from './pledge-record';
import type { Role } from './schemas/common';

// Plain values and types only: workflow code imports this module, and each cached workflow evaluates its imports
// afresh, so the zod schemas of tasks live in ./schemas/task.

export const TaskKinds = [
  'compatibility_review',
  'training_plan_confirmation',
  'command_approval',
  'revision',
] as const;
export type TaskKind = (typeof TaskKinds)[number];

/** The decisions each kind of task accepts (a revision is closed by amending the pledge, not by a decision). */
export const decisionsByKind: Record<TaskKind, readonly string[]> = {
  compatibility_review: ['accept', 'accept_with_conditions', 'reject', 'request_changes'],
  training_plan_confirmation: ['confirm', 'replan'],
  command_approval: ['approve', 'approve_with_conditions', 'reject', 'return'],
  revision: [],
};

/** Decisions that turn a pledge back or away need a comment that explains them, for the donor and the record. */
const decisionsNeedingAComment: readonly string[] = ['reject', 'request_changes', 'return', 'replan'];
export const needsAComment = (decision: string) => decisionsNeedingAComment.includes(decision);

export const TaskStates = ['open', 'completed', 'cancelled'] as const;
export type TaskState = (typeof TaskStates)[number];
export const Priorities = ['low', 'normal', 'high', 'urgent'] as const;
export type Priority = (typeof Priorities)[number];

/** Who is acting, as the API authenticated them. */
export interface Actor {
  username: string;
  roles: Role[];
  nation: string | null;
  /** The capability coalitions a reviewer reviews for (absent: none). */
  coalitions?: string[];
}

/** The principal as workflows see it. */
export const actorOf = (p: Principal): Actor => ({
  username: p.username,
  roles: p.roles,
  nation: p.nation,
  coalitions: p.coalitions ?? [],
});

/** A decision on a task, as sent (validated by `DecisionInput` in ./schemas/task). */
export interface DecisionInput {
  decision: string;
  comment?: string;
  conditions?: string[];
  signature?: string;
  keyId?: string;
  /** Exclusions a coordinator asks for when replanning. */
  constraints?: {
    excludedSiteIds?: string[];
    excludedSessionIds?: string[];
    notBefore?: string;
  };
}

export interface TaskSnapshot {
  id: string;
  kind: TaskKind;
  pledgeId: string;
  /** What the pledge is, in one line (its title when the task opened). */
  pledgeTitle: string;
  workflowId: string;
  candidateRoles: Role[];
  /** For revision tasks: the owning nation, whose liaison may act. */
  nation: string | null;
  /**
   * For review tasks: the pledge's capability coalitions. Only reviewers of one of them are candidates; a task
   * with none (opened before coalitions were routed, or a pledge in no coalition) is open to every reviewer.
   */
  coalitions?: string[];
  assignee: string | null;
  delegatedBy: string | null;
  priority: Priority;
  dueAt: string;
  createdAt: string;
  state: TaskState;
  title: string;
  escalated: boolean;
  /** Roles the task may be handed to beyond its candidates (commander -> deputy). */
  delegateRoles: Role[];
  /** What the decider needs besides the pledge (e.g. the decision package hash, the chain step). */
  context: Record<string, unknown>;
  /** People who may not decide this task, each with the rule that excludes them (separation of duties). */
  excluded?: Exclusion[];
  decision:
    null | (DecisionRecord & { signature?: string | null; keyId?: string | null; payload?: string | null });
}

/** A person separation of duties keeps off a task, and why (the refusal names the rule). */
export interface Exclusion {
  username: string;
  rule: string;
}

/** The rules, worded as the refusal says them. */
export const SeparationRules = {
  submitter: 'separation of duties: the submitter of a pledge does not review or approve it',
  twoSteps: 'separation of duties: nobody decides two steps of one approval round',
  oneChainRole: 'separation of duties: a user holds at most one approval-chain role',
} as const;

/** The exclusion of the actor from the task, if any. */
export const exclusionOf = (task: Pick<TaskSnapshot, 'excluded'>, username: string) =>
  (task.excluded ?? []).find((e) => e.username === username);

/** The role whose holders are bound to capability coalitions. */
export const COALITION_BOUND_ROLE: Role = 'reviewer';

/**
 * Whether someone holding the coalition-bound role may act on a task of these coalitions: a task bound to none
 * is everyone's; otherwise the person must belong to one of them (a reviewer in no coalition gets none).
 */
export const inCoalitionOf = (
  taskCoalitions: readonly string[] | undefined,
  actor: Pick<Actor, 'coalitions'>,
) => !taskCoalitions?.length || taskCoalitions.some((c) => actor.coalitions?.includes(c));

/**
 * Whether a holder of `role` is within the scope a task or a notification is bound to: a donor liaison only of its
 * nation (when one is set), a holder of the coalition-bound role only of one of its coalitions (when any are set).
 */
export const roleHolderInScope = (
  role: Role,
  holder: Pick<Actor, 'nation' | 'coalitions'>,
  scope: { nation: string | null; coalitions?: readonly string[] },
) =>
  (role !== 'donor_liaison' || scope.nation === null || holder.nation === scope.nation) &&
  (role !== COALITION_BOUND_ROLE || inCoalitionOf(scope.coalitions, holder));

/**
 * True when the actor holds one of the task's candidate roles (and, for nation-bound tasks, the nation; for
 * coalition-bound review tasks, one of the coalitions).
 */
export function isCandidate(
  task: Pick<TaskSnapshot, 'candidateRoles' | 'nation' | 'coalitions'>,
  actor: Actor,
): boolean {
  return task.candidateRoles.some(
    (role) => actor.roles.includes(role) && roleHolderInScope(role, actor, task),
  );
}

/** Who may see a task: its candidates, its assignee, whoever delegated it, auditors and admins. */
export function maySee(
  task: Pick<TaskSnapshot, 'candidateRoles' | 'nation' | 'coalitions' | 'assignee' | 'delegatedBy'>,
  principal: Principal,
): boolean {
  if (principal.roles.some((r) => r === 'auditor' || r === 'admin')) return true;
  const actor = actorOf(principal);
  return isCandidate(task, actor) || task.assignee === actor.username || task.delegatedBy === actor.username;
}

/** Whether the actor may act on (claim, complete) the task: a candidate when unclaimed, the assignee when claimed. */
export function checkMayAct(task: TaskSnapshot, actor: Actor): void {
  if (task.state !== 'open') throw new DomainFailure('conflict', `task is ${task.state}`);
  const excluded = exclusionOf(task, actor.username);
  if (excluded) throw new DomainFailure('forbidden', excluded.rule);
  if (task.assignee) {
    if (task.assignee !== actor.username) {
      throw new DomainFailure('forbidden', `task is claimed by ${task.assignee}; only they can act on it`);
    }
    return;
  }
  if (!isCandidate(task, actor)) {
    throw new DomainFailure('forbidden', `only ${task.candidateRoles.join(' or ')} may act on this task`);
  }
}

/** Validates a decision against the task's kind; conditions only with a "with conditions" decision. */
export function checkDecision(task: TaskSnapshot, input: DecisionInput): void {
  const allowed = decisionsByKind[task.kind];
  if (!allowed.includes(input.decision)) {
    throw new DomainFailure(
      'unprocessable',
      allowed.length
        ? `decision must be one of ${allowed.join(', ')} for a ${task.kind} task`
        : `a ${task.kind} task is closed by amending the pledge, not by a decision`,
    );
  }
  const withConditions = input.decision.endsWith('_with_conditions');
  if (withConditions && !input.conditions?.length) {
    throw new DomainFailure('unprocessable', `${input.decision} needs at least one condition`);
  }
  if (!withConditions && input.conditions?.length) {
    throw new DomainFailure(
      'unprocessable',
      `conditions are only accepted with a "with conditions" decision`,
    );
  }
  const needsComment = needsAComment(input.decision);
  if (needsComment && !input.comment?.trim()) {
    throw new DomainFailure('unprocessable', `${input.decision} needs a comment that explains it`);
  }
}

/** Claiming: only an open, unclaimed task, by a candidate. */
export function checkClaim(task: TaskSnapshot, actor: Actor): void {
  if (task.state !== 'open') throw new DomainFailure('conflict', `task is ${task.state}`);
  const excluded = exclusionOf(task, actor.username);
  if (excluded) throw new DomainFailure('forbidden', excluded.rule);
  if (task.assignee === actor.username) return;
  if (task.assignee) throw new DomainFailure('conflict', `task is already claimed by ${task.assignee}`);
  if (!isCandidate(task, actor)) {
    throw new DomainFailure('forbidden', `only ${task.candidateRoles.join(' or ')} may claim this task`);
  }
}

/** Releasing: the assignee, or an admin-like candidate when the assignee is away is not modelled: assignee only. */
export function checkRelease(task: TaskSnapshot, actor: Actor): void {
  if (task.state !== 'open') throw new DomainFailure('conflict', `task is ${task.state}`);
  if (task.assignee !== actor.username)
    throw new DomainFailure('forbidden', 'only the assignee can release a task');
}

/**
 * Why a task may not be handed to someone, or null when it may: they must hold a role that may decide it (a
 * candidate role in scope, or one of its delegate roles), and separation of duties must not keep them off it
 * (a task handed to the submitter could then be decided by nobody).
 */
export function delegationRefusal(
  task: Pick<TaskSnapshot, 'candidateRoles' | 'nation' | 'coalitions' | 'delegateRoles' | 'excluded'>,
  to: Actor,
): string | null {
  const excluded = exclusionOf(task, to.username);
  if (excluded) return `${to.username} may not decide this task (${excluded.rule})`;
  const delegable = (task.delegateRoles ?? []).some((role) => to.roles.includes(role));
  if (!isCandidate(task, to) && !delegable)
    return `${to.username} does not hold a role that may decide this task`;
  return null;
}

/** Delegating: the assignee (or, for an unclaimed task, a candidate) hands it to another eligible user. */
export function checkDelegate(task: TaskSnapshot, actor: Actor, to: Actor): void {
  checkMayAct(task, actor);
  if (to.username === actor.username)
    throw new DomainFailure('unprocessable', 'cannot delegate a task to yourself');
  const refusal = delegationRefusal(task, to);
  if (refusal) throw new DomainFailure('unprocessable', refusal);
}
