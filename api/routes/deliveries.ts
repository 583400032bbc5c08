import { z } from 'zod';
import { pledgeIdOfLot, readinessProgress, type DeliveryLot } from '../../domain/delivery-lots';
import { logisticsOverview } from '../../domain/logistics';
import { canSeeDonor, donorScope, type Principal } from '../../domain/permissions';
import { actorOf } from '../../domain/tasks';
import {
  DeliveryLotView,
  LogisticsOverview,
  LotChangeInput,
  MilestoneInput,
  milestoneDay,
  PledgeDeliveries,
  toDeliveryLotView,
} from '../../domain/schemas/delivery';
import { todayUtc } from '../../domain/schemas/pledge';
import type { PledgeListEntry } from '../../store/projector';
import {
  changeLotUpdate,
  deliveryTrackingWorkflowId,
  recordMilestoneUpdate,
  type LotActionResult,
} from '../../workflows/delivery-tracking';
import type { ApiDeps } from '../deps';
import { invalidField, notFound } from '../http/errors';
import { route } from '../http/route';
import { fromTemporal } from '../../infra/temporal-failures';

const LotParams = z.object({ lotId: z.string().min(1).max(120) });
const LotActionAnswer = z
  .object({
    lots: z.array(DeliveryLotView).describe('The lots the action changed (a split changes two)'),
    pledge: z.object({ id: z.string(), status: z.string() }),
  })
  .meta({ id: 'LotActionResult' });

const lotsOf = (entry: PledgeListEntry): DeliveryLot[] => entry.lots ?? [];

/** Deliveries: the lots of approved pledges, their milestones, delays and re-planning, and the logistics day. */
export function deliveryRoutes({ temporal, views }: ApiDeps) {
  /** The lot and its pledge as the caller may see them (another nation's is a 404 to a liaison). */
  async function visibleLot(principal: Principal, lotId: string) {
    const pledgeId = pledgeIdOfLot(lotId);
    await views.sync();
    const entry = pledgeId ? views.pledges.get(pledgeId) : undefined;
    const lot = entry && lotsOf(entry).find((l) => l.id === lotId);
    if (!entry || !lot || !canSeeDonor(principal, entry.donor)) throw notFound(`lot ${lotId}`);
    return { entry, lot };
  }

  /** Sends an action to the pledge's delivery workflow; a refusal there becomes the contract's error. */
  async function send(
    entry: PledgeListEntry,
    call: (handle: ReturnType<typeof temporal.client.workflow.getHandle>) => Promise<LotActionResult>,
  ) {
    const handle = temporal.client.workflow.getHandle(deliveryTrackingWorkflowId(entry.workflowId));
    const result = await call(handle).catch((err) =>
      fromTemporal(err, `the deliveries of pledge ${entry.id}`),
    );
    return { lots: result.lots.map(toDeliveryLotView), pledge: result.pledge };
  }

  return [
    route({
      method: 'get',
      path: '/deliveries',
      operationId: 'getLogisticsOverview',
      summary: 'The logistics day: lots due in the next 30 days, overdue lots and what arrived this week',
      description: 'A donor liaison sees only its own nation’s lots.',
      tag: 'deliveries',
      access: 'delivery:read',
      responses: { 200: { description: 'Lots by what they need', schema: LogisticsOverview } },
      handler: async ({ principal }) => {
        await views.sync();
        const scope = donorScope(principal);
        const pledges = [...views.pledges.values()]
          .filter((p) => lotsOf(p).length > 0 && (!scope || p.donor === scope))
          .map((p) => ({
            pledge: { id: p.id, title: p.title, donor: p.donor, status: p.status },
            lots: lotsOf(p),
          }));
        const overview = logisticsOverview(pledges, todayUtc());
        const withPledge = (rows: typeof overview.dueSoon) =>
          rows.map(({ lot, pledge }) => ({ ...toDeliveryLotView(lot), pledge }));
        return {
          status: 200,
          body: {
            today: overview.today,
            dueSoon: withPledge(overview.dueSoon),
            overdue: withPledge(overview.overdue),
            arrivedThisWeek: withPledge(overview.arrivedThisWeek),
          },
        };
      },
    }),
    route({
      method: 'get',
      path: '/pledges/:id/deliveries',
      operationId: 'getPledgeDeliveries',
      summary:
        'A pledge’s delivery lots and both halves of its readiness: equipment received and crews trained',
      tag: 'deliveries',
      access: 'delivery:read',
      params: z.object({ id: z.string().min(1).max(64) }),
      responses: { 200: { description: 'The lots (none before approval)', schema: PledgeDeliveries } },
      errors: { 404: 'No such pledge (also another nation’s, to a donor liaison)' },
      handler: async ({ principal, params }) => {
        await views.sync();
        const entry = views.pledges.get(params.id);
        if (!entry || !canSeeDonor(principal, entry.donor)) throw notFound(`pledge ${params.id}`);
        const lots = lotsOf(entry);
        const detail = lots.length ? await views.pledgeDetail(params.id) : null;
        return {
          status: 200,
          body: {
            pledgeId: entry.id,
            status: entry.status,
            items: lots.map(toDeliveryLotView),
            progress: readinessProgress(lots, detail?.trainingPlan?.cohorts ?? [], todayUtc()),
          },
        };
      },
    }),
    route({
      method: 'post',
      path: '/deliveries/:lotId/milestones',
      operationId: 'recordDeliveryMilestone',
      summary: 'The delivery cell records a lot’s next milestone, with its day, place and a note',
      description:
        'Milestones come in order: prepared, shipped, at_hub, handed_over, received. A handover after the ' +
        'item’s window raises a delay. The last lot received makes the pledge READY if its crews are trained.',
      tag: 'deliveries',
      access: 'delivery:record',
      params: LotParams,
      body: MilestoneInput,
      responses: {
        202: { description: 'Recorded by the pledge’s delivery workflow', schema: LotActionAnswer },
      },
      errors: {
        404: 'No such lot',
        409: 'Not the lot’s next milestone, a day in the future or before the last milestone, or every lot is in',
      },
      handler: async ({ principal, params, body }) => {
        const { entry } = await visibleLot(principal, params.lotId);
        const answer = await send(entry, (handle) =>
          handle.executeUpdate(recordMilestoneUpdate, {
            args: [
              {
                lotId: params.lotId,
                state: body.state,
                at: milestoneDay(body.at),
                location: body.location ?? null,
                note: body.note ?? null,
                actor: actorOf(principal),
              },
            ],
          }),
        );
        return { status: 202, body: answer };
      },
    }),
    route({
      method: 'patch',
      path: '/deliveries/:lotId',
      operationId: 'changeDeliveryLot',
      summary: 'Staff re-date a lot, or split part of it into a new lot, with a reason',
      description: 'A lot can be split only before it ships, and neither once it is received.',
      tag: 'deliveries',
      access: 'delivery:plan',
      params: LotParams,
      body: LotChangeInput,
      responses: {
        202: { description: 'Changed by the pledge’s delivery workflow', schema: LotActionAnswer },
      },
      errors: {
        404: 'No such lot',
        409: 'The lot cannot change any more (shipped for a split, or received)',
      },
      handler: async ({ principal, params, body }) => {
        const { entry, lot } = await visibleLot(principal, params.lotId);
        const today = todayUtc();
        const plannedOn = body.split?.plannedOn ?? body.plannedOn!;
        if (plannedOn < today)
          throw invalidField(
            body.split ? 'split.plannedOn' : 'plannedOn',
            `must not be in the past (today is ${today})`,
          );
        if (body.split && body.split.quantity >= lot.quantity)
          throw invalidField(
            'split.quantity',
            `a split moves part of the lot: at most ${lot.quantity - 1} of its ${lot.quantity}`,
          );
        const actor = actorOf(principal);
        const answer = await send(entry, (handle) =>
          handle.executeUpdate(changeLotUpdate, {
            args: [
              body.split
                ? {
                    kind: 'split',
                    lotId: params.lotId,
                    reason: body.reason,
                    actor,
                    quantity: body.split.quantity,
                    plannedOn: body.split.plannedOn,
                  }
                : {
                    kind: 'redated',
                    lotId: params.lotId,
                    reason: body.reason,
                    actor,
                    plannedOn: body.plannedOn!,
                  },
            ],
          }),
        );
        return { status: 202, body: answer };
      },
    }),
  ];
}
