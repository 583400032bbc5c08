import type { Course, Session } from '../schemas/reference';

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
}

/** A session as offered to this plan: seats that other plans already hold are subtracted. */
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

export type UnmetReason = 'no_capacity_before_deadline' | 'no_capacity';

export interface UnmetTraining {
  groupId: string;
  systemId: string;
  /** The course where trainees drop out; null when the whole chain is done, but only after the deadline. */
  courseId: string | null;
  trainees: number;
  reason: UnmetReason;
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
  traineesNeeded: number;
  traineesReadyByDeadline: number;
  solver: SolverReport;
}
