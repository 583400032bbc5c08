import { Schema, type Connection } from 'mongoose';
import type { PledgeRecord } from '../domain/pledge-record';

/**
 * The pledge record (domain/pledge-record.ts): the state its events lead to, with its timeline. Only the
 * projector writes it (store/projector.ts); reads are served from projections.
 */
export const pledgeSchema = new Schema<PledgeRecord>(
  {
    _id: String,
    workflowId: { type: String, required: true },
    title: { type: String, required: true },
    donor: { type: String, required: true },
    items: { type: Schema.Types.Mixed, required: true },
    trainingOffered: Boolean,
    sustainment: Schema.Types.Mixed,
    valueEur: { type: Number, default: null },
    notes: { type: String, default: null },
    coalitions: [String],
    systemIds: [String],
    searchText: { type: String, default: '' },
    status: { type: String, required: true },
    stage: { type: String, required: true },
    revision: { type: Number, default: 1 },
    submittedBy: { type: String, required: true },
    review: { type: Schema.Types.Mixed, default: null },
    trainingPlan: { type: Schema.Types.Mixed, default: null },
    approval: { type: Schema.Types.Mixed, default: null },
    deliveries: { type: Schema.Types.Mixed, default: null },
    timeline: { type: Schema.Types.Mixed, default: [] },
    version: { type: Number, required: true },
    // ISO 8601, from the events' times: the record is a function of its events.
    createdAt: { type: String, required: true },
    updatedAt: { type: String, required: true },
  },
  { strict: true, versionKey: false, minimize: false },
);
pledgeSchema.index({ donor: 1 });
pledgeSchema.index({ status: 1 });

export const pledgeModel = (c: Connection) => c.model<PledgeRecord>('Pledge', pledgeSchema, 'pledges');
