import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { connectMongo } from '../../infra/mongo';
import { createStore, ensureIndexes, type Store } from '../../store';
import { appendAudit, verifyAuditChain } from '../../store/audit-log';

describe('the hash-chained audit log on the real database', () => {
  let store: Store;
  beforeAll(async () => {
    const connection = await connectMongo(`mongodb://127.0.0.1:27017/nsatu_test_audit_${randomUUID().slice(0, 8)}`);
    store = createStore(connection);
    await ensureIndexes(store);
  });
  beforeEach(async () => {
    await store.Audit.deleteMany({});
    await store.PendingAudit.deleteMany({});
    await store.AuditHead.deleteMany({});
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
            await appendAudit(store, { actor: `writer-${w}`, action: 'test.append', pledgeId: `P${w}`, detail: { i } });
          }
        })(),
      ),
    );
    const seqs = (await store.Audit.find({}, { seq: 1 }).sort({ seq: 1 }).lean()).map((e) => e.seq);
    expect(seqs).toEqual(Array.from({ length: 300 }, (_, i) => i + 1));
    expect(await verifyAuditChain(store)).toEqual({ ok: true, checked: 300 });
    expect(await store.PendingAudit.countDocuments()).toBe(0);
    console.log(`audit: 300 concurrent appends (30 writers) linked in ${Date.now() - started} ms`);
  });

  it('when the same event is appended twice (an activity retry), then it is recorded once', async () => {
    const a = await appendAudit(store, { eventId: 'evt-1', actor: 'system', action: 'x' });
    const b = await appendAudit(store, { eventId: 'evt-1', actor: 'system', action: 'x' });
    expect(b.seq).toBe(a.seq);
    expect(await store.Audit.countDocuments()).toBe(1);
  });

  it.each([
    ['edited', async (s: Store) => void (await s.Audit.updateOne({ seq: 4 }, { $set: { detail: { i: 999 } } }))],
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
    expect((await verifyAuditChain(store)).ok).toBe(true);
    await tamper(store);
    expect(await verifyAuditChain(store)).toMatchObject({ ok: false, firstBrokenSeq: 4, checked: 3 });
  });

  it('when a chainer died after linking but before moving the head, then the next append repairs and links once', async () => {
    const first = await appendAudit(store, { eventId: 'evt-a', actor: 'a', action: 'one' });
    const second = await appendAudit(store, { eventId: 'evt-b', actor: 'a', action: 'two' });
    await store.AuditHead.updateOne({ _id: 'head' }, { $set: { seq: first.seq, hash: first.hash } });
    await store.PendingAudit.create({ _id: 'evt-b', at: second.at, actor: 'a', action: 'two', detail: {}, queuedAt: new Date() });
    const third = await appendAudit(store, { eventId: 'evt-c', actor: 'a', action: 'three' });
    expect(third.seq).toBe(3);
    expect(await verifyAuditChain(store)).toEqual({ ok: true, checked: 3 });
    expect(await store.PendingAudit.countDocuments()).toBe(0);
  });

  it('when a chainer died holding the lease, then the next append takes over after the lease lapses', async () => {
    await store.Lock.create({ _id: 'audit-chain', owner: 'dead-process', expiresAt: new Date(Date.now() + 300) });
    const entry = await appendAudit(store, { actor: 'a', action: 'after-crash' });
    expect(entry.seq).toBe(1);
    expect(await store.Lock.countDocuments()).toBe(0);
  });
});
