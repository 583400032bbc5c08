import { Schema, type Connection } from 'mongoose';
import { insertIfAbsent } from './duplicate-key';
import type { Store } from './index';
import type { ProjectionWriter } from './projections';
import { documentChangeLog } from './reference-changes';

/** An agreement as stored. */
export interface StoredAgreement {
  _id: string;
  donor: string;
  title: string;
  signedOn: string;
  termYears: number;
  commitments: Array<{ year: number; valueEur: number | null; byCategory?: Record<string, number> }>;
  status: string;
  sourceUrl: string | null;
  alertedYears?: number[];
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

/** Bilateral security agreements: a donor's multi-year commitments to Ukraine. A few dozen documents. */
export const agreementSchema = new Schema<StoredAgreement>(
  {
    _id: String,
    donor: { type: String, required: true },
    title: { type: String, required: true },
    signedOn: { type: String, required: true },
    termYears: { type: Number, required: true },
    commitments: { type: Schema.Types.Mixed, default: [] },
    status: { type: String, required: true },
    sourceUrl: { type: String, default: null },
    /** Years whose mid-year shortfall was notified: each is notified once. */
    alertedYears: { type: [Number], default: [] },
    createdBy: { type: String, required: true },
    createdAt: { type: String, required: true },
    updatedAt: { type: String, required: true },
  },
  { strict: true, versionKey: false, minimize: false },
);

export const agreementModel = (c: Connection) =>
  c.model<StoredAgreement>('Agreement', agreementSchema, 'agreements');

/** Agreements as their writers change them. */
export function agreementRepository(store: Pick<Store, 'Agreement'>) {
  return {
    /** Every agreement, by id. */
    all: (): Promise<StoredAgreement[]> => store.Agreement.find({}).sort({ _id: 1 }).lean().exec(),
    one: (id: string): Promise<StoredAgreement | null> => store.Agreement.findById(id).lean().exec(),
    insert: (agreement: StoredAgreement): Promise<boolean> => insertIfAbsent(store.Agreement, agreement),
    async update(id: string, fields: Partial<StoredAgreement>): Promise<StoredAgreement | null> {
      await store.Agreement.updateOne({ _id: id }, { $set: fields });
      return store.Agreement.findById(id).lean().exec();
    },
  };
}

/** Records a change to an agreement, then tells every process to drop the agreements it holds. */
export const agreementChangeLog = (store: Store, projections: Pick<ProjectionWriter, 'notice'>) =>
  documentChangeLog(store, projections, 'agreement', 'id');
