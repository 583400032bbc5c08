import { createApprovalActivities } from './approval-activities';
import type { ActivityDeps } from './deps';
import { createNotificationActivities } from './notification-activities';
import { createPledgeActivities } from './pledge-activities';
import { createReferenceActivities } from './reference-activities';
import { createReviewActivities } from './review-activities';
import { createTaskActivities } from './task-activities';
import { createTrainingActivities } from './training-activities';

/** Every activity the engine's workflows call, bound to their dependencies. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createReferenceActivities(deps),
    ...createPledgeActivities(deps),
    ...createReviewActivities(deps),
    ...createTaskActivities(deps),
    ...createApprovalActivities(deps),
    ...createNotificationActivities(deps),
    ...createTrainingActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
