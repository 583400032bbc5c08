import { z } from 'zod';
import { canSeeDonor } from '../../domain/permissions';
import { linkQueued, verifyAuditChain } from '../../store/audit-log';
import { verifyStoredDecisions } from '../../store/decision-verification';
import type { ApiDeps } from '../deps';
import { notFound } from '../http/errors';
import { route } from '../http/route';

const AuditEntryView = z.object({
  seq: z.number(),
  at: z.string(),
  actor: z.string(),
  action: z.string(),
  detail: z.unknown(),
  prevHash: z.string(),
  hash: z.string(),
});

export function auditRoutes({ store, views }: ApiDeps) {
  return [
    route({
      method: 'get',
      path: '/pledges/:id/audit',
      summary: "A pledge's audit entries in order",
      tag: 'audit',
      access: 'pledge:read',
      params: z.object({ id: z.string().min(1).max(64) }),
      responses: { 200: { description: 'Entries', schema: z.object({ items: z.array(AuditEntryView) }) } },
      handler: async ({ principal, params }) => {
        await views.sync();
        const pledge = views.pledges.get(params.id);
        if (!pledge || !canSeeDonor(principal, pledge.donor)) throw notFound(`pledge ${params.id}`);
        // Entries queued by the projector join the chain first, so the log shows every recorded step.
        await linkQueued(store);
        const entries = await store.Audit.find({ pledgeId: params.id }, { _id: 0, eventId: 0, pledgeId: 0 })
          .sort({ seq: 1 })
          .lean();
        return { status: 200, body: { items: entries } };
      },
    }),
    route({
      method: 'get',
      path: '/audit/verify',
      summary: 'Re-verifies the whole hash chain (and, once signing exists, every signature)',
      tag: 'audit',
      access: 'audit:verify',
      responses: {
        200: {
          description: 'Verification result',
          schema: z.object({
            ok: z.boolean(),
            checked: z.number(),
            firstBrokenSeq: z.number().optional(),
            signaturesChecked: z.number(),
            problems: z.array(
              z.object({ pledgeId: z.string(), step: z.number().nullable(), problem: z.string() }),
            ),
          }),
        },
      },
      handler: async () => {
        await linkQueued(store);
        const [chain, decisions] = await Promise.all([verifyAuditChain(store), verifyStoredDecisions(store)]);
        return {
          status: 200,
          body: { ...chain, ok: chain.ok && decisions.problems.length === 0, ...decisions },
        };
      },
    }),
  ];
}
