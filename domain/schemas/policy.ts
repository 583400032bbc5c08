import { z } from 'zod';
import { FindingCode } from './pledge';
import { Category, MaintenanceBurden } from './reference';

/** Versioned thresholds of the compatibility review; a running review keeps its starting version. */
export const ReviewPolicy = z.object({
  version: z.number().int().positive(),
  /** Most families Ukraine should operate per category; a new family that reaches it is a blocker. */
  familyLimits: z.partialRecord(Category, z.number().int().min(2).max(50)),
  /** Score of a pledge before any finding is applied. */
  baseScore: z.number().min(0).max(100),
  /** Score delta per finding: negative for problems, positive for positives. */
  weights: z.record(FindingCode, z.number().min(-100).max(100)),
  /** A blocker weighs this many times its code's weight. */
  blockerFactor: z.number().min(1).max(10),
  thresholds: z
    .object({ accept: z.number().min(0).max(100), reject: z.number().min(0).max(100) })
    .refine((t) => t.reject <= t.accept, { message: 'reject must not be above accept', path: ['reject'] }),
  /** Maintenance burdens that need spare parts and maintenance support in the pledge. */
  highMaintenance: z.array(MaintenanceBurden).min(1),
});
export type ReviewPolicy = z.infer<typeof ReviewPolicy>;

/** The review policy in force at start-up (version 1). */
export const defaultReviewPolicy: ReviewPolicy = ReviewPolicy.parse({
  version: 1,
  // Limits count every family in service, Soviet types included, as Ukraine must sustain them all.
  // Fighters: F-16 plus MiG-29, Su-27, Su-24 and Su-25 make 5. A Mirage 2000 would be the 6th (a warning
  // for the reviewer to weigh, as the Air Force itself asked for few types); the 7th - a third Western
  // family such as Gripen beside F-16 and Mirage - reaches the limit and blocks.
  // Howitzers: 11 families already (7 of them 155 mm); one more is a warning, a second one blocks.
  // Drones have no limit: they are attritable and bought in many types by design.
  familyLimits: {
    fighter: 7,
    'air-defence-long': 4,
    'air-defence-medium': 6,
    'air-defence-short': 5,
    howitzer: 13,
    mlrs: 5,
    mbt: 8,
    ifv: 7,
  },
  // A clean pledge (no findings) scores 80, so positives can still lift it and problems pull it down.
  baseScore: 80,
  weights: {
    FLEET_FRAGMENTATION: -25,
    FLEET_COMMONALITY: 10,
    TRAINING_CAPACITY: -20,
    AMMUNITION_SUPPLY: -10,
    SUSTAINMENT_GAP: -10,
    DUPLICATE_PLEDGE: -15,
    NEED_MATCH: 10,
  },
  blockerFactor: 2,
  thresholds: { accept: 70, reject: 40 },
  highMaintenance: ['high'],
});
