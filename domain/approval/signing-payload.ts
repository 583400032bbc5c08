import { canonicalize } from 'json-canonicalize';

export interface SigningInput {
  taskId: string;
  pledgeId: string;
  packageHash: string;
  decision: string;
  comment: string | null;
  conditions: string[];
}

/**
 * The exact string a commander signs: it binds the task, the pledge, the frozen decision package
 * (by hash), the decision, the comment and the conditions. Canonical JSON, so both sides build
 * the same bytes.
 */
export function signingPayload(input: SigningInput): string {
  return canonicalize({
    purpose: 'nsatu-engine command approval decision',
    version: 1,
    taskId: input.taskId,
    pledgeId: input.pledgeId,
    packageHash: input.packageHash,
    decision: input.decision,
    comment: input.comment ?? '',
    conditions: input.conditions,
  });
}
