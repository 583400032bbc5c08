import { z } from 'zod';
import { canSeeDonor } from '../../domain/permissions';
import { isPending } from '../../domain/pledge-lifecycle';
import { todayUtc } from '../../domain/schemas/pledge';
import type { System } from '../../domain/schemas/reference';
import {
  ApprovalImpact,
  CapacityQuery,
  CapacityView,
  DEFAULT_CAPACITY_MONTHS,
  MAX_CAPACITY_MONTHS,
  WhatIfInput,
  WhatIfResult,
} from '../../domain/schemas/training-portfolio';
import {
  addMonths,
  capacityByMonth,
  inTrainingPortfolio,
  monthsBetween,
} from '../../domain/training/capacity';
import { DomainFailure } from '../../domain/failures';
import { trainingDemand, TrainingReferenceError } from '../../domain/training/demand';
import { planWhatIf, type WhatIfDemand } from '../../domain/training/what-if';
import { currentSessionMinimumCutoffDays } from '../../store/policies';
import { reservedSeatsBySession } from '../../store/seat-ledger';
import type { ApiDeps } from '../deps';
import { conflict, invalidField, notFound } from '../http/errors';
import { route } from '../http/route';
import { approvalImpactReader, whatIfTimeLimitSeconds } from '../views/approval-impact';

/** A pledge that cannot be planned as it stands (a system or course since removed from the reference data). */
const notPlannable = (err: unknown) => {
  if (err instanceof TrainingReferenceError)
    throw new DomainFailure(err.kind, `cannot be planned: ${err.message}`, err.details);
  throw err;
};

/**
 * The training portfolio as a whole: capacity against demand, what-if plans that reserve nothing, and what an
 * approval would do to the other pending pledges' training.
 */
export function trainingPortfolioRoutes(deps: ApiDeps) {
  const { store, views, reference: ref, logger } = deps;
  const impactOf = approvalImpactReader(deps);

  return [
    route({
      method: 'get',
      path: '/training/capacity',
      operationId: 'getTrainingCapacity',
      summary: 'Seats offered, reserved and demanded per course and month',
      description:
        'Demand counts every pledge in review or later that is not withdrawn or rejected, in the month its trainees ' +
        'must start each course to be ready by delivery, whether or not they hold a seat. ' +
        `A range covers at most ${MAX_CAPACITY_MONTHS} months. Donor liaisons may not read it (it spans every nation).`,
      tag: 'training',
      access: 'training:capacity',
      query: CapacityQuery,
      responses: { 200: { description: 'The capacity by course and month', schema: CapacityView } },
      handler: async ({ query }) => {
        const from = query.from ?? todayUtc().slice(0, 7);
        const to = query.to ?? addMonths(from, DEFAULT_CAPACITY_MONTHS - 1);
        if (to < from) throw invalidField('query.to', `must not be before from (${from})`);
        if (monthsBetween(from, to).length > MAX_CAPACITY_MONTHS)
          throw invalidField('query.to', `the range may cover at most ${MAX_CAPACITY_MONTHS} months`);
        await views.sync();
        const [systems, courses, sessions] = await Promise.all([
          ref.systems(),
          ref.courses(),
          ref.sessions(),
        ]);
        const catalog = new Map<string, System>(systems.map((s) => [s.id, s]));
        const courseById = new Map(courses.map((c) => [c.id, c]));
        const pledges = [...views.pledges.values()].filter((p) => inTrainingPortfolio(p.status));
        const demand = pledges.flatMap((p) => {
          try {
            return trainingDemand(p.items, catalog, courseById);
          } catch (err) {
            // Reference data changed under an old pledge: the rest of the portfolio still counts.
            if (!(err instanceof TrainingReferenceError)) throw err;
            logger.warn({ pledgeId: p.id, err: err.message }, 'pledge left out of the capacity view');
            return [];
          }
        });
        const body = capacityByMonth({
          from,
          to,
          courses,
          sessions,
          reservedIn: (id) => views.seatsReserved(id),
          demand,
          pledges: pledges.length,
        });
        return { status: 200, body };
      },
    }),
    route({
      method: 'post',
      path: '/training/what-if',
      operationId: 'planTrainingWhatIf',
      summary: 'Readiness and shortfall if these pledges or items were approved now; reserves nothing',
      description:
        'Plans the crews of the pledges and items together with the engine’s planner, against the sessions to come ' +
        'and the seats other plans hold (seats the given pledges hold are planned again). A donor liaison may name ' +
        'only its own nation’s pledges: another’s is not found.',
      tag: 'training',
      access: 'training:what-if',
      body: WhatIfInput,
      responses: { 200: { description: 'The plan that would result', schema: WhatIfResult } },
      errors: {
        404: 'No such pledge (also another nation’s, to a donor liaison)',
        422: 'A pledge names a system or course no longer in the reference data',
      },
      handler: async ({ principal, body }) => {
        const [systems, courses, sessions] = await Promise.all([
          ref.systems(),
          ref.courses(),
          ref.sessions(),
        ]);
        const catalog = new Map<string, System>(systems.map((s) => [s.id, s]));
        (body.items ?? []).forEach((item, i) => {
          if (!catalog.has(item.systemId))
            throw invalidField(`items.${i}.systemId`, `unknown system ${item.systemId}`);
        });
        const pledgeIds = [...new Set(body.pledgeIds ?? [])];
        await views.sync();
        const demand: WhatIfDemand[] = pledgeIds.map((pledgeId) => {
          const pledge = views.pledges.get(pledgeId);
          if (!pledge || !canSeeDonor(principal, pledge.donor)) throw notFound(`pledge ${pledgeId}`);
          return { source: { kind: 'pledge', pledgeId }, items: pledge.items };
        });
        (body.items ?? []).forEach((item, index) =>
          demand.push({ source: { kind: 'item', index }, items: [item] }),
        );
        const taken = await reservedSeatsBySession(
          store,
          pledgeIds.length ? { pledgeId: { $nin: pledgeIds } } : {},
        );
        const result = await planWhatIf({
          demand,
          catalog,
          courses,
          sessions,
          taken,
          today: todayUtc(),
          sessionMinimumCutoffDays: await currentSessionMinimumCutoffDays(store.Policy),
          timeLimitSeconds: whatIfTimeLimitSeconds,
        }).catch(notPlannable);
        return { status: 200, body: result };
      },
    }),
    route({
      method: 'get',
      path: '/pledges/:id/approval-impact',
      operationId: 'getApprovalImpact',
      summary: 'What approving a pending pledge would do to the training of the other pending pledges',
      description:
        'Plans the crews of every other pending pledge (they hold no seats yet) twice with the engine’s planner, ' +
        'against the seats held now and against those plus the seats this pledge’s plan would hold (planned now ' +
        'when it has no plan yet), and lists the trainee groups that would be ready later, no longer be fully ' +
        'trainable, or have fewer trainees ready by delivery, summed per system and audience and told in ' +
        'sentences. It writes nothing. It names other nations’ pledges, so donor liaisons may not read it.',
      tag: 'training',
      access: 'training:capacity',
      params: z.object({ id: z.string().min(1).max(64) }),
      responses: { 200: { description: 'The effect of approving it', schema: ApprovalImpact } },
      errors: {
        404: 'No such pledge',
        409: 'The pledge is no longer pending: approved (its seats are held) or ended',
        422: 'The pledge names a system or course no longer in the reference data',
      },
      handler: async ({ params }) => {
        await views.sync();
        const pledge = views.pledges.get(params.id);
        if (!pledge) throw notFound(`pledge ${params.id}`);
        if (!isPending(pledge.status))
          throw conflict(`pledge ${params.id} is ${pledge.status}, no longer awaiting a decision`);
        const body = await impactOf(pledge, await views.pledgeDetail(params.id)).catch(notPlannable);
        return { status: 200, body };
      },
    }),
  ];
}
