import { calculateJwkThumbprint } from 'jose';
import { z } from 'zod';
import { signingPayload } from '../../domain/approval/signing-payload';
import { appendAudit } from '../../store/audit-log';
import type { ApiDeps } from '../deps';
import { ApiError, conflict, notFound } from '../http/errors';
import { route } from '../http/route';
import { maySee } from './tasks';

export const Ed25519PublicJwk = z
  .object({
    kty: z.literal('OKP', { message: 'must be OKP (an Ed25519 key)' }),
    crv: z.literal('Ed25519', { message: 'must be Ed25519' }),
    x: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'must be the 32-byte public key, base64url'),
  })
  .loose()
  .refine((jwk) => !('d' in jwk), { message: 'never send the private key', path: ['d'] });

const KeyView = z.object({ keyId: z.string(), createdAt: z.string(), revokedAt: z.string().nullable() });

const SigningQuery = z.object({
  decision: z.string().min(1).max(40),
  comment: z.string().max(4000).optional(),
  conditions: z
    .union([z.string().max(500), z.array(z.string().max(500)).max(20)])
    .optional()
    .transform((c) => (c === undefined ? [] : Array.isArray(c) ? c : [c])),
});

interface KeyDoc {
  _id: string;
  username: string;
  createdAt: string;
  revokedAt: string | null;
}

/** Registering signing keys and fetching the exact payload a command approval decision signs. */
export function signingRoutes(deps: ApiDeps) {
  const { store } = deps;
  return [
    route({
      method: 'post',
      path: '/me/keys',
      summary: "Register the caller's Ed25519 public key (JWK) for signing decisions",
      tag: 'signing',
      access: 'self:read',
      body: z.object({ publicKey: Ed25519PublicJwk }),
      responses: {
        201: {
          description: 'Registered (or already registered by you)',
          schema: z.object({ keyId: z.string() }),
        },
      },
      handler: async ({ principal, body }) => {
        const { kty, crv, x } = body.publicKey;
        const publicKey = { kty, crv, x };
        const keyId = await calculateJwkThumbprint(publicKey, 'sha256');
        const existing = await store.SigningKey.findById(keyId).lean<KeyDoc>();
        if (existing && existing.username !== principal.username)
          throw conflict('this key is registered to another user');
        if (existing?.revokedAt) throw conflict('this key was revoked; generate a new one');
        if (!existing) {
          try {
            await store.SigningKey.create({
              _id: keyId,
              username: principal.username,
              publicKey,
              thumbprint: keyId,
              createdAt: new Date().toISOString(),
            });
          } catch (err) {
            if ((err as { code?: number }).code !== 11000) throw err;
          }
          await appendAudit(store, {
            actor: principal.username,
            action: 'key.registered',
            detail: { keyId, publicKey },
          });
          await deps.projections.notice('key', keyId);
        }
        return { status: 201, body: { keyId } };
      },
    }),
    route({
      method: 'get',
      path: '/me/keys',
      summary: "The caller's signing keys",
      tag: 'signing',
      access: 'self:read',
      responses: { 200: { description: 'Keys', schema: z.object({ items: z.array(KeyView) }) } },
      handler: async ({ principal }) => {
        const keys = await store.SigningKey.find({ username: principal.username })
          .sort({ createdAt: 1 })
          .lean<KeyDoc[]>();
        return {
          status: 200,
          body: {
            items: keys.map((k) => ({ keyId: k._id, createdAt: k.createdAt, revokedAt: k.revokedAt })),
          },
        };
      },
    }),
    route({
      method: 'post',
      path: '/me/keys/:keyId/revoke',
      summary: 'Revoke a signing key: it signs nothing new; decisions it signed still verify',
      tag: 'signing',
      access: 'self:read',
      params: z.object({ keyId: z.string().min(1).max(100) }),
      responses: { 200: { description: 'Revoked', schema: KeyView } },
      handler: async ({ principal, params }) => {
        const key = await store.SigningKey.findById(params.keyId).lean<KeyDoc>();
        if (!key || key.username !== principal.username) throw notFound(`key ${params.keyId}`);
        const revokedAt = key.revokedAt ?? new Date().toISOString();
        if (!key.revokedAt) {
          await store.SigningKey.updateOne({ _id: key._id }, { $set: { revokedAt } });
          await appendAudit(store, {
            actor: principal.username,
            action: 'key.revoked',
            detail: { keyId: key._id, revokedAt },
          });
          await deps.projections.notice('key', key._id);
        }
        return { status: 200, body: { keyId: key._id, createdAt: key.createdAt, revokedAt } };
      },
    }),
    route({
      method: 'get',
      path: '/tasks/:id/signing-payload',
      summary:
        'The exact string to sign for a command approval decision (decision, comment, conditions as query)',
      tag: 'signing',
      access: 'task:act',
      params: z.object({ id: z.string().min(1).max(120) }),
      query: SigningQuery,
      responses: {
        200: {
          description: 'Sign the UTF-8 bytes of `payload` with Ed25519',
          schema: z.object({
            payload: z.string(),
            packageHash: z.string(),
            taskId: z.string(),
            pledgeId: z.string(),
          }),
        },
      },
      handler: async ({ principal, params, query }) => {
        await deps.views.sync();
        const task = deps.views.task(params.id);
        if (!task || !maySee(task, principal)) throw notFound(`task ${params.id}`);
        if (task.kind !== 'command_approval' || typeof task.context.packageHash !== 'string') {
          throw new ApiError(422, 'UNPROCESSABLE', 'only command approval decisions are signed');
        }
        const payload = signingPayload({
          taskId: task.id,
          pledgeId: task.pledgeId,
          packageHash: task.context.packageHash,
          decision: query.decision,
          comment: query.comment ?? null,
          conditions: query.conditions,
        });
        return {
          status: 200,
          body: { payload, packageHash: task.context.packageHash, taskId: task.id, pledgeId: task.pledgeId },
        };
      },
    }),
  ];
}
