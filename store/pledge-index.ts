import { Schema, type Connection } from 'mongoose';
import type { PledgeRecord } from '../domain/pledge-record';
import { approvedAtOf } from '../domain/schemas/pledge-view';

/**
 * A small document per pledge with what the review's duplicate check and the CSV export filter on. FerretDB
 * scans a collection for any filter but `{_id}`, decoding every document whole; the records carry their review,
 * plan, approval and timeline (10-30 kB each), these some hundred bytes. The projector keeps it in step.
 */
export interface PledgeIndexEntry {
  _id: string;
  donor: string;
  status: string;
  stage: string;
  coalitions: string[];
  systemIds: string[];
  items: PledgeRecord['items'];
  searchText: string;
  createdAt: string;
  /** What security agreements count: the value and the date it was approved. */
  valueEur: number | null;
  approvedAt: string | null;
}

export const pledgeIndexSchema = new Schema<PledgeIndexEntry>(
  {
    _id: String,
    donor: { type: String, required: true },
    status: { type: String, required: true },
    stage: { type: String, required: true },
    coalitions: [String],
    systemIds: [String],
    items: { type: Schema.Types.Mixed, default: [] },
    searchText: { type: String, default: '' },
    createdAt: { type: String, required: true },
    valueEur: { type: Number, default: null },
    approvedAt: { type: String, default: null },
  },
  { strict: true, versionKey: false, minimize: false },
);
pledgeIndexSchema.index({ status: 1, createdAt: -1 });
pledgeIndexSchema.index({ donor: 1, createdAt: -1 });

export const pledgeIndexModel = (c: Connection) =>
  c.model<PledgeIndexEntry>('PledgeIndexEntry', pledgeIndexSchema, 'pledge_index');

/** A record's index entry. */
export const pledgeIndexEntry = (r: PledgeRecord): PledgeIndexEntry => ({
  _id: r._id,
  donor: r.donor,
  status: r.status,
  stage: r.stage,
  coalitions: r.coalitions,
  systemIds: r.systemIds,
  items: r.items,
  searchText: r.searchText,
  createdAt: r.createdAt,
  valueEur: r.valueEur ?? null,
  approvedAt: approvedAtOf(r),
});

/** Most events change none of the indexed fields: then the entry is not written again. */
export const samePledgeIndexEntry = (a: PledgeIndexEntry, b: PledgeIndexEntry) =>
  JSON.stringify(a) === JSON.stringify(b);
