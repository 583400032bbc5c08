import { CancellationScope, log, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { PlannedCohort, StoredTrainingPlan } from '../domain/training/execution';
import type { ProjectedPledge } from '../domain/pledge-lifecycle';
import { emit } from './emit';

// Seat steps are short; a shorter timeout lets a reservation interrupted by a dead worker resume sooner.
const seats = proxyActivities<Activities>({
  startToCloseTimeout: '20 seconds',
  retry: { initialInterval: '500 milliseconds', backoffCoefficient: 2, maximumInterval: '10 seconds' },
});
// A compensation that keeps failing is logged and left to the withdrawal's or an operator's release.
const compensation = proxyActivities<Activities>({
  startToCloseTimeout: '20 seconds',
  retry: {
    initialInterval: '500 milliseconds',
    backoffCoefficient: 2,
    maximumInterval: '10 seconds',
    maximumAttempts: 8,
  },
});

export type CohortSeats = Pick<PlannedCohort, 'id' | 'sessionId' | 'trainees'>;

export interface ReservationOutcome {
  reserved: boolean;
  failedCohortId: string | null;
  reason: string | null;
}

const byKey = (a: CohortSeats, b: CohortSeats) =>
  a.sessionId < b.sessionId ? -1 : a.sessionId > b.sessionId ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;

async function compensate(steps: Array<{ cohortId: string; run: () => Promise<unknown> }>): Promise<void> {
  for (const step of [...steps].reverse()) {
    try {
      await step.run();
    } catch (err) {
      log.error('seat release failed during compensation', { cohortId: step.cohortId, error: String(err) });
    }
  }
}

/**
 * The reservation saga: every cohort's seats, or none. Cohorts are taken in session order (as locks are, so two
 * plans crossing the same sessions do not each hold half); each step is idempotent by cohort id. When a cohort
 * cannot get its seats, or the workflow is cancelled, what this saga took is released in reverse order.
 */
export async function reserveCohorts(pledgeId: string, cohorts: CohortSeats[]): Promise<ReservationOutcome> {
  const steps: Array<{ cohortId: string; run: () => Promise<unknown> }> = [];
  try {
    for (const cohort of [...cohorts].sort(byKey)) {
      // Registered before the attempt: a cohort that got only part of its seats is released too.
      steps.push({
        cohortId: cohort.id,
        run: () => compensation.releaseCohortSeats({ cohortId: cohort.id, sessionId: cohort.sessionId }),
      });
      const outcome = await seats.reserveCohortSeats({
        pledgeId,
        cohortId: cohort.id,
        sessionId: cohort.sessionId,
        trainees: cohort.trainees,
      });
      if (!outcome.ok) {
        await compensate(steps);
        return { reserved: false, failedCohortId: cohort.id, reason: outcome.reason };
      }
    }
    return { reserved: true, failedCohortId: null, reason: null };
  } catch (err) {
    await CancellationScope.nonCancellable(() => compensate(steps));
    throw err;
  }
}

/** Releases seats that are no longer needed (replaced cohorts); not a compensation, so it is retried to the end. */
export async function releaseCohorts(cohorts: Array<Pick<PlannedCohort, 'id' | 'sessionId'>>): Promise<void> {
  for (const c of cohorts) await seats.releaseCohortSeats({ cohortId: c.id, sessionId: c.sessionId });
}

export interface SeatReservationInput {
  pledgeId: string;
  plan: StoredTrainingPlan;
}

export interface SeatReservationResult extends ReservationOutcome {
  plan: StoredTrainingPlan;
  position: ProjectedPledge;
}

/** After approval: reserve the confirmed plan's seats as a saga, and record the outcome. */
export async function seatReservation({
  pledgeId,
  plan,
}: SeatReservationInput): Promise<SeatReservationResult> {
  const outcome = await reserveCohorts(pledgeId, plan.cohorts);
  const after: StoredTrainingPlan = {
    ...plan,
    cohorts: plan.cohorts.map((c) => ({
      ...c,
      state: outcome.reserved ? ('reserved' as const) : ('released' as const),
    })),
  };
  const id = `${pledgeId}:training-${plan.round}:seats`;
  const position = outcome.reserved
    ? await emit(pledgeId, {
        type: 'training.seats_reserved',
        id,
        actor: 'system',
        plan: after,
        seats: plan.cohorts.reduce((n, c) => n + c.trainees, 0),
      })
    : await emit(pledgeId, {
        type: 'training.seats_unavailable',
        id,
        actor: 'system',
        plan: after,
        cohortId: outcome.failedCohortId,
        reason: outcome.reason,
      });
  return { ...outcome, plan: after, position };
}
