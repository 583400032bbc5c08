import type { JsonWebKey } from 'node:crypto';
import { signingPayload } from '../domain/approval/signing-payload';
import type { DecisionInput, TaskSnapshot } from '../domain/tasks';
import type { Store } from '../store';
import { verifyEd25519 } from '../store/signatures';
import { ApiError } from './http/errors';

const refused = (message: string, path: string) =>
  new ApiError(422, 'SIGNATURE_INVALID', message, [{ path, message }]);

/**
 * Checks that a command approval decision is signed by a live key of the decider over exactly
 * this task, package, decision, comment and conditions. Returns what the record keeps.
 */
export async function verifyDecisionSignature(
  store: Store,
  username: string,
  task: Pick<TaskSnapshot, 'id' | 'pledgeId' | 'context'>,
  input: DecisionInput,
): Promise<{ signature: string; keyId: string; payload: string }> {
  if (!input.signature) throw refused('a command approval decision must be signed', 'signature');
  if (!input.keyId) throw refused('name the key that signed (keyId)', 'keyId');
  const key = await store.SigningKey.findById(input.keyId).lean<{
    username: string;
    publicKey: JsonWebKey;
    revokedAt: string | null;
  }>();
  if (!key || key.username !== username) throw refused('keyId is not a key you registered', 'keyId');
  if (key.revokedAt) throw refused('this key was revoked; register a new one', 'keyId');
  const packageHash = task.context?.packageHash;
  if (typeof packageHash !== 'string')
    throw refused('this task has no decision package to sign', 'signature');
  const payload = signingPayload({
    taskId: task.id,
    pledgeId: task.pledgeId,
    packageHash,
    decision: input.decision,
    comment: input.comment ?? null,
    conditions: input.conditions ?? [],
  });
  if (!verifyEd25519(key.publicKey, payload, input.signature)) {
    throw refused('the signature does not match this decision, comment and conditions', 'signature');
  }
  return { signature: input.signature, keyId: input.keyId, payload };
}
