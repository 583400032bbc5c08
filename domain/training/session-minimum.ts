import type { Course, Session } from '../schemas/reference';
import { addDays } from './dates';
import type { SessionBelowMinimum } from '../schemas/training-shortfall';
import type { OfferedSession } from './types';

/** Days before a session starts by which it must reach its minimum cohort, unless the task policy says otherwise. */
export const defaultSessionMinimumCutoffDays = 21;

/** The date (YYYY-MM-DD) by which a session starting on `start` must reach its minimum. */
export const cutoffOf = (start: string, cutoffDays: number): string => addDays(start, -cutoffDays);

/**
 * A session as one plan sees it: what other plans hold, what this plan puts in it, and its minimum. The minimum
 * counts every trainee in the session, whichever pledge they come from.
 */
export interface SessionStanding {
  session: OfferedSession;
  /** Seats other plans hold (they count toward the minimum). */
  others: number;
  /** This plan's trainees in the session. */
  planned: number;
  minimum: number;
  /** Largest cohort one trainee group may have in the session (the course's maximum). */
  maxCohort: number;
  cutoff: string;
  /** Today is after the cutoff: a session still below its minimum takes nobody who would leave it there. */
  cutoffPassed: boolean;
}

/** When and how the session minimum applies to a plan. */
export interface SessionMinimumRule {
  cutoffDays: number;
  /** Today (YYYY-MM-DD); without it no cutoff has passed. */
  today?: string;
}

/** Each session's standing with this plan's trainees (`planned`, by session id) in it; unknown courses are left out. */
export function sessionStandings(
  sessions: OfferedSession[],
  courses: ReadonlyMap<string, Course>,
  planned: ReadonlyMap<string, number>,
  rule: SessionMinimumRule,
): SessionStanding[] {
  return sessions.flatMap((session) => {
    const course = courses.get(session.courseId);
    if (!course) return [];
    const cutoff = cutoffOf(session.start, rule.cutoffDays);
    return [
      {
        session,
        others: Math.max(0, session.seatsTaken),
        planned: planned.get(session.id) ?? 0,
        minimum: course.minCohort,
        maxCohort: course.maxCohort,
        cutoff,
        cutoffPassed: rule.today !== undefined && rule.today > cutoff,
      },
    ];
  });
}

/** Seats still free in the session after this plan. */
export const freeSeats = (s: SessionStanding): number => Math.max(0, s.session.seats - s.others - s.planned);

/** The sessions this plan uses that stay below their minimum with every reservation counted. */
export function sessionsBelowMinimum(standings: SessionStanding[]): SessionBelowMinimum[] {
  return standings
    .filter((s) => s.planned > 0 && s.others + s.planned < s.minimum)
    .map((s) => ({
      sessionId: s.session.id,
      courseId: s.session.courseId,
      start: s.session.start,
      reserved: s.others,
      planned: s.planned,
      minimum: s.minimum,
      cutoff: s.cutoff,
    }))
    .sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : a.sessionId < b.sessionId ? -1 : 1));
}

/** A session that reached its cutoff below its minimum: its reservations move, or the session would run short. */
export interface SessionShortAtCutoff {
  sessionId: string;
  courseId: string;
  start: string;
  cutoff: string;
  reserved: number;
  minimum: number;
}

/**
 * Sessions past their cutoff and not yet started that hold some reservations but fewer than their course's
 * minimum, fewest reservations first: moving those trainees first lets a later move top up a session with more
 * (the planner puts trainees into a session past its cutoff only when that brings it to its minimum: a merge).
 */
export function sessionsShortAtCutoff(
  sessions: ReadonlyArray<Pick<Session, 'id' | 'courseId' | 'start'>>,
  reserved: ReadonlyMap<string, number>,
  courses: ReadonlyMap<string, Pick<Course, 'minCohort'>>,
  rule: Required<SessionMinimumRule>,
): SessionShortAtCutoff[] {
  return sessions
    .flatMap((s) => {
      const course = courses.get(s.courseId);
      const held = reserved.get(s.id) ?? 0;
      const cutoff = cutoffOf(s.start, rule.cutoffDays);
      if (!course || held === 0 || held >= course.minCohort) return [];
      if (!(rule.today > cutoff && rule.today < s.start)) return [];
      return [
        {
          sessionId: s.id,
          courseId: s.courseId,
          start: s.start,
          cutoff,
          reserved: held,
          minimum: course.minCohort,
        },
      ];
    })
    .sort((a, b) => a.reserved - b.reserved || (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
}
