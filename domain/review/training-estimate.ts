import type { PledgeInput } from '../schemas/pledge';
import type { Course, Session, System } from '../schemas/reference';
import type { TrainingAssessment } from './review-context';

/** What the quick training estimate reads: the catalogue, courses and sessions with the seats taken. */
export interface TrainingSupply {
  catalog: ReadonlyMap<string, System>;
  courses: Course[];
  sessions: Array<Session & { seatsTaken: number }>;
}

type Group = 'crew' | 'maintainer';

/**
 * Quick estimate for the review stage of how many trainees each pledged system can have ready before its
 * delivery window opens, filling free seats greedily. The training planner does this properly.
 */
export function estimateTrainingCapacity(
  pledge: Pick<PledgeInput, 'items'>,
  supply: TrainingSupply,
): TrainingAssessment {
  const courses = new Map(supply.courses.map((c) => [c.id, c]));
  const seatsLeft = new Map(supply.sessions.map((s) => [s.id, Math.max(0, s.seats - s.seatsTaken)]));
  const sessionsByCourse = new Map<string, Session[]>();
  for (const session of [...supply.sessions].sort(byEndThenStart)) {
    sessionsByCourse.set(session.courseId, [...(sessionsByCourse.get(session.courseId) ?? []), session]);
  }

  const bySystem: TrainingAssessment['bySystem'] = {};
  // The earliest deliveries claim seats first: they have the fewest sessions to choose from.
  const items = [...pledge.items].sort((a, b) => compare(a.deliveryWindow.from, b.deliveryWindow.from));
  for (const item of items) {
    const system = supply.catalog.get(item.systemId);
    if (!system) continue;
    const tally = (bySystem[system.id] ??= { traineesNeeded: 0, traineesReadyByDeadline: 0 });
    const groups: Array<[Group, number]> = [
      ['crew', system.crewPerUnit * item.quantity],
      ['maintainer', system.maintainersPerUnit * item.quantity],
    ];
    for (const [group, trainees] of groups) {
      const chain = courseChain(system, group, courses);
      if (chain.length === 0 || trainees === 0) continue;
      tally.traineesNeeded += trainees;
      tally.traineesReadyByDeadline += fillSeats(
        chain,
        trainees,
        item.deliveryWindow.from,
        sessionsByCourse,
        seatsLeft,
      );
    }
  }
  return { bySystem };
}

/** The courses one group of a system takes, prerequisites first. */
function courseChain(system: System, group: Group, courses: Map<string, Course>): Course[] {
  const chain: Course[] = [];
  const seen = new Set<string>();
  const visit = (id: string): void => {
    const course = courses.get(id);
    if (!course || seen.has(id)) return;
    seen.add(id);
    course.prerequisiteIds.forEach(visit);
    chain.push(course);
  };
  system.courseIds.filter((id) => [group, 'all'].includes(courses.get(id)?.audience ?? '')).forEach(visit);
  return chain;
}

/**
 * Moves trainees through the chain in batches, each course in a session that starts after the previous one
 * ended (a trainee attends one course at a time) and ends before the deadline; returns how many got through.
 */
function fillSeats(
  chain: Course[],
  trainees: number,
  deadline: string,
  sessionsByCourse: Map<string, Session[]>,
  seatsLeft: Map<string, number>,
): number {
  let ready = 0;
  while (ready < trainees) {
    const path: Session[] = [];
    let after = '';
    for (const course of chain) {
      const session = (sessionsByCourse.get(course.id) ?? []).find(
        (s) => s.start > after && s.end < deadline && (seatsLeft.get(s.id) ?? 0) > 0,
      );
      if (!session) return ready;
      path.push(session);
      after = session.end;
    }
    const batch = Math.min(trainees - ready, ...path.map((s) => seatsLeft.get(s.id) ?? 0));
    for (const s of path) seatsLeft.set(s.id, (seatsLeft.get(s.id) ?? 0) - batch);
    ready += batch;
  }
  return ready;
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const byEndThenStart = (a: Session, b: Session): number =>
  compare(a.end, b.end) || compare(a.start, b.start) || compare(a.id, b.id);
