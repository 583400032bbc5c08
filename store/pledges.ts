import { Schema, type Connection } from 'mongoose';

/** The pledge read model: written by workflow activities, read by the API. */
export const pledgeSchema = new Schema(
  {
    _id: String,
    workflowId: { type: String, required: true },
    donor: { type: String, required: true, index: true },
    items: { type: [Schema.Types.Mixed], required: true },
    trainingOffered: Boolean,
    sustainment: Schema.Types.Mixed,
    valueEur: { type: Number, default: null },
    notes: { type: String, default: null },
    coalitions: { type: [String], index: true },
    systemIds: [String],
    status: { type: String, required: true, index: true },
    stage: { type: String, required: true },
    review: { type: Schema.Types.Mixed, default: null },
    trainingPlan: { type: Schema.Types.Mixed, default: null },
    approval: { type: Schema.Types.Mixed, default: null },
    timeline: { type: [Schema.Types.Mixed], default: [] },
    revision: { type: Number, default: 1 },
    submittedBy: { type: String, required: true },
    searchText: { type: String, default: '' },
  },
  { strict: true, timestamps: true, versionKey: false, minimize: false },
);
pledgeSchema.index({ createdAt: -1, _id: -1 });

export const pledgeModel = (c: Connection) => c.model('Pledge', pledgeSchema, 'pledges');
