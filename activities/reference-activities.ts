import {
  agreements,
  ammunitionSupply,
  catalog,
  coalitions,
  courses,
  generateSessions,
  inventory,
  needs,
  sites,
} from '../domain/reference/seed-data';
import type { Role } from '../domain/schemas/common';
import { hashPassword } from '../infra/passwords';
import { defaultPolicies, PolicyKinds } from '../store/policies';
import type { Model } from 'mongoose';
import type { ActivityDeps } from './deps';

type Upsertable = { id: string };

/** Inserts what is missing, keeps what exists: admins' edits survive a re-seed. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function insertMissing<T extends Upsertable>(model: Model<any>, rows: T[]): Promise<number> {
  if (!rows.length) return 0;
  const ops = rows.map(({ id, ...doc }) => ({
    updateOne: { filter: { _id: id }, update: { $setOnInsert: doc }, upsert: true },
  }));
  const res = await model.bulkWrite(ops);
  return res.upsertedCount;
}

export const demoUsers: Array<{
  username: string;
  displayName: string;
  roles: Role[];
  nation: string | null;
  coalitions?: string[];
}> = [
  { username: 'liaison.fra', displayName: 'French liaison officer', roles: ['donor_liaison'], nation: 'FRA' },
  { username: 'liaison.deu', displayName: 'German liaison officer', roles: ['donor_liaison'], nation: 'DEU' },
  { username: 'staff', displayName: 'NSATU staff officer', roles: ['staff_officer'], nation: null },
  // The demo reviewer reviews for every coalition, so every demo pledge reaches an inbox.
  {
    username: 'reviewer',
    displayName: 'Capability coalition reviewer',
    roles: ['reviewer'],
    nation: null,
    coalitions: coalitions.map((c) => c.id),
  },
  { username: 'trainer', displayName: 'Training coordinator', roles: ['training_coordinator'], nation: null },
  { username: 'cos', displayName: 'Chief of staff', roles: ['chief_of_staff'], nation: null },
  { username: 'commander', displayName: 'NSATU commander', roles: ['commander'], nation: null },
  { username: 'deputy', displayName: 'Deputy commander', roles: ['deputy_commander'], nation: null },
  { username: 'saceur', displayName: 'SACEUR', roles: ['saceur'], nation: null },
  { username: 'auditor', displayName: 'Auditor', roles: ['auditor'], nation: null },
  { username: 'admin', displayName: 'Administrator', roles: ['admin'], nation: null },
  { username: 'liaison.ukr', displayName: "Ukraine's MoD liaison", roles: ['ua_liaison'], nation: 'UKR' },
  { username: 'logistics', displayName: 'Delivery cell', roles: ['logistics'], nation: null },
];

/** Idempotent seeding steps of the reference data, one activity each. */
export function createReferenceActivities({ store, config, projector }: ActivityDeps) {
  /** Every process drops the reference data it caches (also on a retry that inserted nothing new). */
  const changed = async <T>(what: string, inserted: T): Promise<T> => {
    await projector.referenceChanged(`seed:${what}`);
    return inserted;
  };
  return {
    /** The catalogue's systems and the coalitions that review them (a system names its coalition). */
    async seedCatalog(): Promise<number> {
      const inserted =
        (await insertMissing(store.Coalition, coalitions)) + (await insertMissing(store.System, catalog));
      return changed('catalog', inserted);
    },
    async seedInventoryAndNeeds(): Promise<number> {
      const inv = await insertMissing(
        store.Inventory,
        inventory.map((e) => ({ ...e, id: e.family })),
      );
      const nd = await insertMissing(store.Need, needs);
      await store.ReferenceDoc.updateOne(
        { _id: 'ammunition-supply' },
        { $setOnInsert: { value: ammunitionSupply } },
        { upsert: true },
      );
      return changed('inventory', inv + nd);
    },
    async seedCoursesAndSites(): Promise<number> {
      return changed(
        'courses',
        (await insertMissing(store.Course, courses)) + (await insertMissing(store.Site, sites)),
      );
    },
    /** Sessions of one course for the next 18 months, unless the course already has sessions. */
    async seedSessions(courseId: string, from: string): Promise<number> {
      if (await store.Session.exists({ courseId })) return changed('sessions', 0);
      return changed(
        'sessions',
        await insertMissing(
          store.Session,
          generateSessions(from).filter((s) => s.courseId === courseId),
        ),
      );
    },
    async seedPolicies(): Promise<number> {
      let created = 0;
      for (const kind of PolicyKinds) {
        const document = defaultPolicies[kind];
        const res = await store.Policy.updateOne(
          { kind, version: 1 },
          { $setOnInsert: { document, createdBy: 'system' } },
          { upsert: true },
        );
        created += res.upsertedCount;
      }
      return created;
    },
    /** The contract's demo users; never in production. */
    async seedDemoUsers(): Promise<number> {
      if (!config.SEED_DEMO_USERS) return 0;
      let created = 0;
      for (const user of demoUsers) {
        if (await store.User.exists({ username: user.username })) {
          // A demo user seeded before reviewers had coalitions gets the demo's (an admin's choice is kept).
          if (user.coalitions)
            await store.User.updateOne(
              { username: user.username, coalitions: { $exists: false } },
              { $set: { coalitions: user.coalitions } },
            );
          continue;
        }
        const passwordHash = await hashPassword(config.DEMO_PASSWORD);
        const res = await store.User.updateOne(
          { username: user.username },
          { $setOnInsert: { ...user, passwordHash, active: true } },
          { upsert: true },
        );
        created += res.upsertedCount;
      }
      return created;
    },
    /** The publicly reported bilateral security agreements (edits made since are kept). */
    async seedAgreements(): Promise<number> {
      const at = new Date().toISOString();
      return insertMissing(
        store.Agreement,
        agreements.map((a) => ({
          ...a,
          alertedYears: [],
          createdBy: 'system',
          createdAt: at,
          updatedAt: at,
        })),
      );
    },
    async listCourseIds(): Promise<string[]> {
      return courses.map((c) => c.id);
    },
  };
}
