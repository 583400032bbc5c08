import { Schema, type Connection } from 'mongoose';

/** The human-task read model (the inbox). The owning workflow is the source of truth. */
export const taskSchema = new Schema(
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
  },
  { strict: true, versionKey: false, minimize: false },
);

export const taskModel = (c: Connection) => c.model('Task', taskSchema, 'tasks');
