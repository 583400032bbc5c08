import { createHash } from 'node:crypto';
import { ulid } from 'ulid';
import { DomainFailure, invalidInput, type FailureDetail } from '../domain/failures';
import { canSeeDonor, type Principal } from '../domain/permissions';
import { derivePledgeFields } from '../domain/pledge-derived';
import type { EventOf } from '../domain/pledge-events';
import { lifecycleWorkflowId } from '../domain/pledge-lifecycle';
import type { System } from '../domain/schemas/reference';
import { submissionProblems, type PledgeInput, type PledgeStatus } from '../domain/schemas/pledge';

/** The catalogue's systems as they stand: the known ids, and what a pledge's derived fields need. */
export interface SystemCatalogue {
  systems(): Promise<System[]>;
}

/** What submitting a pledge needs; the API and the jobs worker (imports) give it the same adapters. */
export interface PledgeSubmissionPorts extends SystemCatalogue {
  /**
   * Starts the pledge's lifecycle workflow with its submission; a start already made for this pledge is no error.
   * Refuses as `unavailable` when the workflow engine cannot start it (then nothing was created).
   */
  startLifecycle(submitted: EventOf<'pledge.submitted'>): Promise<void>;
  /** Writes the submission to the record at once (the workflow writes the same event again): best effort. */
  record(submitted: EventOf<'pledge.submitted'>): Promise<unknown>;
  /** Told when the early write fails (the workflow will record the pledge). */
  warn(obj: object, message: string): void;
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
 * the CSV import share (`submissionProblems`: delivery not in the past and within the horizon, a system at most
 * once per delivery window, whole euros). Refuses as `forbidden` or `invalid`, naming the fields.
 */
export async function checkPledge(
  catalogue: SystemCatalogue,
  principal: Principal,
  input: PledgeInput,
  today: string = new Date().toISOString().slice(0, 10),
): Promise<void> {
  if (!canSeeDonor(principal, input.donor)) {
    throw new DomainFailure('forbidden', `a donor liaison may pledge only for ${principal.nation}`, [
      { path: 'donor', message: `must be your nation (${principal.nation})` },
    ]);
  }
  const known = new Set((await catalogue.systems()).map((s) => s.id));
  const details: FailureDetail[] = [];
  input.items.forEach((item, i) => {
    if (!known.has(item.systemId)) {
      details.push({
        path: `items.${i}.systemId`,
        message: `unknown system "${item.systemId}" (see /api/v1/catalog/systems)`,
      });
    }
  });
  details.push(...submissionProblems(input, today));
  if (details.length) throw invalidInput(details);
}

/**
 * Submits a pledge: the business checks, its lifecycle workflow (which carries the submission event), then the
 * record, so that the caller's next read shows it. The same idempotency key (per principal) always yields the
 * same pledge and creates nothing twice. Refuses as `forbidden` or `invalid` (the input) or `unavailable` (the
 * workflow engine is down: then nothing was created).
 */
export async function submitPledge(
  ports: PledgeSubmissionPorts,
  principal: Principal,
  input: PledgeInput,
  idempotencyKey?: string,
): Promise<SubmittedPledge> {
  await checkPledge(ports, principal, input);
  const id = pledgeIdFor(principal.username, idempotencyKey);
  const workflowId = lifecycleWorkflowId(id);
  const systems = await ports.systems();
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
  await ports.startLifecycle(submitted);
  try {
    // The workflow records the same event (same id) as its first step; whichever comes first writes it.
    await ports.record(submitted);
  } catch (err) {
    // The pledge exists (its workflow is durable and records it): the answer is still "accepted".
    ports.warn({ err, pledgeId: id }, 'the submission will be recorded by its workflow');
  }
  return { id, workflowId, status: 'SUBMITTED' };
}
