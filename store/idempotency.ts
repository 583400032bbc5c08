import { Schema, type Connection } from 'mongoose';

/** One record per (principal, Idempotency-Key); inserted before the work so concurrent retries collide here. */
export const idempotencySchema = new Schema(
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
  c.model('IdempotencyRecord', idempotencySchema, 'idempotency_keys');
