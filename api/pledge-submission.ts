import { createHash } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError, WorkflowIdReusePolicy } from '@temporalio/client';
import { ulid } from 'ulid';
import { canSeeDonor, type Principal } from '../domain/permissions';
import { derivePledgeFields } from '../domain/pledge-derived';
import type { EventOf } from '../domain/pledge-events';
import { submissionProblems, type PledgeInput, type PledgeStatus } from '../domain/schemas/pledge';
import type { Config } from '../infra/config';
import type { Logger } from '../infra/logger';
import type { Temporal } from '../infra/temporal';
import type { Projector } from '../store/projector';
import type { ReferenceReader } from '../store/reference-reader';
import { lifecycleWorkflowId, pledgeLifecycle } from '../workflows/pledge-lifecycle';
import { ApiError, unavailable, type ErrorDetail } from './http/errors';

/** What submitting a pledge needs: the API has it all; the jobs worker builds it for imports. */
export interface SubmissionDeps {
  temporal: Temporal;
  config: Pick<Config, 'TEMPORAL_TASK_QUEUE' | 'LIFECYCLE_HISTORY_LIMIT'>;
  logger: Logger;
  projector: Projector;
  reference: Pick<ReferenceReader, 'systems'>;
}

export interface SubmittedPledge {
  id: string;
  workflowId: string;
  status: PledgeStatus;
}

/** A pledge id derived from the idempotency key: concurrent retries collide on the workflow id too. */
export const pledgeIdFor = (principal: string, key: string | undefined) =>
  key
    ? `PL${createHash('sha256').update(`${principal}\n${key}`).digest('hex').slice(0, 24).toUpperCase()}`
    : `PL${ulid()}`;

/**
 * Rules the schema cannot know: the donor's own nation, known systems, and the submission rules the web form and
 * the CSV import share (`submissionProblems`: delivery not in the past and within the horizon, a system at most once per delivery window,
 * whole euros).
 */
export async function checkPledge(
  deps: Pick<SubmissionDeps, 'reference'>,
  principal: Principal,
  input: PledgeInput,
  today: string = new Date().toISOString().slice(0, 10),
): Promise<void> {
  if (!canSeeDonor(principal, input.donor)) {
    throw new ApiError(403, 'FORBIDDEN', `a donor liaison may pledge only for ${principal.nation}`, [
      { path: 'donor', message: `must be your nation (${principal.nation})` },
    ]);
  }
  const known = new Set((await deps.reference.systems()).map((s) => s.id));
  const details: ErrorDetail[] = [];
  input.items.forEach((item, i) => {
    if (!known.has(item.systemId)) {
      details.push({
        path: `items.${i}.systemId`,
        message: `unknown system "${item.systemId}" (see /api/v1/catalog/systems)`,
      });
    }
  });
  details.push(...submissionProblems(input, today));
  if (details.length) {
    throw new ApiError(
      400,
      'VALIDATION_FAILED',
      details.map((d) => `${d.path}: ${d.message}`).join('; '),
      details,
    );
  }
}

/**
 * Submits a pledge: the business checks, its lifecycle workflow (which carries the submission event), then the
 * record, so that the caller's next read shows it. The same idempotency key (per principal) always yields the
 * same pledge and creates nothing twice. Throws an ApiError (400/403 for the input, 503 when the workflow
 * engine is down: then nothing was created).
 */
export async function submitPledge(
  deps: SubmissionDeps,
  principal: Principal,
  input: PledgeInput,
  idempotencyKey?: string,
): Promise<SubmittedPledge> {
  const { temporal, logger } = deps;
  await checkPledge(deps, principal, input);
  const id = pledgeIdFor(principal.username, idempotencyKey);
  const workflowId = lifecycleWorkflowId(id);
  const systems = await deps.reference.systems();
  const submitted: EventOf<'pledge.submitted'> = {
    type: 'pledge.submitted',
    id: `${id}:submitted`,
    pledgeId: id,
    at: new Date().toISOString(),
    actor: principal.username,
    workflowId,
    pledge: input,
    derived: derivePledgeFields(id, input, systems),
  };
  try {
    await temporal.client.workflow.start(pledgeLifecycle, {
      taskQueue: deps.config.TEMPORAL_TASK_QUEUE,
      workflowId,
      // A retry with the same key must never start a second run of a pledge whose workflow has ended.
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      args: [{ submitted, historyLimit: deps.config.LIFECYCLE_HISTORY_LIMIT }],
      searchAttributes: { PledgeId: [id], PledgeDonor: [input.donor], PledgeStatus: ['SUBMITTED'] },
    });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) {
      logger.error({ err, pledgeId: id }, 'could not start the pledge workflow');
      throw unavailable('the workflow engine is unavailable; nothing was created, please retry');
    }
  }
  try {
    // The workflow records the same event (same id) as its first step; whichever comes first writes it.
    await deps.projector.projectPledge([submitted]);
  } catch (err) {
    // The pledge exists (its workflow is durable and records it): the answer is still "accepted".
    logger.warn({ err, pledgeId: id }, 'the submission will be recorded by its workflow');
  }
  return { id, workflowId, status: 'SUBMITTED' };
}
