import { z } from 'zod';

/** ISO 3166-1 alpha-3 nation code, e.g. FRA. */
export const NationCode = z
  .string()
  .regex(/^[A-Z]{3}$/, 'must be a three-letter ISO 3166-1 alpha-3 code in capitals, e.g. FRA');

/** Calendar date, YYYY-MM-DD. */
export const IsoDate = z.iso.date({ message: 'must be a date in the form YYYY-MM-DD' });

/** Opaque identifier chosen by an admin (lowercase slug). */
export const Slug = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z0-9][a-z0-9-]*$/, 'must be lowercase letters, digits and dashes');

export const Roles = [
  'donor_liaison',
  'staff_officer',
  'reviewer',
  'training_coordinator',
  'chief_of_staff',
  'commander',
  'deputy_commander',
  'saceur',
  'auditor',
  'admin',
  'ua_liaison',
  'logistics',
] as const;
export const Role = z.enum(Roles).meta({ id: 'Role' });
export type Role = z.infer<typeof Role>;

export const Severity = z.enum(['info', 'warning', 'blocker']).meta({ id: 'Severity' });
export type Severity = z.infer<typeof Severity>;

/** A list page: `{items, nextCursor}` per the contract. */
export const pageOf = <T extends z.ZodTypeAny>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });

export const PageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
});
