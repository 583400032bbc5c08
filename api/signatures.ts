import type { SigningContext } from '../domain/approval/signing-payload';
import { signingPayload } from '../domain/approval/signing-payload';
import type { DecisionInput, TaskSnapshot } from '../domain/tasks';
import type { Store } from '../store';
import { checkSignedDecision } from '../store/decision-verification';
import { signingKeyRepository } from '../store/signing-keys';
import { ApiError } from './http/errors';

const refused = (message: string, path: string) =>
  new ApiError(422, 'SIGNATURE_INVALID', message, [{ path, message }]);

/** The signing context a command-approval task carries, or null for a task that is not signed. */
export function signingContextOf(task: Pick<TaskSnapshot, 'kind' | 'context'>): SigningContext | null {
  const c = task.context as Partial<SigningContext>;
  if (
    task.kind !== 'command_approval' ||
    typeof c.packageHash !== 'string' ||
    typeof c.role !== 'string' ||
    typeof c.step !== 'number'
  ) {
    return null;
  }
  return {
    packageHash: c.packageHash,
    role: c.role,
    step: c.step,
    of: c.of ?? c.step,
    round: c.round ?? 1,
    reason: c.reason ?? '',
  };
}

/** What `signer` signs to take `input` on a command-approval task, or null for a task that is not signed. */
function signingInputOf(
  task: Pick<TaskSnapshot, 'id' | 'pledgeId' | 'kind' | 'context'>,
  signer: string,
  input: Pick<DecisionInput, 'decision' | 'comment' | 'conditions'>,
) {
  const context = signingContextOf(task);
  if (!context) return null;
  return {
    taskId: task.id,
    pledgeId: task.pledgeId,
    packageHash: context.packageHash,
    decision: input.decision,
    comment: input.comment ?? null,
    conditions: input.conditions ?? [],
    signer,
    role: context.role,
    step: context.step,
    round: context.round,
  };
}

/** The exact payload `signer` signs to take `input` on a command-approval task. */
export function decisionPayload(
  task: Pick<TaskSnapshot, 'id' | 'pledgeId' | 'kind' | 'context'>,
  signer: string,
  input: Pick<DecisionInput, 'decision' | 'comment' | 'conditions'>,
) {
  const expected = signingInputOf(task, signer, input);
  return expected && signingPayload(expected);
}

/**
 * Checks that a command approval decision is signed by a live key of the decider over exactly this task, package,
 * decision, comment and conditions, as this signer in this role, step and round. Returns what the record keeps.
 */
export async function verifyDecisionSignature(
  store: Store,
  username: string,
  task: Pick<TaskSnapshot, 'id' | 'pledgeId' | 'kind' | 'context'>,
  input: DecisionInput,
): Promise<{ signature: string; keyId: string; payload: string }> {
  if (!input.signature) throw refused('a command approval decision must be signed', 'signature');
  if (!input.keyId) throw refused('name the key that signed (keyId)', 'keyId');
  const expected = signingInputOf(task, username, input);
  if (!expected) throw refused('this task has no decision package to sign', 'signature');
  const payload = signingPayload(expected);
  const check = await checkSignedDecision(signingKeyRepository(store.SigningKey).one, {
    expected,
    keyId: input.keyId,
    signature: input.signature,
    payload,
    at: new Date().toISOString(),
  });
  if (!check.ok) {
    const onKey = /^key /.test(check.problem);
    throw refused(
      onKey
        ? `${check.problem}: sign with a live key of your own`
        : `${check.problem}: sign this decision, comment and conditions as they are sent`,
      onKey ? 'keyId' : 'signature',
    );
  }
  return { signature: input.signature, keyId: input.keyId, payload };
}
