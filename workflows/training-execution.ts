import { allHandlersFinished, condition, defineUpdate, setHandler } from '@temporalio/workflow';
import type { TrainingPolicy } from '../domain/schemas/task-policy';
import type { Actor } from '../domain/tasks';
import {
  refuseCohortEvent,
  refuseCompletionCounts,
  refuseCountsShape,
  trainingComplete,
  type CohortEventType,
  type PlannedCohort,
  type StoredTrainingPlan,
} from '../domain/training/execution';
import type { ProjectedPledge } from '../domain/pledge-lifecycle';
import { activities } from './activity-proxies';
import { emit } from './emit';
import { failureOf, refuse } from './failures';
import { releaseCohorts, reserveCohorts } from './seat-reservation';

export interface CohortEventArgs {
  cohortId: string;
  type: CohortEventType;
  /** When the site says it happened (ISO 8601). */
  at: string;
  actor: Actor;
  /** With a completion: the trainees who passed and failed (both or neither; none means all passed). */
  passed?: number;
  failed?: number;
  /** Why it failed, when the engine rather than the site reports it (a session cancelled at its cutoff). */
  reason?: string;
}

export interface CohortEventResult {
  cohort: PlannedCohort;
  pledge: { id: string; status: string };
  /** For a failure (or a completion with trainees failed): the cohorts planned for those trainees. */
  replacements: PlannedCohort[];
}

export const cohortEventUpdate = defineUpdate<CohortEventResult, [CohortEventArgs]>('cohortEvent');

export const trainingExecutionWorkflowId = (lifecycleWorkflowId: string) => `${lifecycleWorkflowId}-training`;

export interface TrainingExecutionInput {
  pledgeId: string;
  plan: StoredTrainingPlan;
  /** The lifecycle recorded IN_TRAINING before starting this child (absent in runs started before it did). */
  inTrainingRecorded?: boolean;
  /** The lifecycle's task policy for replans; absent in executions started before it was passed. */
  training?: TrainingPolicy;
}

export interface TrainingExecutionResult {
  plan: StoredTrainingPlan;
  position: ProjectedPledge;
}

/** Failed trainees are replanned at most this often when the new seats are lost to other plans. */
const MAX_REPLAN_ATTEMPTS = 3;

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
export async function trainingExecution(input: TrainingExecutionInput): Promise<TrainingExecutionResult> {
  const { pledgeId } = input;
  let plan: StoredTrainingPlan = input.plan;
  let round = plan.round;
  let closed = false;
  const queue: Pending[] = [];
  const find = (id: string) => plan.cohorts.find((c) => c.id === id);

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
      validator: ({ cohortId, type, passed, failed }) => {
        const cohort = find(cohortId);
        if (!cohort) refuse('not_found', `cohort ${cohortId} not found`);
        if (closed) refuse('conflict', `the training of pledge ${pledgeId} is complete`);
        const refusal = refuseCohortEvent(cohort!, type);
        if (refusal) refuse('conflict', refusal);
        // The API checks the counts too; a caller that reaches Temporal directly is held to the same rule.
        const wrong =
          refuseCountsShape(type, { passed, failed }) ??
          refuseCompletionCounts(cohort!.trainees, { passed, failed });
        if (wrong) refuse('unprocessable', `${wrong.field}: ${wrong.message}`);
      },
    },
  );

  const update = (cohortId: string, change: Partial<PlannedCohort>) => {
    plan = { ...plan, cohorts: plan.cohorts.map((c) => (c.id === cohortId ? { ...c, ...change } : c)) };
  };

  /**
   * The failed cohort's trainees (and those who lose their downstream cohorts) into later sessions; with
   * `failedTrainees`, only that many of a completed cohort retake its course, and it keeps its seats (its session
   * has run). Without it, the activities and events are exactly those of the histories recorded before counts.
   */
  const replan = async (
    failed: PlannedCohort,
    failedOn: string,
    failedTrainees?: number,
  ): Promise<PlannedCohort[]> => {
    const partial = failedTrainees === undefined ? {} : { failedTrainees };
    const before = plan.cohorts;
    for (let attempt = 1; attempt <= MAX_REPLAN_ATTEMPTS; attempt++) {
      round++;
      const r = await activities.replanFailedCohort({
        pledgeId,
        round,
        cohorts: before,
        failedCohortId: failed.id,
        failedOn,
        training: input.training,
        ...partial,
      });
      // The failed cohort's and the released cohorts' seats go back first: the replan may reuse them.
      const released = before.filter((c) => r.releasedCohortIds.includes(c.id));
      await releaseCohorts(failedTrainees === undefined ? [failed, ...released] : released);
      for (const id of r.releasedCohortIds) update(id, { state: 'released' });
      const reservation = await reserveCohorts(pledgeId, r.cohorts);
      if (reservation.reserved) {
        const added = r.cohorts.map((c) => ({ ...c, state: 'reserved' as const }));
        plan = { ...plan, ...r.summary, cohorts: [...plan.cohorts, ...added], round };
        await emit(pledgeId, {
          type: 'training.cohort_replanned',
          id: `${pledgeId}:training-${round}:replanned`,
          actor: 'system',
          plan,
          failedCohortId: failed.id,
          released: r.releasedCohortIds,
          replacements: added,
          findings: r.findings,
          ...partial,
        });
        return added;
      }
    }
    const { summary, findings } = await activities.summariseTrainingPlan({
      pledgeId,
      round,
      cohorts: plan.cohorts,
      training: input.training,
    });
    plan = { ...plan, ...summary, round };
    await emit(pledgeId, {
      type: 'training.replan_failed',
      id: `${pledgeId}:training-${round}:replan-failed`,
      actor: 'system',
      plan,
      failedCohortId: failed.id,
      reason: `no seats could be reserved for the replanned trainees after ${MAX_REPLAN_ATTEMPTS} attempts`,
      findings,
      ...partial,
    });
    return [];
  };

  const apply = async ({
    cohortId,
    type,
    at,
    actor,
    passed,
    failed: failedTrainees,
    reason,
  }: CohortEventArgs): Promise<CohortEventResult> => {
    const cohort = find(cohortId);
    if (!cohort) return refuse('not_found', `cohort ${cohortId} not found`);
    const refusal = refuseCohortEvent(cohort, type);
    if (refusal) return refuse('conflict', refusal);
    const stamp = type === 'started' ? 'startedAt' : type === 'completed' ? 'completedAt' : 'failedAt';
    const counts =
      passed !== undefined && failedTrainees !== undefined ? { passed, failed: failedTrainees } : {};
    update(cohortId, { state: type, [stamp]: at, ...counts });
    const position = await emit(pledgeId, {
      type: `training.cohort_${type}`,
      id: `${pledgeId}:cohort:${cohortId}:${type}`,
      actor: actor.username,
      plan,
      cohort: find(cohortId)!,
      ...(reason ? { reason } : {}),
    });
    const replacements =
      type === 'failed'
        ? await replan(cohort, at)
        : failedTrainees
          ? await replan(find(cohortId)!, at, failedTrainees)
          : [];
    return { cohort: find(cohortId)!, pledge: { id: pledgeId, status: position.status }, replacements };
  };

  if (!input.inTrainingRecorded)
    await emit(pledgeId, {
      type: 'training.in_training',
      id: `${pledgeId}:training-${round}:in-training`,
      actor: 'system',
      plan,
    });
  const ready = () =>
    emit(pledgeId, { type: 'training.ready', id: `${pledgeId}:training:ready`, actor: 'system', plan });

  let position = trainingComplete(plan.cohorts) ? await ready() : null;
  while (!position) {
    await condition(() => queue.length > 0);
    const pending = queue.shift()!;
    try {
      pending.result = await apply(pending.args);
    } catch (err) {
      pending.error = err instanceof Error ? err : new Error(String(err));
    }
    if (trainingComplete(plan.cohorts)) {
      // READY is recorded before the last report is answered: its sender reads the pledge READY.
      closed = true;
      position = await ready();
      if (pending.result)
        pending.result = { ...pending.result, pledge: { id: pledgeId, status: position.status } };
    }
    pending.done = true;
  }
  for (const waiting of queue.splice(0)) {
    waiting.error = failureOf('conflict', `the training of pledge ${pledgeId} is complete`);
    waiting.done = true;
  }
  await condition(allHandlersFinished);
  return { plan, position };
}
