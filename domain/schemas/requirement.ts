import { z } from 'zod';
import { IsoDate, Slug } from './common';
import { Category } from './reference';

/**
 * What a requirement asks for: a category of the catalogue, a platform family or one system. Any combination
 * narrows it (a family within a category); at least one is needed.
 */
export const Capability = z
  .object({
    category: Category.optional(),
    family: z.string().trim().min(1).max(80).optional(),
    systemId: Slug.optional(),
  })
  .refine((c) => c.category !== undefined || c.family !== undefined || c.systemId !== undefined, {
    message: 'name a category, a family or a system',
  })
  .meta({ id: 'Capability' });
export type Capability = z.infer<typeof Capability>;

export const RequirementStatus = z.enum(['open', 'closed']).meta({ id: 'RequirementStatus' });
export type RequirementStatus = z.infer<typeof RequirementStatus>;

export const Priority = z
  .number()
  .int('must be a whole number')
  .min(1, 'must be from 1 (most urgent) to 5')
  .max(5, 'must be from 1 (most urgent) to 5');

/** Body of POST /api/v1/requirements. */
export const RequirementInput = z
  .object({
    capability: Capability,
    // Drones are asked for by the million.
    quantity: z.number().int('must be a whole number').positive('must be positive').max(10_000_000),
    priority: Priority,
    neededBy: IsoDate,
    justification: z.string().trim().min(1, 'say why Ukraine needs it').max(4000),
  })
  .meta({ id: 'RequirementInput' });
export type RequirementInput = z.infer<typeof RequirementInput>;

/** Body of PATCH /api/v1/requirements/:id: amend, reprioritise, close or reopen; only the fields given change. */
export const RequirementPatch = z
  .object({
    capability: Capability.optional(),
    quantity: RequirementInput.shape.quantity.optional(),
    priority: Priority.optional(),
    neededBy: IsoDate.optional(),
    justification: RequirementInput.shape.justification.optional(),
    status: RequirementStatus.optional(),
  })
  .strict()
  .refine((p) => Object.keys(p).length > 0, { message: 'change at least one field' })
  .meta({ id: 'RequirementPatch' });
export type RequirementPatch = z.infer<typeof RequirementPatch>;

/** How far pledges go towards a requirement, in units of it. */
export const Coverage = z
  .object({
    required: z.number().int(),
    pledged: z.number().int().describe('In pledges under review or further on (approved and ready included)'),
    approved: z.number().int().describe('In pledges approved by command (in training and ready included)'),
    ready: z.number().int().describe('In pledges whose equipment and crews are ready'),
  })
  .meta({ id: 'Coverage' });
export type Coverage = z.infer<typeof Coverage>;

/** One of Ukraine's requirements with its coverage (GET /api/v1/requirements/:id). */
export const Requirement = RequirementInput.extend({
  id: z.string(),
  status: RequirementStatus,
  coverage: Coverage,
  createdBy: z.string(),
  createdAt: z.string(),
  updatedBy: z.string(),
  updatedAt: z.string(),
}).meta({ id: 'Requirement' });
export type Requirement = z.infer<typeof Requirement>;

/**
 * A staff decision on which requirement each pledged system serves, replacing the automatic match
 * (PUT /api/v1/pledges/:id/requirement-matches). `requirementId: null` says the system serves none.
 */
export const RequirementMatchOverride = z
  .object({
    systemId: Slug,
    requirementId: z.string().min(1).max(64).nullable(),
  })
  .meta({ id: 'RequirementMatchOverride' });
export type RequirementMatchOverride = z.infer<typeof RequirementMatchOverride>;

export const RequirementMatchInput = z
  .object({
    matches: z
      .array(RequirementMatchOverride)
      .max(50)
      .describe('Per pledged system; a system left out goes back to its automatic match'),
    reason: z.string().trim().min(1, 'say why the match is overridden').max(2000),
  })
  .meta({ id: 'RequirementMatchInput' });
export type RequirementMatchInput = z.infer<typeof RequirementMatchInput>;

/** Which requirement one pledged system serves, and whether staff chose it. */
export const RequirementMatch = z
  .object({
    systemId: z.string(),
    quantity: z.number().int().describe('Summed over the pledge’s items of this system'),
    requirementId: z.string().nullable().describe('Null: the system serves no open requirement'),
    overridden: z.boolean().describe('Chosen by staff rather than matched automatically'),
  })
  .meta({ id: 'RequirementMatch' });
export type RequirementMatch = z.infer<typeof RequirementMatch>;
