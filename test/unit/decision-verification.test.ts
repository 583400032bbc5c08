import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signingPayload, type SigningInput } from '../../domain/approval/signing-payload';
import { checkSignedDecision } from '../../store/decision-verification';

const expected: SigningInput = {
  taskId: 'P-1-approval-1-2',
  pledgeId: 'P-1',
  packageHash: 'a'.repeat(64),
  decision: 'approve',
  comment: null,
  conditions: [],
  signer: 'commander',
  role: 'commander',
  step: 2,
  round: 1,
};

function keyPair(username: string, createdAt = '2026-01-01T00:00:00.000Z', revokedAt: string | null = null) {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return {
    privateKey,
    doc: {
      _id: `key-of-${username}`,
      username,
      publicKey: publicKey.export({ format: 'jwk' }),
      createdAt,
      revokedAt,
    },
  };
}

const signed = (privateKey: ReturnType<typeof keyPair>['privateKey'], input: SigningInput) => {
  const payload = signingPayload(input);
  return { payload, signature: sign(null, Buffer.from(payload), privateKey).toString('base64url') };
};

describe('a signed decision is tied to its decider, role, step, round and the key’s lifetime', () => {
  const commander = keyPair('commander');
  const cos = keyPair('cos');
  const keys = new Map([commander, cos].map((k) => [k.doc._id, k.doc]));
  const keyOf = async (id: string) => keys.get(id) ?? null;
  const at = '2026-06-01T12:00:00.000Z';

  it('when the decider signs this decision with their own live key, then it holds', async () => {
    const s = signed(commander.privateKey, expected);
    expect(await checkSignedDecision(keyOf, { expected, keyId: commander.doc._id, ...s, at })).toEqual({
      ok: true,
    });
  });

  it('when the signature was made with another person’s key, then it is refused naming the key’s owner', async () => {
    // cos signs a payload that names the commander as signer: the key is not the decider's.
    const s = signed(cos.privateKey, expected);
    const check = await checkSignedDecision(keyOf, { expected, keyId: cos.doc._id, ...s, at });
    expect(check).toEqual({ ok: false, problem: 'key key-of-cos belongs to cos, not to commander' });
  });

  it('when a signature for step one is presented for step two, or for another round, then the payload does not match', async () => {
    for (const moved of [{ step: 1 }, { round: 2 }, { role: 'chief_of_staff' }, { signer: 'deputy' }]) {
      const s = signed(commander.privateKey, { ...expected, ...moved });
      const check = await checkSignedDecision(keyOf, { expected, keyId: commander.doc._id, ...s, at });
      expect(check.ok, JSON.stringify(moved)).toBe(false);
    }
  });

  it('when the key was registered after the decision or revoked before it, then the decision does not verify', async () => {
    const late = keyPair('commander', '2026-07-01T00:00:00.000Z');
    const revoked = keyPair('commander', '2026-01-01T00:00:00.000Z', '2026-05-01T00:00:00.000Z');
    const lookup = async (id: string) => (id === 'late' ? late.doc : id === 'revoked' ? revoked.doc : null);
    const byLate = signed(late.privateKey, expected);
    const byRevoked = signed(revoked.privateKey, expected);
    expect(await checkSignedDecision(lookup, { expected, keyId: 'late', ...byLate, at })).toMatchObject({
      ok: false,
      problem: expect.stringContaining('registered after the decision'),
    });
    expect(await checkSignedDecision(lookup, { expected, keyId: 'revoked', ...byRevoked, at })).toMatchObject(
      {
        ok: false,
        problem: expect.stringContaining('revoked before the decision'),
      },
    );
  });
});
