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
