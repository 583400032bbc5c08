import { Schema, type Connection } from 'mongoose';
import { defaultPhaseTargetPolicy, PhaseTargetPolicy } from '../domain/schemas/phase-targets';
import { defaultTaskPolicy, TaskPolicy } from '../domain/schemas/task-policy';

/** The kinds of versioned policy. */
export const PolicyKinds = ['review', 'approval', 'tasks', 'phase_targets', 'agreements'] as const;
export type PolicyKind = (typeof PolicyKinds)[number];

/** Versioned policy documents; a running workflow keeps the version it started with. */
export const policySchema = new Schema(
  {
    kind: { type: String, enum: PolicyKinds, required: true },
    version: { type: Number, required: true },
    document: { type: Schema.Types.Mixed, required: true },
    createdBy: { type: String, required: true },
  },
  { strict: true, timestamps: true, versionKey: false, minimize: false },
);
policySchema.index({ kind: 1, version: 1 }, { unique: true });

export const policyModel = (c: Connection) => c.model('Policy', policySchema, 'policies');
export type PolicyModel = ReturnType<typeof policyModel>;

/** The newest published version of a policy kind (its document, for the caller to parse), or null if none is. */
export async function latestPolicyDocument(policies: PolicyModel, kind: PolicyKind): Promise<unknown> {
  const doc = await policies.findOne({ kind }).sort({ version: -1 }).lean<{ document: unknown }>();
  return doc?.document ?? null;
}

/** The phase time targets in force (the default until an admin publishes a version). */
export async function currentPhaseTargets(policies: PolicyModel): Promise<PhaseTargetPolicy> {
  const document = await latestPolicyDocument(policies, 'phase_targets');
  return document ? PhaseTargetPolicy.parse(document) : defaultPhaseTargetPolicy;
}

/** Days before a session starts by which it must reach its minimum cohort (the task policy in force). */
export async function currentSessionMinimumCutoffDays(policies: PolicyModel): Promise<number> {
  const document = await latestPolicyDocument(policies, 'tasks');
  // A stored document this release cannot read falls back to the defaults rather than failing the question.
  const policy = document ? TaskPolicy.safeParse(document) : null;
  return (policy?.success ? policy.data : defaultTaskPolicy).training.sessionMinimumCutoffDays;
}
