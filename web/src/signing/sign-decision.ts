import { api, ApiError } from '../api/client';
import { forgetKey, registeredKey, RevokedKeyError, signPayload } from './keystore';

export interface DecisionToSign {
  decision: string;
  comment?: string;
  conditions?: string[];
}

export interface SignedDecision {
  signature: string;
  keyId: string;
  payload: string;
}

/**
 * Signs a command-approval decision: the engine's signing payload for exactly this decision, comment
 * and conditions (GET /tasks/:id/signing-payload), signed with the user's registered browser key.
 */
export async function signDecision(
  username: string,
  taskId: string,
  input: DecisionToSign,
  onStep: (step: string) => void,
): Promise<SignedDecision> {
  const register = async (publicKey: JsonWebKey) => {
    try {
      return (await api.post<{ keyId: string }>('/me/keys', { publicKey })).keyId;
    } catch (err) {
      if (err instanceof ApiError && err.status === 409 && /revoked/i.test(err.message)) throw new RevokedKeyError(err.message);
      throw err;
    }
  };
  let key;
  try {
    key = await registeredKey(username, register, onStep);
  } catch (err) {
    if (err instanceof ApiError && err.isMissing) throw new Error('signing keys cannot be registered on this server yet (POST /api/v1/me/keys is missing)');
    throw err;
  }
  onStep('Fetching the text you sign…');
  const { payload } = await api
    .get<{ payload: string }>(`/tasks/${encodeURIComponent(taskId)}/signing-payload`, {
      decision: input.decision,
      comment: input.comment,
      conditions: input.conditions?.length ? input.conditions : undefined,
    })
    .catch((err: unknown) => {
      if (err instanceof ApiError && err.isMissing) {
        throw new Error('this server cannot produce signing payloads yet (GET /api/v1/tasks/:id/signing-payload is missing)');
      }
      throw err;
    });
  onStep('Signing in this browser…');
  return { signature: await signPayload(key.privateKey, payload), keyId: key.keyId, payload };
}

/** Drops the stored key so the next signature makes and registers a new one (e.g. after a revocation). */
export const resetSigningKey = (username: string) => forgetKey(username);
