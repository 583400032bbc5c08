import { z } from 'zod';
import { fulfilmentOf, totalsOf, type ApprovedPledge } from '../../domain/agreements';
import { canSeeDonor, donorScope, type Principal } from '../../domain/permissions';
import { APPROVED_STATUSES } from '../../domain/pledge-lifecycle';
import { AgreementInput, AgreementPatch, AgreementView } from '../../domain/schemas/agreement';
import { NationCode, PageQuery } from '../../domain/schemas/common';
import type { PledgeStatus } from '../../domain/schemas/pledge';
import { appendAudit } from '../../store/audit-log';
import type { StoredAgreement } from '../../store/agreements';
import { isDuplicateKey } from '../../store/duplicate-key';
import type { ApiDeps } from '../deps';
import { decodeCursor, encodeCursor } from '../http/cursor';
import { conflict, forbidden, notFound } from '../http/errors';
import { route } from '../http/route';

const IdParams = z.object({ id: z.string().min(1).max(80) });
const AgreementListQuery = PageQuery.extend({ donor: NationCode.optional() });
const AgreementPage = z
  .object({ items: z.array(AgreementView), nextCursor: z.string().nullable() })
  .meta({ id: 'AgreementPage' });

const notFoundHere = 'No such agreement, or one of another nation';

/** The id of a donor's agreement signed on a day: a second record of the same agreement is refused. */
const agreementId = (donor: string, signedOn: string) => `${donor.toLowerCase()}-${signedOn}`;

const isApproved = (s: PledgeStatus) => (APPROVED_STATUSES as readonly PledgeStatus[]).includes(s);

/** Bilateral security agreements, with what each donor's approved pledges fulfil of them per year. */
export function agreementRoutes({ store, views, projections }: ApiDeps) {
  // The agreements (a few dozen) and the approved pledges by donor, in memory; any change notice drops them.
  let agreements: Promise<StoredAgreement[]> | null = null;
  let approved: { at: string; byDonor: Map<string, ApprovedPledge[]> } | null = null;
  views.onNotice(() => {
    agreements = null;
  });
  const loadAgreements = () => {
    const load = store.Agreement.find({}).sort({ _id: 1 }).lean().exec();
    agreements = load;
    load.catch(() => {
      if (agreements === load) agreements = null;
    });
    return load;
  };
  const allAgreements = () => agreements ?? loadAgreements();

  /** Approved pledges of a donor, from the pledge views (recounted only after a change). */
  const approvedOf = (donor: string): ApprovedPledge[] => {
    if (approved?.at !== views.changeCount) {
      const byDonor = new Map<string, ApprovedPledge[]>();
      for (const p of views.pledges.values()) {
        if (!isApproved(p.status)) continue;
        const list = byDonor.get(p.donor) ?? [];
        list.push({ donor: p.donor, approvedAt: p.approvedAt ?? null, valueEur: p.valueEur ?? null });
        byDonor.set(p.donor, list);
      }
      approved = { at: views.changeCount, byDonor };
    }
    return approved.byDonor.get(donor) ?? [];
  };

  const toView = (a: StoredAgreement): AgreementView => {
    const fulfilment = fulfilmentOf(a, approvedOf(a.donor));
    return {
      id: a._id,
      donor: a.donor,
      title: a.title,
      signedOn: a.signedOn,
      termYears: a.termYears,
      commitments: (a.commitments ?? []).map((c) => ({
        year: c.year,
        valueEur: c.valueEur ?? null,
        ...(c.byCategory ? { byCategory: c.byCategory } : {}),
      })),
      status: a.status as AgreementView['status'],
      sourceUrl: a.sourceUrl ?? null,
      fulfilment,
      total: totalsOf(fulfilment),
      alertedYears: a.alertedYears ?? [],
      createdBy: a.createdBy,
      createdAt: a.createdAt,
      updatedAt: a.updatedAt,
    };
  };

  /** An agreement the caller may see (another nation's is a 404 to a liaison). */
  const visible = async (principal: Principal, id: string) => {
    await views.sync();
    const found = (await allAgreements()).find((a) => a._id === id);
    if (!found || !canSeeDonor(principal, found.donor)) throw notFound(`agreement ${id}`);
    return found;
  };

  /** Every change is audited, and every API process drops the agreements it holds. */
  const recorded = async (actor: string, action: string, detail: Record<string, unknown>, id: string) => {
    await appendAudit(store, { actor, action, detail: { id, ...detail } });
    await projections.notice('agreement', id);
    agreements = null;
  };

  return [
    route({
      method: 'get',
      path: '/agreements',
      operationId: 'listAgreements',
      summary: 'Bilateral security agreements, with their fulfilment by approved pledges per year',
      description: 'A donor liaison sees only its own nation’s agreements.',
      tag: 'agreements',
      access: 'agreement:read',
      query: AgreementListQuery,
      responses: { 200: { description: 'Agreements, oldest record first', schema: AgreementPage } },
      handler: async ({ principal, query }) => {
        await views.sync();
        const scope = donorScope(principal);
        const after = query.cursor ? decodeCursor(query.cursor) : null;
        const matching = (await allAgreements())
          .filter((a) => (!scope || a.donor === scope) && (!query.donor || a.donor === query.donor))
          .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a._id.localeCompare(b._id))
          .filter((a) => !after || a.createdAt > after.at || (a.createdAt === after.at && a._id > after.id));
        const page = matching.slice(0, query.limit);
        const last = page[page.length - 1];
        return {
          status: 200,
          body: {
            items: page.map(toView),
            nextCursor:
              matching.length > page.length && last
                ? encodeCursor({ at: last.createdAt, id: last._id })
                : null,
          },
        };
      },
    }),
    route({
      method: 'post',
      path: '/agreements',
      operationId: 'createAgreement',
      summary: 'Record a bilateral security agreement',
      description:
        'Figures that are not public are left null, never estimated. The id is the donor and the date of ' +
        'signature (`gbr-2024-01-12`): the same agreement is recorded once.',
      tag: 'agreements',
      access: 'agreement:write',
      body: AgreementInput,
      idempotent: true,
      responses: { 201: { description: 'Recorded', schema: AgreementView } },
      errors: {
        403: 'A donor liaison may record only its own nation’s agreements',
        409: 'That donor’s agreement of that date is already recorded',
      },
      handler: async ({ principal, body }) => {
        if (donorScope(principal) && principal.nation !== body.donor)
          throw forbidden('a donor liaison may record only its own nation’s agreements');
        const now = new Date().toISOString();
        const doc: StoredAgreement = {
          _id: agreementId(body.donor, body.signedOn),
          ...body,
          alertedYears: [],
          createdBy: principal.username,
          createdAt: now,
          updatedAt: now,
        };
        try {
          await store.Agreement.create(doc);
        } catch (err) {
          if (isDuplicateKey(err)) throw conflict(`agreement ${doc._id} is already recorded`);
          throw err;
        }
        await recorded(principal.username, 'agreement.created', { ...body }, doc._id);
        await views.sync();
        return { status: 201, body: toView(doc) };
      },
    }),
    route({
      method: 'get',
      path: '/agreements/:id',
      operationId: 'getAgreement',
      summary: 'One agreement, with its commitments and their fulfilment per year and in total',
      tag: 'agreements',
      access: 'agreement:read',
      params: IdParams,
      responses: { 200: { description: 'The agreement', schema: AgreementView } },
      errors: { 404: notFoundHere },
      handler: async ({ principal, params }) => ({
        status: 200,
        body: toView(await visible(principal, params.id)),
      }),
    }),
    route({
      method: 'patch',
      path: '/agreements/:id',
      operationId: 'updateAgreement',
      summary: "Change an agreement's commitments, term, status, title or source",
      tag: 'agreements',
      access: 'agreement:write',
      params: IdParams,
      body: AgreementPatch,
      responses: { 200: { description: 'The agreement as changed', schema: AgreementView } },
      errors: { 404: notFoundHere },
      handler: async ({ principal, params, body }) => {
        const before = await visible(principal, params.id);
        const updatedAt = new Date().toISOString();
        await store.Agreement.updateOne({ _id: before._id }, { $set: { ...body, updatedAt } });
        await recorded(principal.username, 'agreement.updated', { ...body }, before._id);
        const after = await store.Agreement.findById(before._id).lean();
        if (!after) throw notFound(`agreement ${params.id}`);
        return { status: 200, body: toView(after) };
      },
    }),
  ];
}
