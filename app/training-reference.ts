import { DomainFailure, invalidInput } from '../domain/failures';
import type { Principal } from '../domain/permissions';
import type { Course, Session, Site } from '../domain/schemas/reference';
import { prerequisiteCycle } from '../domain/training/prerequisites';
import type { SeatChange } from '../store/seat-ledger';
import { storeAndRecord, type ReferenceChangeLog } from './reference-change-log';

/** The training reference data as its administration reads and writes it. */
export interface TrainingReferenceRepository {
  /** Each stored course's prerequisite ids, by course id. */
  coursePrerequisites(): Promise<Map<string, string[]>>;
  /** Creates or replaces the course. */
  putCourse(course: Course): Promise<void>;
  /** Creates or replaces the site. */
  putSite(site: Site): Promise<void>;
  courseExists(id: string): Promise<boolean>;
  siteExists(id: string): Promise<boolean>;
  session(id: string): Promise<Session | null>;
  /** Stores a new session with all its seats free; false when a session of its id exists already. */
  insertSession(session: Session): Promise<boolean>;
  /** Changes the session's number of seats; refused, naming them, when seats that would go are held. */
  resizeSession(id: string, from: number, to: number): Promise<SeatChange>;
  /** Sets the session's course, site and dates (its seats change through `resizeSession`). */
  moveSession(session: Session): Promise<void>;
  /** Removes the session; refused, naming them, when any of its seats is held. */
  removeSession(id: string, seats: number): Promise<SeatChange>;
  /** The session's reserved seats. */
  reservedSeats(sessionId: string): Promise<number>;
}

export interface TrainingReferencePorts {
  reference: TrainingReferenceRepository;
  /** Every change is audited, and processes drop the reference data they hold. */
  changes: ReferenceChangeLog;
  /** Counts the sessions' reserved seats again for the session views. */
  seatViews: { projectSessionSeats(sessionIds: string[]): Promise<void> };
}

/** A session with its seats as the ledger counts them after the change. */
export type SessionSeats = Session & { seatsReserved: number; seatsLeft: number };

/** What a session with reserved seats keeps: its trainees were planned for this course, site and dates. */
const SESSION_TERMS = ['courseId', 'siteId', 'start', 'end'] as const;

/**
 * Creates or replaces a course. Its prerequisites must be known courses (or itself, which the cycle check then
 * refuses) and must not close a cycle, else no trainee could ever start it: both `invalid`, naming
 * `prerequisiteIds`.
 */
export async function saveCourse(
  ports: TrainingReferencePorts,
  principal: Principal,
  course: Course,
): Promise<Course> {
  const prerequisites = await ports.reference.coursePrerequisites();
  const unknown = course.prerequisiteIds.filter((id) => !prerequisites.has(id) && id !== course.id);
  if (unknown.length)
    throw invalidInput([{ path: 'prerequisiteIds', message: `unknown course ${unknown.join(', ')}` }]);
  prerequisites.set(course.id, course.prerequisiteIds);
  const cycle = prerequisiteCycle(prerequisites);
  if (cycle)
    throw invalidInput([{ path: 'prerequisiteIds', message: `prerequisite cycle ${cycle.join(' -> ')}` }]);
  return storeAndRecord(ports.changes, principal, 'training.course.saved', course, (c) =>
    ports.reference.putCourse(c),
  );
}

/** Creates or replaces a training site. */
export const saveSite = (ports: TrainingReferencePorts, principal: Principal, site: Site): Promise<Site> =>
  storeAndRecord(ports.changes, principal, 'training.site.saved', site, (s) => ports.reference.putSite(s));

/**
 * Creates a session, or changes one. Refuses as `invalid` an unknown course or site (naming `courseId` or
 * `siteId`); as `conflict` a change of course, site or dates while seats are reserved, seats that would drop
 * below those held, or a creation that lost a race with another.
 */
export async function saveSession(
  ports: TrainingReferencePorts,
  principal: Principal,
  session: Session,
): Promise<SessionSeats> {
  const { reference } = ports;
  const [course, site] = await Promise.all([
    reference.courseExists(session.courseId),
    reference.siteExists(session.siteId),
  ]);
  if (!course) throw invalidInput([{ path: 'courseId', message: `unknown course ${session.courseId}` }]);
  if (!site) throw invalidInput([{ path: 'siteId', message: `unknown site ${session.siteId}` }]);
  const current = await reference.session(session.id);
  if (!current) {
    if (!(await reference.insertSession(session)))
      throw new DomainFailure('conflict', `session ${session.id} was created concurrently; retry`);
  } else {
    await changeSession(reference, current, session);
  }
  await ports.seatViews.projectSessionSeats([session.id]);
  await ports.changes.record(
    principal.username,
    current ? 'training.session.changed' : 'training.session.created',
    {
      ...session,
      ...(current ? { previous: { seats: current.seats, start: current.start, end: current.end } } : {}),
    },
  );
  const reserved = await reference.reservedSeats(session.id);
  return { ...session, seatsReserved: reserved, seatsLeft: Math.max(0, session.seats - reserved) };
}

async function changeSession(reference: TrainingReferenceRepository, current: Session, next: Session) {
  const reserved = await reference.reservedSeats(current.id);
  const moved = SESSION_TERMS.filter((k) => current[k] !== next[k]);
  if (reserved > 0 && moved.length) {
    throw new DomainFailure(
      'conflict',
      `session ${current.id} has ${reserved} seats reserved; its ${moved.join(', ')} cannot change`,
    );
  }
  const change = await reference.resizeSession(current.id, current.seats, next.seats);
  if (!change.ok) {
    throw new DomainFailure(
      'conflict',
      `seats ${change.heldSeatNos.join(', ')} of session ${current.id} are held; it cannot shrink to ${next.seats}`,
    );
  }
  await reference.moveSession(next);
}

/** Removes a session none of whose seats is reserved; refuses as `not_found` or `conflict` (seats are held). */
export async function removeSession(
  ports: TrainingReferencePorts,
  principal: Principal,
  id: string,
): Promise<void> {
  const current = await ports.reference.session(id);
  if (!current) throw new DomainFailure('not_found', `session ${id} not found`);
  const removed = await ports.reference.removeSession(id, current.seats);
  if (!removed.ok) {
    throw new DomainFailure(
      'conflict',
      `session ${id} holds reserved seats (${removed.heldSeatNos.join(', ')}); it cannot be removed`,
    );
  }
  await ports.seatViews.projectSessionSeats([id]);
  await ports.changes.record(principal.username, 'training.session.removed', { id });
}
