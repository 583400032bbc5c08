import type { ProjectedPledge } from '../domain/pledge-lifecycle';
import { activities } from './activity-proxies';
import { emit } from './emit';

export interface IntakeInput {
  pledgeId: string;
}

/** Intake: validate against the catalogue as it is now, and route to the capability coalitions. */
export async function pledgeIntake({ pledgeId }: IntakeInput): Promise<ProjectedPledge> {
  const { accepted, coalitions, problems } = await activities.checkIntake(pledgeId);
  const id = `${pledgeId}:intake`;
  return accepted
    ? emit(pledgeId, { type: 'intake.accepted', id, actor: 'system', coalitions })
    : emit(pledgeId, { type: 'intake.rejected', id, actor: 'system', coalitions, problems });
}
