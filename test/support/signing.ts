import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import type { HttpClient } from './http';
import { DEMO_PASSWORD } from './stack';

export interface Signer {
  keyId: string;
  privateKey: KeyObject;
}

/**
 * Makes an Ed25519 key pair with node:crypto and registers its public key for the client's user (a demo user, whose
 * password registration asks for again).
 */
export async function registerSigner(client: HttpClient, password = DEMO_PASSWORD): Promise<Signer> {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const res = await client.post('/api/v1/me/keys', {
    publicKey: publicKey.export({ format: 'jwk' }),
    password,
  });
  if (res.status !== 201)
    throw new Error(`key registration failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { keyId: res.body.keyId, privateKey };
}

/** Fetches the signing payload for a decision and signs it; returns the body for /complete. */
export async function signedDecision(
  client: HttpClient,
  signer: Signer,
  taskId: string,
  decision: { decision: string; comment?: string; conditions?: string[] },
) {
  const query = new URLSearchParams({ decision: decision.decision });
  if (decision.comment) query.set('comment', decision.comment);
  for (const c of decision.conditions ?? []) query.append('conditions', c);
  const res = await client.get(`/api/v1/tasks/${taskId}/signing-payload?${query.toString()}`);
  if (res.status !== 200) throw new Error(`signing payload: ${res.status} ${JSON.stringify(res.body)}`);
  const signature = sign(null, Buffer.from(res.body.payload as string, 'utf8'), signer.privateKey).toString(
    'base64url',
  );
  return { ...decision, signature, keyId: signer.keyId };
}
