import { randomUUID } from 'node:crypto';
import { Schema, type Connection } from 'mongoose';
import { isDuplicateKey } from './duplicate-key';

/** Leases: held by inserting `_id` (a unique insert is atomic everywhere); a lapsed lease may be taken over. */
export interface LockRecord {
  _id: string;
  owner: string;
  expiresAt: Date;
}

export const lockSchema = new Schema<LockRecord>(
  { _id: String, owner: { type: String, required: true }, expiresAt: { type: Date, required: true } },
  { strict: true, versionKey: false },
);

export const lockModel = (c: Connection) => c.model<LockRecord>('Lock', lockSchema, 'locks');
type LockModel = ReturnType<typeof lockModel>;

/**
 * Tries to take the named lease for `ttlMs`; returns a release function, or null when someone holds it.
 * Looks before it inserts: while the lease is held, callers only read (on FerretDB an insert that fails
 * still queues for the database's one writer).
 */
export async function tryLease(
  locks: LockModel,
  name: string,
  ttlMs: number,
): Promise<(() => Promise<void>) | null> {
  const held = await locks.findById(name).lean();
  if (held && held.expiresAt.getTime() > Date.now()) return null;
  // A lapsed lease (its holder died): remove exactly that one first.
  if (held) await locks.deleteOne({ _id: name, owner: held.owner });
  const owner = randomUUID();
  try {
    await locks.create({ _id: name, owner, expiresAt: new Date(Date.now() + ttlMs) });
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    return null;
  }
  return async () => {
    await locks.deleteOne({ _id: name, owner });
  };
}
