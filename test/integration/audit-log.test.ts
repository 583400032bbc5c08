import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { connectMongo } from '../../infra/mongo';
import { createStore, ensureIndexes, type Store } from '../../store';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createWriteStream } from 'node:fs';
import { generateKeyPairSync } from 'node:crypto';
import { entryHash, signCheckpoint, GENESIS_HASH, type AuditEntry } from '../../store/audit-chain';
import { exportAudit, verifyAuditExport } from '../../store/audit-export';
import { appendAudit, chainInOrder, checkpointAudit, verifyAuditChain } from '../../store/audit-log';
import { loadCheckpointKey, type CheckpointKey } from '../../store/checkpoint-key';

describe('the hash-chained audit log on the real database', () => {
  let store: Store;
  let key: CheckpointKey;
  beforeAll(async () => {
    key = await loadCheckpointKey(
      path.join(mkdtempSync(path.join(os.tmpdir(), 'nsatu-audit-key-')), 'checkpoint.pem'),
      { create: true },
    );
    const connection = await connectMongo(
      `mongodb://127.0.0.1:27017/nsatu_test_audit_${randomUUID().slice(0, 8)}`,
    );
    store = createStore(connection);
    await ensureIndexes(store);
  });
  beforeEach(async () => {
    await store.Audit.deleteMany({});
    await store.PendingAudit.deleteMany({});
    await store.AuditHead.deleteMany({});
    await store.AuditCheckpoint.deleteMany({});
  });
  afterAll(async () => {
    await store?.connection.close();
  });

  it('when 300 entries are appended by 30 concurrent writers, then the chain is contiguous, unforked and verifies', async () => {
    const started = Date.now();
    await Promise.all(
      Array.from({ length: 30 }, (_, w) =>
        (async () => {
          for (let i = 0; i < 10; i++) {
            await appendAudit(store, {
              actor: `writer-${w}`,
              action: 'test.append',
              pledgeId: `P${w}`,
              detail: { i },
            });
          }
        })(),
      ),
    );
    const seqs = (await store.Audit.find({}, { seq: 1 }).sort({ seq: 1 }).lean()).map((e) => e.seq);
    expect(seqs).toEqual(Array.from({ length: 300 }, (_, i) => i + 1));
    expect(await verifyAuditChain(store, key.publicKey)).toMatchObject({ ok: true, checked: 300 });
    expect(await store.PendingAudit.countDocuments()).toBe(0);
    console.log(`audit: 300 concurrent appends (30 writers) linked in ${Date.now() - started} ms`);
  });

  it('when the chain is read in pages smaller than it, then each entry comes once, in order, up to the last', async () => {
    for (let i = 0; i < 23; i++)
      await appendAudit(store, { actor: 'staff', action: 'test.page', detail: { i } });
    const seqs: number[] = [];
    for await (const e of chainInOrder(store, 5)) seqs.push(e.seq);
    expect(seqs).toEqual(Array.from({ length: 23 }, (_, i) => i + 1));
    // A page size that divides the chain exactly ends too (the last page is empty).
    const again: number[] = [];
    for await (const e of chainInOrder(store, 23)) again.push(e.seq);
    expect(again).toHaveLength(23);
  });

  it('when the same event is appended twice (an activity retry), then it is recorded once', async () => {
    const a = await appendAudit(store, { eventId: 'evt-1', actor: 'system', action: 'x' });
    const b = await appendAudit(store, { eventId: 'evt-1', actor: 'system', action: 'x' });
    expect(b.seq).toBe(a.seq);
    expect(await store.Audit.countDocuments()).toBe(1);
  });

  it.each([
    [
      'edited',
      async (s: Store) => void (await s.Audit.updateOne({ seq: 4 }, { $set: { detail: { i: 999 } } })),
    ],
    ['removed', async (s: Store) => void (await s.Audit.deleteOne({ seq: 4 }))],
    [
      'reordered',
      async (s: Store) => {
        await s.Audit.updateOne({ seq: 4 }, { $set: { seq: 1000 } });
        await s.Audit.updateOne({ seq: 5 }, { $set: { seq: 4 } });
        await s.Audit.updateOne({ seq: 1000 }, { $set: { seq: 5 } });
      },
    ],
  ])('when an entry is %s in the database, then verify names entry 4', async (_label, tamper) => {
    for (let i = 0; i < 8; i++) await appendAudit(store, { actor: 'a', action: 'step', detail: { i } });
    expect((await verifyAuditChain(store, key.publicKey)).ok).toBe(true);
    await tamper(store);
    expect(await verifyAuditChain(store, key.publicKey)).toMatchObject({
      ok: false,
      problem: 'altered',
      firstBrokenSeq: 4,
      checked: 3,
    });
  });

  it('when a chainer died after linking but before moving the head, then the next append repairs and links once', async () => {
    const first = await appendAudit(store, { eventId: 'evt-a', actor: 'a', action: 'one' });
    const second = await appendAudit(store, { eventId: 'evt-b', actor: 'a', action: 'two' });
    await store.AuditHead.updateOne({ _id: 'head' }, { $set: { seq: first.seq, hash: first.hash } });
    await store.PendingAudit.create({
      _id: 'evt-b',
      at: second.at,
      actor: 'a',
      action: 'two',
      detail: {},
      queuedAt: new Date(),
    });
    const third = await appendAudit(store, { eventId: 'evt-c', actor: 'a', action: 'three' });
    expect(third.seq).toBe(3);
    expect(await verifyAuditChain(store, key.publicKey)).toMatchObject({ ok: true, checked: 3 });
    expect(await store.PendingAudit.countDocuments()).toBe(0);
  });

  it('when a chainer died holding the lease, then the next append takes over after the lease lapses', async () => {
    await store.Lock.create({
      _id: 'audit-chain',
      owner: 'dead-process',
      expiresAt: new Date(Date.now() + 300),
    });
    const entry = await appendAudit(store, { actor: 'a', action: 'after-crash' });
    expect(entry.seq).toBe(1);
    expect(await store.Lock.countDocuments()).toBe(0);
  });

  /** Rewrites entries from `fromSeq` on with `change` applied and every hash recomputed, as a careful forger would. */
  async function rewriteFrom(fromSeq: number, change: (e: AuditEntry) => AuditEntry) {
    const all = await store.Audit.find({}).sort({ seq: 1 }).lean();
    let prevHash = fromSeq > 1 ? all[fromSeq - 2].hash : GENESIS_HASH;
    for (const e of all.filter((x) => x.seq >= fromSeq)) {
      const changed = change({ ...e, prevHash });
      const { hash: _h, ...rest } = changed;
      const hash = entryHash(rest);
      await store.Audit.updateOne({ seq: e.seq }, { $set: { ...rest, hash } });
      prevHash = hash;
    }
    await store.AuditHead.updateOne({ _id: 'head' }, { $set: { hash: prevHash } });
  }
  const append = async (n: number) => {
    for (let i = 0; i < n; i++)
      await appendAudit(store, { actor: 'officer', action: 'decision', detail: { i } });
  };

  it('when the newest entries are deleted after a checkpoint (and the head moved back to hide it), then verify says truncated', async () => {
    await append(12);
    await checkpointAudit(store, key);
    await store.Audit.deleteMany({ seq: { $gt: 9 } });
    const last = await store.Audit.findOne({ seq: 9 }).lean();
    await store.AuditHead.updateOne({ _id: 'head' }, { $set: { seq: 9, hash: last!.hash } });
    expect(await verifyAuditChain(store, key.publicKey)).toMatchObject({
      ok: false,
      problem: 'truncated',
      checked: 9,
      checkpoint: { seq: 12 },
    });
  });

  it('when the whole chain is rewritten with fresh hashes, then verify says rewritten: the checkpoints do not sign it', async () => {
    await append(10);
    await checkpointAudit(store, key);
    await rewriteFrom(1, (e) => (e.seq === 3 ? { ...e, actor: 'someone else' } : e));
    expect(await verifyAuditChain(store, key.publicKey)).toMatchObject({
      ok: false,
      problem: 'rewritten',
      checked: 10,
    });
  });

  it('when the chain is rewritten after an earlier checkpoint (a fork), then verify names the fork after it', async () => {
    await append(5);
    await checkpointAudit(store, key);
    await append(5);
    await checkpointAudit(store, key);
    await rewriteFrom(7, (e) => (e.seq === 7 ? { ...e, detail: { i: 'forged' } } : e));
    expect(await verifyAuditChain(store, key.publicKey)).toMatchObject({
      ok: false,
      problem: 'forked',
      firstBrokenSeq: 6,
    });
  });

  it('when a forger adds a checkpoint signed with a key of their own, then verify refuses it', async () => {
    await append(4);
    const forged = signCheckpoint((await store.AuditHead.findById('head').lean())!, {
      privateKey: generateKeyPairSync('ed25519').privateKey,
      keyId: key.keyId,
    });
    await store.AuditCheckpoint.create({ _id: String(forged.seq), ...forged });
    expect(await verifyAuditChain(store, key.publicKey)).toMatchObject({ ok: false, problem: 'altered' });
  });

  it('when the log is exported, then an auditor verifies it offline with the public key, and a tampered export fails', async () => {
    await append(6);
    await checkpointAudit(store, key);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'nsatu-audit-export-'));
    const file = path.join(dir, 'audit.jsonl');
    expect(await exportAudit(store, createWriteStream(file), key.keyId)).toEqual({
      entries: 6,
      checkpoints: 1,
    });
    expect(await verifyAuditExport(file, key.publicKey)).toMatchObject({
      ok: true,
      checked: 6,
      checkpoint: { seq: 6 },
    });
    const { readFileSync, writeFileSync } = await import('node:fs');
    writeFileSync(file, readFileSync(file, 'utf8').replace('"actor":"officer"', '"actor":"nobody"'));
    expect(await verifyAuditExport(file, key.publicKey)).toMatchObject({ ok: false, problem: 'altered' });
  });
});
