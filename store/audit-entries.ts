import { Schema, type Connection } from 'mongoose';

/** The hash-chained audit log: `seq` is unique, so concurrent appends cannot fork the chain. */
export const auditEntrySchema = new Schema(
  {
    seq: { type: Number, required: true, unique: true },
    eventId: { type: String, required: true, unique: true },
    at: { type: String, required: true },
    actor: { type: String, required: true },
    action: { type: String, required: true },
    pledgeId: { type: String, default: null, index: true },
    detail: { type: Schema.Types.Mixed, default: {} },
    prevHash: { type: String, required: true },
    hash: { type: String, required: true },
  },
  { strict: true, versionKey: false, minimize: false },
);

export const auditEntryModel = (c: Connection) => c.model('AuditEntry', auditEntrySchema, 'audit_log');
