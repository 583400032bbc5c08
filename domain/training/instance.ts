import type { Course } from '../schemas/reference';
import { dayOf } from './dates';
import { defaultSessionMinimumCutoffDays, sessionStandings, type SessionStanding } from './session-minimum';
import type { ScheduleInput, TraineeGroup } from './types';

/** A session this plan may use (after replan constraints), with the seats left for it and its minimum. */
export interface SessionOffer extends SessionStanding {
  /** Seats left for this plan. */
  capacity: number;
  /**
   * Trainees this plan must add for the session to reach its minimum: 0 when other plans already fill it.
   * Past the cutoff the session takes none or at least this many; before it, fewer is allowed but at risk.
   */
  shortOfMinimum: number;
  startDay: number;
  endDay: number;
}

/** A place where a group's trainees may take one step of their chain: (group, step, session). */
export interface Slot {
  group: number;
  step: number;
  offer: number;
  /** Largest cohort possible: course maximum, seats left and group size. */
  upper: number;
  startDay: number;
  endDay: number;
}

/** The scheduling problem after replan constraints and reachability pruning, shared by MIP and greedy. */
export interface SchedulingInstance {
  groups: TraineeGroup[];
  offers: SessionOffer[];
  slots: Slot[];
  /** Slot indices per group and chain step, sorted by start then end. */
  slotsOf: number[][][];
  deadlineDay: number[];
  /** Objective coefficient per slot (see objectiveWeights). */
  value: number[];
  /** Objective cost of one trainee in a session that stays below its minimum. */
  belowMinimumCost: number;
}

/** The session minimum rule of a schedule input (the policy's cutoff; no cutoff has passed without `today`). */
export const minimumRuleOf = (input: ScheduleInput) => ({
  cutoffDays: input.sessionMinimumCutoffDays ?? defaultSessionMinimumCutoffDays,
  today: input.today,
});

/** Applies replan constraints, drops sessions no trainee can use in chain order and prices every slot. */
export function prepareInstance(input: ScheduleInput): SchedulingInstance {
  const courses = new Map<string, Course>(input.courses.map((c) => [c.id, c]));
  const offers = offeredSessions(input, courses);
  const groups = input.groups.filter((g) => g.trainees > 0);
  const slots: Slot[] = [];
  const slotsOf = groups.map((group, g) => {
    const candidates = candidateOffers(group, offers);
    const perStep = hasChain(candidates, offers)
      ? reachableOffers(candidates, offers)
      : candidates.map(() => []);
    return perStep.map((offerIds, step) =>
      offerIds.map((offer) => {
        const { capacity, startDay, endDay } = offers[offer];
        const upper = Math.min(offers[offer].maxCohort, capacity, group.trainees);
        slots.push({ group: g, step, offer, upper, startDay, endDay });
        return slots.length - 1;
      }),
    );
  });
  const deadlineDay = groups.map((g) => dayOf(g.deadline));
  const weights = objectiveWeights(groups, slots);
  const value = slotValues(groups, slots, deadlineDay, weights);
  return { groups, offers, slots, slotsOf, deadlineDay, value, belowMinimumCost: weights.belowMinimum };
}

/** Every session the constraints leave usable, full ones included (the unmet reasons name them). */
function offeredSessions(input: ScheduleInput, courses: ReadonlyMap<string, Course>): SessionOffer[] {
  const excludedSites = new Set(input.constraints?.excludedSiteIds ?? []);
  const excludedSessions = new Set(input.constraints?.excludedSessionIds ?? []);
  const notBefore = input.constraints?.notBefore;
  const usable = input.sessions
    .filter((s) => !excludedSites.has(s.siteId) && !excludedSessions.has(s.id))
    .filter((s) => (notBefore === undefined || s.start >= notBefore) && s.start <= s.end);
  return sessionStandings(usable, courses, new Map(), minimumRuleOf(input)).map((standing) => ({
    ...standing,
    capacity: Math.max(0, Math.floor(standing.session.seats - standing.others)),
    shortOfMinimum: Math.max(0, standing.minimum - standing.others),
    startDay: dayOf(standing.session.start),
    endDay: dayOf(standing.session.end),
  }));
}

/**
 * Offers per chain step where some of the group's trainees could sit: the course's sessions with a seat left.
 * A session past its cutoff still needs trainees to reach its minimum, so it is out if even its free seats
 * could not get it there. The group's size does not matter: the minimum counts every pledge's trainees.
 */
function candidateOffers(group: TraineeGroup, offers: SessionOffer[]): number[][] {
  return group.courseChain.map((courseId) =>
    offers.flatMap((o, i) =>
      o.session.courseId === courseId && o.capacity > 0 && !(o.cutoffPassed && o.capacity < o.shortOfMinimum)
        ? [i]
        : [],
    ),
  );
}

/** Whether the earliest-finishing chain of sessions reaches the last step (else no trainee can finish). */
function hasChain(candidates: number[][], offers: SessionOffer[]): boolean {
  let earliestEnd = -Infinity;
  for (const ids of candidates) {
    const usable = ids.filter((i) => offers[i].startDay > earliestEnd);
    if (usable.length === 0) return false;
    earliestEnd = Math.min(...usable.map((i) => offers[i].endDay));
  }
  return true;
}

/**
 * Offers per chain step that can be part of a complete chain: a step's session must start after some
 * session of the previous step ends and end before some session of the next step starts. Trainees who
 * cannot finish the chain are worth nothing, so the other sessions would only add variables.
 */
function reachableOffers(candidates: number[][], offers: SessionOffer[]): number[][] {
  const perStep = candidates.map((ids) => [...ids]);
  let changed = true;
  while (changed) {
    changed = false;
    for (let step = 0; step < perStep.length; step++) {
      const before = perStep[step].length;
      const previous = perStep[step - 1];
      const next = perStep[step + 1];
      const earliestEnd = previous ? Math.min(...previous.map((i) => offers[i].endDay)) : -Infinity;
      const latestStart = next ? Math.max(...next.map((i) => offers[i].startDay)) : Infinity;
      perStep[step] = perStep[step].filter(
        (i) => offers[i].startDay > earliestEnd && offers[i].endDay < latestStart,
      );
      if (perStep[step].length !== before) changed = true;
    }
  }
  return perStep.map((ids) =>
    [...ids].sort(
      (a, b) => offers[a].startDay - offers[b].startDay || offers[a].endDay - offers[b].endDay || a - b,
    ),
  );
}

/**
 * Weights that make the objective lexicographic: ready by deadline (times the group's weight), then trained at all, then seats in sessions
 * that reach their minimum, then earlier. A session below its minimum may not run, so a later class that will
 * run beats an earlier one that may not, as long as the deadline holds either way.
 */
export interface ObjectiveWeights {
  /** Value of one trainee ready by the deadline, more than all lower-order terms of every trainee together. */
  ready: number;
  /** Value of one trainee who completes the chain, more than the lower-order terms of one trainee. */
  trained: number;
  /** Cost of one seat in a session below its minimum, more than the earliness of one trainee. */
  belowMinimum: number;
  /** Earliness: a trainee ready on day d of the horizon adds horizonDays - d. */
  horizonDays: number;
  firstDay: number;
}

/** Weights derived from the size of the instance (trainees, horizon, chain length). */
export function objectiveWeights(groups: TraineeGroup[], slots: Slot[]): ObjectiveWeights {
  const trainees = groups.reduce((sum, g) => sum + g.trainees, 0);
  const longestChain = Math.max(1, ...groups.map((g) => g.courseChain.length));
  // Loops rather than Math.min(...spread): large instances exceed the engine's argument limit.
  let firstDay = Infinity;
  let lastDay = -Infinity;
  for (const slot of slots) {
    firstDay = Math.min(firstDay, slot.startDay);
    lastDay = Math.max(lastDay, slot.endDay);
  }
  if (slots.length === 0) [firstDay, lastDay] = [0, 0];
  const horizonDays = lastDay - firstDay + 1;
  const belowMinimum = horizonDays + 1;
  // One trainee's lower-order terms: earliness, a seat at each step below its minimum, a seat cost per step.
  const perTrainee = horizonDays + longestChain * (belowMinimum + 1);
  const trained = perTrainee + 1;
  const ready = trainees * (trained + perTrainee) + 1;
  return { ready, trained, belowMinimum, horizonDays, firstDay };
}

function slotValues(
  groups: TraineeGroup[],
  slots: Slot[],
  deadlineDay: number[],
  w: ObjectiveWeights,
): number[] {
  return slots.map((slot) => {
    const lastStep = groups[slot.group].courseChain.length - 1;
    // Seats in earlier steps cost a little so that the MIP never trains trainees who cannot finish.
    if (slot.step !== lastStep) return -1;
    const earliness = w.horizonDays - (slot.endDay - w.firstDay);
    const onTime = slot.endDay <= deadlineDay[slot.group];
    return w.trained + earliness + (onTime ? w.ready * (groups[slot.group].weight ?? 1) : 0);
  });
}

/** Trainees of this plan per offer. */
export function traineesPerOffer(instance: SchedulingInstance, counts: ArrayLike<number>): number[] {
  const perOffer = instance.offers.map(() => 0);
  instance.slots.forEach((slot, i) => (perOffer[slot.offer] += counts[i]));
  return perOffer;
}

/** Objective value of trainee counts per slot. */
export function objectiveOf(instance: SchedulingInstance, counts: ArrayLike<number>): number {
  const slotsValue = instance.slots.reduce((sum, _slot, i) => sum + instance.value[i] * counts[i], 0);
  const belowMinimum = traineesPerOffer(instance, counts).reduce(
    (sum, trainees, offer) => sum + (trainees < instance.offers[offer].shortOfMinimum ? trainees : 0),
    0,
  );
  return slotsValue - instance.belowMinimumCost * belowMinimum;
}
