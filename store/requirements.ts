import { Schema, type Connection } from 'mongoose';
import type { MatchableRequirement, MatchOverrides } from '../domain/requirements/matching';
import type { RequirementInput, RequirementStatus } from '../domain/schemas/requirement';

/** A requirement as stored: Ukraine's statement of need, without its coverage (derived from the pledges). */
export type StoredRequirement = RequirementInput & {
  id: string;
  status: RequirementStatus;
  createdBy: string;
  createdAt: string;
  updatedBy: string;
  updatedAt: string;
};

/** A requirement as the collection holds it: its id as `_id`. */
export type RequirementRecord = Omit<StoredRequirement, 'id'> & { _id: string };

/** Staff's overrides of one pledge's matches, as stored (`_id` = pledge id). */
export interface RequirementMatchRecord {
  _id: string;
  bySystem: MatchOverrides;
  reason?: string;
  by?: string;
  at?: string;
}

// Addressed by `_id` only: FerretDB reads through no other index, and the collection stays small (tens of rows).
const requirementSchema = new Schema<RequirementRecord>(
  {
    _id: String,
    capability: { type: Schema.Types.Mixed, required: true },
    quantity: { type: Number, required: true },
    priority: { type: Number, required: true },
    neededBy: { type: String, required: true },
    justification: { type: String, required: true },
    status: { type: String, required: true },
    createdBy: { type: String, required: true },
    createdAt: { type: String, required: true },
    updatedBy: { type: String, required: true },
    updatedAt: { type: String, required: true },
  },
  { strict: true, versionKey: false, minimize: false },
);

/** Staff's overrides of a pledge's automatic matches, one document per pledge (`_id` = pledge id). */
const requirementMatchSchema = new Schema<RequirementMatchRecord>(
  {
    _id: String,
    bySystem: { type: Schema.Types.Mixed, required: true },
    reason: String,
    by: String,
    at: String,
  },
  { strict: true, versionKey: false, minimize: false },
);

export const requirementModels = (c: Connection) => ({
  Requirement: c.model<RequirementRecord>('Requirement', requirementSchema, 'requirements'),
  RequirementMatch: c.model<RequirementMatchRecord>(
    'RequirementMatch',
    requirementMatchSchema,
    'requirement_matches',
  ),
});

type Models = ReturnType<typeof requirementModels>;
export const toStoredRequirement = ({ _id, ...rest }: RequirementRecord): StoredRequirement => ({
  id: _id,
  ...rest,
});

/** Requirements and match overrides, read from the record. */
export function requirementReader(store: Models) {
  return {
    all: async (): Promise<StoredRequirement[]> =>
      (await store.Requirement.find().sort({ _id: 1 }).lean()).map(toStoredRequirement),
    open: async (): Promise<MatchableRequirement[]> =>
      (await store.Requirement.find({ status: 'open' }).sort({ _id: 1 }).lean()).map(toStoredRequirement),
    one: async (id: string): Promise<StoredRequirement | null> => {
      const doc = await store.Requirement.findById(id).lean();
      return doc ? toStoredRequirement(doc) : null;
    },
    /** Per pledge, staff's overrides. */
    overrides: async (): Promise<Map<string, MatchOverrides>> =>
      new Map((await store.RequirementMatch.find().lean()).map((d) => [d._id, d.bySystem ?? {}])),
    overridesFor: async (pledgeId: string): Promise<MatchOverrides> =>
      (await store.RequirementMatch.findById(pledgeId).lean())?.bySystem ?? {},
  };
}
export type RequirementReader = ReturnType<typeof requirementReader>;

/** Requirements and match overrides as their writers change them. */
export function requirementRepository(store: Models) {
  return {
    one: requirementReader(store).one,
    async insert({ id, ...fields }: StoredRequirement): Promise<void> {
      await store.Requirement.create({ _id: id, ...fields });
    },
    async update(id: string, fields: Partial<StoredRequirement>): Promise<StoredRequirement | null> {
      const after = await store.Requirement.findByIdAndUpdate(
        id,
        { $set: fields },
        { returnDocument: 'after' },
      ).lean();
      return after ? toStoredRequirement(after) : null;
    },
    ids: async (): Promise<Set<string>> =>
      new Set((await store.Requirement.find({}, { _id: 1 }).lean()).map((d) => d._id)),
    async putOverrides(override: RequirementMatchRecord): Promise<void> {
      await store.RequirementMatch.replaceOne({ _id: override._id }, override, { upsert: true });
    },
    async clearOverrides(pledgeId: string): Promise<void> {
      await store.RequirementMatch.deleteOne({ _id: pledgeId });
    },
  };
}

/**
 * The requirements and overrides an API process holds in memory, read again only after a change: every write
 * bumps the version that reference data also uses (one Redis GET per read), so each process sees a change at once.
 */
export function cachedRequirementReader(store: Models, version: () => Promise<string | null>) {
  const reader = requirementReader(store);
  let held: { version: string | null; value: Promise<RequirementsHeld> } | undefined;
  return async (): Promise<RequirementsHeld> => {
    const now = await version();
    if (held?.version === now) return held.value;
    const value = Promise.all([reader.all(), reader.overrides()]).then(([requirements, overrides]) => ({
      requirements,
      overrides,
    }));
    const mine = { version: now, value };
    held = mine;
    // A failed read is not remembered.
    value.catch(() => {
      if (held === mine) held = undefined;
    });
    return value;
  };
}

/** Everything the coverage is derived from besides the pledges. */
export interface RequirementsHeld {
  requirements: StoredRequirement[];
  overrides: Map<string, MatchOverrides>;
}
