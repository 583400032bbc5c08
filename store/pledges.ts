import { Schema, type Connection } from 'mongoose';
import type { PledgeRecord } from '../domain/pledge-record';
import { pledgeIdOfCohort } from '../domain/training/execution';
import { insertIfAbsent } from './duplicate-key';

/**
 * The pledge record (domain/pledge-record.ts): the state its events lead to, with its timeline. Only the
 * projector writes it (store/projector.ts); reads are served from projections.
 */
export const pledgeSchema = new Schema<PledgeRecord>(
  {
    _id: String,
    workflowId: { type: String, required: true },
    title: { type: String, required: true },
    donor: { type: String, required: true },
    items: { type: Schema.Types.Mixed, required: true },
    trainingOffered: Boolean,
    sustainment: Schema.Types.Mixed,
    valueEur: { type: Number, default: null },
    notes: { type: String, default: null },
    coalitions: [String],
    systemIds: [String],
    searchText: { type: String, default: '' },
    status: { type: String, required: true },
    stage: { type: String, required: true },
    revision: { type: Number, default: 1 },
    submittedBy: { type: String, required: true },
    review: { type: Schema.Types.Mixed, default: null },
    trainingPlan: { type: Schema.Types.Mixed, default: null },
    approval: { type: Schema.Types.Mixed, default: null },
    deliveries: { type: Schema.Types.Mixed, default: null },
    timeline: { type: Schema.Types.Mixed, default: [] },
    version: { type: Number, required: true },
    // ISO 8601, from the events' times: the record is a function of its events.
    createdAt: { type: String, required: true },
    updatedAt: { type: String, required: true },
  },
  { strict: true, versionKey: false, minimize: false },
);
pledgeSchema.index({ donor: 1 });
pledgeSchema.index({ status: 1 });

export const pledgeModel = (c: Connection) => c.model<PledgeRecord>('Pledge', pledgeSchema, 'pledges');
export type PledgeModel = ReturnType<typeof pledgeModel>;

/** What the doctor compares with the running workflows: a pledge's status and its lifecycle workflow. */
export type PledgeLifecycle = Pick<PledgeRecord, '_id' | 'status' | 'workflowId'>;

/** What training planning reads of a pledge: its items, its review's findings and its plan so far. */
export type PledgeTrainingContext = Pick<PledgeRecord, '_id' | 'title' | 'items' | 'review' | 'trainingPlan'>;

/** A pledge's training plan, read alone. */
export type PledgeTrainingPlan = Pick<PledgeRecord, '_id' | 'trainingPlan'>;

/** A pledge whose training plan holds a given cohort. */
export type PledgeCohortOwner = Pick<PledgeRecord, '_id' | 'workflowId' | 'status'> & {
  trainingPlan: NonNullable<PledgeRecord['trainingPlan']>;
};

/** The named reads of the pledge records, and the projector's writes (it is their only writer). */
export function pledgeRepository(Pledge: PledgeModel) {
  return {
    /** Every pledge's status and lifecycle workflow. */
    lifecycles: (): Promise<PledgeLifecycle[]> =>
      Pledge.find({}, { _id: 1, status: 1, workflowId: 1 }).lean<PledgeLifecycle[]>(),
    /** What planning the pledge's training reads; null when unknown. */
    trainingContext: (id: string): Promise<PledgeTrainingContext | null> =>
      Pledge.findById(id, { title: 1, items: 1, review: 1, trainingPlan: 1 }).lean<PledgeTrainingContext>(),
    /** The pledge's training plan (null until planned); null when the pledge is unknown. */
    trainingPlan: (id: string): Promise<PledgeTrainingPlan | null> =>
      Pledge.findById(id, { trainingPlan: 1 }).lean<PledgeTrainingPlan>(),
    /**
     * The pledge whose plan holds the cohort; null when none does. Every cohort id begins with its pledge's id
     * (`cohortId`), so the pledge is read by `_id`, never searched for (FerretDB would scan the collection).
     */
    cohortOwner: async (cohortId: string): Promise<PledgeCohortOwner | null> => {
      const pledgeId = pledgeIdOfCohort(cohortId);
      if (!pledgeId) return null;
      const pledge = await Pledge.findById(pledgeId, { workflowId: 1, status: 1, trainingPlan: 1 }).lean<
        Pick<PledgeRecord, '_id' | 'workflowId' | 'status' | 'trainingPlan'>
      >();
      const plan = pledge?.trainingPlan;
      return pledge && plan?.cohorts?.some((c) => c.id === cohortId)
        ? { ...pledge, trainingPlan: plan }
        : null;
    },
    /** The whole record; null when the pledge is unknown. */
    byId: (id: string): Promise<PledgeRecord | null> => Pledge.findById(id).lean<PledgeRecord>(),
    /** Stores a new record; false when a record with its id is there already. */
    insert: (record: PledgeRecord): Promise<boolean> => insertIfAbsent(Pledge, record),
    /**
     * Replaces the record. With `ifVersion`, only if it is still at that version (one atomic update); false when
     * it is not, or the record is gone.
     */
    replace: async (after: PledgeRecord, ifVersion: number | null): Promise<boolean> => {
      const filter = ifVersion === null ? { _id: after._id } : { _id: after._id, version: ifVersion };
      const res = await Pledge.replaceOne(filter, after);
      return res.matchedCount > 0;
    },
  };
}
