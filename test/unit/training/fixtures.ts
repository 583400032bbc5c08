import type { Course, System } from '../../../domain/schemas/reference';
import type { OfferedSession, TraineeGroup } from '../../../domain/training/types';

/** A course with permissive defaults. */
export function course(id: string, over: Partial<Course> = {}): Course {
  return {
    id,
    name: id,
    durationDays: 10,
    prerequisiteIds: [],
    minCohort: 1,
    maxCohort: 50,
    audience: 'crew',
    ...over,
  };
}

/** A session with no seats taken by other plans unless said. */
export function session(
  id: string,
  courseId: string,
  start: string,
  end: string,
  seats: number,
  over: Partial<OfferedSession> = {},
): OfferedSession {
  return { id, courseId, siteId: 'site-a', start, end, seats, seatsTaken: 0, ...over };
}

/** A trainee group. */
export function group(
  id: string,
  trainees: number,
  courseChain: string[],
  deadline: string,
  systemId = 'f-16',
): TraineeGroup {
  return { id, systemId, audience: 'crew', trainees, courseChain, deadline };
}

/** A catalogue system with defaults. */
export function system(id: string, over: Partial<System> = {}): System {
  return {
    id,
    name: id,
    family: id,
    category: 'fighter',
    coalition: 'air-force',
    origin: 'USA',
    calibers: [],
    crewPerUnit: 1,
    maintainersPerUnit: 0,
    courseIds: [],
    maintenanceBurden: 'medium',
    ...over,
  };
}
