import { canonicalize } from 'json-canonicalize';

export interface SigningInput {
  taskId: string;
  pledgeId: string;
  packageHash: string;
  decision: string;
  comment: string | null;
  conditions: string[];
  /** Who signs, in which role, at which step of which approval round: a signature cannot be moved to another. */
  signer: string;
  role: string;
  step: number;
  round: number;
}

/**
 * The exact string a commander signs: it binds the signer (username, role, step and round), the task, the
 * pledge, the frozen decision package (by hash), the decision, the comment and the conditions. Canonical JSON,
 * so both sides build the same bytes.
 */
export function signingPayload(input: SigningInput): string {
  return canonicalize({
    purpose: 'nsatu-engine command approval decision',
    version: 2,
    signer: input.signer,
    role: input.role,
    step: input.step,
    round: input.round,
    taskId: input.taskId,
    pledgeId: input.pledgeId,
    packageHash: input.packageHash,
    decision: input.decision,
    comment: input.comment ?? '',
    conditions: input.conditions,
  });
}

/** What a command-approval task carries for its signers (set when the step's task opens). */
export interface SigningContext {
  packageHash: string;
  step: number;
  of: number;
  role: string;
  round: number;
  reason: string;
}
