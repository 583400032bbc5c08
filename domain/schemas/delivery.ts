import { z } from 'zod';
import { LotStates, Milestones, type DeliveryLot } from '../delivery-lots';
import { lotState } from '../delivery-lots';
import { IsoDate } from './common';

/** The day a milestone happened: a date, or a UTC timestamp whose day is kept (`milestoneDay`). */
const MilestoneDay = z.union([IsoDate, z.iso.datetime()], {
  message: 'must be a date (YYYY-MM-DD) or a UTC timestamp (ISO 8601, ending in Z)',
});
export const milestoneDay = (at: string) => at.slice(0, 10);

/** Body of POST /api/v1/deliveries/:lotId/milestones. */
export const MilestoneInput = z
  .object({
    state: z.enum(Milestones).describe('The milestone reached: each lot goes through them in order'),
    at: MilestoneDay.describe('The day it happened; not in the future'),
    location: z.string().trim().min(1).max(200).optional().describe('Where, e.g. "Rzeszów hub"'),
    note: z.string().trim().min(1).max(2000).optional(),
  })
  .strict()
  .meta({ id: 'MilestoneInput' });
export type MilestoneInput = z.infer<typeof MilestoneInput>;

/** Body of PATCH /api/v1/deliveries/:lotId: staff re-date a lot or split part of it into a new lot. */
export const LotChangeInput = z
  .object({
    reason: z.string().trim().min(3, 'say why the plan changes').max(2000),
    plannedOn: IsoDate.optional().describe('Re-date: the day the lot is now planned to be received'),
    split: z
      .object({
        quantity: z.number().int('must be a whole number').positive('must be positive'),
        plannedOn: IsoDate.describe('The day the new lot is planned to be received'),
      })
      .strict()
      .optional()
      .describe('Split: this many move into a new lot planned on its own day'),
  })
  .strict()
  .refine((b) => (b.plannedOn === undefined) !== (b.split === undefined), {
    message: 'give either plannedOn (re-date) or split, not both',
    path: ['plannedOn'],
  })
  .meta({ id: 'LotChangeInput' });
export type LotChangeInput = z.infer<typeof LotChangeInput>;

export const MilestoneView = z
  .object({
    state: z.enum(Milestones),
    at: IsoDate,
    location: z.string().nullable(),
    note: z.string().nullable(),
    by: z.string(),
  })
  .meta({ id: 'Milestone' });

export const LotDelayView = z
  .object({
    id: z.string(),
    kind: z.enum(['missed_planned_date', 'handed_over_late']),
    dueOn: IsoDate.describe('The planned day (or the window end) that was missed'),
    awaiting: z.enum(Milestones).nullable().describe('The milestone the lot was waiting for'),
    raisedAt: z.string(),
    escalatedAt: z.string().nullable(),
  })
  .meta({ id: 'LotDelay' });

export const DeliveryLotView = z
  .object({
    id: z.string(),
    pledgeId: z.string(),
    systemId: z.string(),
    quantity: z.number().int(),
    plannedOn: IsoDate.describe('The day it is planned to be received'),
    window: z.object({ from: IsoDate, to: IsoDate }).describe('The item’s delivery window, as pledged'),
    state: z.enum(LotStates),
    milestones: z.array(MilestoneView),
    delays: z.array(LotDelayView),
    changes: z.array(
      z.object({
        kind: z.enum(['split', 'redated']),
        at: z.string(),
        by: z.string(),
        reason: z.string(),
        detail: z.string(),
      }),
    ),
  })
  .meta({ id: 'DeliveryLot' });
export type DeliveryLotView = z.infer<typeof DeliveryLotView>;

export const toDeliveryLotView = (lot: DeliveryLot): DeliveryLotView => ({
  id: lot.id,
  pledgeId: lot.pledgeId,
  systemId: lot.systemId,
  quantity: lot.quantity,
  plannedOn: lot.plannedOn,
  window: lot.window,
  state: lotState(lot),
  milestones: lot.milestones.map(({ state, at, location, note, by }) => ({ state, at, location, note, by })),
  delays: lot.delays,
  changes: lot.changes,
});

/** Both halves of READY: the equipment received and the crews trained, against the plan. */
export const ReadinessProgress = z
  .object({
    lots: z.number().int(),
    lotsReceived: z.number().int(),
    quantity: z.number().int().describe('Items of equipment in every lot'),
    quantityReceived: z.number().int(),
    lotsLate: z.number().int().describe('Lots with a delay raised and not yet received'),
    cohorts: z.number().int().describe('Live cohorts of the training plan (not failed or released)'),
    cohortsCompleted: z.number().int(),
  })
  .meta({ id: 'ReadinessProgress' });
export type ReadinessProgress = z.infer<typeof ReadinessProgress>;

export const PledgeDeliveries = z
  .object({
    pledgeId: z.string(),
    status: z.string(),
    items: z.array(DeliveryLotView).describe('Empty until the pledge is approved'),
    progress: ReadinessProgress,
  })
  .meta({ id: 'PledgeDeliveries' });

/** A lot on the logistics page, with the pledge it belongs to. */
export const LogisticsLot = DeliveryLotView.extend({
  pledge: z.object({ id: z.string(), title: z.string(), donor: z.string(), status: z.string() }),
}).meta({ id: 'LogisticsLot' });
export type LogisticsLot = z.infer<typeof LogisticsLot>;

export const LogisticsOverview = z
  .object({
    today: IsoDate,
    dueSoon: z.array(LogisticsLot).describe('Not received, planned within the next 30 days, soonest first'),
    overdue: z.array(LogisticsLot).describe('Not received, planned before today, oldest first'),
    arrivedThisWeek: z.array(LogisticsLot).describe('Received in the last 7 days, latest first'),
  })
  .meta({ id: 'LogisticsOverview' });
export type LogisticsOverview = z.infer<typeof LogisticsOverview>;
