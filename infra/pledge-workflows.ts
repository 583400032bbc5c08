import { WorkflowExecutionAlreadyStartedError, WorkflowIdReusePolicy } from '@temporalio/client';
import { DomainFailure } from '../domain/failures';
import type { PledgeSubmissionPorts } from '../domain/use-cases/submit-pledge';
import type { Projector } from '../store/projector';
import type { ReferenceReader } from '../store/reference-reader';
import { pledgeLifecycle } from '../workflows/pledge-lifecycle';
import type { Config } from './config';
import type { Logger } from './logger';
import type { Temporal } from './temporal';

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
