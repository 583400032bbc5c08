import type { ApprovalStepRecord } from '../pledge-record';
import type { ApprovalPolicy } from '../schemas/approval-policy';
import type { Role } from '../schemas/common';
import type { Category } from '../schemas/reference';

export interface ChainFacts {
  valueEur: number | null;
  categories: Category[];
  /** The review accepted the pledge although a finding was a blocker. */
  blockerOverridden: boolean;
}

export interface ChainStep {
  role: Role;
  /** Why the step is there (for the record and the decider). */
  reason: string;
}

/** The approval chain a decision package goes up under a policy: the base chain, plus SACEUR when policy says. */
export function approvalChainFor(policy: ApprovalPolicy, facts: ChainFacts): ChainStep[] {
  const steps: ChainStep[] = policy.chain.map((role) => ({ role, reason: 'policy chain' }));
  const reasons: string[] = [];
  if (facts.valueEur !== null && facts.valueEur >= policy.saceur.valueThresholdEur) {
    reasons.push(
      `value €${facts.valueEur.toLocaleString('en')} at or above €${policy.saceur.valueThresholdEur.toLocaleString('en')}`,
    );
  }
  const sensitive = facts.categories.filter((c) => policy.saceur.sensitiveCategories.includes(c));
  if (sensitive.length)
    reasons.push(
      `sensitive categor${sensitive.length > 1 ? 'ies' : 'y'} ${[...new Set(sensitive)].join(', ')}`,
    );
  if (policy.saceur.whenBlockerOverridden && facts.blockerOverridden)
    reasons.push('review accepted despite a blocker');
  if (reasons.length && !policy.chain.includes('saceur'))
    steps.push({ role: 'saceur', reason: reasons.join('; ') });
  return steps;
}

/** The chain as it is recorded when an approval round opens: its first step open, the others pending. */
export function openedChain(steps: ChainStep[], pledgeId: string, round: number): ApprovalStepRecord[] {
  return steps.map((step, i) => ({
    role: step.role,
    reason: step.reason,
    state: i === 0 ? 'open' : 'pending',
    taskId: `${pledgeId}-approval-${round}-${i + 1}`,
    decision: null,
    comment: null,
    conditions: [],
    by: null,
    onBehalfOf: null,
    at: null,
    keyId: null,
    signature: null,
    payload: null,
  }));
}

/** Every role that can decide a step of command approval under a policy: the chain, SACEUR, and who stands in. */
export function approvalChainRoles(policy: ApprovalPolicy): Role[] {
  const roles = new Set<Role>([...policy.chain, 'saceur']);
  for (const rule of Object.values(policy.steps)) {
    for (const role of [...(rule?.escalateToRoles ?? []), ...(rule?.delegateToRoles ?? [])]) roles.add(role);
  }
  return [...roles];
}
