import type { JsonWebKey } from 'node:crypto';
import { Schema, type Connection } from 'mongoose';

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
