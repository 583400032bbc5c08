import { createHash } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { ulid } from 'ulid';
import { z } from 'zod';
import { canSeeDonor, donorScope, type Principal } from '../../domain/permissions';
import { pageOf, PageQuery } from '../../domain/schemas/common';
import { PledgeInput, PledgeStatus } from '../../domain/schemas/pledge';
import { searchTextOf } from '../../activities/pledge-activities';
import {
  amendPledgeUpdate,
  lifecycleWorkflowId,
  pledgeLifecycle,
  withdrawPledgeUpdate,
} from '../../workflows/pledge-lifecycle';
import type { ApiDeps } from '../deps';
import { ApiError, forbidden, notFound, unavailable, type ErrorDetail } from '../http/errors';
import { route } from '../http/route';
import { fromTemporal } from '../http/temporal-errors';
import { decodeCursor, encodeCursor } from '../http/cursor';
import { PledgeSummary, PledgeView, toPledgeView } from '../pledge-view';
import { actorOf } from '../actor';

const IdParams = z.object({ id: z.string().min(1).max(64) });

export const PledgeListQuery = PageQuery.extend({
  status: PledgeStatus.optional(),
  donor: z.string().regex(/^[A-Z]{3}$/, 'must be a three-letter nation code').optional(),
  coalition: z.string().max(40).optional(),
  q: z.string().max(200).optional(),
});

const Accepted = z.object({ id: z.string(), workflowId: z.string(), status: PledgeStatus });

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A pledge id derived from the Idempotency-Key: concurrent retries collide on the workflow id too. */
const pledgeIdFor = (principal: string, key: string | undefined) =>
  key
    ? `PL${createHash('sha256').update(`${principal}\n${key}`).digest('hex').slice(0, 24).toUpperCase()}`
    : `PL${ulid()}`;

export function pledgeRoutes(deps: ApiDeps) {
  const { store, temporal } = deps;

  /** Rules the schema cannot know: the donor's own nation, known systems, delivery not in the past. */
  async function checkPledge(principal: Principal, input: PledgeInput, today: string) {
    if (!canSeeDonor(principal, input.donor)) {
      throw new ApiError(403, 'FORBIDDEN', `a donor liaison may pledge only for ${principal.nation}`, [
        { path: 'donor', message: `must be your nation (${principal.nation})` },
      ]);
    }
    const ids = [...new Set(input.items.map((i) => i.systemId))];
    const known = new Set((await store.System.find({ _id: { $in: ids } }, { _id: 1 }).lean()).map((s) => String(s._id)));
    const details: ErrorDetail[] = [];
    input.items.forEach((item, i) => {
      if (!known.has(item.systemId)) {
        details.push({ path: `items.${i}.systemId`, message: `unknown system "${item.systemId}" (see /api/v1/catalog/systems)` });
      }
      if (item.deliveryWindow.to < today) {
        details.push({ path: `items.${i}.deliveryWindow.to`, message: 'delivery window is in the past' });
      }
    });
    if (details.length) {
      throw new ApiError(400, 'VALIDATION_FAILED', details.map((d) => `${d.path}: ${d.message}`).join('; '), details);
    }
  }

  async function visiblePledge(principal: Principal, id: string) {
    const doc = await store.Pledge.findById(id).lean<Record<string, unknown> & { _id: string; donor: string; createdAt: Date; updatedAt: Date }>();
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
        await checkPledge(principal, body, new Date().toISOString().slice(0, 10));
        const id = pledgeIdFor(principal.username, req.get('idempotency-key'));
        const workflowId = lifecycleWorkflowId(id);
        const systems = await store.System.find({ _id: { $in: body.items.map((i) => i.systemId) } }).lean<
          Array<{ name: string; family: string; coalition: string }>
        >();
        await store.Pledge.updateOne(
          { _id: id },
          {
            $setOnInsert: {
              workflowId,
              ...body,
              valueEur: body.valueEur ?? null,
              notes: body.notes ?? null,
              systemIds: body.items.map((i) => i.systemId),
              coalitions: [...new Set(systems.map((s) => s.coalition))].sort(),
              status: 'SUBMITTED',
              stage: 'intake',
              submittedBy: principal.username,
              searchText: searchTextOf(id, body, systems.flatMap((s) => [s.name, s.family])),
              timeline: [
                { eventId: `${id}:submitted`, at: new Date().toISOString(), type: 'pledge.submitted', actor: principal.username, detail: {} },
              ],
            },
          },
          { upsert: true },
        );
        try {
          await temporal.client.workflow.start(pledgeLifecycle, {
            taskQueue: deps.config.TEMPORAL_TASK_QUEUE,
            workflowId,
            args: [{ pledgeId: id, pledge: body, submittedBy: principal.username }],
            searchAttributes: { PledgeId: [id], PledgeDonor: [body.donor], PledgeStatus: ['SUBMITTED'] },
          });
        } catch (err) {
          if (!(err instanceof WorkflowExecutionAlreadyStartedError)) {
            await store.Pledge.deleteOne({ _id: id, status: 'SUBMITTED' });
            deps.logger.error({ err, pledgeId: id }, 'could not start the pledge workflow');
            throw unavailable('the workflow engine is unavailable; nothing was created, please retry');
          }
        }
        return { status: 202, body: { id, workflowId, status: 'SUBMITTED' } };
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
      handler: async ({ principal, params }) => ({
        status: 200,
        body: toPledgeView(await visiblePledge(principal, params.id)),
      }),
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
        const filter: Record<string, unknown> = {};
        const scope = donorScope(principal);
        if (scope) filter.donor = scope;
        if (query.donor) filter.donor = scope && scope !== query.donor ? '∅' : query.donor;
        if (query.status) filter.status = query.status;
        if (query.coalition) filter.coalitions = query.coalition;
        if (query.q) filter.searchText = { $regex: escapeRegex(query.q.toLowerCase()) };
        const cursor = query.cursor ? decodeCursor(query.cursor) : null;
        if (cursor) {
          filter.$or = [
            { createdAt: { $lt: new Date(cursor.at) } },
            { createdAt: new Date(cursor.at), _id: { $lt: cursor.id } },
          ];
        }
        const docs = await store.Pledge.find(filter, { timeline: 0 })
          .sort({ createdAt: -1, _id: -1 })
          .limit(query.limit + 1)
          .lean<Array<Record<string, unknown> & { _id: string; createdAt: Date; updatedAt: Date }>>();
        const page = docs.slice(0, query.limit);
        const last = page[page.length - 1];
        return {
          status: 200,
          body: {
            items: page.map((d) => toPledgeView(d, { withTimeline: false })),
            nextCursor: docs.length > query.limit && last ? encodeCursor({ at: last.createdAt.toISOString(), id: last._id }) : null,
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
        await checkPledge(principal, body, new Date().toISOString().slice(0, 10));
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
        if (principal.roles.every((r) => r === 'donor_liaison') && !canSeeDonor(principal, doc.donor)) throw forbidden();
        const handle = temporal.client.workflow.getHandle(String(doc.workflowId));
        const state = await handle
          .executeUpdate(withdrawPledgeUpdate, { args: [{ actor: actorOf(principal), reason: body.reason }] })
          .catch((err) => fromTemporal(err, `pledge ${params.id}`));
        return { status: 202, body: { id: params.id, workflowId: doc.workflowId, status: state.status } };
      },
    }),
  ];
}
