import {
  CancellationScope,
  allHandlersFinished,
  condition,
  continueAsNew,
  defineUpdate,
  log,
  executeChild,
  isCancellation,
  patched,
  setHandler,
  startChild,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { EventOf } from '../domain/pledge-events';
import { defaultDeliveryPolicy } from '../domain/delivery-lots';
import { isAmendable, isFinal, type ProjectedPledge, type Stage } from '../domain/pledge-lifecycle';
import type { PledgeInput, PledgeStatus } from '../domain/schemas/pledge';
import type { ReviewPolicy } from '../domain/schemas/policy';
import type { StepTiming, TaskPolicy } from '../domain/schemas/task-policy';
import type { Actor } from '../domain/tasks';
import type { StoredTrainingPlan } from '../domain/training/execution';
import { activities } from './activity-proxies';
import { commandApproval } from './command-approval';
import { compatibilityReview, type ReviewOutcome } from './compatibility-review';
import { deliveryTracking, deliveryTrackingWorkflowId } from './delivery-tracking';
import { emit, record } from './emit';
import { failureOf } from './failures';
import { DEFAULT_HISTORY_LIMIT, historyIsLong } from './history-limit';
import { HumanTasks } from './human-tasks';
import { pledgeIntake } from './pledge-intake';
import { seatReservation } from './seat-reservation';
import type { StagePledge } from './stage';
import { trainingExecution, trainingExecutionWorkflowId } from './training-execution';
import { trainingPlanning } from './training-planning';

export interface LifecycleInput {
  /** The submission, as the API built it: the workflow records it first (the API may already have). */
  submitted: EventOf<'pledge.submitted'>;
  /**
   * History events after which a pledge that goes round again (review, amendment, review…) continues as a new
   * run at the start of its next round, so that its history stays bounded. Set by the API (LIFECYCLE_HISTORY_LIMIT).
   */
  historyLimit?: number;
  /** Where an earlier run of this lifecycle stopped when it continued as new. */
  resume?: ResumeState;
}

/** What a lifecycle carries into its next run: where the pledge stands and the counters its ids are made of. */
export interface ResumeState {
  pledge: PledgeInput;
  state: LifecycleState;
  policies: Policies;
  reviewRound: number;
  trainingRound: number;
  planAttempt: number;
  approvalRound: number;
}

/** Where the pledge stands, as its lifecycle knows it (the state machine's answer to each event). */
export interface LifecycleState {
  pledgeId: string;
  title: string;
  status: PledgeStatus;
  stage: Stage;
  revision: number;
}

export const amendPledgeUpdate = defineUpdate<LifecycleState, [{ actor: Actor; pledge: PledgeInput }]>(
  'amendPledge',
);
export const withdrawPledgeUpdate = defineUpdate<LifecycleState, [{ actor: Actor; reason: string }]>(
  'withdrawPledge',
);

/** A plan whose seats went to concurrent plans is replanned and confirmed again at most this often. */
const MAX_RESERVATION_ATTEMPTS = 3;

const conflict = (message: string) => failureOf('conflict', message);

type Policies = { review: ReviewPolicy; tasks: TaskPolicy };

/**
 * Patch marker: the lifecycle records IN_TRAINING itself before it starts the training child, so its status (and
 * the PledgeStatus search attribute) never lags the record while the crews train. Runs recorded before it let the
 * child record it, and replay that way.
 */
const LIFECYCLE_RECORDS_IN_TRAINING = 'lifecycle-records-in-training';

/**
 * Patch marker: after approval the lifecycle tracks the pledge's delivery lots beside its training, and READY
 * needs both. Runs approved before it replay without lots, and their training alone makes them READY.
 */
const LIFECYCLE_TRACKS_DELIVERIES = 'lifecycle-tracks-deliveries';

/**
 * The life of one pledge, from submission to readiness: each stage is a child workflow that records its own
 * events; the state machine (domain/pledge-lifecycle.ts) decides every status. The donor may amend when changes
 * are requested and withdraw at any time.
 */
export async function pledgeLifecycle({
  submitted,
  historyLimit = DEFAULT_HISTORY_LIMIT,
  resume,
}: LifecycleInput): Promise<LifecycleState> {
  const pledgeId = submitted.pledgeId;
  const workflowId = workflowInfo().workflowId;
  const state: LifecycleState = resume
    ? { ...resume.state }
    : { pledgeId, title: submitted.derived.title, status: 'SUBMITTED', stage: 'intake', revision: 1 };
  let pledge = resume?.pledge ?? submitted.pledge;
  const tasks = new HumanTasks({
    id: pledgeId,
    title: state.title,
    workflowId,
    status: () => state.status,
  }).install();
  let amendment: { actor: Actor; pledge: PledgeInput } | null = null;
  let withdrawal: { actor: Actor; reason: string } | null = null;
  let withdrawalDone = false;
  const stageScope = new CancellationScope();
  let reviewRound = resume?.reviewRound ?? 0;
  let trainingRound = resume?.trainingRound ?? 0;
  let planAttempt = resume?.planAttempt ?? 0;
  let approvalRound = resume?.approvalRound ?? 1;

  /** The record's version the lifecycle last followed: two children record concurrently after approval. */
  let followedVersion = 0;
  /** Follows the state machine's answer to the latest event. */
  const moveTo = (position: ProjectedPledge): ProjectedPledge => {
    followedVersion = Math.max(followedVersion, position.version);
    if (position.status !== state.status) upsertSearchAttributes({ PledgeStatus: [position.status] });
    Object.assign(state, { status: position.status, stage: position.stage, title: position.title });
    return position;
  };
  const stagePledge = (): StagePledge => ({
    submittedBy: submitted.actor,
    id: pledgeId,
    title: state.title,
    donor: pledge.donor,
    status: state.status,
  });

  setHandler(
    amendPledgeUpdate,
    async (request) => {
      amendment = request;
      await condition(() => amendment === null || withdrawalDone);
      if (amendment !== null)
        throw conflict(`pledge ${pledgeId} was withdrawn before the amendment was applied`);
      return { ...state };
    },
    {
      validator: (_request) => {
        // A client that lost the answer to its amendment and sends it again learns that the first one is on its way.
        if (amendment) throw conflict(`an amendment of pledge ${pledgeId} is already being applied`);
        if (withdrawal) throw conflict(`pledge ${pledgeId} is being withdrawn`);
        if (!isAmendable(state.status)) {
          throw conflict(
            `pledge ${pledgeId} can be amended only while changes are requested or after a return; it is ${state.status}`,
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
      await condition(() => withdrawalDone);
      if (state.status !== 'WITHDRAWN')
        throw conflict(`pledge ${pledgeId} reached ${state.status} before the withdrawal`);
      return { ...state };
    },
    {
      validator: (_request) => {
        if (isFinal(state.status)) throw conflict(`pledge ${pledgeId} is already ${state.status}`);
        // A second request (another person's, or a client retrying after losing the first answer) is told why.
        if (withdrawal) throw conflict(`a withdrawal of pledge ${pledgeId} is already under way`);
      },
    },
  );

  const runStages = async () => {
    let policies: Policies;
    if (resume) {
      policies = resume.policies;
    } else {
      moveTo(await record([submitted]));
      policies = await activities.loadPolicies();
      moveTo(await executeChild(pledgeIntake, { workflowId: `${workflowId}-intake`, args: [{ pledgeId }] }));
      if (isFinal(state.status)) return;
    }

    // Review, training plan and command approval; a return for revision starts again at the review.
    for (approvalRound = resume?.approvalRound ?? 1; ; approvalRound++) {
      const review = await runReview(policies);
      if (!review) return;
      const confirmed = await planTraining(policies.tasks, null);
      const approval = moveTo(
        await executeChild(commandApproval, {
          workflowId: `${workflowId}-approval-${approvalRound}`,
          args: [
            {
              pledge: stagePledge(),
              round: approvalRound,
              blockerOverridden: review.blockerOverridden,
              separation: policies.tasks.separationOfDuties,
            },
          ],
        }).then((outcome) => outcome.position),
      );
      if (isFinal(approval.status)) return;
      if (isAmendable(approval.status)) {
        await awaitAmendment(policies.tasks.revision, 'returned for revision by command');
        continue;
      }
      // The equipment half runs beside training; READY is recorded by whichever half finishes last.
      const deliveries = patched(LIFECYCLE_TRACKS_DELIVERIES)
        ? await startChild(deliveryTracking, {
            workflowId: deliveryTrackingWorkflowId(workflowId),
            args: [
              {
                pledgeId,
                items: pledge.items,
                policy: policies.tasks.delivery ?? defaultDeliveryPolicy,
              },
            ],
          })
        : null;
      await reserveAndTrain(confirmed, policies.tasks);
      if (deliveries) {
        const received = await deliveries.result();
        if (received.position.version > followedVersion) moveTo(received.position);
      }
      return;
    }
  };

  /**
   * Between rounds, once the history has grown past its limit (or the server suggests it), the lifecycle goes on
   * as a new run from where it stands: nothing is open at that point but the Update that brought the amendment.
   */
  const continueIfLong = async (policies: Policies) => {
    if (!historyIsLong(historyLimit)) return;
    log.warn('pledge history is long: continuing as a new run', {
      pledgeId,
      historyLength: workflowInfo().historyLength,
      historyLimit,
      reviewRound,
    });
    await condition(allHandlersFinished);
    await continueAsNew<typeof pledgeLifecycle>({
      submitted,
      historyLimit,
      resume: {
        pledge,
        state: { ...state },
        policies,
        reviewRound,
        trainingRound,
        planAttempt,
        approvalRound,
      },
    });
  };

  /** Review rounds until the reviewer accepts (the outcome) or rejects (null); requested changes wait for an amendment. */
  const runReview = async (policies: Policies): Promise<ReviewOutcome | null> => {
    for (;;) {
      if (reviewRound > 0) await continueIfLong(policies);
      reviewRound++;
      const { outcome, position } = await executeChild(compatibilityReview, {
        workflowId: `${workflowId}-review-${reviewRound}`,
        args: [
          {
            pledge: stagePledge(),
            round: reviewRound,
            reviewPolicy: policies.review,
            taskPolicy: policies.tasks,
          },
        ],
      });
      moveTo(position);
      if (isFinal(state.status)) return null;
      if (!isAmendable(state.status)) return outcome;
      await awaitAmendment(policies.tasks.revision, 'changes requested');
    }
  };

  /** A training plan the coordinator confirmed (replanned on request, or after losing seats with `reason`). */
  const planTraining = async (taskPolicy: TaskPolicy, reason: string | null) => {
    const confirmed = await executeChild(trainingPlanning, {
      workflowId: `${workflowId}-training-plan-${++planAttempt}`,
      args: [{ pledge: stagePledge(), firstRound: trainingRound + 1, taskPolicy, reason, historyLimit }],
    });
    moveTo(confirmed.position);
    trainingRound = confirmed.round;
    return confirmed;
  };

  /**
   * Execution: the confirmed plan's seats are reserved (a saga; a plan that lost seats to concurrent plans is
   * planned and confirmed again, boundedly, without a new approval: the decision was on the pledge, and the
   * change is on its timeline), then the cohorts are followed until the crews are READY. When no plan could be
   * reserved, the failure is recorded and the pledge waits for a withdrawal.
   */
  const reserveAndTrain = async (
    first: { round: number; plan: StoredTrainingPlan },
    taskPolicy: TaskPolicy,
  ): Promise<void> => {
    let confirmed = first;
    let reason: string | null = null;
    for (let attempt = 1; ; attempt++) {
      if (attempt > 1) confirmed = await planTraining(taskPolicy, reason);
      const seats = await executeChild(seatReservation, {
        workflowId: `${workflowId}-seats-${confirmed.round}`,
        args: [{ pledgeId, plan: confirmed.plan }],
      });
      moveTo(seats.position);
      if (seats.reserved) {
        const inTrainingRecorded = patched(LIFECYCLE_RECORDS_IN_TRAINING);
        const training = await startChild(trainingExecution, {
          workflowId: trainingExecutionWorkflowId(workflowId),
          args: [{ pledgeId, plan: seats.plan, inTrainingRecorded, training: taskPolicy.training }],
        });
        // Recorded once the child runs: whoever sees IN_TRAINING can report a cohort at once.
        if (inTrainingRecorded)
          moveTo(
            await emit(pledgeId, {
              type: 'training.in_training',
              id: `${pledgeId}:training-${seats.plan.round}:in-training`,
              actor: 'system',
              plan: seats.plan,
            }),
          );
        const trained = await training.result();
        moveTo(trained.position);
        return;
      }
      reason = `seats of cohort ${seats.failedCohortId} went to another plan: ${seats.reason}`;
      if (attempt >= MAX_RESERVATION_ATTEMPTS) {
        moveTo(
          await emit(pledgeId, {
            type: 'training.failed',
            id: `${pledgeId}:training:failed`,
            actor: 'system',
            attempts: attempt,
            reason,
          }),
        );
        await condition(() => withdrawal !== null);
        return;
      }
    }
  };

  const awaitAmendment = async (timing: StepTiming, why: string) => {
    const taskId = `${pledgeId}-revision-${reviewRound}`;
    await tasks.open({
      id: taskId,
      kind: 'revision',
      title: `Revise (${why}): ${state.title}`,
      candidateRoles: ['donor_liaison', 'staff_officer'],
      nation: pledge.donor,
      timing,
    });
    const waiting = tasks.awaitDecision(taskId, timing).catch(() => undefined);
    await condition(() => amendment !== null);
    const { actor, pledge: amended } = amendment!;
    state.revision++;
    await tasks.close(taskId, 'completed');
    await waiting;
    const derived = await activities.derivePledge(pledgeId, amended);
    moveTo(
      await emit(pledgeId, {
        type: 'pledge.amended',
        id: `${pledgeId}:amendment-${state.revision}`,
        actor: actor.username,
        revision: state.revision,
        pledge: amended,
        derived,
      }),
    );
    pledge = amended;
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
    await CancellationScope.nonCancellable(async () => {
      await tasks.closeAll(`pledge ${pledgeId} was withdrawn`);
      if (!isFinal(state.status)) {
        // Every seat of a cohort that has not started goes back, and the pledge can take no more.
        const released = await activities.releasePledgeSeats(pledgeId);
        moveTo(
          await emit(pledgeId, {
            type: 'pledge.withdrawn',
            id: `${pledgeId}:withdrawn`,
            actor: withdrawn.actor.username,
            reason: withdrawn.reason,
            seatsReleased: released.seats,
            cohorts: released.cohorts,
          }),
        );
      }
      withdrawalDone = true;
    });
  }
  await condition(allHandlersFinished);
  return state;
}
