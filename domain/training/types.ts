import type { Course, Session } from '../schemas/reference';
import type { SessionBelowMinimum, UnmetTraining } from '../schemas/training-shortfall';

export type { SessionBelowMinimum, UnmetReason, UnmetTraining } from '../schemas/training-shortfall';

export type TraineeAudience = 'crew' | 'maintainer';

/** Trainees of one system and audience who must finish the same course chain by the same date. */
export interface TraineeGroup {
  id: string;
  systemId: string;
  audience: TraineeAudience;
  trainees: number;
  /** Prerequisites first, topologically ordered; a trainee takes the courses in this order. */
  courseChain: string[];
  /** The delivery window's start of the items behind this group (YYYY-MM-DD). */
  deadline: string;
  /**
   * How much one of its trainees ready by the deadline counts against another group's (1 when absent): the
   * portfolio weighs groups by the priority of Ukraine's requirement their system serves.
   */
  weight?: number;
}

/**
 * A session as offered to this plan, with the seats other plans already hold: they are not free, and they
 * count toward the course's minimum cohort, which applies to the session as a whole.
 */
export type OfferedSession = Session & { seatsTaken: number };

export interface ReplanConstraints {
  excludedSiteIds?: string[];
  excludedSessionIds?: string[];
  /** Sessions starting before this date (YYYY-MM-DD) cannot be used. */
  notBefore?: string;
}

export interface ScheduleInput {
  groups: TraineeGroup[];
  courses: Course[];
  sessions: OfferedSession[];
  constraints?: ReplanConstraints;
  /** Today (YYYY-MM-DD), to tell the sessions past their minimum cutoff; without it none is. */
  today?: string;
  /** A session must reach its minimum this many days before it starts (the task policy; 21 by default). */
  sessionMinimumCutoffDays?: number;
  timeLimitSeconds?: number;
  maxMipVariables?: number;
}

/** This plan's trainees of one group in one session. */
export interface Cohort {
  id: string;
  groupId: string;
  systemId: string;
  courseId: string;
  sessionId: string;
  siteId: string;
  trainees: number;
  start: string;
  end: string;
}

export interface SolverReport {
  method: 'mip' | 'greedy';
  status: string;
  objective: number;
  bound: number | null;
  gap: number | null;
  timeMs: number;
}

export interface TrainingPlan {
  cohorts: Cohort[];
  /** Per system: the date its last trainee is ready, or null when some of its trainees cannot be trained. */
  readyBy: Record<string, string | null>;
  unmet: UnmetTraining[];
  /** Sessions of the plan that stay below their minimum with every pledge's trainees counted. */
  sessionsBelowMinimum: SessionBelowMinimum[];
  traineesNeeded: number;
  traineesReadyByDeadline: number;
  solver: SolverReport;
}
