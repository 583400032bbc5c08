import { patched } from '@temporalio/workflow';
import { activities } from './activity-proxies';

export interface SeedResult {
  created: Record<string, number>;
}

/** Seeds reference data, policies and (outside production) demo users; every step is idempotent. */
export async function seedReferenceData(input: { sessionsFrom: string }): Promise<SeedResult> {
  const created: Record<string, number> = {};
  created.policies = await activities.seedPolicies();
  created.users = await activities.seedDemoUsers();
  created.systems = await activities.seedCatalog();
  created.inventoryAndNeeds = await activities.seedInventoryAndNeeds();
  created.coursesAndSites = await activities.seedCoursesAndSites();
  if (patched('seed-agreements')) created.agreements = await activities.seedAgreements();
  created.sessions = 0;
  for (const courseId of await activities.listCourseIds()) {
    created.sessions += await activities.seedSessions(courseId, input.sessionsFrom);
  }
  return { created };
}
