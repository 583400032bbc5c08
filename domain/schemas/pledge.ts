import { z } from 'zod';
import { IsoDate, NationCode, Severity, Slug } from './common';

export const PledgeStatuses = [
  'SUBMITTED',
  'INTAKE_REJECTED',
  'UNDER_REVIEW',
  'CHANGES_REQUESTED',
  'REVIEW_REJECTED',
  'TRAINING_PLANNING',
  'AWAITING_APPROVAL',
  'RETURNED',
  'REJECTED',
  'APPROVED',
  'IN_TRAINING',
  'READY',
  'WITHDRAWN',
] as const;
export const PledgeStatus = z.enum(PledgeStatuses).meta({ id: 'PledgeStatus' });
export type PledgeStatus = z.infer<typeof PledgeStatus>;

export const DeliveryWindow = z
  .object({ from: IsoDate, to: IsoDate })
  .refine((w) => w.from <= w.to, { message: 'must not end before it starts', path: ['to'] })
  .meta({ id: 'DeliveryWindow' });

export const PledgeItem = z
  .object({
    systemId: Slug,
    quantity: z.number().int('must be a whole number').positive('must be positive').max(100_000),
    deliveryWindow: DeliveryWindow,
  })
  .meta({ id: 'PledgeItem' });
export type PledgeItem = z.infer<typeof PledgeItem>;

/** Body of POST /api/v1/pledges (and of an amendment). */
export const PledgeInput = z
  .object({
    donor: NationCode,
    items: z.array(PledgeItem).min(1, 'a pledge needs at least one item').max(50),
    trainingOffered: z.boolean().default(false),
    sustainment: z
      .object({ spareParts: z.boolean(), maintenanceYears: z.number().int().min(0).max(30) })
      .default({ spareParts: false, maintenanceYears: 0 }),
    valueEur: z.number().nonnegative().max(1e12).optional(),
    notes: z.string().max(4000).optional(),
  })
  .meta({ id: 'PledgeInput' });
export type PledgeInput = z.infer<typeof PledgeInput>;

/** How far ahead a delivery may be pledged (policy): a window ending later is not an offer the engine can plan. */
export const DELIVERY_HORIZON_YEARS = 10;

/** Today's date in UTC, YYYY-MM-DD (the engine's calendar). */
export const todayUtc = () => new Date().toISOString().slice(0, 10);

const addYears = (date: string, years: number) => `${Number(date.slice(0, 4)) + years}${date.slice(4)}`;

export interface SubmissionProblem {
  path: string;
  message: string;
}

/**
 * What a new or amended pledge must meet beyond its shape, checked alike by the web form, the API and the CSV
 * import: delivery not in the past and within the policy horizon, a system at most once per delivery window, a value in whole euros.
 * Stored pledges are not re-checked (a date passes), so these rules live here and not in `PledgeInput`.
 */
export function submissionProblems(
  input: Pick<PledgeInput, 'items' | 'valueEur'>,
  today: string = todayUtc(),
): SubmissionProblem[] {
  const problems: SubmissionProblem[] = [];
  const horizon = addYears(today, DELIVERY_HORIZON_YEARS);
  const seen = new Map<string, number>();
  input.items.forEach((item, i) => {
    const { from, to } = item.deliveryWindow;
    if (to < today) {
      problems.push({ path: `items.${i}.deliveryWindow.to`, message: 'delivery window is in the past' });
    } else if (from < today) {
      problems.push({
        path: `items.${i}.deliveryWindow.from`,
        message: `must not be in the past (today is ${today})`,
      });
    }
    if (to > horizon) {
      problems.push({
        path: `items.${i}.deliveryWindow.to`,
        message: `must be within ${DELIVERY_HORIZON_YEARS} years (by ${horizon}), the policy's delivery horizon`,
      });
    }
    // One system in several tranches is normal (each its own delivery window); twice in one window is a slip.
    const tranche = `${item.systemId} ${from} ${to}`;
    const first = seen.get(tranche);
    if (first !== undefined) {
      problems.push({
        path: `items.${i}.systemId`,
        message: `is already item ${first + 1} with the same delivery window: add the quantities together, or give this tranche its own window`,
      });
    } else seen.set(tranche, i);
  });
  if (input.valueEur !== undefined && !Number.isInteger(input.valueEur)) {
    problems.push({ path: 'valueEur', message: 'must be whole euros, without cents' });
  }
  return problems;
}

/** A pledge as it may be submitted or amended now: `PledgeInput` and `submissionProblems`. */
export const PledgeSubmission = PledgeInput.superRefine((input, ctx) => {
  for (const p of submissionProblems(input)) {
    ctx.addIssue({
      code: 'custom',
      path: p.path.split('.').map((k) => (/^\d+$/.test(k) ? Number(k) : k)),
      message: p.message,
    });
  }
});

export const FindingCodes = [
  'FLEET_FRAGMENTATION',
  'FLEET_COMMONALITY',
  'TRAINING_CAPACITY',
  'AMMUNITION_SUPPLY',
  'SUSTAINMENT_GAP',
  'DUPLICATE_PLEDGE',
  'NEED_MATCH',
] as const;
export const FindingCode = z.enum(FindingCodes).meta({ id: 'FindingCode' });
export type FindingCode = z.infer<typeof FindingCode>;

export const Finding = z
  .object({
    code: FindingCode,
    severity: Severity,
    message: z.string(),
    systemId: z.string().nullable(),
    requirementId: z
      .string()
      .nullable()
      .optional()
      .describe('NEED_MATCH: the requirement of Ukraine the system serves; null when the pledge serves none'),
    priority: z.number().int().min(1).max(5).optional().describe('NEED_MATCH: that requirement’s priority'),
    coverageShare: z
      .number()
      .min(0)
      .optional()
      .describe('NEED_MATCH: the share of that requirement this pledge covers (0.25 for 2 of 8)'),
  })
  .meta({ id: 'Finding' });
export type Finding = z.infer<typeof Finding>;

export const Recommendation = z
  .enum(['accept', 'accept_with_conditions', 'request_changes', 'reject'])
  .meta({ id: 'Recommendation' });
export type Recommendation = z.infer<typeof Recommendation>;
