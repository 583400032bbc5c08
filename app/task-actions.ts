import { DomainFailure } from '../domain/failures';
import type { Principal } from '../domain/permissions';
import type { Role } from '../domain/schemas/common';
import { actorOf, checkMayAct, delegationRefusal, type Actor, type TaskSnapshot } from '../domain/tasks';
import type { TaskActionResult } from '../workflows/human-tasks';
import { checkOpen, taskToAct, type TaskFinder } from './decide-task';

/** A person a task may be handed to, as the user directory knows them. */
export interface DirectoryEntry extends Actor {
  displayName: string;
}

/** Active users, as the user directory holds them. */
export interface UserDirectory {
  active(username: string): Promise<DirectoryEntry | null>;
  activeHolders(): Promise<DirectoryEntry[]>;
}

/**
 * The task's workflow: each action answers once applied, with the task as it then stands; the workflow's own
 * refusals (it checks the same rules against its state, which may have moved on) come back as `DomainFailure`s.
 */
export interface TaskActionPorts<T extends TaskSnapshot> extends TaskFinder<T> {
  claim(task: T, args: { taskId: string; actor: Actor }): Promise<TaskActionResult>;
  release(task: T, args: { taskId: string; actor: Actor }): Promise<TaskActionResult>;
  delegate(task: T, args: { taskId: string; actor: Actor; to: Actor }): Promise<TaskActionResult>;
}

export interface TaskActionOutcome<T> {
  task: T;
  result: TaskActionResult;
}

/** Sends an action that names only its actor to the task's workflow, while the task is open. */
async function actOnOpenTask<T extends TaskSnapshot>(
  ports: TaskFinder<T>,
  send: (task: T, args: { taskId: string; actor: Actor }) => Promise<TaskActionResult>,
  principal: Principal,
  taskId: string,
): Promise<TaskActionOutcome<T>> {
  const task = await taskToAct(ports, principal, taskId);
  checkOpen(task);
  return { task, result: await send(task, { taskId: task.id, actor: actorOf(principal) }) };
}

/** Claims an open task: only the claimer may then decide it. */
export const claimTask = <T extends TaskSnapshot>(
  ports: TaskActionPorts<T>,
  principal: Principal,
  taskId: string,
) => actOnOpenTask(ports, (task, args) => ports.claim(task, args), principal, taskId);

/** Releases a task the principal claimed, back to every candidate. */
export const releaseTask = <T extends TaskSnapshot>(
  ports: TaskActionPorts<T>,
  principal: Principal,
  taskId: string,
) => actOnOpenTask(ports, (task, args) => ports.release(task, args), principal, taskId);

/**
 * Hands a task to another active user who may decide it. An unknown or deactivated user, or one who may not
 * decide it, is `unprocessable`, naming the `to` field.
 */
export async function delegateTask<T extends TaskSnapshot>(
  ports: TaskActionPorts<T> & { users: UserDirectory },
  principal: Principal,
  taskId: string,
  to: string,
): Promise<TaskActionOutcome<T>> {
  const task = await taskToAct(ports, principal, taskId);
  // Whether the principal may act on it first: a refusal about the target would tell a stranger who may.
  checkMayAct(task, actorOf(principal));
  const target = await ports.users.active(to);
  if (!target)
    throw new DomainFailure('unprocessable', `no active user ${to}`, [
      { path: 'to', message: 'unknown user' },
    ]);
  const refusal = delegationRefusal(task, target);
  if (refusal) throw new DomainFailure('unprocessable', refusal, [{ path: 'to', message: refusal }]);
  const args = {
    taskId: task.id,
    actor: actorOf(principal),
    to: {
      username: target.username,
      roles: target.roles,
      nation: target.nation,
      coalitions: target.coalitions ?? [],
    },
  };
  return { task, result: await ports.delegate(task, args) };
}

/** Who the principal may hand the task to: active users who may decide it, the principal left out, by name. */
export async function eligibleDelegates<T extends TaskSnapshot>(
  ports: TaskFinder<T> & { users: UserDirectory },
  principal: Principal,
  taskId: string,
): Promise<Array<{ username: string; displayName: string; roles: Role[] }>> {
  const task = await taskToAct(ports, principal, taskId);
  const actor = actorOf(principal);
  checkMayAct(task, actor);
  const users = await ports.users.activeHolders();
  return users
    .filter((u) => u.username !== actor.username && delegationRefusal(task, u) === null)
    .sort((a, b) => a.username.localeCompare(b.username))
    .map((u) => ({ username: u.username, displayName: u.displayName, roles: u.roles }));
}
