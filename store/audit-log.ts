import { randomUUID } from 'node:crypto';
import { canonicalHash } from './canonical-hash';
import type { Store } from './index';

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditInput {
  /** Deterministic for workflow-originated events, so an activity retry appends nothing new. */
  eventId?: string;
  actor: string;
  action: string;
  pledgeId?: string | null;
  detail?: Record<string, unknown>;
  at?: string;
}

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

function isDuplicateKey(err: unknown): err is { code: number; keyPattern?: Record<string, unknown>; message: string } {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 11000;
}

/**
 * Appends one entry at the end of the chain. Two concurrent appends race for the same `seq`;
 * the unique index lets exactly one win and the other retries on top of it.
 */
export async function appendAudit(store: Store, input: AuditInput): Promise<AuditEntry> {
  const eventId = input.eventId ?? randomUUID();
  for (let attempt = 0; attempt < 200; attempt++) {
    const existing = await store.Audit.findOne({ eventId }).lean<AuditEntry>();
    if (existing) return existing;
    const last = await store.Audit.findOne({}, { seq: 1, hash: 1 }).sort({ seq: -1 }).lean<AuditEntry>();
    const base = {
      seq: (last?.seq ?? 0) + 1,
      eventId,
      at: input.at ?? new Date().toISOString(),
      actor: input.actor,
      action: input.action,
      pledgeId: input.pledgeId ?? null,
      detail: JSON.parse(JSON.stringify(input.detail ?? {})) as Record<string, unknown>,
      prevHash: last?.hash ?? GENESIS_HASH,
    };
    const entry: AuditEntry = { ...base, hash: entryHash(base) };
    try {
      await store.Audit.create(entry);
      return entry;
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      await new Promise((r) => setTimeout(r, Math.random() * 10 * Math.min(attempt + 1, 10)));
    }
  }
  throw new Error(`audit append for ${input.action} did not settle after 200 attempts`);
}

export interface ChainVerification {
  ok: boolean;
  checked: number;
  firstBrokenSeq?: number;
  reason?: string;
}

/** Walks the whole chain in `seq` order and names the first entry that does not verify. */
export async function verifyAuditChain(store: Store): Promise<ChainVerification> {
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1;
  let checked = 0;
  const cursor = store.Audit.find({}).sort({ seq: 1 }).lean<AuditEntry[]>().cursor();
  for await (const raw of cursor) {
    const e = raw;
    const broken = (reason: string): ChainVerification => ({ ok: false, checked, firstBrokenSeq: expectedSeq, reason });
    if (e.seq !== expectedSeq) return broken(`entry ${expectedSeq} is missing or out of order`);
    if (e.prevHash !== prevHash) return broken('does not link to the previous entry');
    const { hash, ...rest } = e;
    if (entryHash({ ...rest, pledgeId: rest.pledgeId ?? null, detail: rest.detail ?? {} }) !== hash) {
      return broken('content does not match its hash');
    }
    prevHash = hash;
    expectedSeq++;
    checked++;
  }
  return { ok: true, checked };
}
