import { z } from 'zod';
import { IsoDate, NationCode } from './common';
import { Category } from './reference';

export const AgreementStatuses = ['in_force', 'suspended', 'expired', 'terminated'] as const;
export const AgreementStatus = z.enum(AgreementStatuses).meta({ id: 'AgreementStatus' });

const Eur = z.number().min(0).max(1e12);

/** What a donor committed for one calendar year; null where the figure is not public (never guessed). */
export const Commitment = z
  .object({
    year: z.number().int().min(2014).max(2100),
    valueEur: Eur.nullable(),
    byCategory: z
      .partialRecord(Category, Eur)
      .optional()
      .describe('Where the agreement splits the year by kind of equipment'),
  })
  .meta({ id: 'AgreementCommitment' });
export type Commitment = z.infer<typeof Commitment>;

const Commitments = z
  .array(Commitment)
  .max(50)
  .refine((list) => new Set(list.map((c) => c.year)).size === list.length, {
    message: 'each year once',
  });

const editable = {
  title: z.string().trim().min(1).max(200),
  signedOn: IsoDate,
  termYears: z.number().int().min(1).max(50),
  commitments: Commitments,
  status: AgreementStatus,
  sourceUrl: z
    .url({ protocol: /^https?$/ })
    .max(500)
    .nullable()
    .describe('The public text of the agreement'),
};

/** A new bilateral security agreement (POST /agreements). */
export const AgreementInput = z
  .object({
    donor: NationCode,
    ...editable,
    commitments: editable.commitments.default([]),
    status: editable.status.default('in_force'),
    sourceUrl: editable.sourceUrl.default(null),
  })
  .meta({ id: 'AgreementInput' });
export type AgreementInput = z.infer<typeof AgreementInput>;

/** A change to an agreement (PATCH /agreements/:id); the donor does not change. */
export const AgreementPatch = z
  .object({
    title: editable.title.optional(),
    signedOn: editable.signedOn.optional(),
    termYears: editable.termYears.optional(),
    commitments: editable.commitments.optional(),
    status: editable.status.optional(),
    sourceUrl: editable.sourceUrl.optional(),
  })
  .refine((patch) => Object.keys(patch).length > 0, { message: 'name at least one field to change' })
  .meta({ id: 'AgreementPatch' });
export type AgreementPatch = z.infer<typeof AgreementPatch>;

export const YearFulfilment = z
  .object({
    year: z.number().int(),
    approvedEur: z.number().describe("The value of the donor's pledges approved that year"),
    approvedPledges: z.number().int(),
    committedEur: z.number().nullable().describe("The year's commitment, if public"),
    shareOfCommitment: z
      .number()
      .nullable()
      .describe('approvedEur / committedEur, when a commitment is known'),
  })
  .meta({ id: 'AgreementYearFulfilment' });

/** An agreement as the API shows it, with what the donor's approved pledges fulfil of it. */
export const AgreementView = z
  .object({
    id: z.string(),
    donor: NationCode,
    ...editable,
    fulfilment: z.array(YearFulfilment).describe('Every year of the term, from the year of signature'),
    total: z.object({
      committedEur: z.number().describe('The sum of the public commitments'),
      approvedEur: z.number(),
      uncommittedYears: z.array(z.number().int()).describe('Years of the term with no public figure'),
    }),
    alertedYears: z
      .array(z.number().int())
      .describe('Years for which staff were told it was behind at mid-year'),
    createdBy: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Agreement' });
export type AgreementView = z.infer<typeof AgreementView>;

/** When a year's shortfall at mid-year is worth telling staff and the donor's liaison (versioned policy). */
export const AgreementPolicy = z.object({
  version: z.number().int().positive(),
  /** Alert when the part of a year's commitment not yet approved is more than this share of it. */
  midYearShortfallShare: z.number().min(0).max(1),
  /** The day of the year (MM-DD) from which a year is checked. */
  checkFrom: z.string().regex(/^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'must be MM-DD'),
});
export type AgreementPolicy = z.infer<typeof AgreementPolicy>;

/** The agreement policy in force at start-up (version 1). */
export const defaultAgreementPolicy: AgreementPolicy = AgreementPolicy.parse({
  version: 1,
  // Half a year gone: less than half of the year's commitment approved is behind.
  midYearShortfallShare: 0.5,
  checkFrom: '07-01',
});
