import { describe, expect, it } from 'vitest';
import { refusal } from '../support/refusal';
import type { Principal } from '../../domain/permissions';
import type { SigningKeyRecord } from '../../store/signing-keys';
import { registerSigningKey, revokeSigningKey, type SigningKeyPorts } from '../../app/signing-keys';

const cmdr: Principal = { username: 'cmdr', roles: ['commander'], nation: null };
const deputy: Principal = { username: 'deputy', roles: ['deputy_commander'], nation: null };
const jwk = (fill: string) => ({ kty: 'OKP' as const, crv: 'Ed25519' as const, x: fill.repeat(43) });

/** Signing keys in memory, and every change the use cases recorded. */
function fakeKeys() {
  const held = new Map<string, SigningKeyRecord>();
  const recorded: Array<{ action: string; detail: Record<string, unknown> }> = [];
  const ports: SigningKeyPorts = {
    keys: {
      one: async (id) => held.get(id) ?? null,
      insert: async (key) => void (held.has(key._id) || held.set(key._id, { ...key, revokedAt: null })),
      revoke: async (id, revokedAt) => void held.set(id, { ...held.get(id)!, revokedAt }),
    },
    changes: { record: async (_actor, action, detail) => void recorded.push({ action, detail }) },
  };
  return { ports, held, recorded };
}

describe('registering a signing key', () => {
  it('when it is new, then it is stored under its thumbprint and recorded once, however often it is sent', async () => {
    const fake = fakeKeys();
    const keyId = await registerSigningKey(fake.ports, cmdr, jwk('A'));
    expect(keyId).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await registerSigningKey(fake.ports, cmdr, jwk('A'))).toBe(keyId);
    expect(fake.held.get(keyId)).toMatchObject({ username: 'cmdr', thumbprint: keyId, publicKey: jwk('A') });
    expect(fake.recorded).toEqual([{ action: 'key.registered', detail: { keyId, publicKey: jwk('A') } }]);
  });

  it("when it is another user's, or revoked, then conflict, and nothing more is recorded", async () => {
    const fake = fakeKeys();
    const keyId = await registerSigningKey(fake.ports, cmdr, jwk('B'));
    expect(await refusal(registerSigningKey(fake.ports, deputy, jwk('B')))).toMatchObject({
      kind: 'conflict',
      message: 'this key is registered to another user',
    });
    await revokeSigningKey(fake.ports, cmdr, keyId);
    expect(await refusal(registerSigningKey(fake.ports, cmdr, jwk('B')))).toMatchObject({
      kind: 'conflict',
      message: 'this key was revoked; generate a new one',
    });
    expect(fake.recorded.map((r) => r.action)).toEqual(['key.registered', 'key.revoked']);
  });
});

describe('revoking a signing key', () => {
  it("when it is someone else's or unknown, then not_found, and it stays live", async () => {
    const fake = fakeKeys();
    const keyId = await registerSigningKey(fake.ports, cmdr, jwk('C'));
    for (const id of [keyId, 'nope']) {
      expect(await refusal(revokeSigningKey(fake.ports, deputy, id))).toMatchObject({
        kind: 'not_found',
        message: `key ${id} not found`,
      });
    }
    expect(fake.held.get(keyId)?.revokedAt).toBeNull();
  });

  it('when it is the owner’s, then it is revoked once: a second revocation keeps the first time', async () => {
    const fake = fakeKeys();
    const keyId = await registerSigningKey(fake.ports, cmdr, jwk('D'));
    const first = await revokeSigningKey(fake.ports, cmdr, keyId);
    expect(first).toEqual({ keyId, createdAt: expect.any(String), revokedAt: expect.any(String) });
    expect(await revokeSigningKey(fake.ports, cmdr, keyId)).toEqual(first);
    expect(fake.recorded).toEqual([
      { action: 'key.registered', detail: { keyId, publicKey: jwk('D') } },
      { action: 'key.revoked', detail: { keyId, revokedAt: first.revokedAt } },
    ]);
  });
});
