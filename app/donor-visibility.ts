import { DomainFailure } from '../domain/failures';
import { canSeeDonor, type Principal } from '../domain/permissions';

/**
 * A donor's record, if the principal may see it: another nation's is `not_found` to a donor liaison, as a missing
 * one, so that a liaison cannot tell which exist. `what` names it in the refusal (`pledge P1`).
 */
export function seenBy<T extends { donor: string }>(
  principal: Principal,
  what: string,
  found: T | null | undefined,
): T {
  if (!found || !canSeeDonor(principal, found.donor))
    throw new DomainFailure('not_found', `${what} not found`);
  return found;
}
