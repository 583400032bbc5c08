import { randomUUID } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import type { CheckpointKey } from './checkpoint-key';
import {
  GENESIS_HASH,
  entryHash,
  signCheckpoint,
  verifyChain,
  type AuditEntry,
  type ChainVerification,
  type Checkpoint,
} from './audit-chain';
import type { Store } from './index';
import { tryLease } from './locks';
import { isDuplicateKey } from './duplicate-key';

export interface AuditInput {
  /** Deterministic for workflow-originated events, so an activity retry appends nothing new. */
  eventId?: string;
  actor: string;
  action: string;
  pledgeId?: string | null;
  detail?: Record<string, unknown>;
  at?: string;
}

export { GENESIS_HASH, entryHash, type AuditEntry, type ChainVerification } from './audit-chain';

const CHAIN_LEASE = 'audit-chain';
const CHAIN_LEASE_MS = 10_000;
const CHAIN_BATCH = 500;
const HEAD = 'head';

const APPEND_TIMEOUT_MS = 30_000;

/**
 * Links every pending entry onto the chain, in arrival order, while holding the chain lease.
 * Returns false when another process holds the lease (it will link ours too).
 */
export async function chainPending(store: Store): Promise<boolean> {
  const release = await tryLease(store.Lock, CHAIN_LEASE, CHAIN_LEASE_MS);
  if (!release) return false;
  try {
    for (;;) {
      const pending = await store.PendingAudit.find({})
        .sort({ queuedAt: 1, order: 1, _id: 1 })
        .limit(CHAIN_BATCH)
        .lean();
      if (!pending.length) return true;
      const head = (await store.AuditHead.findById(HEAD).lean()) ?? {
        seq: 0,
        hash: GENESIS_HASH,
      };
      let { seq, hash: prevHash } = head;
      const entries = pending.map((p) => {
        const base = {
          seq: ++seq,
          eventId: p._id,
          at: p.at,
          actor: p.actor,
          action: p.action,
          pledgeId: p.pledgeId ?? null,
          detail: p.detail ?? {},
          prevHash,
        };
        prevHash = entryHash(base);
        return { ...base, hash: prevHash };
      });
      try {
        await store.Audit.insertMany(
          entries.map((e) => ({ _id: e.eventId, ...e })),
          { ordered: true },
        );
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        // A chainer died after linking but before moving the head (or before clearing its queue): repair, then go on.
        await repairHead(store, head.seq);
        continue;
      }
      await store.AuditHead.updateOne({ _id: HEAD }, { $set: { seq, hash: prevHash } }, { upsert: true });
      await store.PendingAudit.deleteMany({ _id: { $in: pending.map((p) => p._id) } });
    }
  } finally {
    await release();
  }
}

/** Moves the head to the real end of the chain and drops queued events that are already linked (rare path). */
async function repairHead(store: Store, fromSeq: number) {
  const tail = await store.Audit.find({ seq: { $gt: fromSeq } }, { seq: 1, hash: 1 })
    .sort({ seq: 1 })
    .lean<AuditEntry[]>();
  const last = tail[tail.length - 1];
  if (last)
    await store.AuditHead.updateOne(
      { _id: HEAD },
      { $set: { seq: last.seq, hash: last.hash } },
      { upsert: true },
    );
  const queued = await store.PendingAudit.find({}, { _id: 1 }).lean();
  const linked = await store.Audit.find({ _id: { $in: queued.map((q) => q._id) } }, { _id: 1 }).lean();
  if (linked.length) await store.PendingAudit.deleteMany({ _id: { $in: linked.map((l) => l._id) } });
}

/**
 * Queues entries to be linked, in the order given (one projection's events), without waiting for the chain:
 * idempotent by event id. Whoever links next (a background chainer, a reader of the log) links them.
 */
export async function queueAudit(
  store: Store,
  inputs: Array<AuditInput & { eventId: string }>,
): Promise<void> {
  if (!inputs.length) return;
  const queuedAt = new Date();
  try {
    await store.PendingAudit.insertMany(
      inputs.map((input, order) => ({
        _id: input.eventId,
        at: input.at ?? queuedAt.toISOString(),
        actor: input.actor,
        action: input.action,
        pledgeId: input.pledgeId ?? null,
        detail: JSON.parse(JSON.stringify(input.detail ?? {})) as Record<string, unknown>,
        queuedAt,
        order,
      })),
      { ordered: false },
    );
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
  }
}

/** Links everything queued before the call (waiting for another chainer if it holds the lease). */
export async function linkQueued(store: Store, timeoutMs = APPEND_TIMEOUT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const before = new Date();
  for (let round = 0; ; round++) {
    await chainPending(store);
    if (!(await store.PendingAudit.exists({ queuedAt: { $lte: before } }))) return;
    if (Date.now() > deadline) throw new Error('queued audit entries were not linked in time');
    await new Promise((r) => setTimeout(r, Math.min(15 * 2 ** round, 250) * (0.5 + Math.random())));
  }
}

/** Links queued entries in the background, soon after each `kick` and every `intervalMs` anyway. */
export function startAuditChainer(store: Store, onError: (err: unknown) => void, intervalMs = 1000) {
  let running: Promise<void> | null = null;
  let again = false;
  const run = (): void => {
    if (running) {
      again = true;
      return;
    }
    running = chainPending(store)
      .then(() => undefined, onError)
      .finally(() => {
        running = null;
        if (again) {
          again = false;
          run();
        }
      });
  };
  const timer = setInterval(run, intervalMs);
  timer.unref();
  return {
    kick: run,
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}

export type AuditChainer = ReturnType<typeof startAuditChainer>;

/**
 * Appends one entry at the end of the chain and returns it once linked. Appenders only queue
 * their entry; whoever holds the chain lease links everything queued in one pass, so concurrent
 * appends cost one chaining pass instead of racing each other for the next sequence number.
 */
export async function appendAudit(store: Store, input: AuditInput): Promise<AuditEntry> {
  const eventId = input.eventId ?? randomUUID();
  const find = () => store.Audit.findById(eventId, { _id: 0 }).lean<AuditEntry>();
  const existing = await find();
  if (existing) return existing;
  try {
    await store.PendingAudit.create({
      _id: eventId,
      at: input.at ?? new Date().toISOString(),
      actor: input.actor,
      action: input.action,
      pledgeId: input.pledgeId ?? null,
      detail: JSON.parse(JSON.stringify(input.detail ?? {})) as Record<string, unknown>,
      queuedAt: new Date(),
      order: 0,
    });
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
  }
  const deadline = Date.now() + APPEND_TIMEOUT_MS;
  for (let round = 0; ; round++) {
    await chainPending(store);
    const entry = await find();
    if (entry) return entry;
    if (Date.now() > deadline)
      throw new Error(`audit entry ${eventId} (${input.action}) was not linked in time`);
    // Whoever holds the lease links ours too: wait a little longer each round (with jitter, so many
    // waiting appenders do not poll the database in step).
    await new Promise((r) => setTimeout(r, Math.min(15 * 2 ** round, 250) * (0.5 + Math.random())));
  }
}

/**
 * Verifies the chain in the database against its signed checkpoints and its head (store/audit-chain.ts). Without the
 * checkpoint public key (null) the checkpoints cannot be checked, and the result says so.
 */
export async function verifyAuditChain(store: Store, key: KeyObject | null): Promise<ChainVerification> {
  const checkpoints = await store.AuditCheckpoint.find({}, { _id: 0 }).lean<Checkpoint[]>();
  const head = await store.AuditHead.findById(HEAD).lean();
  return verifyChain(chainInOrder(store), checkpoints, key, head);
}

/**
 * The chain's entries in `seq` order, read a page at a time by `seq` range: each page is a query of its own, so a
 * long read never depends on a server-side cursor surviving a database restart or a busy server.
 */
export async function* chainInOrder(store: Store, pageSize = 1_000): AsyncGenerator<AuditEntry> {
  let after = 0;
  for (;;) {
    const page = await store.Audit.find({ seq: { $gt: after } }, { _id: 0 })
      .sort({ seq: 1 })
      .limit(pageSize)
      .lean<AuditEntry[]>();
    yield* page;
    if (page.length < pageSize) return;
    after = page[page.length - 1].seq;
  }
}

/**
 * A pledge's entries in chain order, linking the queued ones first so that the log shows every recorded step. The
 * filter decodes the collection on FerretDB; it serves one pledge's page, which is not a hot path.
 */
export async function pledgeAuditEntries(store: Store, pledgeId: string): Promise<AuditEntry[]> {
  await linkQueued(store);
  return store.Audit.find({ pledgeId }, { _id: 0 }).sort({ seq: 1 }).lean<AuditEntry[]>();
}

/** Signs a checkpoint of the chain as it stands (nothing when nothing was linked since the last one). */
export async function checkpointAudit(store: Store, key: CheckpointKey): Promise<Checkpoint | null> {
  const head = await store.AuditHead.findById(HEAD).lean();
  if (!head) return null;
  const last = await store.AuditCheckpoint.findById(String(head.seq)).lean();
  if (last) return last;
  const checkpoint = signCheckpoint(head, key);
  try {
    await store.AuditCheckpoint.create({ _id: String(checkpoint.seq), ...checkpoint });
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
  }
  return checkpoint;
}

/**
 * Signs checkpoints in the background: whenever the chain has grown by `every` entries since the last one, and at
 * least every `maxAgeMs` while it grows at all. Several processes may do it: a checkpoint per sequence number.
 */
export function startAuditCheckpoints(
  store: Store,
  key: CheckpointKey,
  {
    every,
    maxAgeMs = 10 * 60_000,
    intervalMs = 5_000,
    onError,
  }: { every: number; maxAgeMs?: number; intervalMs?: number; onError: (err: unknown) => void },
) {
  let running: Promise<void> | null = null;
  const tick = () => {
    running ??= (async () => {
      const head = await store.AuditHead.findById(HEAD).lean();
      if (!head) return;
      const [last] = await store.AuditCheckpoint.find({}, { seq: 1, signedAt: 1 })
        .sort({ seq: -1 })
        .limit(1)
        .lean();
      const grown = head.seq - (last?.seq ?? 0);
      const old = !last || Date.now() - Date.parse(last.signedAt) > maxAgeMs;
      if (grown >= every || (grown > 0 && old)) await checkpointAudit(store, key);
    })()
      .catch(onError)
      .finally(() => {
        running = null;
      });
  };
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
