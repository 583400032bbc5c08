import { sign, verify, type KeyObject } from 'node:crypto';
import { canonicalize } from 'json-canonicalize';
import { canonicalHash } from './canonical-hash';

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditEntry {
  seq: number;
  eventId: string;
  at: string;
  actor: string;
  action: string;
  pledgeId: string | null;
  detail: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

/**
 * A signed statement that the chain had `hash` at `seq` at `signedAt`, made with a key held outside the database:
 * whoever rewrites, shortens or forks the log cannot make it agree with the checkpoints again.
 */
export interface Checkpoint {
  seq: number;
  hash: string;
  signedAt: string;
  keyId: string;
  signature: string;
}

/** The hash of an entry: everything but the hash itself, canonically encoded. */
export function entryHash(e: Omit<AuditEntry, 'hash'>): string {
  return canonicalHash({
    seq: e.seq,
    eventId: e.eventId,
    at: e.at,
    actor: e.actor,
    action: e.action,
    pledgeId: e.pledgeId,
    detail: e.detail,
    prevHash: e.prevHash,
  });
}

/** The exact bytes a checkpoint signs. */
export const checkpointPayload = (c: Pick<Checkpoint, 'seq' | 'hash' | 'signedAt'>) =>
  canonicalize({
    purpose: 'nsatu-engine audit checkpoint',
    version: 1,
    seq: c.seq,
    hash: c.hash,
    signedAt: c.signedAt,
  });

export function signCheckpoint(
  head: { seq: number; hash: string },
  key: { privateKey: KeyObject; keyId: string },
  signedAt = new Date().toISOString(),
): Checkpoint {
  const base = { seq: head.seq, hash: head.hash, signedAt };
  return {
    ...base,
    keyId: key.keyId,
    signature: sign(null, Buffer.from(checkpointPayload(base), 'utf8'), key.privateKey).toString('base64url'),
  };
}

export const checkpointSignatureValid = (c: Checkpoint, publicKey: KeyObject) => {
  try {
    return verify(
      null,
      Buffer.from(checkpointPayload(c), 'utf8'),
      publicKey,
      Buffer.from(c.signature, 'base64url'),
    );
  } catch {
    return false;
  }
};

/**
 * What verification found: `altered` (an entry no longer matches its hash or its link), `truncated` (entries a
 * checkpoint or the head vouched for are gone), `rewritten` (a consistent chain, but not the one the first
 * checkpoint signed: recomputed from the start) or `forked` (the chain agrees with earlier checkpoints and departs
 * from a later one).
 */
export type ChainProblem = 'altered' | 'truncated' | 'rewritten' | 'forked';

export interface ChainVerification {
  ok: boolean;
  checked: number;
  firstBrokenSeq?: number;
  problem?: ChainProblem;
  reason?: string;
  /** The latest checkpoint the chain was compared with (null when none was taken yet). */
  checkpoint?: { seq: number; hash: string; signedAt: string } | null;
}

/**
 * Walks the chain in `seq` order, checks every entry's hash and link, then compares the chain with the signed
 * checkpoints (each signature first) and with the head it should reach. Works on any source of entries: the
 * database, or an exported file verified offline.
 */
export async function verifyChain(
  entries: AsyncIterable<AuditEntry> | Iterable<AuditEntry>,
  checkpoints: Checkpoint[],
  publicKey: KeyObject | null,
  head: { seq: number } | null = null,
): Promise<ChainVerification> {
  const wanted = new Set(checkpoints.map((c) => c.seq));
  const hashAt = new Map<number, string>();
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1;
  let checked = 0;
  let broken: { seq: number; reason: string } | null = null;
  for await (const e of entries) {
    if (!broken) {
      if (e.seq !== expectedSeq)
        broken = { seq: expectedSeq, reason: `entry ${expectedSeq} is missing or out of order` };
      else if (e.prevHash !== prevHash)
        broken = { seq: expectedSeq, reason: 'does not link to the previous entry' };
      else if (entryHash({ ...e, pledgeId: e.pledgeId ?? null, detail: e.detail ?? {} }) !== e.hash)
        broken = { seq: expectedSeq, reason: 'content does not match its hash' };
    }
    if (broken) continue;
    if (wanted.has(e.seq)) hashAt.set(e.seq, e.hash);
    prevHash = e.hash;
    expectedSeq++;
    checked++;
  }
  const sorted = [...checkpoints].sort((a, b) => a.seq - b.seq);
  const latest = sorted[sorted.length - 1];
  const summary = latest ? { seq: latest.seq, hash: latest.hash, signedAt: latest.signedAt } : null;
  const result = (problem: ChainProblem, reason: string, firstBrokenSeq?: number): ChainVerification => ({
    ok: false,
    checked,
    problem,
    reason,
    ...(firstBrokenSeq !== undefined ? { firstBrokenSeq } : {}),
    checkpoint: summary,
  });
  if (broken) return result('altered', broken.reason, broken.seq);
  let matched: Checkpoint | null = null;
  for (const c of sorted) {
    if (!publicKey || !checkpointSignatureValid(c, publicKey)) {
      return result(
        'altered',
        `checkpoint at entry ${c.seq} does not carry a valid signature of the checkpoint key`,
        c.seq,
      );
    }
    const hash = hashAt.get(c.seq);
    if (hash === undefined) {
      return result(
        'truncated',
        `the log ends at entry ${checked}, but a checkpoint signed on ${c.signedAt} vouches for entry ${c.seq}`,
        checked + 1,
      );
    }
    if (hash !== c.hash) {
      return matched
        ? result(
            'forked',
            `the log agrees with the checkpoint at entry ${matched.seq} and departs from the one at entry ${c.seq}`,
            matched.seq + 1,
          )
        : result(
            'rewritten',
            `the log does not match the first checkpoint (entry ${c.seq}): it was recomputed`,
            1,
          );
    }
    matched = c;
  }
  if (head && head.seq > checked)
    return result(
      'truncated',
      `the log ends at entry ${checked}, but its head says ${head.seq}`,
      checked + 1,
    );
  return { ok: true, checked, checkpoint: summary };
}
