import type { CompleteTaskArgs, TaskActionResult } from '../workflows/human-tasks';
import { DomainFailure } from '../domain/failures';
import { canSeeDonor, type Principal } from '../domain/permissions';
import { actorOf, maySee, type DecisionInput, type TaskSnapshot } from '../domain/tasks';

/** Finds tasks and their pledges as they stand after every write the caller made. */
export interface TaskFinder<T extends TaskSnapshot> {
  task(id: string): Promise<T | undefined>;
  pledge(id: string): Promise<{ donor: string } | undefined>;
}

export interface DecisionPorts<T extends TaskSnapshot> extends TaskFinder<T> {
  /** Checks a command approval's signature (a refusal names the field); answers what the record keeps. */
  verifySignature(principal: Principal, task: T, input: DecisionInput): Promise<CompleteTaskArgs['signed']>;
  /** Sends the decision to the task's workflow; answered once applied, its refusals as `DomainFailure`s. */
  complete(task: T, args: CompleteTaskArgs): Promise<TaskActionResult>;
}

/**
 * A task the principal is to act on. One it may see but not decide is `forbidden`; one it may not see at all (of
 * another nation's pledge) is `not_found`, as a missing one.
 */
export async function taskToAct<T extends TaskSnapshot>(
  finder: TaskFinder<T>,
  principal: Principal,
  id: string,
): Promise<T> {
  const task = await finder.task(id);
  if (!task) throw new DomainFailure('not_found', `task ${id} not found`);
  if (maySee(task, principal)) return task;
  const pledge = await finder.pledge(task.pledgeId);
  if (!pledge || !canSeeDonor(principal, pledge.donor))
    throw new DomainFailure('not_found', `task ${id} not found`);
  throw new DomainFailure('forbidden', `only ${task.candidateRoles.join(' or ')} may act on this task`);
}

/** An action on a task reaches its workflow only while the task is open. */
export function checkOpen(task: Pick<TaskSnapshot, 'id' | 'state'>): void {
  if (task.state !== 'open') throw new DomainFailure('conflict', `task ${task.id} is ${task.state}`);
}

/**
 * Decides a task: a command approval's signature is verified before anything reaches the workflow, which applies
 * the decision and answers with the pledge's new status. Refuses as `not_found`, `forbidden`, `conflict` (no longer
 * open) or `unprocessable` (not a decision this task takes), or as the signature check refuses.
 */
export async function decideTask<T extends TaskSnapshot>(
  ports: DecisionPorts<T>,
  principal: Principal,
  taskId: string,
  input: DecisionInput,
): Promise<{ task: T; result: TaskActionResult }> {
  const task = await taskToAct(ports, principal, taskId);
  const signed =
    task.kind === 'command_approval' && task.state === 'open'
      ? await ports.verifySignature(principal, task, input)
      : undefined;
  checkOpen(task);
  const result = await ports.complete(task, {
    taskId: task.id,
    actor: actorOf(principal),
    input,
    ...(signed ? { signed } : {}),
  });
  return { task, result };
}
