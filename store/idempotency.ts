import { Schema, type Connection } from 'mongoose';

/** A request's record under its Idempotency-Key, as stored. */
export interface IdempotencyRecord {
  /** Records from before the `_id` keying carry a generated id instead. */
  _id: unknown;
  principal: string;
  key: string;
  route: string;
  bodyHash: string;
  state: 'pending' | 'done';
  statusCode: number | null;
  response: unknown;
  createdAt: Date;
  updatedAt: Date;
}

/** One record per (principal, Idempotency-Key); inserted before the work so concurrent retries collide here. */
export const idempotencySchema = new Schema<IdempotencyRecord>(
  {
    /** `JSON.stringify([principal, key])`: the record is found by `_id`. */
    _id: { type: String },
    principal: { type: String, required: true },
    key: { type: String, required: true },
    route: { type: String, required: true },
    bodyHash: { type: String, required: true },
    state: { type: String, enum: ['pending', 'done'], required: true },
    statusCode: { type: Number, default: null },
    response: { type: Schema.Types.Mixed, default: null },
  },
  { timestamps: true, strict: true },
);
idempotencySchema.index({ principal: 1, key: 1 }, { unique: true });

export const idempotencyModel = (c: Connection) =>
  c.model<IdempotencyRecord>('IdempotencyRecord', idempotencySchema, 'idempotency_keys');
