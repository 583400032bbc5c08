import { approvalChainRoles } from '../domain/approval/chain';
import { DomainFailure } from '../domain/failures';
import type { Principal } from '../domain/permissions';
import type { ApprovalPolicy } from '../domain/schemas/approval-policy';
import type { Role } from '../domain/schemas/common';
import type { SeparationOfDuties } from '../domain/schemas/task-policy';
import { SeparationRules } from '../domain/tasks';
import type { ReferenceChangeLog } from './reference-change-log';

/** A user's profile as an administrator sets it. */
export interface UserProfile {
  username: string;
  displayName: string;
  roles: Role[];
  nation: string | null;
  email: string | null;
  coalitions: string[];
}

/** A change to a user: only the fields given change. */
export type UserChange = Partial<Omit<UserProfile, 'username'>> & { password?: string; active?: boolean };

/** The users as their administration reads and writes them. */
export interface UserAccounts<U> {
  byName(username: string): Promise<U | null>;
  /** Stores a new, active user; false when the username is taken. */
  insert(profile: UserProfile & { passwordHash: string }): Promise<U | false>;
  /** Sets the fields; with `endSessions`, every token issued before stops working. */
  update(username: string, set: Record<string, unknown>, endSessions: boolean): Promise<void>;
}

export interface UserAdministrationPorts<U> {
  users: UserAccounts<U>;
  hashPassword(password: string): Promise<string>;
  /** The policies in force that decide who may hold which approval-chain roles. */
  separation(): Promise<{ approval: ApprovalPolicy; separationOfDuties: SeparationOfDuties }>;
  /** Every process forgets what it holds of the user (their tokens' grants, their coalitions). */
  forget(username: string): Promise<void>;
  changes: ReferenceChangeLog;
}

/** A donor liaison acts for one nation: without it they would see every nation's pledges or none. */
function checkNation(roles: string[], nation: string | null) {
  if (roles.includes('donor_liaison') && !nation)
    throw new DomainFailure('invalid', 'a donor liaison needs a nation', [
      { path: 'nation', message: 'required for donor_liaison' },
    ]);
}

/**
 * Separation of duties: while the task policy keeps them apart, one person holds at most one role that decides
 * approval steps, or they could sign two steps of one round. `unprocessable`, naming `roles`.
 */
async function checkOneChainRole<U>(ports: UserAdministrationPorts<U>, roles: Role[]) {
  const { approval, separationOfDuties } = await ports.separation();
  if (!separationOfDuties.enabled || separationOfDuties.allowMultipleChainRoles) return;
  const chain = approvalChainRoles(approval);
  const held = roles.filter((r) => chain.includes(r));
  if (held.length > 1) {
    const message = `${SeparationRules.oneChainRole} (${held.join(', ')} each decide approval steps)`;
    throw new DomainFailure('unprocessable', message, [{ path: 'roles', message }]);
  }
}

/** Creates an active user; a taken username is a `conflict`. */
export async function createUser<U>(
  ports: UserAdministrationPorts<U>,
  principal: Principal,
  input: UserProfile & { password: string },
): Promise<U> {
  checkNation(input.roles, input.nation);
  await checkOneChainRole(ports, input.roles);
  const { password, ...profile } = input;
  const user = await ports.users.insert({ ...profile, passwordHash: await ports.hashPassword(password) });
  if (!user) throw new DomainFailure('conflict', `user ${input.username} already exists`);
  await ports.changes.record(principal.username, 'user.created', {
    username: input.username,
    roles: input.roles,
    nation: input.nation,
    coalitions: input.coalitions,
  });
  return user;
}

/**
 * Changes a user. Deactivating them, or changing their roles, nation or password, ends their sessions at once:
 * what a token grants changes. Coalitions are read on every request, so no session ends for them, but every
 * process forgets the old ones.
 */
export async function updateUser<U extends { roles: Role[]; nation: string | null }>(
  ports: UserAdministrationPorts<U>,
  principal: Principal,
  username: string,
  change: UserChange,
): Promise<U> {
  const user = await ports.users.byName(username);
  if (!user) throw new DomainFailure('not_found', `user ${username} not found`);
  const { password, ...fields } = change;
  checkNation(fields.roles ?? user.roles, fields.nation !== undefined ? fields.nation : user.nation);
  if (fields.roles) await checkOneChainRole(ports, fields.roles);
  const set = { ...fields, ...(password ? { passwordHash: await ports.hashPassword(password) } : {}) };
  const endSessions =
    fields.active === false || !!password || fields.roles !== undefined || fields.nation !== undefined;
  await ports.users.update(username, set, endSessions);
  if (endSessions || fields.coalitions !== undefined) await ports.forget(username);
  await ports.changes.record(principal.username, 'user.updated', {
    username,
    ...fields,
    passwordChanged: !!password,
    sessionsEnded: endSessions,
  });
  return (await ports.users.byName(username)) ?? user;
}
