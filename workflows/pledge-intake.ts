import { activities } from './activity-proxies';
import { nowIso } from './clock';

export interface IntakeInput {
  pledgeId: string;
  submittedBy: string;
}

export interface IntakeResult {
  accepted: boolean;
  problems: string[];
  coalitions: string[];
}

/** Intake: validate against the catalogue as it is now, normalise, and route to the capability coalitions. */
export async function pledgeIntake({ pledgeId, submittedBy }: IntakeInput): Promise<IntakeResult> {
  const result = await activities.checkIntake(pledgeId);
  await activities.recordTransition({
    pledgeId,
    eventId: `${pledgeId}:intake`,
    at: nowIso(),
    type: result.accepted ? 'intake.accepted' : 'intake.rejected',
    actor: 'system',
    ...(result.accepted ? {} : { status: 'INTAKE_REJECTED' as const, stage: 'closed' }),
    patch: { coalitions: result.coalitions },
    detail: { coalitions: result.coalitions, problems: result.problems, submittedBy },
  });
  return result;
}
