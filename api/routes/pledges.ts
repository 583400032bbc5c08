import { z } from 'zod';
import { canSeeDonor, donorScope, type Principal } from '../../domain/permissions';
import { pageOf, PageQuery } from '../../domain/schemas/common';
import { PledgeInput, PledgeStatus } from '../../domain/schemas/pledge';
import { PledgeSummary, PledgeView } from '../../domain/schemas/pledge-view';
import type { PledgeListEntry } from '../../store/projector';
import { amendPledge } from '../../app/amend-pledge';
import { submitPledge } from '../../app/submit-pledge';
import { withdrawPledge } from '../../app/withdraw-pledge';
import type { ApiDeps } from '../deps';
import { decodeCursor, encodeCursor } from '../http/cursor';
import { notFound } from '../http/errors';
import { route } from '../http/route';
import { PledgePages, pledgePageText, type Audience } from '../views/pledge-pages';
import { pledgeLifecycleClient, submissionPorts } from '../../app/pledge-workflows';

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

const Accepted = z
  .object({ id: z.string(), workflowId: z.string(), status: PledgeStatus })
  .meta({ id: 'PledgeAccepted' });

const PledgePage = pageOf(PledgeSummary).meta({ id: 'PledgePage' });
const WithdrawInput = z
  .object({ reason: z.string().trim().min(1, 'say why the pledge is withdrawn').max(2000) })
  .meta({ id: 'WithdrawInput' });
const notFoundHere = 'No such pledge (also another nation’s, to a donor liaison)';

/** The list's filters (and the CSV export's) as a predicate: a donor liaison is confined to its own nation. */
export function pledgeListMatcher(
  principal: Principal,
  query: Pick<PledgeListQuery, 'status' | 'donor' | 'coalition' | 'q'>,
) {
  const scope = donorScope(principal);
  const donor = query.donor ?? scope;
  const q = query.q?.toLowerCase();
  return (p: PledgeListEntry): boolean =>
    (!scope || p.donor === scope) &&
    (!donor || p.donor === donor) &&
    (!query.status || p.status === query.status) &&
    (!query.coalition || p.coalitions.includes(query.coalition)) &&
    (!q || p.searchText.includes(q));
}

/** Newest first, as the list is kept: ≤ 0 while an entry sorts at or before the cursor. */
const afterCursor = (cursor: { at: string; id: string }) => (p: PledgeListEntry) =>
  p.createdAt > cursor.at ? -1 : p.createdAt < cursor.at ? 1 : p.id >= cursor.id ? -1 : 1;

/** The audience a principal reads as: a donor liaison reads what the audit log's rule lets a donor read. */
const audienceOf = (principal: Principal): Audience => (donorScope(principal) === null ? 'staff' : 'liaison');

const asJson = (text: string) => ({
  status: 200,
  contentType: 'application/json; charset=utf-8',
  body: text,
});

export function pledgeRoutes(deps: ApiDeps) {
  const { temporal, views } = deps;
  const pages = new PledgePages(views, deps.keys);
  const submissions = submissionPorts(deps);
  const changes = {
    ...pledgeLifecycleClient(temporal),
    systems: () => deps.reference.systems(),
    async pledge(id: string) {
      await views.sync();
      const entry = views.pledges.get(id);
      return entry && { id: entry.id, donor: entry.donor, workflowId: String(entry.workflowId) };
    },
  };

  /** A pledge the caller may see (another nation's is a 404 to a liaison), after catching up with every write. */
  async function visiblePledge(principal: Principal, id: string): Promise<PledgeListEntry> {
    await views.sync();
    const entry = views.pledges.get(id);
    if (!entry || !canSeeDonor(principal, entry.donor)) throw notFound(`pledge ${id}`);
    return entry;
  }

  return [
    route({
      method: 'post',
      path: '/pledges',
      operationId: 'submitPledge',
      summary: 'Submit a pledge; its lifecycle workflow starts at once',
      tag: 'pledges',
      access: 'pledge:create',
      body: PledgeInput,
      idempotent: true,
      responses: { 202: { description: 'Accepted; the pledge is SUBMITTED', schema: Accepted } },
      errors: { 403: 'A donor liaison may pledge only for its own nation' },
      handler: async ({ principal, body, req }) => {
        const accepted = await submitPledge(submissions, principal, body, req.get('idempotency-key'));
        return { status: 202, body: accepted };
      },
    }),
    route({
      method: 'get',
      path: '/pledges/:id',
      operationId: 'getPledge',
      summary: 'A pledge with its review, training plan, approval chain and timeline',
      description:
        'A donor liaison reads it redacted as its audit entries are: internal comments, hashes and signatures are ' +
        'withheld, and each timeline entry names the fields withheld in `redacted`.',
      tag: 'pledges',
      access: 'pledge:read',
      params: IdParams,
      responses: { 200: { description: 'The pledge', schema: PledgeView } },
      errors: { 404: notFoundHere },
      handler: async ({ principal, params }) => {
        await visiblePledge(principal, params.id);
        const text = await pages.text(params.id, audienceOf(principal));
        if (!text) throw notFound(`pledge ${params.id}`);
        return asJson(text);
      },
    }),
    route({
      method: 'get',
      path: '/pledges',
      operationId: 'listPledges',
      summary: 'Pledges, newest first, with filters and free-text search',
      description: 'A donor liaison sees only its own nation’s pledges, whatever the filters say.',
      tag: 'pledges',
      access: 'pledge:read',
      query: PledgeListQuery,
      responses: { 200: { description: 'A page of pledges', schema: PledgePage } },
      handler: async ({ principal, query }) => {
        await views.sync();
        const matches = pledgeListMatcher(principal, query);
        const page: PledgeListEntry[] = [];
        for (const entry of views.pledges.from(
          query.cursor ? afterCursor(decodeCursor(query.cursor)) : undefined,
        )) {
          if (!matches(entry)) continue;
          if (page.length === query.limit) {
            const last = page[page.length - 1];
            return asJson(pledgePageText(page, encodeCursor({ at: last.createdAt, id: last.id })));
          }
          page.push(entry);
        }
        return asJson(pledgePageText(page, null));
      },
    }),
    route({
      method: 'post',
      path: '/pledges/:id/amend',
      operationId: 'amendPledge',
      summary: 'Amend a pledge while changes are requested or after a return; the review runs again',
      tag: 'pledges',
      access: 'pledge:amend',
      params: IdParams,
      body: PledgeInput,
      responses: { 202: { description: 'Amendment accepted', schema: Accepted } },
      errors: {
        403: 'Only the owning nation’s liaison (or staff) may amend it',
        404: notFoundHere,
        409: 'The pledge cannot be amended in its current status',
        422: 'The amendment is not acceptable as it stands',
      },
      handler: async ({ principal, params, body }) => {
        const amended = await amendPledge(changes, principal, params.id, body);
        return { status: 202, body: amended };
      },
    }),
    route({
      method: 'post',
      path: '/pledges/:id/withdraw',
      operationId: 'withdrawPledge',
      summary: 'Withdraw a pledge at any stage; reserved seats are released',
      tag: 'pledges',
      access: 'pledge:withdraw',
      params: IdParams,
      body: WithdrawInput,
      responses: { 202: { description: 'Withdrawn', schema: Accepted } },
      errors: {
        403: 'Only the owning nation’s liaison (or staff) may withdraw it',
        404: notFoundHere,
        409: 'The pledge is already closed',
        422: 'The withdrawal is not acceptable as it stands',
      },
      handler: async ({ principal, params, body }) => {
        const withdrawn = await withdrawPledge(changes, principal, params.id, body.reason);
        return { status: 202, body: withdrawn };
      },
    }),
  ];
}
