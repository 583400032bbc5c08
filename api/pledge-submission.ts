import { createHash } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError, WorkflowIdReusePolicy } from '@temporalio/client';
import { ulid } from 'ulid';
import { canSeeDonor, type Principal } from '../domain/permissions';
import type { PledgeInput, PledgeStatus } from '../domain/schemas/pledge';
import { searchTextOf } from '../activities/pledge-activities';
import { lifecycleWorkflowId, pledgeLifecycle } from '../workflows/pledge-lifecycle';
import { refreshPledgeIndex } from '../store/pledge-index';
import type { ApiDeps } from './deps';
import { ApiError, unavailable, type ErrorDetail } from './http/errors';

/** What submitting a pledge needs: the API has it all; the jobs worker builds it for imports. */
export type SubmissionDeps = Pick<ApiDeps, 'store' | 'temporal' | 'config' | 'logger'>;

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

/** Rules the schema cannot know: the donor's own nation, known systems, delivery not in the past. */
export async function checkPledge(
  deps: Pick<SubmissionDeps, 'store'>,
  principal: Principal,
  input: PledgeInput,
  today: string = new Date().toISOString().slice(0, 10),
): Promise<void> {
  if (!canSeeDonor(principal, input.donor)) {
    throw new ApiError(403, 'FORBIDDEN', `a donor liaison may pledge only for ${principal.nation}`, [
      { path: 'donor', message: `must be your nation (${principal.nation})` },
    ]);
  }
  const ids = [...new Set(input.items.map((i) => i.systemId))];
  const known = new Set(
    (await deps.store.System.find({ _id: { $in: ids } }, { _id: 1 }).lean()).map((s) => String(s._id)),
  );
  const details: ErrorDetail[] = [];
  input.items.forEach((item, i) => {
    if (!known.has(item.systemId)) {
      details.push({
        path: `items.${i}.systemId`,
        message: `unknown system "${item.systemId}" (see /api/v1/catalog/systems)`,
      });
    }
    if (item.deliveryWindow.to < today) {
      details.push({ path: `items.${i}.deliveryWindow.to`, message: 'delivery window is in the past' });
    }
  });
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
 * Submits a pledge: the business checks, the read-model record, then its lifecycle workflow.
 * The same idempotency key (per principal) always yields the same pledge and creates nothing twice.
 * Throws an ApiError (400/403 for the input, 503 when the workflow engine is down).
 */
export async function submitPledge(
  deps: SubmissionDeps,
  principal: Principal,
  input: PledgeInput,
  idempotencyKey?: string,
): Promise<SubmittedPledge> {
  const { store, temporal } = deps;
  await checkPledge(deps, principal, input);
  const id = pledgeIdFor(principal.username, idempotencyKey);
  const workflowId = lifecycleWorkflowId(id);
  const systems = await store.System.find({ _id: { $in: input.items.map((i) => i.systemId) } }).lean<
    Array<{ name: string; family: string; coalition: string }>
  >();
  const written = await store.Pledge.updateOne(
    { _id: id },
    {
      $setOnInsert: {
        workflowId,
        ...input,
        valueEur: input.valueEur ?? null,
        notes: input.notes ?? null,
        systemIds: input.items.map((i) => i.systemId),
        coalitions: [...new Set(systems.map((s) => s.coalition))].sort(),
        status: 'SUBMITTED',
        stage: 'intake',
        submittedBy: principal.username,
        searchText: searchTextOf(
          id,
          input,
          systems.flatMap((s) => [s.name, s.family]),
        ),
        timeline: [
          {
            eventId: `${id}:submitted`,
            at: new Date().toISOString(),
            type: 'pledge.submitted',
            actor: principal.username,
            detail: {},
          },
        ],
      },
    },
    { upsert: true },
  );
  await refreshPledgeIndex(store, id);
  try {
    await temporal.client.workflow.start(pledgeLifecycle, {
      taskQueue: deps.config.TEMPORAL_TASK_QUEUE,
      workflowId,
      // A retry with the same key must never start a second run of a pledge whose workflow has ended.
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      args: [{ pledgeId: id, pledge: input, submittedBy: principal.username }],
      searchAttributes: { PledgeId: [id], PledgeDonor: [input.donor], PledgeStatus: ['SUBMITTED'] },
    });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) {
      // Only what this call inserted is removed: a retry must not drop an earlier attempt's pledge.
      if (written.upsertedCount > 0) {
        await store.Pledge.deleteOne({ _id: id, status: 'SUBMITTED' });
        await refreshPledgeIndex(store, id);
      }
      deps.logger.error({ err, pledgeId: id }, 'could not start the pledge workflow');
      throw unavailable('the workflow engine is unavailable; nothing was created, please retry');
    }
  }
  return { id, workflowId, status: 'SUBMITTED' };
}
