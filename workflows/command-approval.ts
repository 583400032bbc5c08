import {
  ApplicationFailure,
  CancellationScope,
  allHandlersFinished,
  condition,
  isCancellation,
  workflowInfo,
} from '@temporalio/workflow';
import { approvalChainFor } from '../domain/approval/chain';
import type { Role } from '../domain/schemas/common';
import type { PledgeStatus } from '../domain/schemas/pledge';
import { activities } from './activity-proxies';
import { nowIso } from './clock';
import { HumanTasks, type CompleteTaskArgs } from './human-tasks';

export interface ApprovalInput {
  pledgeId: string;
  donor: string;
  round: number;
  blockerOverridden: boolean;
}

export interface ChainStepRecord {
  role: Role;
  reason: string;
  state: 'pending' | 'open' | 'approved' | 'approved_with_conditions' | 'rejected' | 'returned';
  taskId: string | null;
  decision: string | null;
  comment: string | null;
  conditions: string[];
  by: string | null;
  onBehalfOf: string | null;
  at: string | null;
  keyId: string | null;
  signature: string | null;
  payload: string | null;
}

export interface ApprovalOutcome {
  result: 'approved' | 'rejected' | 'returned';
  status: PledgeStatus;
  conditions: string[];
  packageHash: string;
  comment: string | null;
}

const stateOf: Record<string, ChainStepRecord['state']> = {
  approve: 'approved',
  approve_with_conditions: 'approved_with_conditions',
  reject: 'rejected',
  return: 'returned',
};

const requireSignature = (args: CompleteTaskArgs) => {
  // The API verifies signatures before sending the Update; this guards against any other caller.
  if (!args.signed) {
    throw ApplicationFailure.create({
      type: 'invalid',
      message: 'a command approval decision must be signed',
      nonRetryable: true,
    });
  }
};

/**
 * Command approval: freeze the decision package, derive the chain from the approval policy in force,
 * and take one signed decision per step, in order, with reminders, escalation and delegation.
 */
export async function commandApproval(input: ApprovalInput): Promise<ApprovalOutcome> {
  const { pledgeId, round } = input;
  let status: PledgeStatus = 'AWAITING_APPROVAL';
  const tasks = new HumanTasks(pledgeId, workflowInfo().workflowId, () => status).install();
  try {
    const policy = await activities.loadApprovalPolicy();
    const { packageHash, facts } = await activities.freezeDecisionPackage(
      pledgeId,
      round,
      input.blockerOverridden,
    );
    const chain: ChainStepRecord[] = approvalChainFor(policy, facts).map((step) => ({
      ...step,
      state: 'pending',
      taskId: null,
      decision: null,
      comment: null,
      conditions: [],
      by: null,
      onBehalfOf: null,
      at: null,
      keyId: null,
      signature: null,
      payload: null,
    }));
    const approvalPatch = () => ({
      'approval.round': round,
      'approval.packageHash': packageHash,
      'approval.policyVersion': policy.version,
      'approval.chain': chain,
    });
    await activities.recordTransition({
      pledgeId,
      eventId: `${pledgeId}:approval-${round}:started`,
      at: nowIso(),
      type: 'approval.started',
      actor: 'system',
      status,
      stage: 'command_approval',
      patch: approvalPatch(),
      detail: {
        round,
        packageHash,
        policyVersion: policy.version,
        chain: chain.map((s) => `${s.role} (${s.reason})`),
      },
    });

    const conditions: string[] = [];
    for (const [i, step] of chain.entries()) {
      const rule = policy.steps[step.role]!;
      const taskId = `${pledgeId}-approval-${round}-${i + 1}`;
      step.state = 'open';
      step.taskId = taskId;
      await tasks.open({
        id: taskId,
        kind: 'command_approval',
        title: `Approve pledge ${pledgeId} (${input.donor}) as ${step.role.replace(/_/g, ' ')}, step ${i + 1} of ${chain.length}`,
        candidateRoles: [step.role],
        delegateRoles: rule.delegateToRoles,
        priority: 'high',
        timing: rule,
        context: { packageHash, step: i + 1, of: chain.length, role: step.role, reason: step.reason },
        validate: requireSignature,
      });
      const { input: decision, actor, signed } = await tasks.awaitDecision(taskId, rule);
      const snapshot = tasks.snapshot(taskId);
      Object.assign(step, {
        state: stateOf[decision.decision],
        decision: decision.decision,
        comment: decision.comment ?? null,
        conditions: decision.conditions ?? [],
        by: actor.username,
        // Delegated: on behalf of who delegated; escalated: on behalf of the step's role.
        onBehalfOf: snapshot.delegatedBy ?? (actor.roles.includes(step.role) ? null : step.role),
        at: snapshot.decision?.at ?? nowIso(),
        keyId: signed?.keyId ?? null,
        signature: signed?.signature ?? null,
        payload: signed?.payload ?? null,
      });
      conditions.push(...step.conditions);
      const ends = decision.decision === 'reject' || decision.decision === 'return';
      const last = i === chain.length - 1;
      if (ends || last) {
        status =
          decision.decision === 'reject'
            ? 'REJECTED'
            : decision.decision === 'return'
              ? 'RETURNED'
              : 'APPROVED';
      }
      await activities.recordTransition({
        pledgeId,
        eventId: `${pledgeId}:approval-${round}:step-${i + 1}`,
        at: nowIso(),
        type: `approval.${decision.decision}`,
        actor: actor.username,
        ...(ends || last
          ? {
              status,
              stage: status === 'APPROVED' ? 'execution' : status === 'RETURNED' ? 'revision' : 'closed',
            }
          : {}),
        patch: approvalPatch(),
        detail: {
          round,
          step: i + 1,
          role: step.role,
          taskId,
          decision: decision.decision,
          comment: step.comment,
          conditions: step.conditions,
          onBehalfOf: step.onBehalfOf,
          packageHash,
          keyId: step.keyId,
          signature: step.signature,
          payload: step.payload,
        },
      });
      if (ends || last) {
        await activities.publishEvent({
          id: `${pledgeId}:approval-${round}:decided`,
          type: 'pledge.decision',
          title: `Pledge ${pledgeId}: ${status === 'APPROVED' ? 'approved' : status === 'REJECTED' ? 'rejected' : 'returned for revision'}`,
          body: step.comment ?? '',
          pledgeId,
          taskId,
          recipients: {
            roles: ['donor_liaison', 'staff_officer', 'training_coordinator'],
            nation: input.donor,
          },
          at: nowIso(),
        });
      }
      tasks.settle(taskId);
      if (ends) {
        await condition(allHandlersFinished);
        return {
          result: status === 'REJECTED' ? 'rejected' : 'returned',
          status,
          conditions,
          packageHash,
          comment: step.comment,
        };
      }
    }
    await condition(allHandlersFinished);
    return { result: 'approved', status, conditions, packageHash, comment: null };
  } catch (err) {
    if (isCancellation(err)) await CancellationScope.nonCancellable(() => tasks.closeAll());
    throw err;
  }
}
