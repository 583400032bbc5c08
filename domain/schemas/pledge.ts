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
export const PledgeStatus = z.enum(PledgeStatuses);
export type PledgeStatus = z.infer<typeof PledgeStatus>;

export const DeliveryWindow = z
  .object({ from: IsoDate, to: IsoDate })
  .refine((w) => w.from <= w.to, { message: 'must not end before it starts', path: ['to'] });

export const PledgeItem = z.object({
  systemId: Slug,
  quantity: z.number().int('must be a whole number').positive('must be positive').max(100_000),
  deliveryWindow: DeliveryWindow,
});
export type PledgeItem = z.infer<typeof PledgeItem>;

/** Body of POST /api/v1/pledges (and of an amendment). */
export const PledgeInput = z.object({
  donor: NationCode,
  items: z.array(PledgeItem).min(1, 'a pledge needs at least one item').max(50),
  trainingOffered: z.boolean().default(false),
  sustainment: z
    .object({ spareParts: z.boolean(), maintenanceYears: z.number().int().min(0).max(30) })
    .default({ spareParts: false, maintenanceYears: 0 }),
  valueEur: z.number().nonnegative().max(1e12).optional(),
  notes: z.string().max(4000).optional(),
});
export type PledgeInput = z.infer<typeof PledgeInput>;

export const FindingCodes = [
  'FLEET_FRAGMENTATION',
  'FLEET_COMMONALITY',
  'TRAINING_CAPACITY',
  'AMMUNITION_SUPPLY',
  'SUSTAINMENT_GAP',
  'DUPLICATE_PLEDGE',
  'NEED_MATCH',
] as const;
export const FindingCode = z.enum(FindingCodes);
export type FindingCode = z.infer<typeof FindingCode>;

export const Finding = z.object({
  code: FindingCode,
  severity: Severity,
  message: z.string(),
  systemId: z.string().nullable(),
});
export type Finding = z.infer<typeof Finding>;

export const Recommendation = z.enum(['accept', 'accept_with_conditions', 'request_changes', 'reject']);
export type Recommendation = z.infer<typeof Recommendation>;
