import { canSeeDonor } from '../../domain/permissions';
import { todayUtc } from '../../domain/schemas/pledge';
import type { System } from '../../domain/schemas/reference';
import { TaskPolicy, defaultTaskPolicy } from '../../domain/schemas/task-policy';
import {
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
import { trainingDemand, TrainingReferenceError } from '../../domain/training/demand';
import { planWhatIf, type WhatIfDemand } from '../../domain/training/what-if';
import { reservedSeatsBySession } from '../../store/seat-ledger';
import type { ApiDeps } from '../deps';
import { invalidField, notFound, unprocessable } from '../http/errors';
import { route } from '../http/route';

/**
 * A what-if runs in the API process, so its solver gets less time than the engine's: past it the plan is the
 * greedy one the solver starts from (the solver report says so).
 */
const whatIfTimeLimitSeconds = 2;

/** The training portfolio as a whole: capacity against demand, and what-if plans that reserve nothing. */
export function trainingPortfolioRoutes({ store, views, reference: ref, logger }: ApiDeps) {
  const cutoffDays = async () => {
    const doc = await store.Policy.findOne({ kind: 'tasks' })
      .sort({ version: -1 })
      .lean<{ document: unknown }>();
    const policy = doc ? TaskPolicy.safeParse(doc.document) : null;
    return (policy?.success ? policy.data : defaultTaskPolicy).training.sessionMinimumCutoffDays;
  };

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
          sessionMinimumCutoffDays: await cutoffDays(),
          timeLimitSeconds: whatIfTimeLimitSeconds,
        }).catch((err: unknown) => {
          // A pledge of a system or course since removed from the reference data cannot be planned as it stands.
          if (err instanceof TrainingReferenceError) throw unprocessable(`cannot be planned: ${err.message}`);
          throw err;
        });
        return { status: 200, body: result };
      },
    }),
  ];
}
