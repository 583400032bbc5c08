import type { JsonWebKey } from 'node:crypto';
import { calculateJwkThumbprint } from 'jose';
import { DomainFailure } from '../domain/failures';
import type { Principal } from '../domain/permissions';
import type { SigningKeyRecord } from '../store/signing-keys';

/** Users' signing keys, as their owners register and revoke them. */
export interface SigningKeyRepository {
  one(keyId: string): Promise<SigningKeyRecord | null>;
  /** Stores the key unless one of its id is stored already. */
  insert(key: Omit<SigningKeyRecord, 'revokedAt'>): Promise<void>;
  revoke(keyId: string, revokedAt: string): Promise<void>;
}

export interface SigningKeyPorts {
  keys: SigningKeyRepository;
  /** Every change is audited, and every process drops the keys it holds before it checks a signature again. */
  changes: {
    record(actor: string, action: string, detail: { keyId: string } & Record<string, unknown>): Promise<void>;
  };
}

/** An Ed25519 public key as a JWK: only what identifies it is kept. */
export interface Ed25519Jwk {
  kty: 'OKP';
  crv: 'Ed25519';
  x: string;
}

/**
 * Registers the principal's public key under its RFC 7638 thumbprint; registering it again changes nothing. A key
 * of another user, or one revoked, is a `conflict`: a revoked key must never sign again.
 */
export async function registerSigningKey(
  ports: SigningKeyPorts,
  principal: Principal,
  { kty, crv, x }: Ed25519Jwk,
): Promise<string> {
  const publicKey: JsonWebKey = { kty, crv, x };
  const keyId = await calculateJwkThumbprint({ kty, crv, x }, 'sha256');
  const existing = await ports.keys.one(keyId);
  if (existing && existing.username !== principal.username)
    throw new DomainFailure('conflict', 'this key is registered to another user');
  if (existing?.revokedAt) throw new DomainFailure('conflict', 'this key was revoked; generate a new one');
  if (!existing) {
    await ports.keys.insert({
      _id: keyId,
      username: principal.username,
      publicKey,
      thumbprint: keyId,
      createdAt: new Date().toISOString(),
    });
    await ports.changes.record(principal.username, 'key.registered', { keyId, publicKey });
  }
  return keyId;
}

/**
 * Revokes one of the principal's keys, once: it signs nothing new, and what it signed still verifies. Someone
 * else's is `not_found`, as a missing one.
 */
export async function revokeSigningKey(
  ports: SigningKeyPorts,
  principal: Principal,
  keyId: string,
): Promise<{ keyId: string; createdAt: string; revokedAt: string }> {
  const key = await ports.keys.one(keyId);
  if (!key || key.username !== principal.username)
    throw new DomainFailure('not_found', `key ${keyId} not found`);
  const revokedAt = key.revokedAt ?? new Date().toISOString();
  if (!key.revokedAt) {
    await ports.keys.revoke(key._id, revokedAt);
    await ports.changes.record(principal.username, 'key.revoked', { keyId: key._id, revokedAt });
  }
  return { keyId: key._id, createdAt: key.createdAt, revokedAt };
}
