import { Schema, type Connection } from 'mongoose';
import type { z } from 'zod';
import { AgreementPolicy, defaultAgreementPolicy } from '../domain/schemas/agreement';
import { ApprovalPolicy, defaultApprovalPolicy } from '../domain/schemas/approval-policy';
import { defaultPhaseTargetPolicy, PhaseTargetPolicy } from '../domain/schemas/phase-targets';
import { defaultReviewPolicy, ReviewPolicy } from '../domain/schemas/policy';
import { defaultTaskPolicy, TaskPolicy } from '../domain/schemas/task-policy';
import { insertIfAbsent } from './duplicate-key';

/** The kinds of versioned policy. */
export const PolicyKinds = ['review', 'approval', 'tasks', 'phase_targets', 'agreements'] as const;
export type PolicyKind = (typeof PolicyKinds)[number];

/** The schema every version of a policy kind satisfies. */
export const policySchemas = {
  review: ReviewPolicy,
  tasks: TaskPolicy,
  approval: ApprovalPolicy,
  phase_targets: PhaseTargetPolicy,
  agreements: AgreementPolicy,
} as const satisfies Record<PolicyKind, z.ZodType>;

/** A policy of a kind, as its schema reads it. */
export type PolicyOf<K extends PolicyKind> = z.infer<(typeof policySchemas)[K]>;

/** The first version of each kind: what is seeded, and what is in force until an admin publishes one. */
export const defaultPolicies: { [K in PolicyKind]: PolicyOf<K> } = {
  review: defaultReviewPolicy,
  tasks: defaultTaskPolicy,
  approval: defaultApprovalPolicy,
  phase_targets: defaultPhaseTargetPolicy,
  agreements: defaultAgreementPolicy,
};

/** A published version of a policy, as stored; `document` is read through its kind's schema. */
export interface PolicyRecord {
  kind: PolicyKind;
  version: number;
  document: unknown;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
}

/** Versioned policy documents; a running workflow keeps the version it started with. */
export const policySchema = new Schema<PolicyRecord>(
  {
    kind: { type: String, enum: PolicyKinds, required: true },
    version: { type: Number, required: true },
    document: { type: Schema.Types.Mixed, required: true },
    createdBy: { type: String, required: true },
  },
  { strict: true, timestamps: true, versionKey: false, minimize: false },
);
policySchema.index({ kind: 1, version: 1 }, { unique: true });

export const policyModel = (c: Connection) => c.model<PolicyRecord>('Policy', policySchema, 'policies');
export type PolicyModel = ReturnType<typeof policyModel>;

/** The newest published version of a policy kind, or null if none is. */
async function latestVersion(
  policies: PolicyModel,
  kind: PolicyKind,
): Promise<Pick<PolicyRecord, 'version' | 'document'> | null> {
  return policies.findOne({ kind }).sort({ version: -1 }).lean();
}

/** The newest published version of a policy kind, read by its schema, or null if none is published. */
export async function latestPolicy<K extends PolicyKind>(
  policies: PolicyModel,
  kind: K,
): Promise<PolicyOf<K> | null> {
  const latest = await latestVersion(policies, kind);
  return latest ? (policySchemas[kind].parse(latest.document) as PolicyOf<K>) : null;
}

/** The policy of a kind in force: the newest published version, or the default until an admin publishes one. */
export async function policyInForce<K extends PolicyKind>(
  policies: PolicyModel,
  kind: K,
): Promise<PolicyOf<K>> {
  return (await latestPolicy(policies, kind)) ?? defaultPolicies[kind];
}

/** The number the next published version of a policy kind takes. */
export async function nextPolicyVersion(policies: PolicyModel, kind: PolicyKind): Promise<number> {
  return ((await latestVersion(policies, kind))?.version ?? 0) + 1;
}

/** A policy version as an administrator publishes it. */
export type PolicyPublication = Pick<PolicyRecord, 'kind' | 'version' | 'document' | 'createdBy'>;

/** The named reads and the one write of the published policy versions. */
export function policyRepository(policies: PolicyModel) {
  return {
    /** Every published version of a kind, newest first. */
    versions: (kind: PolicyKind): Promise<PolicyRecord[]> =>
      policies.find({ kind }).sort({ version: -1 }).lean<PolicyRecord[]>(),
    nextVersion: (kind: PolicyKind): Promise<number> => nextPolicyVersion(policies, kind),
    /** Publishes the version; false when that version of the kind was published already. */
    insert: (publication: PolicyPublication): Promise<boolean> => insertIfAbsent(policies, publication),
  };
}

/** The phase time targets in force (the default until an admin publishes a version). */
export const currentPhaseTargets = (policies: PolicyModel): Promise<PhaseTargetPolicy> =>
  policyInForce(policies, 'phase_targets');

/** Days before a session starts by which it must reach its minimum cohort (the task policy in force). */
export async function currentSessionMinimumCutoffDays(policies: PolicyModel): Promise<number> {
  const latest = await latestVersion(policies, 'tasks');
  // A stored document this release cannot read falls back to the defaults rather than failing the question.
  const policy = latest ? TaskPolicy.safeParse(latest.document) : null;
  return (policy?.success ? policy.data : defaultTaskPolicy).training.sessionMinimumCutoffDays;
}
