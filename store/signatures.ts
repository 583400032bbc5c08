import { createPublicKey, verify, type JsonWebKey } from 'node:crypto';

/** Verifies an Ed25519 signature (base64url) over a UTF-8 payload with a public JWK; false on any malformation. */
export function verifyEd25519(publicKey: JsonWebKey, payload: string, signature: string): boolean {
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(signature)) return false;
    const key = createPublicKey({ key: publicKey, format: 'jwk' });
    if (key.asymmetricKeyType !== 'ed25519') return false;
    return verify(null, Buffer.from(payload, 'utf8'), key, Buffer.from(signature, 'base64url'));
  } catch {
    return false;
  }
}
