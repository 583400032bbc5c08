import { Schema, type Connection } from 'mongoose';
import type { TaskSnapshot } from '../domain/tasks';

/**
 * A human task as stored: the snapshot its workflow last saved, under its id, with the revision that ordered the
 * save.
 */
export type TaskRecord = Omit<TaskSnapshot, 'id'> & { _id: string; rev: number };

/** Who separation of duties keeps off the task: projections rebuilt from the record must keep them off too. */
const exclusionSchema = new Schema({ username: String, rule: String }, { _id: false });

/** The human-task read model (the inbox). The owning workflow is the source of truth. */
export const taskSchema = new Schema<TaskRecord>(
  {
    _id: String,
    kind: { type: String, required: true },
    pledgeId: { type: String, required: true, index: true },
    pledgeTitle: { type: String, default: '' },
    workflowId: { type: String, required: true },
    candidateRoles: { type: [String], index: true },
    nation: { type: String, default: null },
    coalitions: { type: [String], default: [] },
    assignee: { type: String, default: null },
    delegatedBy: { type: String, default: null },
    priority: { type: String, required: true },
    dueAt: { type: String, required: true },
    createdAt: { type: String, required: true },
    state: { type: String, required: true, index: true },
    title: { type: String, default: '' },
    escalated: { type: Boolean, default: false },
    decision: { type: Schema.Types.Mixed, default: null },
    rev: { type: Number, default: 0 },
    delegateRoles: { type: [String], default: [] },
    context: { type: Schema.Types.Mixed, default: {} },
    excluded: { type: [exclusionSchema], default: [] },
  },
  { strict: true, versionKey: false, minimize: false },
);

export const taskModel = (c: Connection) => c.model<TaskRecord>('Task', taskSchema, 'tasks');
export type TaskModel = ReturnType<typeof taskModel>;

/** Where a task lives: its pledge and the workflow that owns it. */
export type TaskOwner = Pick<TaskRecord, '_id' | 'pledgeId' | 'workflowId'>;

/** The named reads of the tasks collection. */
export function taskRepository(Task: TaskModel) {
  return {
    /** The task as stored; null when unknown. */
    byId: (id: string): Promise<TaskRecord | null> => Task.findById(id).lean(),
    /** Every open task's pledge and workflow. */
    openTaskOwners: (): Promise<TaskOwner[]> =>
      Task.find({ state: 'open' }, { _id: 1, pledgeId: 1, workflowId: 1 }).lean<TaskOwner[]>(),
    /** The task's pledge and workflow while it is open; null when it is closed or unknown. */
    openTaskOwner: async (id: string): Promise<TaskOwner | null> => {
      const task = await Task.findById(id, { pledgeId: 1, workflowId: 1, state: 1 }).lean();
      return task?.state === 'open'
        ? { _id: task._id, pledgeId: task.pledgeId, workflowId: task.workflowId }
        : null;
    },
  };
}
