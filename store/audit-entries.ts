import { Schema, type Connection } from 'mongoose';
import type { AuditEntry, Checkpoint } from './audit-chain';

/** A linked entry as stored: `_id` is its event id. */
export type AuditEntryRecord = AuditEntry & { _id: string };

/** An entry waiting to be linked: `_id` is its event id. */
export interface PendingAuditRecord {
  _id: string;
  at: string;
  actor: string;
  action: string;
  pledgeId: string | null;
  detail: Record<string, unknown>;
  queuedAt: Date;
  order: number;
}

/** The end of the chain; the one document's `_id` is `head`. */
export interface AuditHeadRecord {
  _id: string;
  seq: number;
  hash: string;
}

/** A signed checkpoint as stored: `_id` is the sequence number it vouches for. */
export type AuditCheckpointRecord = Checkpoint & { _id: string };

/** The hash-chained audit log: `seq` is unique, so concurrent appends cannot fork the chain. */
// `_id` is the event id: lookups by `_id` are the ones FerretDB serves without a scan.
export const auditEntrySchema = new Schema<AuditEntryRecord>(
  {
    _id: String,
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

export const auditEntryModel = (c: Connection) =>
  c.model<AuditEntryRecord>('AuditEntry', auditEntrySchema, 'audit_log');

/** Entries waiting to be chained: appenders only insert here; one chainer at a time links them in order. */
export const pendingAuditSchema = new Schema<PendingAuditRecord>(
  {
    _id: String,
    at: { type: String, required: true },
    actor: { type: String, required: true },
    action: { type: String, required: true },
    pledgeId: { type: String, default: null },
    detail: { type: Schema.Types.Mixed, default: {} },
    queuedAt: { type: Date, required: true },
    /** Order among entries queued together (one projection's events). */
    order: { type: Number, default: 0 },
  },
  { strict: true, versionKey: false, minimize: false },
);
pendingAuditSchema.index({ queuedAt: 1, order: 1, _id: 1 });

export const pendingAuditModel = (c: Connection) =>
  c.model<PendingAuditRecord>('PendingAuditEntry', pendingAuditSchema, 'audit_pending');

/** Where the chain ends (sequence and hash), so appending never has to sort the whole log. */
export const auditHeadSchema = new Schema<AuditHeadRecord>(
  { _id: String, seq: { type: Number, required: true }, hash: { type: String, required: true } },
  { strict: true, versionKey: false },
);

export const auditHeadModel = (c: Connection) =>
  c.model<AuditHeadRecord>('AuditHead', auditHeadSchema, 'audit_head');

/** Signed checkpoints of the chain (store/audit-chain.ts): `_id` is the sequence number they vouch for. */
export const auditCheckpointSchema = new Schema<AuditCheckpointRecord>(
  {
    _id: String,
    seq: { type: Number, required: true },
    hash: { type: String, required: true },
    signedAt: { type: String, required: true },
    keyId: { type: String, required: true },
    signature: { type: String, required: true },
  },
  { strict: true, versionKey: false },
);

export const auditCheckpointModel = (c: Connection) =>
  c.model<AuditCheckpointRecord>('AuditCheckpoint', auditCheckpointSchema, 'audit_checkpoints');
