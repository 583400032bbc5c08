import type { JsonWebKey } from 'node:crypto';
import { Schema, type Connection } from 'mongoose';
import { insertIfAbsent } from './duplicate-key';
import type { Store } from './index';
import type { ProjectionWriter } from './projections';
import { documentChangeLog } from './reference-changes';

/** A user's signing key as stored: `_id` is its JWK thumbprint. */
export interface SigningKeyRecord {
  _id: string;
  username: string;
  publicKey: JsonWebKey;
  thumbprint: string;
  createdAt: string;
  revokedAt: string | null;
}

/** Users' Ed25519 public keys (JWK). A revoked key signs nothing new; old signatures still verify. */
export const signingKeySchema = new Schema<SigningKeyRecord>(
  {
    _id: String,
    username: { type: String, required: true, index: true },
    publicKey: { type: Schema.Types.Mixed, required: true },
    thumbprint: { type: String, required: true, unique: true },
    createdAt: { type: String, required: true },
    revokedAt: { type: String, default: null },
  },
  { strict: true, versionKey: false },
);

export const signingKeyModel = (c: Connection) =>
  c.model<SigningKeyRecord>('SigningKey', signingKeySchema, 'signing_keys');

type SigningKeyModel = ReturnType<typeof signingKeyModel>;

/** Users' signing keys, read by id or by owner; a key is registered once and revoked once. */
export function signingKeyRepository(SigningKey: SigningKeyModel) {
  return {
    one: (keyId: string): Promise<SigningKeyRecord | null> => SigningKey.findById(keyId).lean().exec(),
    /** A user's keys, oldest first. */
    ofUser: (username: string): Promise<SigningKeyRecord[]> =>
      SigningKey.find({ username }).sort({ createdAt: 1 }).lean().exec(),
    /** Stores the key unless its id is taken (the same key registered at the same moment by the same user). */
    async insert(key: Omit<SigningKeyRecord, 'revokedAt'>): Promise<void> {
      await insertIfAbsent(SigningKey, key);
    },
    async revoke(keyId: string, revokedAt: string): Promise<void> {
      await SigningKey.updateOne({ _id: keyId }, { $set: { revokedAt } });
    },
  };
}

/** Records a change to a signing key, then tells every process to drop the keys it holds. */
export const signingKeyChangeLog = (store: Store, projections: Pick<ProjectionWriter, 'notice'>) =>
  documentChangeLog(store, projections, 'key', 'keyId');
