import { canonicalize } from 'json-canonicalize';
import { decisionsByKind } from '@domain/tasks';
import { engine, ok } from '../api/client';
import type { paths } from '../api/schema.gen';
import {
  forgetKey,
  localKey,
  publicJwkOf,
  rememberKeyId,
  signPayload,
  thumbprintOf,
  type StoredKey,
} from './keystore';

/** The decisions a command approval takes (and so the ones that are signed). */
export type SignedDecisionKind =
  paths['/api/v1/tasks/{id}/signing-payload']['get']['parameters']['query']['decision'];

/** Whether a decision is one a command approval takes, and so is signed. */
export const isSignedDecision = (decision: string): decision is SignedDecisionKind =>
  decisionsByKind.command_approval.includes(decision);

/**
 * SHA-256 (hex) of the RFC 8785 canonical JSON of a value, computed here with WebCrypto: the same bytes and
 * hash the engine computes for a decision package (`store/canonical-hash.ts`).
 */
export async function canonicalHash(value: unknown): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(canonicalize(value)));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** Every field of the signing payload (version 2, `domain/approval/signing-payload.ts`) and what the user chose. */
export interface SigningFields {
  purpose: string;
  version: number;
  signer: string;
  role: string;
  step: number;
  round: number;
  taskId: string;
  pledgeId: string;
  packageHash: string;
  decision: string;
  comment: string;
  conditions: string[];
}

/** What this page says the signature must cover: the user's choice, the task shown and the package shown. */
export type ExpectedSigning = Omit<SigningFields, 'purpose' | 'version'>;

const PURPOSE = 'nsatu-engine command approval decision';

/** Thrown when the engine's payload says something other than what the user chose or sees: nothing is signed. */
export class SigningMismatchError extends Error {
  constructor(readonly fields: Array<{ field: string; engine: string; expected: string }>) {
    super(
      `The text the engine asks you to sign differs from your decision and the package shown here, in ${fields
        .map((f) => f.field)
        .join(', ')}. Nothing was signed.`,
    );
    this.name = 'SigningMismatchError';
    Object.setPrototypeOf(this, SigningMismatchError.prototype);
  }
}

const show = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));

/**
 * Reads the payload and compares every field with what is expected. It must be exactly the canonical JSON of
 * those fields, so no extra field and no other spelling can hide in the bytes that are signed.
 */
export function checkPayload(payload: string, expected: ExpectedSigning): SigningFields {
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(payload) as Record<string, unknown>;
  } catch {
    throw new SigningMismatchError([{ field: 'payload', engine: payload.slice(0, 80), expected: 'JSON' }]);
  }
  const want: SigningFields = { purpose: PURPOSE, version: 2, ...expected };
  const wrong: SigningMismatchError['fields'] = [];
  for (const [field, value] of Object.entries(want)) {
    if (JSON.stringify(parsed[field]) !== JSON.stringify(value))
      wrong.push({ field, engine: show(parsed[field]), expected: show(value) });
  }
  for (const field of Object.keys(parsed)) {
    if (!(field in want)) wrong.push({ field, engine: show(parsed[field]), expected: '(nothing)' });
  }
  if (!wrong.length && canonicalize(want) !== payload)
    wrong.push({ field: 'encoding', engine: payload, expected: canonicalize(want) });
  if (wrong.length) throw new SigningMismatchError(wrong);
  return want;
}

/** The engine's signing payload for exactly this decision, checked field by field against `expected`. */
export async function fetchSigningPayload(
  taskId: string,
  expected: ExpectedSigning,
): Promise<{ payload: string; fields: SigningFields }> {
  const res = await ok(
    engine.GET('/api/v1/tasks/{id}/signing-payload', {
      params: {
        path: { id: taskId },
        query: {
          decision: expected.decision as SignedDecisionKind,
          comment: expected.comment || undefined,
          conditions: expected.conditions.length ? expected.conditions : undefined,
        },
      },
    }),
  );
  if (
    res.packageHash !== expected.packageHash ||
    res.taskId !== taskId ||
    res.pledgeId !== expected.pledgeId
  ) {
    throw new SigningMismatchError([
      { field: 'packageHash', engine: res.packageHash, expected: expected.packageHash },
    ]);
  }
  return { payload: res.payload, fields: checkPayload(res.payload, expected) };
}

/** This browser's key and whether the engine has it registered (and not revoked) for this user. */
export interface KeyState {
  key: StoredKey;
  keyId: string;
  registered: boolean;
}

/**
 * The user's key in this browser, looked up among the keys the engine holds for the user (by thumbprint). A key
 * the engine revoked is replaced by a new one, which then needs registering.
 */
export async function signingKeyState(username: string, onStep: (s: string) => void): Promise<KeyState> {
  const keys = (await ok(engine.GET('/api/v1/me/keys'))).items;
  for (let attempt = 0; attempt < 2; attempt++) {
    const key = await localKey(username, onStep);
    const keyId = await thumbprintOf(await publicJwkOf(key));
    const known = keys.find((k) => k.keyId === keyId);
    if (known?.revokedAt) {
      onStep('Your previous key was revoked; making a new one…');
      await forgetKey(username);
      continue;
    }
    return { key, keyId, registered: !!known };
  }
  throw new Error('could not make a signing key the engine would take');
}

/** Registers the key (POST /me/keys), with the password asked again. */
export async function registerKey(state: KeyState, password: string): Promise<KeyState> {
  const { keyId } = await ok(
    engine.POST('/api/v1/me/keys', { body: { publicKey: await publicJwkOf(state.key), password } }),
  );
  await rememberKeyId(state.key, keyId);
  return { ...state, keyId, registered: true };
}

/** The Ed25519 signature (base64url) of exactly the payload that was checked. */
export async function signChecked(state: KeyState, payload: string) {
  return { signature: await signPayload(state.key.keyPair.privateKey, payload), keyId: state.keyId };
}

/** Drops the stored key so the next signature makes and registers a new one. */
export const resetSigningKey = (username: string) => forgetKey(username);
