import { z } from 'zod';
import type { Principal } from '../../domain/permissions';
import { DomainFailure } from '../../domain/failures';
import { checkDecision, decisionsByKind } from '../../domain/tasks';
import { signingKeyChangeLog, signingKeyRepository } from '../../store/signing-keys';
import { registerSigningKey, revokeSigningKey, type SigningKeyPorts } from '../../app/signing-keys';
import type { ApiDeps } from '../deps';
import { ApiError, notFound, unprocessable } from '../http/errors';
import { route } from '../http/route';
import { decisionPayload } from '../signatures';
import { passwordChecker } from './auth';
import { maySee } from '../../domain/tasks';

export const Ed25519PublicJwk = z
  .object({
    kty: z.literal('OKP', { message: 'must be OKP (an Ed25519 key)' }),
    crv: z.literal('Ed25519', { message: 'must be Ed25519' }),
    x: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'must be the 32-byte public key, base64url'),
  })
  .loose()
  .refine((jwk) => !('d' in jwk), { message: 'never send the private key', path: ['d'] });

const KeyView = z
  .object({
    keyId: z.string().describe('The RFC 7638 thumbprint of the key'),
    createdAt: z.string(),
    revokedAt: z.string().nullable(),
  })
  .meta({ id: 'SigningKey' });

const KeyInput = z
  .object({
    publicKey: Ed25519PublicJwk,
    password: z
      .string()
      .min(1)
      .max(200)
      .optional()
      .describe('Your password, asked again; required unless you sign in through the OIDC issuer'),
  })
  .meta({ id: 'SigningKeyInput' });

/** With OIDC, registering a key needs a sign-in at the issuer this recent instead of the password. */
const OIDC_REAUTH_SECONDS = 300;

const SigningQuery = z.object({
  decision: z.enum(decisionsByKind.command_approval).describe('The decision you will send'),
  comment: z.string().max(4000).optional().describe('The comment you will send, exactly'),
  conditions: z
    .union([z.string().max(500), z.array(z.string().max(500)).max(20)])
    .optional()
    .describe('The conditions you will send, in order: repeat the parameter for each')
    .transform((c) => (c === undefined ? [] : Array.isArray(c) ? c : [c])),
});

const SigningPayload = z
  .object({
    payload: z.string().describe('Sign exactly its UTF-8 bytes'),
    packageHash: z.string(),
    taskId: z.string(),
    pledgeId: z.string(),
  })
  .meta({ id: 'SigningPayload' });

/** Registering signing keys and fetching the exact payload a command approval decision signs. */
export function signingRoutes(deps: ApiDeps) {
  const { store } = deps;
  const checkPassword = passwordChecker(deps);
  const keys = signingKeyRepository(store.SigningKey);
  const keyPorts: SigningKeyPorts = { keys, changes: signingKeyChangeLog(store, deps.projections) };
  /** A key signs decisions about weapons: whoever registers one proves again that they are the account's owner. */
  const reauthenticate = async (address: string, principal: Principal, password: string | undefined) => {
    if (deps.config.OIDC_ISSUER) {
      const age = Date.now() / 1000 - (principal.signedInAt ?? 0);
      if (age > OIDC_REAUTH_SECONDS) {
        throw new ApiError(
          401,
          'UNAUTHENTICATED',
          'sign in again at the identity provider to register a key',
        );
      }
      return;
    }
    if (password === undefined) {
      throw new ApiError(400, 'VALIDATION_FAILED', 'invalid request: password: your password, asked again', [
        { path: 'password', message: 'your password, asked again' },
      ]);
    }
    if (!(await checkPassword(address, principal.username, password))) {
      throw new ApiError(401, 'UNAUTHENTICATED', 'wrong password');
    }
  };
  return [
    route({
      method: 'post',
      path: '/me/keys',
      operationId: 'registerSigningKey',
      summary: "Register the caller's Ed25519 public key (JWK) for signing decisions",
      tag: 'signing',
      access: 'self:read',
      body: KeyInput,
      responses: {
        201: {
          description: 'Registered (or already registered by you)',
          schema: z.object({ keyId: z.string() }).meta({ id: 'RegisteredKey' }),
        },
      },
      errors: {
        401: 'Wrong password (or, with OIDC, no sign-in in the last five minutes)',
        409: 'The key is registered to another user, or was revoked',
        429: 'Too many wrong passwords: wait as `Retry-After` says',
      },
      handler: async ({ req, principal, body }) => {
        await reauthenticate(req.ip ?? 'unknown', principal, body.password);
        const keyId = await registerSigningKey(keyPorts, principal, body.publicKey);
        return { status: 201, body: { keyId } };
      },
    }),
    route({
      method: 'get',
      path: '/me/keys',
      operationId: 'listSigningKeys',
      summary: "The caller's signing keys",
      tag: 'signing',
      access: 'self:read',
      responses: {
        200: {
          description: 'Keys',
          schema: z.object({ items: z.array(KeyView) }).meta({ id: 'SigningKeyList' }),
        },
      },
      handler: async ({ principal }) => {
        return {
          status: 200,
          body: {
            items: (await keys.ofUser(principal.username)).map((k) => ({
              keyId: k._id,
              createdAt: k.createdAt,
              revokedAt: k.revokedAt ?? null,
            })),
          },
        };
      },
    }),
    route({
      method: 'post',
      path: '/me/keys/:keyId/revoke',
      operationId: 'revokeSigningKey',
      summary: 'Revoke a signing key: it signs nothing new; decisions it signed still verify',
      tag: 'signing',
      access: 'self:read',
      params: z.object({ keyId: z.string().min(1).max(100) }),
      responses: { 200: { description: 'Revoked', schema: KeyView } },
      errors: { 404: 'No such key of yours' },
      handler: async ({ principal, params }) => {
        return { status: 200, body: await revokeSigningKey(keyPorts, principal, params.keyId) };
      },
    }),
    route({
      method: 'get',
      path: '/tasks/:id/signing-payload',
      operationId: 'getSigningPayload',
      summary:
        'The exact string to sign for a command approval decision (decision, comment, conditions as query)',
      description:
        'Refused (422) for a decision the task would refuse: `approve_with_conditions` without a condition, ' +
        'conditions with another decision, `reject` or `return` without a comment.',
      tag: 'signing',
      access: 'task:act',
      params: z.object({ id: z.string().min(1).max(120) }),
      query: SigningQuery,
      responses: {
        200: { description: 'Sign the UTF-8 bytes of `payload` with Ed25519', schema: SigningPayload },
      },
      errors: {
        404: 'No such task, or one you may not see',
        422: 'Not a command approval task, or a decision it would refuse',
      },
      handler: async ({ principal, params, query }) => {
        await deps.views.sync();
        const task = deps.views.task(params.id);
        if (!task || !maySee(task, principal)) throw notFound(`task ${params.id}`);
        if (task.kind !== 'command_approval' || typeof task.context.packageHash !== 'string') {
          throw new ApiError(422, 'UNPROCESSABLE', 'only command approval decisions are signed');
        }
        // What the task would refuse is not worth signing: the same rules, and the same answer, as completing it.
        try {
          checkDecision(task, {
            decision: query.decision,
            comment: query.comment,
            conditions: query.conditions,
          });
        } catch (err) {
          // Signing is only the preparation: whatever the task would refuse, this refuses as unsignable (422).
          if (err instanceof DomainFailure) throw unprocessable(err.message);
          throw err;
        }
        const payload = decisionPayload(task, principal.username, query);
        if (!payload) throw new ApiError(422, 'UNPROCESSABLE', 'this task has no decision package to sign');
        return {
          status: 200,
          body: { payload, packageHash: task.context.packageHash, taskId: task.id, pledgeId: task.pledgeId },
        };
      },
    }),
  ];
}
