import { ApplicationFailure, allHandlersFinished, condition, defineQuery, defineUpdate, setHandler } from '@temporalio/workflow';
import type { Actor } from '../domain/tasks';
import {
  refuseCohortEvent,
  trainingComplete,
  type CohortEventType,
  type PlannedCohort,
  type StoredTrainingPlan,
} from '../domain/training/execution';
import { activities } from './activity-proxies';
import { nowIso } from './clock';
import { releaseCohorts, reserveCohorts } from './seat-reservation';

export interface CohortEventArgs {
  cohortId: string;
  type: CohortEventType;
  /** When the site says it happened (ISO 8601). */
  at: string;
  actor: Actor;
}

export interface CohortEventResult {
  cohort: PlannedCohort;
  pledge: { id: string; status: string };
  /** For a failure: the cohorts planned in its place. */
  replacements: PlannedCohort[];
}

export const cohortEventUpdate = defineUpdate<CohortEventResult, [CohortEventArgs]>('cohortEvent');
export const trainingPlanQuery = defineQuery<StoredTrainingPlan>('trainingPlan');

export const trainingExecutionWorkflowId = (lifecycleWorkflowId: string) => `${lifecycleWorkflowId}-training`;

export interface TrainingExecutionInput {
  pledgeId: string;
  donor: string;
  plan: StoredTrainingPlan;
}

/** A failed cohort's trainees are replanned at most this often when the new seats are lost to other plans. */
const MAX_REPLAN_ATTEMPTS = 3;

const refuse = (type: 'not_found' | 'conflict', message: string): never => {
  throw ApplicationFailure.create({ type, message, nonRetryable: true });
};

interface Pending {
  args: CohortEventArgs;
  result?: CohortEventResult;
  error?: Error;
  done: boolean;
}

/**
 * IN_TRAINING: follows the cohorts as the sites report them (one event at a time, in arrival order), replans a
 * failed cohort's trainees into later sessions, and returns when every live cohort has completed (READY).
 */
export async function trainingExecution(input: TrainingExecutionInput): Promise<StoredTrainingPlan> {
  const { pledgeId } = input;
  let plan: StoredTrainingPlan = input.plan;
  let round = plan.round;
  let closed = false;
  const queue: Pending[] = [];
  const find = (id: string) => plan.cohorts.find((c) => c.id === id);

  setHandler(trainingPlanQuery, () => plan);
  setHandler(
    cohortEventUpdate,
    async (args) => {
      const pending: Pending = { args, done: false };
      queue.push(pending);
      await condition(() => pending.done);
      if (pending.error) throw pending.error;
      return pending.result!;
    },
    {
      validator: ({ cohortId, type }) => {
        const cohort = find(cohortId);
        if (!cohort) refuse('not_found', `cohort ${cohortId} is not part of pledge ${pledgeId}'s plan`);
        if (closed) refuse('conflict', `the training of pledge ${pledgeId} is complete`);
        const refusal = refuseCohortEvent(cohort!, type);
        if (refusal) refuse('conflict', refusal);
      },
    },
  );

  const save = (eventId: string, type: string, actor: string, detail: Record<string, unknown>, status?: 'IN_TRAINING' | 'READY') =>
    activities.recordTransition({
      pledgeId,
      eventId: `${pledgeId}:${eventId}`,
      at: nowIso(),
      type,
      actor,
      ...(status ? { status, stage: status === 'READY' ? 'closed' : 'training_execution' } : {}),
      patch: { trainingPlan: plan },
      detail,
    });

  const notify = (id: string, title: string, body = '') =>
    activities.publishEvent({
      id: `${pledgeId}:${id}`,
      type: 'pledge.status',
      title,
      body,
      pledgeId,
      taskId: null,
      recipients: { roles: ['training_coordinator', 'staff_officer'] },
      at: nowIso(),
    });

  const update = (cohortId: string, change: Partial<PlannedCohort>) => {
    plan = { ...plan, cohorts: plan.cohorts.map((c) => (c.id === cohortId ? { ...c, ...change } : c)) };
  };

  /** The failed cohort's trainees (and those who lose their downstream cohorts) into later sessions. */
  const replan = async (failed: PlannedCohort, failedOn: string): Promise<PlannedCohort[]> => {
    const before = plan.cohorts;
    for (let attempt = 1; attempt <= MAX_REPLAN_ATTEMPTS; attempt++) {
      round++;
      const r = await activities.replanFailedCohort({ pledgeId, round, cohorts: before, failedCohortId: failed.id, failedOn });
      // The failed cohort's and the released cohorts' seats go back first: the replan may reuse them.
      await releaseCohorts([failed.id, ...r.releasedCohortIds]);
      for (const id of r.releasedCohortIds) update(id, { state: 'released' });
      const reservation = await reserveCohorts(pledgeId, r.cohorts);
      if (reservation.reserved) {
        const added = r.cohorts.map((c) => ({ ...c, state: 'reserved' as const }));
        plan = { ...plan, ...r.summary, cohorts: [...plan.cohorts, ...added], round };
        await save(`training-${round}:replanned`, 'training.cohort_replanned', 'system', {
          round,
          failedCohortId: failed.id,
          released: r.releasedCohortIds,
          replacements: added.map((c) => ({ id: c.id, courseId: c.courseId, sessionId: c.sessionId, trainees: c.trainees })),
          unmet: r.summary.unmet,
        });
        if (r.findings) {
          await activities.recordTransition({
            pledgeId,
            eventId: `${pledgeId}:training-${round}:findings`,
            at: nowIso(),
            type: 'training.capacity_shortfall',
            actor: 'system',
            patch: { 'review.findings': r.findings },
            detail: { round, unmet: r.summary.unmet },
          });
        }
        return added;
      }
    }
    const { summary, findings } = await activities.summariseTrainingPlan({ pledgeId, round, cohorts: plan.cohorts });
    plan = { ...plan, ...summary, round };
    await save(`training-${round}:replan-failed`, 'training.replan_failed', 'system', {
      round,
      failedCohortId: failed.id,
      reason: `no seats could be reserved for the replanned trainees after ${MAX_REPLAN_ATTEMPTS} attempts`,
      unmet: summary.unmet,
    });
    if (findings) {
      await activities.recordTransition({
        pledgeId,
        eventId: `${pledgeId}:training-${round}:findings`,
        at: nowIso(),
        type: 'training.capacity_shortfall',
        actor: 'system',
        patch: { 'review.findings': findings },
        detail: { round, unmet: summary.unmet },
      });
    }
    return [];
  };

  const apply = async ({ cohortId, type, at, actor }: CohortEventArgs): Promise<CohortEventResult> => {
    const cohort = find(cohortId);
    if (!cohort) return refuse('not_found', `cohort ${cohortId} is not part of pledge ${pledgeId}'s plan`);
    const refusal = refuseCohortEvent(cohort, type);
    if (refusal) return refuse('conflict', refusal);
    const stamp = type === 'started' ? 'startedAt' : type === 'completed' ? 'completedAt' : 'failedAt';
    update(cohortId, { state: type, [stamp]: at });
    await save(`cohort:${cohortId}:${type}`, `training.cohort_${type}`, actor.username, {
      cohortId,
      courseId: cohort.courseId,
      sessionId: cohort.sessionId,
      trainees: cohort.trainees,
      at,
    });
    let replacements: PlannedCohort[] = [];
    if (type === 'failed') {
      replacements = await replan(cohort, at);
      await notify(
        `cohort:${cohortId}:failed`,
        `Pledge ${pledgeId}: cohort ${cohortId} (${cohort.courseId}) failed`,
        replacements.length
          ? `${cohort.trainees} trainees replanned into ${replacements.map((c) => c.sessionId).join(', ')}`
          : 'No later seats could be reserved for its trainees; see the plan',
      );
    }
    const status = trainingComplete(plan.cohorts) ? 'READY' : 'IN_TRAINING';
    return { cohort: find(cohortId)!, pledge: { id: pledgeId, status }, replacements };
  };

  await save(`training-${round}:in-training`, 'training.in_training', 'system', { round, cohorts: plan.cohorts.length }, 'IN_TRAINING');
  await notify(`training-${round}:in-training`, `Pledge ${pledgeId}: seats reserved, training under way`);

  while (!trainingComplete(plan.cohorts)) {
    await condition(() => queue.length > 0);
    const pending = queue.shift()!;
    try {
      pending.result = await apply(pending.args);
    } catch (err) {
      pending.error = err instanceof Error ? err : new Error(String(err));
    }
    pending.done = true;
  }
  closed = true;
  for (const pending of queue.splice(0)) {
    pending.error = ApplicationFailure.create({ type: 'conflict', message: `the training of pledge ${pledgeId} is complete`, nonRetryable: true });
    pending.done = true;
  }
  await save('training:ready', 'training.ready', 'system', { readyBy: plan.readyBy }, 'READY');
  await notify('training:ready', `Pledge ${pledgeId}: every cohort has completed; crews are READY`);
  await condition(allHandlersFinished);
  return plan;
}
