import type { ChainFacts } from '../domain/approval/chain';
import { ApprovalPolicy } from '../domain/schemas/approval-policy';
import type { PledgeRecord } from '../domain/pledge-record';
import { canonicalHash } from '../store/canonical-hash';
import { checkSignedDecision, type SignedDecision } from '../store/decision-verification';
import { latestPolicy } from '../store/policies';
import { pledgeRepository } from '../store/pledges';
import type { ActivityDeps } from './deps';
import { activityFailure } from './failures';

/** What the approvers sign, by its hash. */
export interface DecisionPackage {
  round: number;
  pledge: {
    id: string;
    donor: string;
    revision: number;
    items: PledgeRecord['items'];
    trainingOffered: boolean;
    sustainment: unknown;
    valueEur: number | null;
    notes: string | null;
  };
  review: { findings: unknown[]; score: number | null; recommendation: string | null; decision: unknown };
  trainingPlan: unknown;
}

/** The command-approval stage's I/O: its policy and the frozen decision package. */
export function createApprovalActivities({ store }: ActivityDeps) {
  return {
    /** The latest approval policy; the approval keeps it for its whole run. */
    async loadApprovalPolicy(): Promise<ApprovalPolicy> {
      const policy = await latestPolicy(store.Policy, 'approval');
      if (!policy) throw activityFailure('not_found', 'approval policy is not seeded yet');
      return policy;
    },

    /**
     * Checks a signed decision before the workflow applies it: whoever reaches Temporal directly (not through the
     * API, which checks it first) cannot decide a step with a signature that is not the decider's own.
     */
    async verifySignedDecision(
      decision: SignedDecision,
    ): Promise<{ ok: true } | { ok: false; problem: string }> {
      return checkSignedDecision((keyId) => store.SigningKey.findById(keyId).lean().exec(), decision);
    },

    /**
     * What the approvers will sign: the pledge, its findings, score, the review decision and the training plan,
     * hashed (SHA-256, canonical JSON), with the facts that shape the chain. The approval.started event records it.
     */
    async decisionPackage(
      pledgeId: string,
      round: number,
      blockerOverridden: boolean,
    ): Promise<{ package: DecisionPackage; packageHash: string; facts: ChainFacts }> {
      const pledge = await pledgeRepository(store.Pledge).byId(pledgeId);
      if (!pledge) throw activityFailure('not_found', `pledge ${pledgeId} not found`);
      const decisionPackage: DecisionPackage = {
        round,
        pledge: {
          id: pledge._id,
          donor: pledge.donor,
          revision: pledge.revision ?? 1,
          items: pledge.items,
          trainingOffered: pledge.trainingOffered ?? false,
          sustainment: pledge.sustainment ?? null,
          valueEur: pledge.valueEur ?? null,
          notes: pledge.notes ?? null,
        },
        review: {
          findings: pledge.review?.findings ?? [],
          score: pledge.review?.score ?? null,
          recommendation: pledge.review?.recommendation ?? null,
          decision: pledge.review?.decision ?? null,
        },
        trainingPlan: pledge.trainingPlan ?? null,
      };
      const systems = await store.System.find(
        { _id: { $in: pledge.items.map((i) => i.systemId) } },
        { category: 1 },
      ).lean();
      return {
        package: decisionPackage,
        packageHash: canonicalHash(decisionPackage),
        facts: {
          valueEur: pledge.valueEur ?? null,
          categories: systems.map((s) => s.category),
          blockerOverridden,
        },
      };
    },
  };
}
