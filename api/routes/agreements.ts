import { z } from 'zod';
import { fulfilmentOf, totalsOf, type ApprovedPledge } from '../../domain/agreements';
import { donorScope } from '../../domain/permissions';
import { APPROVED_STATUSES } from '../../domain/pledge-lifecycle';
import { AgreementInput, AgreementPatch, AgreementView } from '../../domain/schemas/agreement';
import { NationCode, PageQuery } from '../../domain/schemas/common';
import type { PledgeStatus } from '../../domain/schemas/pledge';
import { agreementChangeLog, agreementRepository, type StoredAgreement } from '../../store/agreements';
import {
  createAgreement,
  updateAgreement,
  visibleAgreement,
  type AgreementPorts,
} from '../../app/agreements';
import type { ApiDeps } from '../deps';
import { decodeCursor, encodeCursor } from '../http/cursor';
import { route } from '../http/route';

const IdParams = z.object({ id: z.string().min(1).max(80) });
const AgreementListQuery = PageQuery.extend({ donor: NationCode.optional() });
const AgreementPage = z
  .object({ items: z.array(AgreementView), nextCursor: z.string().nullable() })
  .meta({ id: 'AgreementPage' });

const notFoundHere = 'No such agreement, or one of another nation';

const isApproved = (s: PledgeStatus) => (APPROVED_STATUSES as readonly PledgeStatus[]).includes(s);

/** Bilateral security agreements, with what each donor's approved pledges fulfil of them per year. */
export function agreementRoutes({ store, views, projections }: ApiDeps) {
  // The agreements (a few dozen) and the approved pledges by donor, in memory; any change notice drops them.
  let agreements: Promise<StoredAgreement[]> | null = null;
  let approved: { at: string; byDonor: Map<string, ApprovedPledge[]> } | null = null;
  views.onNotice(() => {
    agreements = null;
  });
  const repository = agreementRepository(store);
  const loadAgreements = () => {
    const load = repository.all();
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

  const changeLog = agreementChangeLog(store, projections);
  const ports: AgreementPorts = {
    // Read from those held, as every process has them after the notices it has seen.
    agreements: {
      ...repository,
      one: async (id) => {
        await views.sync();
        return (await allAgreements()).find((a) => a._id === id) ?? null;
      },
    },
    // This process drops the agreements it holds at once, before its next read.
    changes: {
      async record(actor, action, detail) {
        await changeLog.record(actor, action, detail);
        agreements = null;
      },
    },
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
        const doc = await createAgreement(ports, principal, body);
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
        body: toView(await visibleAgreement(ports.agreements, principal, params.id)),
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
        const after = await updateAgreement(ports, principal, params.id, body);
        return { status: 200, body: toView(after) };
      },
    }),
  ];
}
