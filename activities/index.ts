import { createApprovalActivities } from './approval-activities';
import type { ActivityDeps } from './deps';
import { createProjectionActivities } from './projection-activities';
import { createReferenceActivities } from './reference-activities';
import { createReviewActivities } from './review-activities';
import { createTrainingActivities } from './training-activities';

/** Every activity the engine's workflows call, bound to their dependencies. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createReferenceActivities(deps),
    ...createProjectionActivities(deps),
    ...createReviewActivities(deps),
    ...createApprovalActivities(deps),
    ...createTrainingActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
