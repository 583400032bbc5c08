import { z } from 'zod';
import { IsoDate } from './common';
import { PledgeItem } from './pledge';
import { SessionBelowMinimum, UnmetTraining } from './training-shortfall';

/** A calendar month, YYYY-MM. */
export const IsoMonth = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month in the form YYYY-MM');

/** The longest range the capacity view covers in one answer, in months. */
export const MAX_CAPACITY_MONTHS = 36;
/** The months the capacity view covers when `to` is not given, `from` included. */
export const DEFAULT_CAPACITY_MONTHS = 12;

export const CapacityQuery = z.object({
  from: IsoMonth.optional().describe('First month (default: the current month)'),
  to: IsoMonth.optional().describe(
    `Last month, included (default: ${DEFAULT_CAPACITY_MONTHS} months from \`from\`; at most ${MAX_CAPACITY_MONTHS} months)`,
  ),
});

/** One course in one month: the seats its sessions offer and hold, and the seats the portfolio needs. */
export const CapacityCell = z
  .object({
    month: IsoMonth,
    sessions: z.number().int().describe('Sessions of the course starting in the month'),
    offered: z.number().int().describe('Seats of those sessions'),
    reserved: z.number().int().describe('Of those, the seats reserved by approved plans'),
    demanded: z
      .number()
      .int()
      .describe(
        'Seats the pledges in the portfolio need in the course, counted in the month their trainees must start it to be ready by delivery, whether they got a seat or not',
      ),
    oversubscribed: z.boolean().describe('More seats are demanded than offered'),
  })
  .meta({ id: 'CapacityCell' });
export type CapacityCell = z.infer<typeof CapacityCell>;

export const CapacityView = z
  .object({
    from: IsoMonth,
    to: IsoMonth,
    months: z.array(IsoMonth),
    courses: z
      .array(
        z.object({
          courseId: z.string(),
          name: z.string(),
          cells: z.array(CapacityCell).describe('One per month of `months`, in order'),
        }),
      )
      .describe('Courses with seats offered or demanded in the range'),
    pledges: z.number().int().describe('Pledges whose demand is counted'),
  })
  .meta({ id: 'TrainingCapacity' });
export type CapacityView = z.infer<typeof CapacityView>;

export const WhatIfInput = z
  .object({
    pledgeIds: z
      .array(z.string().min(1).max(100))
      .max(50)
      .optional()
      .describe('Existing pledges, planned as if approved now (seats they already hold are planned again)'),
    items: z
      .array(PledgeItem)
      .max(50)
      .optional()
      .describe('Hypothetical items, as a pledge would offer them'),
  })
  .refine((b) => (b.pledgeIds?.length ?? 0) + (b.items?.length ?? 0) > 0, {
    message: 'give pledgeIds, items or both',
    path: ['pledgeIds'],
  })
  .meta({ id: 'WhatIfInput' });
export type WhatIfInput = z.infer<typeof WhatIfInput>;

/** Where a what-if's demand comes from: an existing pledge or one of the hypothetical items. */
export const WhatIfSource = z
  .discriminatedUnion('kind', [
    z.object({ kind: z.literal('pledge'), pledgeId: z.string() }),
    z.object({ kind: z.literal('item'), index: z.number().int().describe('Position in `items`') }),
  ])
  .meta({ id: 'WhatIfSource' });
export type WhatIfSource = z.infer<typeof WhatIfSource>;

export const WhatIfGroup = z
  .object({
    groupId: z.string().describe('Named in `unmet`'),
    source: WhatIfSource,
    systemId: z.string(),
    audience: z.enum(['crew', 'maintainer']),
    trainees: z.number().int(),
    deadline: IsoDate.describe('The delivery date the trainees are needed by'),
    readyOn: IsoDate.nullable().describe('When the last of them would be trained; null when some cannot be'),
    readyByDeadline: z.number().int().describe('Trainees who would be ready by the deadline'),
    cohorts: z.array(
      z.object({
        courseId: z.string(),
        sessionId: z.string(),
        siteId: z.string(),
        trainees: z.number().int(),
        start: IsoDate,
        end: IsoDate,
      }),
    ),
  })
  .meta({ id: 'WhatIfGroup' });
export type WhatIfGroup = z.infer<typeof WhatIfGroup>;

export const WhatIfResult = z
  .object({
    groups: z.array(WhatIfGroup),
    unmet: z
      .array(UnmetTraining)
      .describe('The shortfall, per trainee group, with the reason and its numbers'),
    sessionsBelowMinimum: z.array(SessionBelowMinimum),
    traineesNeeded: z.number().int(),
    traineesReadyByDeadline: z.number().int(),
    solver: z.object({
      method: z.enum(['mip', 'greedy']),
      status: z.string(),
      gap: z.number().nullable(),
      timeMs: z.number(),
    }),
  })
  .meta({ id: 'WhatIfResult' });
export type WhatIfResult = z.infer<typeof WhatIfResult>;
