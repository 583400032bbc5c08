import { Schema, type Connection } from 'mongoose';

/** Versioned policy documents; a running workflow keeps the version it started with. */
export const policySchema = new Schema(
  {
    kind: { type: String, enum: ['review', 'approval', 'tasks', 'agreements'], required: true },
    version: { type: Number, required: true },
    document: { type: Schema.Types.Mixed, required: true },
    createdBy: { type: String, required: true },
  },
  { strict: true, timestamps: true, versionKey: false, minimize: false },
);
policySchema.index({ kind: 1, version: 1 }, { unique: true });

export const policyModel = (c: Connection) => c.model('Policy', policySchema, 'policies');
