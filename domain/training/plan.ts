import type { SchedulingInstance } from './instance';
import type { Cohort, SolverReport, TraineeGroup, TrainingPlan, UnmetTraining } from './types';

/** Turns trainee counts per slot into cohorts, readiness per system and what cannot be met. */
export function planFromCounts(
  instance: SchedulingInstance,
  counts: ArrayLike<number>,
  solver: SolverReport,
): TrainingPlan {
  const cohorts: Cohort[] = [];
  const unmet: UnmetTraining[] = [];
  const readyBy: Record<string, string | null> = {};
  let traineesReadyByDeadline = 0;
  const seatsLeft = instance.offers.map((o) => o.capacity);
  instance.slots.forEach((slot, i) => (seatsLeft[slot.offer] -= counts[i]));
  instance.groups.forEach((group, g) => {
    const perStep = instance.slotsOf[g].map(() => 0);
    let onTime = 0;
    let lastEnd: string | null = null;
    const lastStep = group.courseChain.length - 1;
    for (const [step, slotIds] of instance.slotsOf[g].entries()) {
      for (const slotId of slotIds) {
        const trainees = counts[slotId];
        if (trainees <= 0) continue;
        const { session } = instance.offers[instance.slots[slotId].offer];
        cohorts.push({
          id: `${group.id}@${session.id}`,
          groupId: group.id,
          systemId: group.systemId,
          courseId: session.courseId,
          sessionId: session.id,
          siteId: session.siteId,
          trainees,
          start: session.start,
          end: session.end,
        });
        perStep[step] += trainees;
        if (step !== lastStep) continue;
        if (session.end <= group.deadline) onTime += trainees;
        if (lastEnd === null || session.end > lastEnd) lastEnd = session.end;
      }
    }
    const completed = perStep.length ? perStep[perStep.length - 1] : 0;
    const blocked =
      completed < group.trainees
        ? (instance.blockedStep[g] ?? bottleneckStep(instance, counts, seatsLeft, g))
        : -1;
    unmet.push(...unmetOf(group, completed, onTime, blocked));
    traineesReadyByDeadline += onTime;
    const groupReady = completed >= group.trainees ? lastEnd : null;
    const systemReady = group.systemId in readyBy ? readyBy[group.systemId] : '';
    readyBy[group.systemId] =
      systemReady === null || groupReady === null ? null : later(systemReady, groupReady);
  });
  const traineesNeeded = instance.groups.reduce((sum, g) => sum + g.trainees, 0);
  return { cohorts, readyBy, unmet, traineesNeeded, traineesReadyByDeadline, solver };
}

/**
 * The chain step with the least room left for more of the group's trainees (free seats, cohort limits).
 * Trainees who cannot finish are not sent to earlier courses at all, so their shortfall shows at the
 * bottleneck rather than where they would have dropped out.
 */
function bottleneckStep(
  instance: SchedulingInstance,
  counts: ArrayLike<number>,
  seatsLeft: number[],
  g: number,
): number {
  let best = 0;
  let leastRoom = Infinity;
  for (const [step, slotIds] of instance.slotsOf[g].entries()) {
    const room = slotIds.reduce((sum, slotId) => {
      const slot = instance.slots[slotId];
      const fits = Math.min(seatsLeft[slot.offer], slot.upper - counts[slotId]);
      return sum + (counts[slotId] === 0 && fits < slot.min ? 0 : Math.max(0, fits));
    }, 0);
    if (room < leastRoom) [best, leastRoom] = [step, room];
  }
  return best;
}

function later(a: string, b: string): string {
  return a > b ? a : b;
}

/**
 * What a group still lacks: trainees who never finish (at the course that blocks them, `blockedStep`)
 * and trainees who finish only after the delivery date.
 */
export function unmetOf(
  group: TraineeGroup,
  completed: number,
  onTime: number,
  blockedStep: number,
): UnmetTraining[] {
  const unmet: UnmetTraining[] = [];
  if (completed < group.trainees) {
    unmet.push({
      groupId: group.id,
      systemId: group.systemId,
      courseId: group.courseChain[blockedStep] ?? null,
      trainees: group.trainees - completed,
      reason: 'no_capacity',
    });
  }
  if (completed > onTime) {
    unmet.push({
      groupId: group.id,
      systemId: group.systemId,
      courseId: null,
      trainees: completed - onTime,
      reason: 'no_capacity_before_deadline',
    });
  }
  return unmet;
}
