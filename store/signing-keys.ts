import { Schema, type Connection } from 'mongoose';

/** Users' Ed25519 public keys (JWK). A revoked key signs nothing new; old signatures still verify. */
export const signingKeySchema = new Schema(
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

export const signingKeyModel = (c: Connection) => c.model('SigningKey', signingKeySchema, 'signing_keys');
