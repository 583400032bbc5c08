import { traineesPerOffer, type SchedulingInstance } from './instance';
import { foldSystemReady } from './readiness';
import { sessionsBelowMinimum, type SessionStanding } from './session-minimum';
import { explainShortfall, lateness } from './shortfall';
import type { Cohort, SolverReport, TrainingPlan, UnmetTraining } from './types';

/**
 * Turns trainee counts per slot into cohorts, readiness per system, what cannot be met and why, and the
 * sessions that stay below their minimum.
 */
export function planFromCounts(
  instance: SchedulingInstance,
  counts: ArrayLike<number>,
  solver: SolverReport,
): TrainingPlan {
  const cohorts: Cohort[] = [];
  const unmet: UnmetTraining[] = [];
  const readyBy: Record<string, string | null> = {};
  let traineesReadyByDeadline = 0;
  const perOffer = traineesPerOffer(instance, counts);
  const standings: SessionStanding[] = instance.offers.map((offer, i) => ({
    ...offer,
    planned: perOffer[i],
  }));
  instance.groups.forEach((group, g) => {
    const finals: Cohort[] = [];
    const lastStep = group.courseChain.length - 1;
    for (const [step, slotIds] of instance.slotsOf[g].entries()) {
      for (const slotId of slotIds) {
        const trainees = counts[slotId];
        if (trainees <= 0) continue;
        const { session } = instance.offers[instance.slots[slotId].offer];
        const cohort: Cohort = {
          id: `${group.id}@${session.id}`,
          groupId: group.id,
          systemId: group.systemId,
          courseId: session.courseId,
          sessionId: session.id,
          siteId: session.siteId,
          trainees,
          start: session.start,
          end: session.end,
        };
        cohorts.push(cohort);
        if (step === lastStep) finals.push(cohort);
      }
    }
    const completed = finals.reduce((n, c) => n + c.trainees, 0);
    const onTime = finals.filter((c) => c.end <= group.deadline).reduce((n, c) => n + c.trainees, 0);
    // Seats in earlier courses cost, so a plan starts no one on a chain they cannot finish: explain from the start.
    if (completed < group.trainees) {
      const groupPlanned = new Map(
        cohorts.filter((c) => c.groupId === group.id).map((c) => [c.sessionId, c.trainees]),
      );
      unmet.push(explainShortfall(group, group.trainees - completed, standings, { step: 0, groupPlanned }));
    }
    const late = lateness(group, finals);
    if (late) unmet.push(late);
    traineesReadyByDeadline += onTime;
    foldSystemReady(
      readyBy,
      group,
      completed,
      finals.map((c) => c.end),
    );
  });
  const traineesNeeded = instance.groups.reduce((sum, g) => sum + g.trainees, 0);
  return {
    cohorts,
    readyBy,
    unmet,
    sessionsBelowMinimum: sessionsBelowMinimum(standings),
    traineesNeeded,
    traineesReadyByDeadline,
    solver,
  };
}
