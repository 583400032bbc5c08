import { z } from 'zod';
import { liaisonDetail } from '../../domain/audit-visibility';
import { canSeeDonor, donorScope } from '../../domain/permissions';
import { checkpointAudit, linkQueued, pledgeAuditEntries, verifyAuditChain } from '../../store/audit-log';
import { verifyStoredDecisions } from '../../store/decision-verification';
import type { ApiDeps } from '../deps';
import { conflict, notFound } from '../http/errors';
import { route } from '../http/route';

const AuditEntryView = z
  .object({
    seq: z.number().int(),
    at: z.string(),
    actor: z.string(),
    action: z.string(),
    detail: z.record(z.string(), z.unknown()).describe('What was done; its fields depend on `action`'),
    prevHash: z.string(),
    hash: z.string().describe("SHA-256 of the entry's canonical JSON, chained to `prevHash`"),
    redacted: z
      .array(z.string())
      .optional()
      .describe(
        'Detail fields withheld from a donor liaison (comments, findings, signatures); the hash covers them',
      ),
  })
  .meta({ id: 'AuditEntry' });

const CheckpointView = z
  .object({
    seq: z.number().int().describe('The last entry the checkpoint covers'),
    hash: z.string().describe('That entry’s hash: the chain head when it was signed'),
    signedAt: z.string(),
    keyId: z.string().describe('The RFC 7638 thumbprint of the checkpoint key'),
    signature: z.string().describe('Ed25519 over the checkpoint payload, base64url'),
  })
  .meta({ id: 'AuditCheckpoint' });

const AuditVerification = z
  .object({
    ok: z.boolean(),
    checked: z.number().int().describe('Entries checked'),
    firstBrokenSeq: z.number().int().optional().describe('The first entry altered, removed or out of order'),
    problem: z
      .enum(['altered', 'truncated', 'rewritten', 'forked'])
      .optional()
      .describe('What happened to the chain, when it does not verify'),
    reason: z.string().optional().describe('What is wrong, in words'),
    checkpoint: z
      .object({ seq: z.number().int(), hash: z.string(), signedAt: z.string() })
      .nullable()
      .describe('The latest signed checkpoint the chain was compared with; null before the first'),
    signaturesChecked: z.number().int(),
    problems: z.array(
      z.object({ pledgeId: z.string(), step: z.number().int().nullable(), problem: z.string() }),
    ),
  })
  .meta({ id: 'AuditVerification' });

export function auditRoutes({ store, views, checkpointKey }: ApiDeps) {
  return [
    route({
      method: 'get',
      path: '/pledges/:id/audit',
      operationId: 'listPledgeAudit',
      summary: "A pledge's audit entries in order",
      description:
        'A donor liaison sees its own pledge’s entries with comments, findings, signatures and other internal ' +
        'fields withheld (`redacted` names them).',
      tag: 'audit',
      access: 'pledge:read',
      params: z.object({ id: z.string().min(1).max(64) }),
      responses: {
        200: {
          description: 'Entries',
          schema: z.object({ items: z.array(AuditEntryView) }).meta({ id: 'AuditEntryList' }),
        },
      },
      errors: { 404: 'No such pledge (also another nation’s, to a donor liaison)' },
      handler: async ({ principal, params }) => {
        await views.sync();
        const pledge = views.pledges.get(params.id);
        if (!pledge || !canSeeDonor(principal, pledge.donor)) throw notFound(`pledge ${params.id}`);
        const entries = await pledgeAuditEntries(store, params.id);
        const outsider = donorScope(principal) !== null;
        const items = entries.map(({ seq, at, actor, action, detail, prevHash, hash }) => {
          const entry = { seq, at, actor, action, detail, prevHash, hash };
          return outsider ? { ...entry, ...liaisonDetail(action, detail) } : entry;
        });
        return { status: 200, body: { items } };
      },
    }),
    route({
      method: 'get',
      path: '/audit/verify',
      operationId: 'verifyAudit',
      summary: 'Re-verifies the whole hash chain, every signed decision and every decision package',
      tag: 'audit',
      access: 'audit:verify',
      responses: { 200: { description: 'Verification result', schema: AuditVerification } },
      handler: async () => {
        await linkQueued(store);
        const [chain, decisions] = await Promise.all([
          verifyAuditChain(store, checkpointKey.publicKey),
          verifyStoredDecisions(store),
        ]);
        return {
          status: 200,
          body: { ...chain, ok: chain.ok && decisions.problems.length === 0, ...decisions },
        };
      },
    }),
    route({
      method: 'post',
      path: '/audit/checkpoints',
      operationId: 'signAuditCheckpoint',
      summary: 'Signs a checkpoint of the chain head now (the engine also signs them at intervals)',
      description:
        'The checkpoint key is held outside the database, so whoever can rewrite the database cannot sign a ' +
        'head of their making: verify compares the chain with the latest checkpoint. Signing twice at one head ' +
        'returns the same checkpoint.',
      tag: 'audit',
      access: 'audit:verify',
      responses: { 201: { description: 'The checkpoint of the head as it stands', schema: CheckpointView } },
      errors: { 409: 'Nothing to sign yet: the log is empty' },
      handler: async () => {
        await linkQueued(store);
        const checkpoint = await checkpointAudit(store, checkpointKey);
        if (!checkpoint) throw conflict('the audit log is empty: nothing to sign');
        const { seq, hash, signedAt, keyId, signature } = checkpoint;
        return { status: 201, body: { seq, hash, signedAt, keyId, signature } };
      },
    }),
  ];
}
