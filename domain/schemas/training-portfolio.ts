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

/** How a what-if's plan was found: the optimiser, or the greedy plan when it ran out of time. */
const PlanSolver = z.object({
  method: z.enum(['mip', 'greedy']),
  status: z.string(),
  gap: z.number().nullable(),
  timeMs: z.number(),
});

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
    solver: PlanSolver,
  })
  .meta({ id: 'WhatIfResult' });
export type WhatIfResult = z.infer<typeof WhatIfResult>;

/** One trainee group of another pending pledge whose training approving the pledge would set back. */
export const ApprovalImpactGroup = z
  .object({
    pledgeId: z.string(),
    title: z.string(),
    systemId: z.string(),
    audience: z.enum(['crew', 'maintainer']),
    trainees: z.number().int(),
    deadline: IsoDate.describe('The delivery date the trainees are needed by'),
    readyOnWithout: IsoDate.nullable().describe(
      'When the last of them would be trained if this pledge were not approved; null when some cannot be',
    ),
    readyOnWith: IsoDate.nullable().describe(
      'When the last of them would be trained if it were; null when some could no longer be',
    ),
    delayDays: z
      .number()
      .int()
      .nullable()
      .describe('Days later they would be ready; null when either date is null'),
    lostByDeadline: z
      .number()
      .int()
      .describe('Trainees who would be ready by the deadline without this pledge and no longer are with it'),
  })
  .meta({ id: 'ApprovalImpactGroup' });
export type ApprovalImpactGroup = z.infer<typeof ApprovalImpactGroup>;

/** What approving the pledge does to the other pledges' trainees of one system and audience. */
export const ApprovalImpactSummary = z
  .object({
    systemId: z.string(),
    audience: z.enum(['crew', 'maintainer']),
    pledges: z.number().int().describe('Pending pledges with trainees set back'),
    traineesDelayed: z.number().int().describe('Trainees of groups that would be ready later'),
    shortestDelayDays: z.number().int().nullable().describe('The shortest of those delays; null when none'),
    largestDelayDays: z.number().int().nullable().describe('The longest of those delays; null when none'),
    traineesNoLongerPlannable: z
      .number()
      .int()
      .describe('Trainees of groups that could all be trained without this pledge and no longer can with it'),
    traineesNoLongerReadyByDeadline: z.number().int(),
  })
  .meta({ id: 'ApprovalImpactSummary' });
export type ApprovalImpactSummary = z.infer<typeof ApprovalImpactSummary>;

export const ApprovalImpact = z
  .object({
    pledgeId: z.string(),
    asOf: IsoDate.describe('The day the plans start from: sessions after it are offered'),
    seatsFrom: z
      .enum(['plan', 'planned_now'])
      .describe(
        "Where this pledge's seats come from: its training plan, or a plan made for the question when it has none " +
          'for its items as they stand (before training planning, or back in review after a return)',
      ),
    pledgesCompared: z.number().int().describe('Other pending pledges planned with and without this one'),
    pledgesLeftOut: z
      .array(z.object({ pledgeId: z.string(), reason: z.string() }))
      .describe('Pending pledges that cannot be planned (their system or course left the reference data)'),
    affected: z.array(ApprovalImpactGroup).describe('Trainee groups set back, the worst first'),
    summary: z.array(ApprovalImpactSummary).describe('Per system and audience, the worst first'),
    sentences: z.array(z.string()).describe('The summary as a decision-maker reads it'),
    solver: z.object({
      own: PlanSolver.nullable().describe("The plan made for this pledge's seats; null when it has one"),
      without: PlanSolver.nullable().describe(
        'The other pledges planned without it; null when none is pending',
      ),
      with: PlanSolver.nullable().describe('The other pledges planned with it'),
    }),
  })
  .meta({ id: 'ApprovalImpact' });
export type ApprovalImpact = z.infer<typeof ApprovalImpact>;
