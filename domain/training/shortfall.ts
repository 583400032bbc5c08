import type { UnmetTraining } from '../schemas/training-shortfall';
import { addDays } from './dates';
import { freeSeats, type SessionStanding } from './session-minimum';
import type { TraineeGroup } from './types';

/**
 * The session could take one more of these trainees: a seat is free, their group's cohort in it (`mine`) is
 * below the course's maximum, and past its cutoff they would bring it to its minimum.
 */
function takesMore(s: SessionStanding, trainees: number, mine: number): boolean {
  const room = Math.min(freeSeats(s), s.maxCohort - mine);
  if (room <= 0) return false;
  return !s.cutoffPassed || s.others + s.planned + Math.min(room, trainees) >= s.minimum;
}

const stillBelowAtCutoff = (s: SessionStanding): boolean =>
  s.cutoffPassed && freeSeats(s) > 0 && s.others + s.planned < s.minimum;

type Who = { groupId: string; systemId: string; trainees: number };

/** Where the short trainees stand: the chain step they need next, and since when they could take it. */
export interface Shortfall {
  step: number;
  earliestStart?: string;
  /** The group's own trainees per session in the plan: a group's cohort is capped at the course's maximum. */
  groupPlanned?: ReadonlyMap<string, number>;
}

/** Where one more trainee's chain breaks (null when it does not), and the sessions past their cutoff it used. */
interface Walk {
  broken: UnmetTraining | null;
  pastCutoff: SessionStanding[];
  tightest: { courseId: string; sessions: SessionStanding[]; free: number } | null;
}

/**
 * Follows one more trainee along the earliest-finishing chain of sessions that could take them. With
 * `ignoreCutoff`, sessions past their cutoff below their minimum count as open too: whether they alone stood
 * in the way.
 */
function walk(
  group: TraineeGroup,
  who: Who,
  standings: SessionStanding[],
  from: Shortfall,
  ignoreCutoff: boolean,
): Walk {
  const mine = (s: SessionStanding) => from.groupPlanned?.get(s.session.id) ?? 0;
  let earliestStart = from.earliestStart;
  const pastCutoff: SessionStanding[] = [];
  let tightest: Walk['tightest'] = null;
  const result = (broken: UnmetTraining | null): Walk => ({ broken, pastCutoff, tightest });
  for (let step = from.step; step < group.courseChain.length; step++) {
    const courseId = group.courseChain[step];
    const ofCourse = standings
      .filter((s) => s.session.courseId === courseId)
      .sort((a, b) => compare(a.session.start, b.session.start) || compare(a.session.id, b.session.id));
    const timely = ofCourse.filter((s) => earliestStart === undefined || s.session.start >= earliestStart);
    if (timely.length === 0) {
      if (step > 0 && ofCourse.length > 0 && earliestStart !== undefined) {
        return result({
          reason: 'prerequisite_too_late',
          ...who,
          courseId,
          prerequisiteId: group.courseChain[step - 1],
          earliestStart,
          lastSessionStart: ofCourse[ofCourse.length - 1].session.start,
        });
      }
      return result({ reason: 'no_seats', ...who, courseId, sessions: [] });
    }
    const open = timely.filter(
      (s) => takesMore(s, who.trainees, mine(s)) || (ignoreCutoff && stillBelowAtCutoff(s)),
    );
    if (open.length === 0) {
      const atCutoff = timely.filter(stillBelowAtCutoff);
      return result(
        atCutoff.length > 0 ? belowAtCutoff(who, courseId, atCutoff) : noSeats(who, courseId, timely),
      );
    }
    const free = open.reduce((n, s) => n + freeSeats(s), 0);
    if (!tightest || free < tightest.free) tightest = { courseId, sessions: timely, free };
    const first = [...open].sort((a, b) => compare(a.session.end, b.session.end))[0];
    if (!takesMore(first, who.trainees, mine(first))) pastCutoff.push(first);
    earliestStart = addDays(first.session.end, 1);
  }
  return result(null);
}

/**
 * Why `trainees` of the group cannot get through its chain from step `from.step`, starting no earlier than
 * `from.earliestStart`, with the sessions as the plan leaves them. Follows one more trainee along the
 * earliest-finishing chain of sessions that could take them, and names the first course where that breaks:
 * every session starts before the prerequisite can be done, or is full, or is past its cutoff below its
 * minimum. When only sessions past their cutoff stand in the way (taking them would let the chain through),
 * those are named. When some chain could still take one (a heuristic plan left it unused), the course with
 * the fewest free seats is named.
 */
export function explainShortfall(
  group: TraineeGroup,
  trainees: number,
  standings: SessionStanding[],
  from: Shortfall,
): UnmetTraining {
  const who = { groupId: group.id, systemId: group.systemId, trainees };
  const strict = walk(group, who, standings, from, false);
  if (strict.broken) {
    if (strict.broken.reason === 'below_session_minimum_at_cutoff') return strict.broken;
    const relaxed = walk(group, who, standings, from, true);
    return relaxed.broken === null && relaxed.pastCutoff.length > 0
      ? belowAtCutoff(who, relaxed.pastCutoff[0].session.courseId, relaxed.pastCutoff)
      : strict.broken;
  }
  return strict.tightest
    ? noSeats(who, strict.tightest.courseId, strict.tightest.sessions)
    : { reason: 'no_seats', ...who, courseId: group.courseChain[from.step] ?? '', sessions: [] };
}

function belowAtCutoff(who: Who, courseId: string, sessions: SessionStanding[]): UnmetTraining {
  return {
    reason: 'below_session_minimum_at_cutoff',
    ...who,
    courseId,
    sessions: sessions.map((s) => ({
      sessionId: s.session.id,
      start: s.session.start,
      reserved: s.others + s.planned,
      minimum: s.minimum,
      cutoff: s.cutoff,
    })),
  };
}

function noSeats(who: Who, courseId: string, sessions: SessionStanding[]): UnmetTraining {
  return {
    reason: 'no_seats',
    ...who,
    courseId,
    sessions: sessions.map((s) => ({
      sessionId: s.session.id,
      start: s.session.start,
      free: Math.max(0, s.session.seats - s.others),
      planned: s.planned,
    })),
  };
}

/** The group's trainees who finish the chain only after its deadline, from its final-course cohorts; or null. */
export function lateness(
  group: TraineeGroup,
  finalCohorts: Array<{ end: string; trainees: number }>,
): UnmetTraining | null {
  const late = finalCohorts.filter((c) => c.trainees > 0 && c.end > group.deadline);
  if (late.length === 0) return null;
  return {
    reason: 'after_deadline',
    groupId: group.id,
    systemId: group.systemId,
    trainees: late.reduce((n, c) => n + c.trainees, 0),
    courseId: group.courseChain[group.courseChain.length - 1],
    earliestReady: late.map((c) => c.end).sort()[0],
    deadline: group.deadline,
  };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
