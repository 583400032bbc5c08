import type { CohortEventArgs, CohortEventResult } from '../workflows/training-execution';
import { DomainFailure } from '../domain/failures';
import type { Principal } from '../domain/permissions';
import type { CohortEventInput } from '../domain/schemas/cohort-event';
import { actorOf } from '../domain/tasks';
import { refuseCompletionCounts, type StoredTrainingPlan } from '../domain/training/execution';

/** The pledge whose training plan holds a cohort. */
export interface CohortOwner {
  _id: string;
  workflowId: string;
  status: string;
  trainingPlan: StoredTrainingPlan;
}

export interface CohortEventPorts {
  /** The pledge whose plan holds the cohort, or null. */
  pledgeOfCohort(cohortId: string): Promise<CohortOwner | null>;
  /** Sends the report to the pledge's training workflow; its refusals come back as `DomainFailure`s. */
  reportCohortEvent(pledge: CohortOwner, args: CohortEventArgs): Promise<CohortEventResult>;
}

/**
 * Records a site's report on a cohort (started, completed with its counts, or failed) while its pledge is in
 * training; the workflow replans failed trainees. Refuses as `not_found` (no such cohort), `conflict` (the pledge
 * is not in training, or the cohort cannot take the report) or `unprocessable` (counts that do not add up).
 */
export async function recordCohortEvent(
  ports: CohortEventPorts,
  principal: Principal,
  cohortId: string,
  input: CohortEventInput,
): Promise<CohortEventResult> {
  const pledge = await ports.pledgeOfCohort(cohortId);
  if (!pledge) throw new DomainFailure('not_found', `cohort ${cohortId} not found`);
  if (pledge.status !== 'IN_TRAINING') {
    throw new DomainFailure(
      'conflict',
      `pledge ${pledge._id} is ${pledge.status}; cohort events are taken only while it is IN_TRAINING`,
    );
  }
  const cohort = pledge.trainingPlan.cohorts.find((c) => c.id === cohortId)!;
  const wrong = refuseCompletionCounts(cohort.trainees, input);
  if (wrong) {
    throw new DomainFailure('unprocessable', `${wrong.field}: ${wrong.message}`, [
      { path: wrong.field, message: wrong.message },
    ]);
  }
  const at = input.at ? new Date(input.at).toISOString() : new Date().toISOString();
  // Counts go only when given: a report without them is the Update that histories before counts hold.
  const counts = input.failed === undefined ? {} : { passed: input.passed, failed: input.failed };
  return ports.reportCohortEvent(pledge, {
    cohortId,
    type: input.type,
    at,
    actor: actorOf(principal),
    ...counts,
  });
}
