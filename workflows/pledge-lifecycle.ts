import {
  ApplicationFailure,
  CancellationScope,
  allHandlersFinished,
  condition,
  defineQuery,
  defineUpdate,
  executeChild,
  isCancellation,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { PledgeInput, PledgeStatus } from '../domain/schemas/pledge';
import type { Actor } from '../domain/tasks';
import { activities } from './activity-proxies';
import { nowIso } from './clock';
import { compatibilityReview, type ReviewOutcome } from './compatibility-review';
import { HumanTasks } from './human-tasks';
import { pledgeIntake } from './pledge-intake';

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
export const amendPledgeUpdate = defineUpdate<LifecycleState, [{ actor: Actor; pledge: PledgeInput }]>('amendPledge');
export const withdrawPledgeUpdate = defineUpdate<LifecycleState, [{ actor: Actor; reason: string }]>('withdrawPledge');

export const lifecycleWorkflowId = (pledgeId: string) => `pledge-${pledgeId}`;

const TERMINAL: PledgeStatus[] = ['INTAKE_REJECTED', 'REVIEW_REJECTED', 'REJECTED', 'READY', 'WITHDRAWN'];
const AMENDABLE: PledgeStatus[] = ['CHANGES_REQUESTED', 'RETURNED'];

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
          refuse(`a pledge can be amended only while changes are requested or after a return (it is ${state.status})`);
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
      if (review.decision === 'reject') return;
      if (review.decision !== 'request_changes') break;
      await awaitAmendment(policies.tasks.revision);
    }
    // Training scheduling and command approval attach here; until then the accepted pledge
    // waits in TRAINING_PLANNING (and can still be withdrawn).
    await condition(() => withdrawal !== null);
  };

  const awaitAmendment = async (timing: Parameters<HumanTasks['awaitDecision']>[1]) => {
    const taskId = `${pledgeId}-revision-${state.reviewRound}`;
    await tasks.open({
      id: taskId,
      kind: 'revision',
      title: `Revise pledge ${pledgeId} (${input.pledge.donor}): changes requested`,
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
    await activities.recordTransition({
      pledgeId,
      eventId: `${pledgeId}:withdrawn`,
      at: nowIso(),
      type: 'pledge.withdrawn',
      actor: actor.username,
      status: 'WITHDRAWN',
      stage: 'closed',
      detail: { reason },
    });
    await setStatus('WITHDRAWN', 'closed');
  }
  await condition(allHandlersFinished);
  return state;
}
