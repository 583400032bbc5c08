import { randomUUID } from 'node:crypto';
import { DomainFailure } from '../domain/failures';
import type { Principal } from '../domain/permissions';
import type { TaskSnapshot } from '../domain/tasks';

/** A comment on a task, as its readers see it. */
export interface NewTaskComment {
  id: string;
  by: string;
  at: string;
  text: string;
}

export interface TaskCommentPorts {
  /** Keeps the comment in the record. */
  keep(taskId: string, comment: NewTaskComment): Promise<void>;
  /** Shows it with the task in every process's read model. */
  show(taskId: string, comment: NewTaskComment): Promise<void>;
  /** Files it in the pledge's audit log, once per comment id. */
  audit(entry: {
    eventId: string;
    actor: string;
    action: 'task.commented';
    pledgeId: string;
    detail: { taskId: string; text: string };
  }): Promise<void>;
}

/**
 * Comments on a task the principal may see. Auditors are `forbidden`: they read the record and never add to
 * what the deciders weigh.
 */
export async function commentOnTask(
  ports: TaskCommentPorts,
  principal: Principal,
  task: Pick<TaskSnapshot, 'id' | 'pledgeId'>,
  text: string,
): Promise<NewTaskComment> {
  if (principal.roles.every((r) => r === 'auditor'))
    throw new DomainFailure('forbidden', 'auditors read; they do not comment');
  const comment = { id: randomUUID(), by: principal.username, at: new Date().toISOString(), text };
  await ports.keep(task.id, comment);
  await ports.show(task.id, comment);
  await ports.audit({
    eventId: `comment:${comment.id}`,
    actor: principal.username,
    action: 'task.commented',
    pledgeId: task.pledgeId,
    detail: { taskId: task.id, text },
  });
  return comment;
}
