import { donorScope, permissions } from '@domain/permissions';
import type { Role, User } from '../api/types';

/**
 * Whether `user` may record agreements (no `donor`) or edit `donor`'s: a role of the permission map's
 * `agreement:write`, and for a donor liaison only its own nation's, as the API confines it (another nation's
 * agreement is a 404 there, so the button would only lead to an error).
 */
export function mayWriteAgreement(user: User | null, donor?: string): boolean {
  if (!user) return false;
  const writers: readonly Role[] = permissions['agreement:write'];
  if (!user.roles.some((r) => writers.includes(r))) return false;
  const ownNation = donorScope(user);
  return donor === undefined || ownNation === null || ownNation === donor;
}
