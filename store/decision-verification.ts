import type { JsonWebKey } from 'node:crypto';
import { signingPayload } from '../domain/approval/signing-payload';
import { canonicalHash } from './canonical-hash';
import type { Store } from './index';
import { verifyEd25519 } from './signatures';

export interface StoredStep {
  role: string;
  taskId: string | null;
  decision: string | null;
  comment: string | null;
  conditions: string[];
  at: string | null;
  keyId: string | null;
  signature: string | null;
  payload: string | null;
}

export interface StoredApproval {
  package?: unknown;
  packageHash?: string;
  chain?: StoredStep[];
}

interface KeyDoc {
  _id: string;
  publicKey: JsonWebKey;
  revokedAt: string | null;
}

/** Looks keys up once per id; `forget` drops one that changed (revoked), or all. */
export function keyCache(store: Store) {
  const cache = new Map<string, Promise<KeyDoc | null>>();
  const lookup = (keyId: string) => {
    let hit = cache.get(keyId);
    if (!hit) {
      hit = store.SigningKey.findById(keyId).lean<KeyDoc>().exec();
      cache.set(keyId, hit);
      hit.catch(() => cache.delete(keyId));
    }
    return hit;
  };
  return Object.assign(lookup, {
    forget(keyId?: string) {
      if (keyId) cache.delete(keyId);
      else cache.clear();
    },
  });
}

export type KeyCache = ReturnType<typeof keyCache>;

/**
 * Whether a decided step's signature verifies now: the stored decision, comment and conditions
 * rebuild exactly the signed payload, and the decider's stored key (not revoked before the
 * decision) verifies it. An edit of the stored decision breaks this.
 */
export async function stepSignatureValid(
  pledgeId: string,
  packageHash: string | undefined,
  step: StoredStep,
  keyOf: ReturnType<typeof keyCache>,
): Promise<boolean | null> {
  if (!step.decision) return null;
  if (!step.signature || !step.keyId || !step.taskId || !packageHash) return false;
  const payload = signingPayload({
    taskId: step.taskId,
    pledgeId,
    packageHash,
    decision: step.decision,
    comment: step.comment,
    conditions: step.conditions ?? [],
  });
  if (payload !== step.payload) return false;
  const key = await keyOf(step.keyId);
  if (!key) return false;
  if (key.revokedAt && step.at && key.revokedAt <= step.at) return false;
  return verifyEd25519(key.publicKey, payload, step.signature);
}

/** The approval as shown to users: each step with `signatureValid`, and whether the package still matches its hash. */
export async function approvalWithVerification(
  keyOf: KeyCache,
  pledgeId: string,
  approval: StoredApproval | null,
) {
  if (!approval) return null;
  const chain = await Promise.all(
    (approval.chain ?? []).map(async (step) => ({
      ...step,
      signatureValid: await stepSignatureValid(pledgeId, approval.packageHash, step, keyOf),
    })),
  );
  const packageValid =
    approval.package !== undefined ? canonicalHash(approval.package) === approval.packageHash : null;
  return { ...approval, chain, packageValid };
}

export interface DecisionCheck {
  signaturesChecked: number;
  problems: Array<{ pledgeId: string; step: number | null; problem: string }>;
}

/** Re-verifies every stored signed decision and every frozen decision package. */
export async function verifyStoredDecisions(store: Store): Promise<DecisionCheck> {
  const keyOf = keyCache(store);
  const result: DecisionCheck = { signaturesChecked: 0, problems: [] };
  const cursor = store.Pledge.find({ approval: { $ne: null } }, { approval: 1 })
    .sort({ _id: 1 })
    .lean<Array<{ _id: string; approval: StoredApproval }>>()
    .cursor();
  for await (const pledge of cursor) {
    const { approval, _id: pledgeId } = pledge;
    if (approval.package !== undefined && canonicalHash(approval.package) !== approval.packageHash) {
      result.problems.push({ pledgeId, step: null, problem: 'decision package does not match its hash' });
    }
    for (const [i, step] of (approval.chain ?? []).entries()) {
      const valid = await stepSignatureValid(pledgeId, approval.packageHash, step, keyOf);
      if (valid === null) continue;
      result.signaturesChecked++;
      if (!valid)
        result.problems.push({
          pledgeId,
          step: i + 1,
          problem: `${step.role}'s signed decision does not verify`,
        });
    }
  }
  const signedEntries = store.Audit.find({ 'detail.signature': { $type: 'string' } })
    .sort({ seq: 1 })
    .lean<
      Array<{
        seq: number;
        pledgeId: string;
        detail: { keyId?: string; signature: string; payload?: string };
      }>
    >()
    .cursor();
  for await (const raw of signedEntries) {
    const entry = raw;
    const key = entry.detail.keyId ? await keyOf(entry.detail.keyId) : null;
    result.signaturesChecked++;
    if (
      !key ||
      !entry.detail.payload ||
      !verifyEd25519(key.publicKey, entry.detail.payload, entry.detail.signature)
    ) {
      result.problems.push({
        pledgeId: entry.pledgeId,
        step: null,
        problem: `audit entry ${entry.seq}: signature does not verify`,
      });
    }
  }
  return result;
}
