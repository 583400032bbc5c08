import { z } from 'zod';
import { canSeeDonor, donorScope, type Principal } from '../../domain/permissions';
import { pageOf, PageQuery } from '../../domain/schemas/common';
import { PledgeInput, PledgeStatus } from '../../domain/schemas/pledge';
import { amendPledgeUpdate, withdrawPledgeUpdate } from '../../workflows/pledge-lifecycle';
import type { ApiDeps } from '../deps';
import { checkPledge, submitPledge } from '../pledge-submission';
import { ApiError, forbidden, notFound } from '../http/errors';
import { route } from '../http/route';
import { fromTemporal } from '../http/temporal-errors';
import { decodeCursor, encodeCursor } from '../http/cursor';
import { PledgeSummary, PledgeView, toPledgeView } from '../pledge-view';
import { actorOf } from '../actor';
import { approvalWithVerification, type StoredApproval } from '../../store/decision-verification';
import { pledgesById } from '../../store/pledge-index';

const IdParams = z.object({ id: z.string().min(1).max(64) });

export const PledgeListQuery = PageQuery.extend({
  status: PledgeStatus.optional(),
  donor: z
    .string()
    .regex(/^[A-Z]{3}$/, 'must be a three-letter nation code')
    .optional(),
  coalition: z.string().max(40).optional(),
  q: z.string().max(200).optional(),
});
export type PledgeListQuery = z.infer<typeof PledgeListQuery>;

const Accepted = z.object({ id: z.string(), workflowId: z.string(), status: PledgeStatus });

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The list's filters (and the CSV export's): a donor liaison is confined to its own nation. */
export function pledgeListFilter(
  principal: Principal,
  query: Pick<PledgeListQuery, 'status' | 'donor' | 'coalition' | 'q'>,
): Record<string, unknown> {
  const filter: Record<string, unknown> = {};
  const scope = donorScope(principal);
  if (scope) filter.donor = scope;
  if (query.donor) filter.donor = scope && scope !== query.donor ? '∅' : query.donor;
  if (query.status) filter.status = query.status;
  if (query.coalition) filter.coalitions = query.coalition;
  if (query.q) filter.searchText = { $regex: escapeRegex(query.q.toLowerCase()) };
  return filter;
}

export function pledgeRoutes(deps: ApiDeps) {
  const { store, temporal } = deps;

  async function visiblePledge(principal: Principal, id: string) {
    const doc = await store.Pledge.findById(id).lean<
      Record<string, unknown> & { _id: string; donor: string; createdAt: Date; updatedAt: Date }
    >();
    if (!doc || !canSeeDonor(principal, doc.donor)) throw notFound(`pledge ${id}`);
    return doc;
  }

  return [
    route({
      method: 'post',
      path: '/pledges',
      summary: 'Submit a pledge; its lifecycle workflow starts at once',
      tag: 'pledges',
      access: 'pledge:create',
      body: PledgeInput,
      idempotent: true,
      responses: { 202: { description: 'Accepted; the pledge is SUBMITTED', schema: Accepted } },
      handler: async ({ principal, body, req }) => {
        const accepted = await submitPledge(deps, principal, body, req.get('idempotency-key'));
        return { status: 202, body: accepted };
      },
    }),
    route({
      method: 'get',
      path: '/pledges/:id',
      summary: 'A pledge with its review, training plan, approval chain and timeline',
      tag: 'pledges',
      access: 'pledge:read',
      params: IdParams,
      responses: { 200: { description: 'The pledge', schema: PledgeView } },
      handler: async ({ principal, params }) => {
        const doc = await visiblePledge(principal, params.id);
        const approval = await approvalWithVerification(
          store,
          params.id,
          doc.approval as StoredApproval | null,
        );
        return { status: 200, body: { ...toPledgeView(doc), approval } };
      },
    }),
    route({
      method: 'get',
      path: '/pledges',
      summary: 'Pledges, newest first, with filters and free-text search',
      tag: 'pledges',
      access: 'pledge:read',
      query: PledgeListQuery,
      responses: { 200: { description: 'A page of pledges', schema: pageOf(PledgeSummary) } },
      handler: async ({ principal, query }) => {
        const filter = pledgeListFilter(principal, query);
        const cursor = query.cursor ? decodeCursor(query.cursor) : null;
        if (cursor) {
          filter.$or = [
            { createdAt: { $lt: new Date(cursor.at) } },
            { createdAt: new Date(cursor.at), _id: { $lt: cursor.id } },
          ];
        }
        // Ids from the small index, then each pledge by `_id` (see store/pledge-index.ts).
        const entries = await store.PledgeIndex.find(filter, { _id: 1 })
          .sort({ createdAt: -1, _id: -1 })
          .limit(query.limit + 1)
          .lean<Array<{ _id: string }>>();
        const docs = await pledgesById<Record<string, unknown> & { _id: string; createdAt: Date; updatedAt: Date }>(
          store,
          entries.slice(0, query.limit).map((e) => e._id),
          { timeline: 0 },
        );
        const page = docs;
        const last = page[page.length - 1];
        return {
          status: 200,
          body: {
            items: page.map((d) => toPledgeView(d, { withTimeline: false })),
            nextCursor:
              entries.length > query.limit && last
                ? encodeCursor({ at: last.createdAt.toISOString(), id: last._id })
                : null,
          },
        };
      },
    }),
    route({
      method: 'post',
      path: '/pledges/:id/amend',
      summary: 'Amend a pledge while changes are requested or after a return; the review runs again',
      tag: 'pledges',
      access: 'pledge:amend',
      params: IdParams,
      body: PledgeInput,
      responses: { 202: { description: 'Amendment accepted', schema: Accepted } },
      handler: async ({ principal, params, body }) => {
        const doc = await visiblePledge(principal, params.id);
        if (body.donor !== doc.donor) {
          throw new ApiError(400, 'VALIDATION_FAILED', 'the donor of a pledge cannot change', [
            { path: 'donor', message: `must stay ${doc.donor}` },
          ]);
        }
        await checkPledge(deps, principal, body);
        const handle = temporal.client.workflow.getHandle(String(doc.workflowId));
        const state = await handle
          .executeUpdate(amendPledgeUpdate, { args: [{ actor: actorOf(principal), pledge: body }] })
          .catch((err) => fromTemporal(err, `pledge ${params.id}`));
        return { status: 202, body: { id: params.id, workflowId: doc.workflowId, status: state.status } };
      },
    }),
    route({
      method: 'post',
      path: '/pledges/:id/withdraw',
      summary: 'Withdraw a pledge at any stage; reserved seats are released',
      tag: 'pledges',
      access: 'pledge:withdraw',
      params: IdParams,
      body: z.object({ reason: z.string().trim().min(1, 'say why the pledge is withdrawn').max(2000) }),
      responses: { 202: { description: 'Withdrawn', schema: Accepted } },
      handler: async ({ principal, params, body }) => {
        const doc = await visiblePledge(principal, params.id);
        if (principal.roles.every((r) => r === 'donor_liaison') && !canSeeDonor(principal, doc.donor))
          throw forbidden();
        const handle = temporal.client.workflow.getHandle(String(doc.workflowId));
        const state = await handle
          .executeUpdate(withdrawPledgeUpdate, { args: [{ actor: actorOf(principal), reason: body.reason }] })
          .catch((err) => fromTemporal(err, `pledge ${params.id}`));
        return { status: 202, body: { id: params.id, workflowId: doc.workflowId, status: state.status } };
      },
    }),
  ];
}
