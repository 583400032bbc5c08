import { Schema, type Connection } from 'mongoose';
import type { Store } from './index';

/**
 * Comments live in their own documents, inserted and never updated: FerretDB applies an update by
 * rewriting the whole document it read, so a comment pushed into the task while the workflow saves
 * the task could be lost.
 */
export const taskCommentSchema = new Schema<TaskCommentRecord>(
  {
    _id: String,
    taskId: { type: String, required: true, index: true },
    by: { type: String, required: true },
    at: { type: String, required: true },
    text: { type: String, required: true },
  },
  { strict: true, versionKey: false },
);

export const taskCommentModel = (c: Connection) =>
  c.model<TaskCommentRecord>('TaskComment', taskCommentSchema, 'task_comments');

export interface TaskComment {
  by: string;
  at: string;
  text: string;
}

/** A comment as stored, with its task. */
export interface TaskCommentRecord extends TaskComment {
  _id: string;
  taskId: string;
}

/** The comments of the given tasks, oldest first, by task id. */
export async function commentsByTask(store: Store, taskIds: string[]): Promise<Map<string, TaskComment[]>> {
  const byTask = new Map<string, TaskComment[]>(taskIds.map((id) => [id, []]));
  if (!taskIds.length) return byTask;
  const docs = await store.TaskComment.find({ taskId: { $in: taskIds } })
    .sort({ at: 1, _id: 1 })
    .lean();
  for (const { taskId, by, at, text } of docs) byTask.get(taskId)?.push({ by, at, text });
  return byTask;
}

/** Stores a new comment in a document of its own. */
export async function keepTaskComment(store: Store, taskId: string, comment: TaskComment & { id: string }) {
  await store.TaskComment.create({
    _id: comment.id,
    taskId,
    by: comment.by,
    at: comment.at,
    text: comment.text,
  });
}
