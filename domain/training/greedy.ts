import { objectiveOf, prepareInstance, type SchedulingInstance } from './instance';
import { planFromCounts } from './plan';
import type { ScheduleInput, TrainingPlan } from './types';

/**
 * Earliest-fit trainee counts per slot. Groups go by weight (Ukraine's need first), then in deadline order; each round sends the largest batch of a
 * group's remaining trainees that can finish by the deadline along the earliest-finishing chain of sessions,
 * preferring a chain whose sessions all reach their minimum (with every pledge's trainees counted) when it
 * finishes in time too. A second pass does the same for trainees who can only finish late. Batches that would
 * leave a remainder too small for a course's minimum cohort are tried last.
 */
export function greedyCounts(instance: SchedulingInstance): number[] {
  const counts = instance.slots.map(() => 0);
  const seatsLeft = instance.offers.map((o) => o.capacity);
  const planned = instance.offers.map(() => 0);
  const order = instance.groups
    .map((_group, g) => g)
    .sort(
      (a, b) =>
        (instance.groups[b].weight ?? 1) - (instance.groups[a].weight ?? 1) ||
        instance.deadlineDay[a] - instance.deadlineDay[b] ||
        cmp(instance.groups[a].id, instance.groups[b].id),
    );

  // Past its cutoff a session takes a batch only if the batch gets it to its minimum.
  const fits = (slotId: number, batch: number): boolean => {
    const slot = instance.slots[slotId];
    const offer = instance.offers[slot.offer];
    if (seatsLeft[slot.offer] < batch || counts[slotId] + batch > slot.upper) return false;
    return !offer.cutoffPassed || planned[slot.offer] + batch >= offer.shortOfMinimum;
  };
  const reachesMinimum = (slotId: number, batch: number): boolean => {
    const offer = instance.slots[slotId].offer;
    return planned[offer] + batch >= instance.offers[offer].shortOfMinimum;
  };
  // Choosing the earliest-ending usable session at every step gives the earliest-finishing chain.
  const earliestChain = (g: number, batch: number, onlyReachingMinimum: boolean): number[] | null => {
    const chain: number[] = [];
    let previousEnd = -Infinity;
    for (const slotIds of instance.slotsOf[g]) {
      let best = -1;
      for (const slotId of slotIds) {
        const slot = instance.slots[slotId];
        if (slot.startDay <= previousEnd || !fits(slotId, batch)) continue;
        if (onlyReachingMinimum && !reachesMinimum(slotId, batch)) continue;
        if (best < 0 || slot.endDay < instance.slots[best].endDay) best = slotId;
      }
      if (best < 0) return null;
      chain.push(best);
      previousEnd = instance.slots[best].endDay;
    }
    return chain;
  };

  // First only batches that make the deadline, for every group; then late batches with the seats left, so
  // that a group whose deadline cannot be met does not take seats another group needed in time.
  const remaining = instance.groups.map((group) => group.trainees);
  for (const onTimeOnly of [true, false]) {
    for (const g of order) {
      const steps = instance.slotsOf[g];
      if (steps.length === 0 || steps.some((ids) => ids.length === 0)) continue;
      const inTime = (chain: number[] | null): chain is number[] =>
        chain !== null && instance.slots[chain[chain.length - 1]].endDay <= instance.deadlineDay[g];
      const largestMinimum = Math.max(
        ...steps.map((ids) => instance.offers[instance.slots[ids[0]].offer].minimum),
      );
      while (remaining[g] > 0) {
        let chosen: { batch: number; chain: number[] } | null = null;
        let late: { batch: number; chain: number[] } | null = null;
        for (const batch of candidateBatches(instance, counts, seatsLeft, g, remaining[g], largestMinimum)) {
          const running = earliestChain(g, batch, true);
          const any = running ?? earliestChain(g, batch, false);
          if (!any) continue;
          const onTime = inTime(running) ? running : inTime(any) ? any : null;
          if (onTime) {
            chosen = { batch, chain: onTime };
            break;
          }
          late ??= { batch, chain: any };
        }
        if (!onTimeOnly) chosen ??= late;
        if (!chosen) break;
        for (const slotId of chosen.chain) {
          counts[slotId] += chosen.batch;
          seatsLeft[instance.slots[slotId].offer] -= chosen.batch;
          planned[instance.slots[slotId].offer] += chosen.batch;
        }
        remaining[g] -= chosen.batch;
      }
    }
  }
  return counts;
}

/**
 * The largest feasible batch along a chain is the remainder or one of the chain's limits (seats left or
 * room in the session), so those values are the only candidates worth trying, largest first.
 */
function candidateBatches(
  instance: SchedulingInstance,
  counts: number[],
  seatsLeft: number[],
  g: number,
  remaining: number,
  largestMinimum: number,
): number[] {
  const values = new Set<number>([remaining, remaining - largestMinimum]);
  for (const slotIds of instance.slotsOf[g]) {
    for (const slotId of slotIds) {
      const slot = instance.slots[slotId];
      values.add(Math.min(seatsLeft[slot.offer], slot.upper - counts[slotId]));
    }
  }
  const batches = [...values].filter((b) => b >= 1 && b <= remaining).sort((a, b) => b - a);
  const leavesUsableRest = (b: number): boolean => remaining - b === 0 || remaining - b >= largestMinimum;
  return [...batches.filter(leavesUsableRest), ...batches.filter((b) => !leavesUsableRest(b))];
}

/** Greedy earliest-fit plan: the fallback when the MIP cannot be used, and the benchmark's baseline. */
export function greedySchedule(input: ScheduleInput): TrainingPlan {
  const started = performance.now();
  const instance = prepareInstance(input);
  const counts = greedyCounts(instance);
  const solver = {
    method: 'greedy' as const,
    status: 'heuristic',
    objective: objectiveOf(instance, counts),
    bound: null,
    gap: null,
    timeMs: Math.round(performance.now() - started),
  };
  return planFromCounts(instance, counts, solver);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
