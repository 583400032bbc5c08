import type { Course } from '../schemas/reference';
import type { OfferedSession, ScheduleInput, TraineeGroup } from './types';

/** A session this plan may use, with the seats left for it. */
export interface SessionOffer {
  session: OfferedSession;
  capacity: number;
  startDay: number;
  endDay: number;
}

/** A place where a group's trainees may take one step of their chain: (group, step, session). */
export interface Slot {
  group: number;
  step: number;
  offer: number;
  /** Smallest cohort the course allows. */
  min: number;
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
  /** Per group, the first chain step no trainee can get through (no usable session in order), or null. */
  blockedStep: Array<number | null>;
  deadlineDay: number[];
  /** Objective coefficient per slot (see objectiveWeights). */
  value: number[];
}

const msPerDay = 86_400_000;

/** Days since 1970-01-01 for a YYYY-MM-DD date. */
export function dayOf(date: string): number {
  return Math.round(Date.parse(`${date.slice(0, 10)}T00:00:00Z`) / msPerDay);
}

/** Applies replan constraints, drops sessions no trainee can use in chain order and prices every slot. */
export function prepareInstance(input: ScheduleInput): SchedulingInstance {
  const courses = new Map<string, Course>(input.courses.map((c) => [c.id, c]));
  const offers = offeredSessions(input);
  const groups = input.groups.filter((g) => g.trainees > 0);
  const slots: Slot[] = [];
  const blockedStep: Array<number | null> = [];
  const slotsOf = groups.map((group, g) => {
    const candidates = candidateOffers(group, offers, courses);
    blockedStep.push(firstBlockedStep(candidates, offers));
    const perStep = blockedStep[g] === null ? reachableOffers(candidates, offers) : candidates.map(() => []);
    return perStep.map((offerIds, step) => {
      const course = courses.get(group.courseChain[step]) as Course;
      return offerIds.map((offer) => {
        const { capacity, startDay, endDay } = offers[offer];
        const upper = Math.min(course.maxCohort, capacity, group.trainees);
        slots.push({ group: g, step, offer, min: course.minCohort, upper, startDay, endDay });
        return slots.length - 1;
      });
    });
  });
  const deadlineDay = groups.map((g) => dayOf(g.deadline));
  const value = slotValues(groups, slots, deadlineDay);
  return { groups, offers, slots, slotsOf, blockedStep, deadlineDay, value };
}

function offeredSessions(input: ScheduleInput): SessionOffer[] {
  const excludedSites = new Set(input.constraints?.excludedSiteIds ?? []);
  const excludedSessions = new Set(input.constraints?.excludedSessionIds ?? []);
  const notBefore = input.constraints?.notBefore;
  return input.sessions
    .filter((s) => !excludedSites.has(s.siteId) && !excludedSessions.has(s.id))
    .filter((s) => (notBefore === undefined || s.start >= notBefore) && s.start <= s.end)
    .map((session) => ({
      session,
      capacity: Math.max(0, Math.floor(session.seats - session.seatsTaken)),
      startDay: dayOf(session.start),
      endDay: dayOf(session.end),
    }))
    .filter((o) => o.capacity > 0);
}

/** Offers per chain step where a cohort of the group could sit at all (course, seats, cohort minimum). */
function candidateOffers(
  group: TraineeGroup,
  offers: SessionOffer[],
  courses: Map<string, Course>,
): number[][] {
  return group.courseChain.map((courseId) => {
    const course = courses.get(courseId);
    if (!course || group.trainees < course.minCohort || course.maxCohort < course.minCohort) return [];
    return offers.flatMap((o, i) =>
      o.session.courseId === courseId && o.capacity >= course.minCohort ? [i] : [],
    );
  });
}

/** The step where even the earliest-finishing chain of sessions breaks off, or null if a chain exists. */
function firstBlockedStep(candidates: number[][], offers: SessionOffer[]): number | null {
  let earliestEnd = -Infinity;
  for (const [step, ids] of candidates.entries()) {
    const usable = ids.filter((i) => offers[i].startDay > earliestEnd);
    if (usable.length === 0) return step;
    earliestEnd = Math.min(...usable.map((i) => offers[i].endDay));
  }
  return null;
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

/** Weights that make the objective lexicographic: ready by deadline, then trained at all, then earlier. */
export interface ObjectiveWeights {
  /** Value of one trainee ready by the deadline, more than all lower-order terms of every trainee together. */
  ready: number;
  /** Value of one trainee who completes the chain, more than the earliness and seat terms of one trainee. */
  trained: number;
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
  const trained = horizonDays + longestChain + 1;
  // Lower-order terms of all trainees together stay within trainees × (trained + horizon + chain seats).
  const ready = trainees * (trained + horizonDays + longestChain) + 1;
  return { ready, trained, horizonDays, firstDay };
}

function slotValues(groups: TraineeGroup[], slots: Slot[], deadlineDay: number[]): number[] {
  const w = objectiveWeights(groups, slots);
  return slots.map((slot) => {
    const lastStep = groups[slot.group].courseChain.length - 1;
    // Seats in earlier steps cost a little so that the MIP never trains trainees who cannot finish.
    if (slot.step !== lastStep) return -1;
    const earliness = w.horizonDays - (slot.endDay - w.firstDay);
    return w.trained + earliness + (slot.endDay <= deadlineDay[slot.group] ? w.ready : 0);
  });
}

/** Objective value of trainee counts per slot. */
export function objectiveOf(instance: SchedulingInstance, counts: ArrayLike<number>): number {
  return instance.slots.reduce((sum, _slot, i) => sum + instance.value[i] * counts[i], 0);
}
