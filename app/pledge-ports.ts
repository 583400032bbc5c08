import type { Principal } from '../domain/permissions';
import type { PledgeInput, PledgeStatus } from '../domain/schemas/pledge';
import type { Actor } from '../domain/tasks';
import { seenBy } from './donor-visibility';

/** A pledge as the use cases need it: whose it is and which workflow runs it. */
export interface PledgeRef {
  id: string;
  donor: string;
  workflowId: string;
}

/** Finds pledges as they stand after every write the caller made (the read side catches up first). */
export interface PledgeFinder {
  pledge(id: string): Promise<PledgeRef | undefined>;
}

/**
 * A pledge's lifecycle workflow. Each change answers with the pledge's status once it is applied; the workflow's
 * refusals come back as `DomainFailure`s.
 */
export interface PledgeLifecycle {
  amend(pledge: PledgeRef, args: { actor: Actor; pledge: PledgeInput }): Promise<{ status: PledgeStatus }>;
  withdraw(pledge: PledgeRef, args: { actor: Actor; reason: string }): Promise<{ status: PledgeStatus }>;
}

/** The pledge, if the principal may see it; another nation's is `not_found` to a donor liaison, as a missing one. */
export async function visiblePledge(
  finder: PledgeFinder,
  principal: Principal,
  id: string,
): Promise<PledgeRef> {
  return seenBy(principal, `pledge ${id}`, await finder.pledge(id));
}
