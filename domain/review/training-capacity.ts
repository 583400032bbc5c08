import type { Finding } from '../schemas/pledge';
import { pledgedSystems, type PledgeUnderReview, type ReviewContext } from './review-context';

/** TRAINING_CAPACITY: fewer trainees can be ready before delivery than the pledged systems need. */
export function findTrainingShortfalls(pledge: PledgeUnderReview, ctx: ReviewContext): Finding[] {
  const assessment = ctx.training;
  if (!assessment) return [];
  return pledgedSystems(pledge, ctx.catalog).flatMap(({ system }): Finding[] => {
    const capacity = assessment.bySystem[system.id];
    if (!capacity || capacity.traineesReadyByDeadline >= capacity.traineesNeeded) return [];
    const { traineesNeeded: needed, traineesReadyByDeadline: ready } = capacity;
    return [
      ready <= 0
        ? {
            code: 'TRAINING_CAPACITY',
            severity: 'blocker',
            message: `None of the ${needed} ${system.name} trainees can be trained before delivery`,
            systemId: system.id,
          }
        : {
            code: 'TRAINING_CAPACITY',
            severity: 'warning',
            message:
              `Only ${ready} of the ${needed} ${system.name} trainees can be trained before delivery; ` +
              `${needed - ready} would finish after the equipment arrives`,
            systemId: system.id,
          },
    ];
  });
}
