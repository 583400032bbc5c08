import { signingPayload, type SigningInput } from '../domain/approval/signing-payload';
import type { AuditEntry } from './audit-chain';
import { canonicalHash } from './canonical-hash';
import type { Store } from './index';
import { verifyEd25519 } from './signatures';
import type { SigningKeyRecord } from './signing-keys';

export interface StoredStep {
  role: string;
  by?: string | null;
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
  round?: number;
  package?: unknown;
  packageHash?: string;
  chain?: StoredStep[];
}

/** Looks keys up once per id; `forget` drops one that changed (revoked), or all. */
export function keyCache(store: Store) {
  const cache = new Map<string, Promise<SigningKeyRecord | null>>();
  let generation = 0;
  const lookup = (keyId: string) => {
    let hit = cache.get(keyId);
    if (!hit) {
      hit = store.SigningKey.findById(keyId).lean().exec();
      cache.set(keyId, hit);
      hit.catch(() => cache.delete(keyId));
    }
    return hit;
  };
  return Object.assign(lookup, {
    forget(keyId?: string) {
      generation++;
      if (keyId) cache.delete(keyId);
      else cache.clear();
    },
    /** Raised by every `forget`: a check made at an older generation may have used a key since changed. */
    get generation() {
      return generation;
    },
  });
}

export type KeyCache = ReturnType<typeof keyCache>;

export interface SignedDecision {
  /** What the signer must have signed: the decision, and who signs it in which role, step and round. */
  expected: SigningInput;
  keyId: string;
  signature: string;
  /** The payload as signed (and stored). */
  payload: string;
  /** When the decision was taken: the key must have been live then. */
  at: string;
}

/** What checking a signature reads of a key. */
export type VerifyingKey = Omit<SigningKeyRecord, 'thumbprint'>;

/**
 * Whether a signed decision holds: the payload is exactly what the decision, signer, role, step and round
 * rebuild; the key belongs to the signer, existed and was not revoked when the decision was taken; and it verifies
 * the signature. The one check behind the API, the workflow, the pages and the audit verification.
 */
export async function checkSignedDecision(
  keyOf: (keyId: string) => Promise<VerifyingKey | null>,
  d: SignedDecision,
): Promise<{ ok: true } | { ok: false; problem: string }> {
  if (d.payload !== signingPayload(d.expected))
    return {
      ok: false,
      problem: 'the signed payload is not this decision by this signer, role, step and round',
    };
  const key = await keyOf(d.keyId);
  if (!key) return { ok: false, problem: `key ${d.keyId} is unknown` };
  if (key.username !== d.expected.signer)
    return { ok: false, problem: `key ${d.keyId} belongs to ${key.username}, not to ${d.expected.signer}` };
  if (key.createdAt > d.at) return { ok: false, problem: `key ${d.keyId} was registered after the decision` };
  if (key.revokedAt && key.revokedAt <= d.at)
    return { ok: false, problem: `key ${d.keyId} was revoked before the decision` };
  if (!verifyEd25519(key.publicKey, d.payload, d.signature))
    return { ok: false, problem: 'the signature does not verify' };
  return { ok: true };
}

/**
 * Whether a decided step's signature verifies now (null when the step is not decided): an edit of the stored
 * decision, a signature moved to another step or signer, or a key of someone else breaks it.
 */
export async function stepSignatureValid(
  pledgeId: string,
  approval: Pick<StoredApproval, 'packageHash' | 'round'>,
  step: StoredStep,
  stepNo: number,
  keyOf: ReturnType<typeof keyCache>,
): Promise<boolean | null> {
  if (!step.decision) return null;
  if (
    !step.signature ||
    !step.keyId ||
    !step.taskId ||
    !step.by ||
    !step.at ||
    !step.payload ||
    !approval.packageHash
  )
    return false;
  const check = await checkSignedDecision(keyOf, {
    expected: {
      taskId: step.taskId,
      pledgeId,
      packageHash: approval.packageHash,
      decision: step.decision,
      comment: step.comment,
      conditions: step.conditions ?? [],
      signer: step.by,
      role: step.role,
      step: stepNo,
      round: approval.round ?? 1,
    },
    keyId: step.keyId,
    signature: step.signature,
    payload: step.payload,
    at: step.at,
  });
  return check.ok;
}

/** The approval as shown to users: each step with `signatureValid`, and whether the package still matches its hash. */
export async function approvalWithVerification(
  keyOf: KeyCache,
  pledgeId: string,
  approval: StoredApproval | null,
) {
  if (!approval) return null;
  const chain = await Promise.all(
    (approval.chain ?? []).map(async (step, i) => ({
      ...step,
      signatureValid: await stepSignatureValid(pledgeId, approval, step, i + 1, keyOf),
    })),
  );
  const packageValid =
    approval.package !== undefined ? canonicalHash(approval.package) === approval.packageHash : null;
  return { ...approval, chain, packageValid };
}

/** A pledge record as the check reads it: only its approval, which the filter guarantees is there. */
interface ApprovedPledge {
  _id: string;
  approval: StoredApproval;
}

/** An audit entry that keeps a signed decision, with what its detail then holds. */
interface SignedAuditEntry extends Pick<AuditEntry, 'seq' | 'at' | 'actor'> {
  pledgeId: string;
  detail: {
    keyId?: string;
    signature: string;
    payload?: string;
    role?: string;
    step?: number;
    round?: number;
    taskId?: string;
    decision?: string;
    comment?: string | null;
    conditions?: string[];
  };
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
    .lean<ApprovedPledge[]>()
    .cursor();
  for await (const pledge of cursor) {
    const { approval, _id: pledgeId } = pledge;
    if (approval.package !== undefined && canonicalHash(approval.package) !== approval.packageHash) {
      result.problems.push({ pledgeId, step: null, problem: 'decision package does not match its hash' });
    }
    for (const [i, step] of (approval.chain ?? []).entries()) {
      const valid = await stepSignatureValid(pledgeId, approval, step, i + 1, keyOf);
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
  // The audit log keeps each signed decision too: it must verify as signed by the entry's actor, in the role, step
  // and round the entry names, with a key of theirs that was live at the time.
  const signedEntries = store.Audit.find({ 'detail.signature': { $type: 'string' } })
    .sort({ seq: 1 })
    .lean<SignedAuditEntry[]>()
    .cursor();
  for await (const entry of signedEntries) {
    result.signaturesChecked++;
    const d = entry.detail;
    let packageHash: unknown;
    try {
      packageHash = (JSON.parse(d.payload ?? '') as { packageHash?: unknown }).packageHash;
    } catch {
      packageHash = undefined;
    }
    const check =
      d.keyId &&
      d.payload &&
      typeof packageHash === 'string' &&
      d.role &&
      d.step &&
      d.round &&
      d.taskId &&
      d.decision
        ? await checkSignedDecision(keyOf, {
            expected: {
              taskId: d.taskId,
              pledgeId: entry.pledgeId,
              packageHash,
              decision: d.decision,
              comment: d.comment ?? null,
              conditions: d.conditions ?? [],
              signer: entry.actor,
              role: d.role,
              step: d.step,
              round: d.round,
            },
            keyId: d.keyId,
            signature: d.signature,
            payload: d.payload,
            at: entry.at,
          })
        : ({ ok: false, problem: 'the entry does not carry what its signature covers' } as const);
    if (!check.ok)
      result.problems.push({
        pledgeId: entry.pledgeId,
        step: d.step ?? null,
        problem: `audit entry ${entry.seq}: ${check.problem}`,
      });
  }
  return result;
}
