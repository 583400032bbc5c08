import { allHandlersFinished, condition, isCancellation } from '@temporalio/workflow';
import { approvalChainFor, openedChain } from '../domain/approval/chain';
import type { StepTiming } from '../domain/schemas/task-policy';
import type { ApprovalStepRecord } from '../domain/pledge-record';
import type { SeparationOfDuties } from '../domain/schemas/task-policy';
import { SeparationRules, type Exclusion } from '../domain/tasks';
import type { ProjectedPledge } from '../domain/pledge-lifecycle';
import { activities } from './activity-proxies';
import { nowIso } from './clock';
import { emit } from './emit';
import { refuse } from './failures';
import { HumanTasks, type CompleteTaskArgs } from './human-tasks';
import { trackPledge, type StagePledge } from './stage';

export interface ApprovalInput {
  pledge: StagePledge;
  round: number;
  blockerOverridden: boolean;
  separation: SeparationOfDuties;
}

export interface ApprovalOutcome {
  result: 'approved' | 'rejected' | 'returned';
  conditions: string[];
  packageHash: string;
  comment: string | null;
  position: ProjectedPledge;
}

const stateOf: Record<string, ApprovalStepRecord['state']> = {
  approve: 'approved',
  approve_with_conditions: 'approved_with_conditions',
  reject: 'rejected',
  return: 'returned',
};

const requireSignature = (args: CompleteTaskArgs) => {
  // The API verifies signatures before sending the Update; this guards against any other caller.
  if (!args.signed) {
    refuse('unprocessable', 'a command approval decision must be signed');
  }
};

/**
 * Command approval: freeze the decision package, derive the chain from the approval policy in force, and take
 * one signed decision per step, in order, with reminders, escalation and delegation.
 */
export async function commandApproval(input: ApprovalInput): Promise<ApprovalOutcome> {
  const { pledge, round } = input;
  const stage = trackPledge(pledge);
  const tasks = new HumanTasks(stage.tasks).install();

  /** The step's decision once its signature has been checked as the decider's own (a bad one reopens the task). */
  const decidedAndVerified = async (
    taskId: string,
    rule: StepTiming,
    signing: { packageHash: string; role: string; step: number },
  ) => {
    for (;;) {
      const args = await tasks.awaitDecision(taskId, rule);
      const at = tasks.snapshot(taskId).decision?.at ?? nowIso();
      const check = args.signed
        ? await activities.verifySignedDecision({
            expected: {
              taskId,
              pledgeId: pledge.id,
              packageHash: signing.packageHash,
              decision: args.input.decision,
              comment: args.input.comment ?? null,
              conditions: args.input.conditions ?? [],
              signer: args.actor.username,
              role: signing.role,
              step: signing.step,
              round,
            },
            ...args.signed,
            at,
          })
        : ({ ok: false, problem: 'the decision is not signed' } as const);
      if (check.ok) return args;
      await tasks.refuseDecision(taskId, `the signed decision does not verify: ${check.problem}`);
    }
  };

  try {
    const policy = await activities.loadApprovalPolicy();
    const frozen = await activities.decisionPackage(pledge.id, round, input.blockerOverridden);
    const { packageHash } = frozen;
    const chain = openedChain(approvalChainFor(policy, frozen.facts), pledge.id, round);
    stage.follow(
      await emit(pledge.id, {
        type: 'approval.started',
        id: `${pledge.id}:approval-${round}:started`,
        actor: 'system',
        round,
        package: frozen.package,
        packageHash,
        policyVersion: policy.version,
        chain,
      }),
    );

    const conditions: string[] = [];
    for (const [i, step] of chain.entries()) {
      const rule = policy.steps[step.role]!;
      const taskId = step.taskId!;
      // Nobody decides two steps of one round, and the submitter decides none.
      const excluded: Exclusion[] = input.separation.enabled
        ? [
            { username: pledge.submittedBy, rule: SeparationRules.submitter },
            ...chain
              .slice(0, i)
              .flatMap((s) => (s.by ? [{ username: s.by, rule: SeparationRules.twoSteps }] : [])),
          ]
        : [];
      await tasks.open({
        id: taskId,
        kind: 'command_approval',
        title: `Approve as ${step.role.replace(/_/g, ' ')} (step ${i + 1} of ${chain.length}): ${pledge.title}`,
        candidateRoles: [step.role],
        delegateRoles: rule.delegateToRoles,
        excluded,
        priority: 'high',
        timing: rule,
        context: { packageHash, step: i + 1, of: chain.length, role: step.role, round, reason: step.reason },
        validate: requireSignature,
      });
      const {
        input: decision,
        actor,
        signed,
      } = await decidedAndVerified(taskId, rule, { packageHash, role: step.role, step: i + 1 });
      const snapshot = tasks.snapshot(taskId);
      const decided: ApprovalStepRecord = {
        ...step,
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
      };
      chain[i] = decided;
      conditions.push(...decided.conditions);
      const last = i === chain.length - 1;
      const type =
        decision.decision === 'reject'
          ? 'approval.rejected'
          : decision.decision === 'return'
            ? 'approval.returned'
            : last
              ? 'approval.approved'
              : 'approval.step_approved';
      const next = type === 'approval.step_approved' ? i + 2 : null;
      const position = stage.follow(
        await emit(pledge.id, {
          type,
          id: `${pledge.id}:approval-${round}:step-${i + 1}`,
          actor: actor.username,
          round,
          step: i + 1,
          decided,
          next,
        }),
      );
      tasks.settle(taskId, position.status);
      if (type !== 'approval.step_approved') {
        await condition(allHandlersFinished);
        return {
          result:
            type === 'approval.approved'
              ? 'approved'
              : type === 'approval.rejected'
                ? 'rejected'
                : 'returned',
          conditions,
          packageHash,
          comment: decided.comment,
          position,
        };
      }
    }
    throw new Error('an approval chain has at least one step');
  } catch (err) {
    if (isCancellation(err)) await tasks.closeForCancellation();
    throw err;
  }
}
