import { Schema, type Connection } from 'mongoose';
import type { Store } from '.';

/**
 * A small document per pledge with just what lists filter, sort and check duplicates on. FerretDB scans a
 * collection for any filter but `{_id}`, decoding every document whole; the pledge documents carry their
 * review, plan, approval and timeline (10-30 kB each), these some hundred bytes. Lists find ids here and then
 * read each pledge by `_id`.
 */
export const pledgeIndexSchema = new Schema(
  {
    _id: String,
    donor: { type: String, required: true },
    status: { type: String, required: true },
    stage: { type: String, required: true },
    coalitions: [String],
    systemIds: [String],
    items: { type: [Schema.Types.Mixed], default: [] },
    searchText: { type: String, default: '' },
    createdAt: { type: Date, required: true },
  },
  { strict: true, versionKey: false, minimize: false },
);
pledgeIndexSchema.index({ status: 1, createdAt: -1 });
pledgeIndexSchema.index({ donor: 1, createdAt: -1 });

export const pledgeIndexModel = (c: Connection) => c.model('PledgeIndexEntry', pledgeIndexSchema, 'pledge_index');

const indexedFields = { donor: 1, status: 1, stage: 1, coalitions: 1, systemIds: 1, items: 1, searchText: 1, createdAt: 1 } as const;

/** True when a write of these fields can change the pledge's index entry. */
export const touchesPledgeIndex = (fields: Record<string, unknown>) => Object.keys(fields).some((k) => k in indexedFields);

/** Brings a pledge's index entry in line with its document (or removes it when the pledge is gone). */
export async function refreshPledgeIndex(store: Store, pledgeId: string): Promise<void> {
  const doc = await store.Pledge.findById(pledgeId, indexedFields).lean<Record<string, unknown>>();
  if (!doc) {
    await store.PledgeIndex.deleteOne({ _id: pledgeId });
    return;
  }
  const { _id, ...fields } = doc;
  await store.PledgeIndex.updateOne({ _id: pledgeId }, { $set: fields }, { upsert: true });
}

/** Indexes every pledge that has no entry yet (a database from before the index); returns how many. */
export async function backfillPledgeIndex(store: Store): Promise<number> {
  const [pledges, indexed] = await Promise.all([store.Pledge.estimatedDocumentCount(), store.PledgeIndex.estimatedDocumentCount()]);
  if (indexed >= pledges) return 0;
  const have = new Set((await store.PledgeIndex.find({}, { _id: 1 }).lean<Array<{ _id: string }>>()).map((e) => e._id));
  const all = await store.Pledge.find({}, { _id: 1 }).lean<Array<{ _id: string }>>();
  const missing = all.filter((p) => !have.has(p._id));
  for (const p of missing) await refreshPledgeIndex(store, p._id);
  return missing.length;
}

/** Reads pledges by id, at most `concurrency` at a time, in the order given; ids without a pledge are left out. */
export async function pledgesById<T>(store: Store, ids: string[], projection: Record<string, 0 | 1>, concurrency = 8): Promise<T[]> {
  const found = new Array<T | null>(ids.length).fill(null);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, ids.length) }, async () => {
      for (let i = next++; i < ids.length; i = next++) found[i] = await store.Pledge.findById(ids[i], projection).lean<T>();
    }),
  );
  return found.filter((d): d is Awaited<T> & NonNullable<T> => d !== null);
}
