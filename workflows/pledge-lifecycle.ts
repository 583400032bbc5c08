import {
  ApplicationFailure,
  CancellationScope,
  allHandlersFinished,
  condition,
  defineQuery,
  defineUpdate,
  executeChild,
  isCancellation,
  patched,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { PledgeInput, PledgeStatus } from '../domain/schemas/pledge';
import type { ReviewPolicy } from '../domain/schemas/policy';
import type { TaskPolicy } from '../domain/schemas/task-policy';

type Policies = { review: ReviewPolicy; tasks: TaskPolicy };
import type { Actor } from '../domain/tasks';
import { activities } from './activity-proxies';
import { nowIso } from './clock';
import { commandApproval } from './command-approval';
import { compatibilityReview, type ReviewOutcome } from './compatibility-review';
import { HumanTasks } from './human-tasks';
import { pledgeIntake } from './pledge-intake';
import { recordReservationFailure, seatReservation } from './seat-reservation';
import { trainingExecution, trainingExecutionWorkflowId } from './training-execution';
import { trainingPlanning } from './training-planning';

export interface LifecycleInput {
  pledgeId: string;
  pledge: PledgeInput;
  submittedBy: string;
}

export interface LifecycleState {
  pledgeId: string;
  status: PledgeStatus;
  stage: string;
  revision: number;
  reviewRound: number;
  lastReview: ReviewOutcome | null;
}

export const pledgeStateQuery = defineQuery<LifecycleState>('pledgeState');
export const amendPledgeUpdate = defineUpdate<LifecycleState, [{ actor: Actor; pledge: PledgeInput }]>(
  'amendPledge',
);
export const withdrawPledgeUpdate = defineUpdate<LifecycleState, [{ actor: Actor; reason: string }]>(
  'withdrawPledge',
);

export const lifecycleWorkflowId = (pledgeId: string) => `pledge-${pledgeId}`;

const TERMINAL: PledgeStatus[] = ['INTAKE_REJECTED', 'REVIEW_REJECTED', 'REJECTED', 'READY', 'WITHDRAWN'];
const AMENDABLE: PledgeStatus[] = ['CHANGES_REQUESTED', 'RETURNED'];
/** A plan whose seats went to concurrent plans is replanned and confirmed again at most this often. */
const MAX_RESERVATION_ATTEMPTS = 3;

const refuse = (message: string): never => {
  throw ApplicationFailure.create({ type: 'conflict', message, nonRetryable: true });
};

/**
 * The life of one pledge, from submission to readiness: each stage is a child workflow;
 * the donor may amend when changes are requested and withdraw at any time.
 */
export async function pledgeLifecycle(input: LifecycleInput): Promise<LifecycleState> {
  const { pledgeId } = input;
  const state: LifecycleState = {
    pledgeId,
    status: 'SUBMITTED',
    stage: 'intake',
    revision: 1,
    reviewRound: 0,
    lastReview: null,
  };
  const tasks = new HumanTasks(pledgeId, workflowInfo().workflowId, () => state.status).install();
  let amendment: { actor: Actor; pledge: PledgeInput } | null = null;
  let withdrawal: { actor: Actor; reason: string } | null = null;
  const stageScope = new CancellationScope();

  setHandler(pledgeStateQuery, () => state);
  setHandler(
    amendPledgeUpdate,
    async (request) => {
      amendment = request;
      await condition(() => amendment === null);
      return state;
    },
    {
      validator: (_request) => {
        if (!AMENDABLE.includes(state.status) || amendment) {
          refuse(
            `a pledge can be amended only while changes are requested or after a return (it is ${state.status})`,
          );
        }
      },
    },
  );
  setHandler(
    withdrawPledgeUpdate,
    async (request) => {
      withdrawal = request;
      stageScope.cancel();
      await condition(() => state.status === 'WITHDRAWN');
      return state;
    },
    {
      validator: (_request) => {
        if (TERMINAL.includes(state.status) || withdrawal) refuse(`the pledge is already ${state.status}`);
      },
    },
  );

  const setStatus = async (status: PledgeStatus, stage: string) => {
    state.status = status;
    state.stage = stage;
    upsertSearchAttributes({ PledgeStatus: [status] });
  };

  const runStages = async () => {
    const policies = await activities.loadPolicies();
    const intake = await executeChild(pledgeIntake, {
      workflowId: `${workflowInfo().workflowId}-intake`,
      args: [{ pledgeId, submittedBy: input.submittedBy }],
    });
    if (!intake.accepted) return setStatus('INTAKE_REJECTED', 'closed');

    // Review, training plan and command approval; a return for revision starts again at the review.
    for (;;) {
      if (!(await runReview(policies))) return;
      // Workflows started before the training stage existed keep waiting here, as they did.
      if (!patched('training-stage')) return condition(() => withdrawal !== null);
      const confirmed = await planTraining(policies.tasks, null);
      if (patched('approval-stage')) {
        const approval = await runApproval();
        if (approval.result === 'rejected') return;
        if (approval.result === 'returned') {
          await awaitAmendment(policies.tasks.revision, 'returned for revision by command');
          continue;
        }
      }
      if (!(await reserveAndTrain(confirmed, policies.tasks))) await condition(() => withdrawal !== null);
      return;
    }
  };

  /** Review rounds until the reviewer accepts (true) or rejects (false); requested changes wait for an amendment. */
  const runReview = async (policies: Policies): Promise<boolean> => {
    for (;;) {
      state.reviewRound++;
      await setStatus('UNDER_REVIEW', 'compatibility_review');
      const review = await executeChild(compatibilityReview, {
        workflowId: `${workflowInfo().workflowId}-review-${state.reviewRound}`,
        args: [
          {
            pledgeId,
            donor: input.pledge.donor,
            round: state.reviewRound,
            reviewPolicy: policies.review,
            taskPolicy: policies.tasks,
            statusOnAccept: 'TRAINING_PLANNING',
          },
        ],
      });
      state.lastReview = review;
      await setStatus(review.status, review.status === 'CHANGES_REQUESTED' ? 'revision' : 'training');
      if (review.decision === 'reject') return false;
      if (review.decision !== 'request_changes') return true;
      await awaitAmendment(policies.tasks.revision, 'changes requested');
    }
  };

  let trainingRound = 0;
  let planAttempt = 0;
  /** A training plan the coordinator confirmed (replanned on request, or after losing seats with `reason`). */
  const planTraining = async (taskPolicy: TaskPolicy, reason: string | null) => {
    await setStatus('TRAINING_PLANNING', 'training_planning');
    const confirmed: Awaited<ReturnType<typeof trainingPlanning>> = await executeChild(trainingPlanning, {
      workflowId: `${workflowInfo().workflowId}-training-plan-${++planAttempt}`,
      args: [{ pledgeId, donor: input.pledge.donor, firstRound: trainingRound + 1, taskPolicy, reason }],
    });
    trainingRound = confirmed.round;
    return confirmed;
  };

  let approvalRound = 0;
  /** The decision package goes up the chain; the child records APPROVED, REJECTED or RETURNED. */
  const runApproval = async () => {
    await setStatus('AWAITING_APPROVAL', 'command_approval');
    const outcome = await executeChild(commandApproval, {
      workflowId: `${workflowInfo().workflowId}-approval-${++approvalRound}`,
      args: [
        {
          pledgeId,
          donor: input.pledge.donor,
          round: approvalRound,
          blockerOverridden: state.lastReview?.blockerOverridden ?? false,
        },
      ],
    });
    await setStatus(
      outcome.status,
      outcome.result === 'approved' ? 'execution' : outcome.result === 'returned' ? 'revision' : 'closed',
    );
    return outcome;
  };

  /**
   * Execution: the confirmed plan's seats are reserved (a saga: a plan that lost seats to concurrent plans is
   * replanned and confirmed again, boundedly, without a new approval: the decision was on the pledge, and the
   * change is on its timeline), then the cohorts are followed until the crews are READY.
   * False when no plan could be reserved (the failure is in the timeline; the pledge can still be withdrawn).
   */
  const reserveAndTrain = async (
    first: Awaited<ReturnType<typeof trainingPlanning>>,
    taskPolicy: TaskPolicy,
  ): Promise<boolean> => {
    const workflowId = workflowInfo().workflowId;
    let confirmed = first;
    let reason: string | null = null;
    for (let attempt = 1; ; attempt++) {
      if (attempt > 1) confirmed = await planTraining(taskPolicy, reason);
      await setStatus(state.status === 'APPROVED' ? 'APPROVED' : 'TRAINING_PLANNING', 'seat_reservation');
      const seats: Awaited<ReturnType<typeof seatReservation>> = await executeChild(seatReservation, {
        workflowId: `${workflowId}-seats-${confirmed.round}`,
        args: [{ pledgeId, plan: confirmed.plan }],
      });
      if (seats.reserved) {
        await setStatus('IN_TRAINING', 'training_execution');
        await executeChild(trainingExecution, {
          workflowId: trainingExecutionWorkflowId(workflowId),
          args: [{ pledgeId, donor: input.pledge.donor, plan: seats.plan }],
        });
        await setStatus('READY', 'closed');
        return true;
      }
      reason = `seats of cohort ${seats.failedCohortId} went to another plan: ${seats.reason}`;
      if (attempt >= MAX_RESERVATION_ATTEMPTS) {
        await recordReservationFailure(pledgeId, attempt, reason);
        await setStatus('TRAINING_PLANNING', 'training_failed');
        return false;
      }
    }
  };

  const awaitAmendment = async (timing: Parameters<HumanTasks['awaitDecision']>[1], why: string) => {
    const taskId = `${pledgeId}-revision-${state.reviewRound}`;
    await tasks.open({
      id: taskId,
      kind: 'revision',
      title: `Revise pledge ${pledgeId} (${input.pledge.donor}): ${why}`,
      candidateRoles: ['donor_liaison', 'staff_officer'],
      nation: input.pledge.donor,
      timing,
    });
    const waiting = tasks.awaitDecision(taskId, timing).catch(() => undefined);
    await condition(() => amendment !== null);
    const { actor, pledge } = amendment!;
    state.revision++;
    await tasks.close(taskId, 'completed');
    await waiting;
    await activities.recordTransition({
      pledgeId,
      eventId: `${pledgeId}:amendment-${state.revision}`,
      at: nowIso(),
      type: 'pledge.amended',
      actor: actor.username,
      patch: { ...(await activities.pledgeFields(pledgeId, pledge)), revision: state.revision },
      detail: { revision: state.revision },
    });
    input.pledge = pledge;
    amendment = null;
  };

  try {
    await stageScope.run(runStages);
  } catch (err) {
    if (!(isCancellation(err) && withdrawal)) throw err;
  }
  // Assigned by the Update handler, which TypeScript's flow analysis cannot see.
  const withdrawn = withdrawal as { actor: Actor; reason: string } | null;
  if (withdrawn) {
    const { actor, reason } = withdrawn;
    await tasks.closeAll();
    // Every seat of a cohort that has not started goes back, and the pledge can take no more.
    const released = await activities.releasePledgeSeats(pledgeId);
    await activities.recordTransition({
      pledgeId,
      eventId: `${pledgeId}:withdrawn`,
      at: nowIso(),
      type: 'pledge.withdrawn',
      actor: actor.username,
      status: 'WITHDRAWN',
      stage: 'closed',
      ...(released.cohorts ? { patch: { 'trainingPlan.cohorts': released.cohorts } } : {}),
      detail: { reason, seatsReleased: released.seats },
    });
    await setStatus('WITHDRAWN', 'closed');
  }
  await condition(allHandlersFinished);
  return state;
}
