import { z } from 'zod';
import { liaisonDetail } from '../../domain/audit-visibility';
import { canSeeDonor, donorScope, type Principal } from '../../domain/permissions';
import { pageOf, PageQuery } from '../../domain/schemas/common';
import { PledgeInput, PledgeStatus } from '../../domain/schemas/pledge';
import {
  PledgeSummary,
  PledgeView,
  toApprovalView,
  toPledgeSummary,
  toTrainingPlanView,
  type ProjectedPledgeView,
} from '../../domain/schemas/pledge-view';
import { approvalWithVerification } from '../../store/decision-verification';
import type { PledgeListEntry } from '../../store/projector';
import { amendPledge } from '../../app/amend-pledge';
import { submitPledge } from '../../app/submit-pledge';
import { withdrawPledge } from '../../app/withdraw-pledge';
import type { ApiDeps } from '../deps';
import { decodeCursor, encodeCursor } from '../http/cursor';
import { notFound } from '../http/errors';
import { route } from '../http/route';
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

/**
 * Each list entry's summary as JSON, made once per entry version: a page is then the joining of up to `limit`
 * strings, not the building and serialising of as many objects on every request. An entry the views replace is
 * a new object, so its text is made afresh, and the old one is collected with it.
 */
const summaryJson = new WeakMap<PledgeListEntry, string>();
function summaryTextOf(entry: PledgeListEntry): string {
  let text = summaryJson.get(entry);
  if (text === undefined) summaryJson.set(entry, (text = JSON.stringify(toPledgeSummary(entry))));
  return text;
}

/** A page of pledges as the JSON text `PledgePage` describes. */
const pageText = (page: PledgeListEntry[], nextCursor: string | null) => ({
  status: 200,
  contentType: 'application/json; charset=utf-8',
  body: `{"items":[${page.map(summaryTextOf).join(',')}],"nextCursor":${JSON.stringify(nextCursor)}}`,
});

/** Decisions whose comment is addressed to the donor (what to change, why it was refused or returned). */
const commentForDonor = new Set(['request_changes', 'reject', 'return']);

/**
 * The page as a donor liaison may read it, by the audit log's rule (`domain/audit-visibility.ts`): the timeline
 * without internal comments, findings as worded for staff, hashes and signatures (`redacted` names what was
 * withheld); the approval chain and the review decision without the comments NSATU keeps inside.
 */
export function liaisonView(view: PledgeView): PledgeView {
  const review = view.review;
  return {
    ...view,
    review: review && {
      ...review,
      decision: review.decision && {
        ...review.decision,
        comment: commentForDonor.has(review.decision.decision) ? review.decision.comment : null,
      },
    },
    approval: view.approval && {
      ...view.approval,
      // The frozen package carries the reviewer's comment and the staff's wording: it stays inside too.
      package: {},
      chain: view.approval.chain.map((s) => ({
        ...s,
        comment: s.decision && commentForDonor.has(s.decision) ? s.comment : null,
        keyId: null,
        signature: null,
        payload: null,
      })),
    },
    timeline: view.timeline.map((e) => {
      const { detail, redacted } = liaisonDetail(e.type, e.detail);
      return { ...e, detail, redacted };
    }),
  };
}

export function pledgeRoutes(deps: ApiDeps) {
  const { temporal, views } = deps;
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
        // The page as the projector stored it: its approval still lacks the checks made now, at read time.
        const view = (await views.pledgeDetail(params.id)) as ProjectedPledgeView | null;
        if (!view) throw notFound(`pledge ${params.id}`);
        let approval: PledgeView['approval'] = null;
        if (view.approval) {
          const verified = await approvalWithVerification(deps.keys, params.id, view.approval);
          approval = toApprovalView(view.approval, {
            packageValid: verified?.packageValid ?? null,
            signatureValid: verified?.chain.map((s) => s.signatureValid) ?? [],
          });
        }
        const body: PledgeView = {
          ...toPledgeSummary(view),
          trainingPlan: view.trainingPlan ? toTrainingPlanView(view.trainingPlan) : null,
          approval,
          timeline: view.timeline.map(({ at, type, actor, detail }) => ({
            at,
            type,
            actor,
            detail: detail ?? {},
          })),
        };
        return { status: 200, body: donorScope(principal) === null ? body : liaisonView(body) };
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
            return pageText(page, encodeCursor({ at: last.createdAt, id: last.id }));
          }
          page.push(entry);
        }
        return pageText(page, null);
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
