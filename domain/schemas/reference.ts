import { z } from 'zod';
import { IsoDate, NationCode, Slug } from './common';

export const Categories = [
  'fighter',
  'air-defence-long',
  'air-defence-medium',
  'air-defence-short',
  'howitzer',
  'mlrs',
  'mbt',
  'ifv',
  'drone',
] as const;
export const Category = z.enum(Categories).meta({ id: 'Category' });
export type Category = z.infer<typeof Category>;

export const CoalitionId = z
  .enum(['air-force', 'iamd', 'artillery', 'armour', 'maritime', 'it', 'demining', 'drones'])
  .meta({ id: 'CoalitionId' });
export type CoalitionId = z.infer<typeof CoalitionId>;

const coalitionFields = z.object({
  id: CoalitionId,
  name: z.string().trim().min(1).max(120),
  categories: z
    .array(Category)
    .max(Categories.length)
    .refine((c) => new Set(c).size === c.length, { message: 'each category once' })
    .describe('The catalogue categories whose pledges it reviews'),
  leads: z
    .array(NationCode)
    .min(1, 'a coalition has at least one lead nation')
    .max(10)
    .refine((n) => new Set(n).size === n.length, { message: 'each nation once' })
    .describe('ISO 3166-1 alpha-3 codes'),
  members: z
    .array(NationCode)
    .max(60)
    .refine((n) => new Set(n).size === n.length, { message: 'each nation once' })
    .describe('Other nations publicly reported as taking part (ISO 3166-1 alpha-3)'),
});

const leadsAreNotMembers: [
  (c: { leads: string[]; members: string[] }) => boolean,
  { message: string; path: string[] },
] = [
  (c) => !c.members.some((m) => c.leads.includes(m)),
  { message: 'a lead nation is not also listed as a member', path: ['members'] },
];

/** A capability coalition (GET /api/v1/coalitions): reference data an admin keeps as the public record changes. */
export const Coalition = coalitionFields.refine(...leadsAreNotMembers).meta({ id: 'Coalition' });
/** Body of PUT /api/v1/admin/coalitions/:id: the coalitions themselves are fixed (systems and reviewers name them). */
export const CoalitionInput = coalitionFields
  .omit({ id: true })
  .refine(...leadsAreNotMembers)
  .meta({ id: 'CoalitionInput' });
export type Coalition = z.infer<typeof Coalition>;

export const MaintenanceBurden = z.enum(['low', 'medium', 'high']).meta({ id: 'MaintenanceBurden' });

/** A system in the catalogue (GET /api/v1/catalog/systems). */
export const System = z
  .object({
    id: Slug,
    name: z.string().min(1).max(120),
    family: z.string().min(1).max(80),
    category: Category,
    coalition: CoalitionId,
    origin: z.string().min(2).max(40),
    calibers: z.array(z.string().min(1).max(40)).max(10),
    crewPerUnit: z.number().int().min(0).max(500),
    maintainersPerUnit: z.number().int().min(0).max(500),
    courseIds: z.array(Slug).max(20),
    maintenanceBurden: MaintenanceBurden,
  })
  .meta({ id: 'System' });
export type System = z.infer<typeof System>;

/** A family Ukraine already operates (GET /api/v1/inventory). */
export const InventoryEntry = z
  .object({
    family: z.string().min(1).max(80),
    category: Category,
    count: z.number().int().min(0),
    origin: z.string().min(2).max(40),
    calibers: z.array(z.string()).default([]),
  })
  .meta({ id: 'InventoryEntry' });
export type InventoryEntry = z.infer<typeof InventoryEntry>;

/** One of Ukraine's capability needs (GET /api/v1/needs). Priority 1 is the most urgent. */
export const Need = z
  .object({
    id: Slug,
    category: Category,
    family: z.string().max(80).nullable(),
    description: z.string().min(1).max(500),
    quantity: z.number().int().positive(),
    priority: z.number().int().min(1).max(5),
    status: z.enum(['open', 'met']),
  })
  .meta({ id: 'Need' });
export type Need = z.infer<typeof Need>;

/** A training course (GET /api/v1/training/courses). */
export const Course = z
  .object({
    id: Slug,
    name: z.string().min(1).max(120),
    durationDays: z.number().int().positive().max(730),
    prerequisiteIds: z.array(Slug).max(10),
    minCohort: z.number().int().positive(),
    maxCohort: z.number().int().positive(),
    /** Who takes the course: crew (operators, pilots) or maintainers. */
    audience: z.enum(['crew', 'maintainer', 'all']),
  })
  .meta({ id: 'Course' });
export type Course = z.infer<typeof Course>;

/** A training site in an allied country. */
export const Site = z
  .object({
    id: Slug,
    name: z.string().min(1).max(120),
    nation: NationCode,
  })
  .meta({ id: 'Site' });
export type Site = z.infer<typeof Site>;

/** A scheduled run of a course at a site, with a number of seats. */
export const Session = z.object({
  id: Slug,
  courseId: Slug,
  siteId: Slug,
  start: IsoDate,
  end: IsoDate,
  seats: z.number().int().positive().max(10_000),
});
export type Session = z.infer<typeof Session>;
