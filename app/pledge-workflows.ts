import { WorkflowExecutionAlreadyStartedError, WorkflowIdReusePolicy } from '@temporalio/client';
import { DomainFailure } from '../domain/failures';
import type { PledgeLifecycle, PledgeRef } from './pledge-ports';
import type { CohortEventPorts } from './record-cohort-event';
import type { PledgeSubmissionPorts } from './submit-pledge';
import type { Projector } from '../store/projector';
import type { ReferenceReader } from '../store/reference-reader';
import { amendPledgeUpdate, pledgeLifecycle, withdrawPledgeUpdate } from '../workflows/pledge-lifecycle';
import { cohortEventUpdate, trainingExecutionWorkflowId } from '../workflows/training-execution';
import type { Config } from '../infra/config';
import type { Logger } from '../infra/logger';
import type { Temporal } from '../infra/temporal';
import { fromTemporal } from '../infra/temporal-failures';

/** What the submission's adapters need: the API has it all; the jobs worker builds it for imports. */
export interface SubmissionDeps {
  temporal: Temporal;
  config: Pick<Config, 'TEMPORAL_TASK_QUEUE' | 'LIFECYCLE_HISTORY_LIMIT'>;
  logger: Logger;
  projector: Projector;
  reference: Pick<ReferenceReader, 'systems'>;
}

/** The submission use case's ports on Temporal (the lifecycle workflow), the projector and the reference data. */
export function submissionPorts(deps: SubmissionDeps): PledgeSubmissionPorts {
  const { temporal, config, logger } = deps;
  return {
    systems: () => deps.reference.systems(),
    async startLifecycle(submitted) {
      const { pledgeId, workflowId } = submitted;
      try {
        await temporal.client.workflow.start(pledgeLifecycle, {
          taskQueue: config.TEMPORAL_TASK_QUEUE,
          workflowId,
          // A retry with the same key must never start a second run of a pledge whose workflow has ended.
          workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
          args: [{ submitted, historyLimit: config.LIFECYCLE_HISTORY_LIMIT }],
          searchAttributes: {
            PledgeId: [pledgeId],
            PledgeDonor: [submitted.pledge.donor],
            PledgeStatus: ['SUBMITTED'],
          },
        });
      } catch (err) {
        if (err instanceof WorkflowExecutionAlreadyStartedError) return;
        logger.error({ err, pledgeId }, 'could not start the pledge workflow');
        throw new DomainFailure(
          'unavailable',
          'the workflow engine is unavailable; nothing was created, please retry',
        );
      }
    },
    record: (submitted) => deps.projector.projectPledge([submitted]),
    warn: (obj, message) => logger.warn(obj, message),
  };
}

/** The lifecycle workflow's Updates; its refusals come back as `DomainFailure`s (`fromTemporal`). */
export function pledgeLifecycleClient(temporal: Temporal): PledgeLifecycle {
  type Handle = ReturnType<typeof temporal.client.workflow.getHandle>;
  const send = <T>(pledge: PledgeRef, call: (handle: Handle) => Promise<T>) =>
    call(temporal.client.workflow.getHandle(pledge.workflowId)).catch((err) =>
      fromTemporal(err, `pledge ${pledge.id}`),
    );
  return {
    amend: (pledge, args) => send(pledge, (h) => h.executeUpdate(amendPledgeUpdate, { args: [args] })),
    withdraw: (pledge, args) => send(pledge, (h) => h.executeUpdate(withdrawPledgeUpdate, { args: [args] })),
  };
}

/** Sends a cohort's report to its pledge's training workflow; its refusals come back as `DomainFailure`s. */
export const cohortEventSender =
  (temporal: Temporal): CohortEventPorts['reportCohortEvent'] =>
  (pledge, args) =>
    temporal.client.workflow
      .getHandle(trainingExecutionWorkflowId(pledge.workflowId))
      .executeUpdate(cohortEventUpdate, { args: [args] })
      .catch((err) => fromTemporal(err, `the training of pledge ${pledge._id}`));
