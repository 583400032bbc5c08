import type { Job } from 'bullmq';
import { cohortEventSender } from '../app/pledge-workflows';
import { DomainFailure } from '../domain/failures';
import type { NotificationEvent } from '../domain/notifications';
import type { Actor } from '../domain/tasks';
import { sessionsShortAtCutoff, type SessionShortAtCutoff } from '../domain/training/session-minimum';
import type { Config } from '../infra/config';
import type { Logger } from '../infra/logger';
import { connectTemporal, type Temporal } from '../infra/temporal';
import type { Store } from '../store';
import { pledgeRepository } from '../store/pledges';
import { currentSessionMinimumCutoffDays } from '../store/policies';
import { referenceReader } from '../store/reference-reader';
import { reservedSeatsBySession, seatHoldersOf } from '../store/seat-ledger';
import { notificationPublisher } from './notification-publisher';
import type { Queues } from './queues';

/** How often the jobs worker looks for sessions that reached their cutoff below their minimum. */
export const SESSION_MINIMUM_CHECK_EVERY_MS = 6 * 60 * 60 * 1000;
export const SESSION_MINIMUM_CHECK_SCHEDULER = 'session-minimum-watch';

/** A check's data: `asOf` (YYYY-MM-DD) stands in for today (tests, or a check of a past day). */
export interface SessionMinimumCheckData {
  asOf?: string;
}

export interface SessionMinimumCheckOutcome {
  sessions: Array<SessionShortAtCutoff & { moved: string[]; notMoved: string[] }>;
}

/** The engine itself cancels a cohort at the cutoff: its timeline says so, and why. */
const engine: Actor = { username: 'system', roles: ['training_coordinator'], nation: null };

/** The flag that tells trainers; its id makes publishing it again (a repeated check) a no-op. */
const shortEvent = (s: SessionShortAtCutoff, moved: number, at: string): NotificationEvent => ({
  id: `session:${s.sessionId}:short-at-cutoff`,
  type: 'training.session_short',
  title: `Session ${s.sessionId} (${s.courseId}, starting ${s.start}) stays below its minimum at its cutoff`,
  body:
    `${s.reserved} of the ${s.minimum} trainees it needs were reserved by ${s.cutoff}. ` +
    `Its ${moved} cohort${moved === 1 ? '' : 's'} move to later sessions (or join another session that then ` +
    'reaches its minimum); each pledge’s timeline and plan show where.',
  pledgeId: null,
  taskId: null,
  recipients: { roles: ['training_coordinator', 'staff_officer'] },
  at,
});

/**
 * Sessions that reached their cutoff below their minimum will not run as planned. Their trainees are never
 * dropped silently: trainers are told, and each reserved cohort in such a session is reported failed by the
 * engine, which has its pledge's training workflow give its seats back and plan its trainees into later
 * sessions, exactly as when a site cancels a course.
 */
export function createSessionMinimumProcessor(deps: {
  config: Config;
  store: Store;
  queues: Pick<Queues, 'notifications'>;
  logger: Logger;
  temporal?: Temporal;
}) {
  const { store, logger } = deps;
  const publish = notificationPublisher(deps.queues);
  const reference = referenceReader(store);
  let temporal: Promise<Temporal> | undefined = deps.temporal ? Promise.resolve(deps.temporal) : undefined;
  const temporalClient = () => {
    temporal ??= connectTemporal(deps.config).catch((err: unknown) => {
      temporal = undefined;
      throw err;
    });
    return temporal;
  };

  /** Reports one cohort failed at the cutoff; false when its pledge already moved on (withdrawn, replanned). */
  async function cancelCohort(cohortId: string, pledgeId: string, s: SessionShortAtCutoff, at: string) {
    const pledge = await pledgeRepository(store.Pledge).cohortOwner(cohortId);
    if (!pledge) return false;
    const reason =
      `session ${s.sessionId} stayed below its minimum at its cutoff ${s.cutoff} ` +
      `(${s.reserved} of ${s.minimum} reserved); its trainees move to a later session`;
    try {
      await cohortEventSender(await temporalClient())(pledge, {
        cohortId,
        type: 'failed',
        at,
        actor: engine,
        reason,
      });
      return true;
    } catch (err) {
      // Refused by the workflow: the cohort is no longer reserved (a repeated check, or the pledge moved on).
      if (err instanceof DomainFailure && (err.kind === 'conflict' || err.kind === 'not_found')) {
        logger.info({ cohortId, pledgeId, err: err.message }, 'cohort not moved at cutoff');
        return false;
      }
      throw err;
    }
  }

  const processor = async (job: Job<SessionMinimumCheckData>): Promise<SessionMinimumCheckOutcome> => {
    const at = job.data?.asOf ? new Date(`${job.data.asOf}T00:00:00Z`) : new Date();
    if (Number.isNaN(at.getTime())) throw new RangeError(`asOf is not a date: ${job.data?.asOf}`);
    const today = at.toISOString().slice(0, 10);
    const [sessions, courses, cutoffDays] = await Promise.all([
      reference.sessions(),
      reference.courses(),
      currentSessionMinimumCutoffDays(store.Policy),
    ]);
    const courseById = new Map(courses.map((c) => [c.id, c]));
    const outcome: SessionMinimumCheckOutcome = { sessions: [] };
    // One at a time, re-reading the ledger: a session that took cohorts moved from another may now be full enough.
    for (;;) {
      const reserved = await reservedSeatsBySession(store);
      const done = new Set(outcome.sessions.map((s) => s.sessionId));
      const next = sessionsShortAtCutoff(sessions, reserved, courseById, { cutoffDays, today }).find(
        (s) => !done.has(s.sessionId),
      );
      if (!next) break;
      // FerretDB has no $first accumulator: the seats of one session are few, so they are grouped here.
      const seats = await seatHoldersOf(store, next.sessionId);
      const cohorts = [...new Map(seats.map((seat) => [seat.cohortId, seat.pledgeId]))].map(
        ([cohortId, pledgeId]) => ({ _id: cohortId, pledgeId }),
      );
      const moved: string[] = [];
      const notMoved: string[] = [];
      for (const cohort of cohorts.sort((a, b) => (a._id < b._id ? -1 : 1)))
        ((await cancelCohort(cohort._id, cohort.pledgeId, next, at.toISOString())) ? moved : notMoved).push(
          cohort._id,
        );
      await publish([shortEvent(next, moved.length, at.toISOString())]);
      logger.info({ ...next, moved, notMoved }, 'session below its minimum at its cutoff');
      outcome.sessions.push({ ...next, moved, notMoved });
    }
    return outcome;
  };
  return Object.assign(processor, {
    async close() {
      if (!deps.temporal && temporal) await (await temporal.catch(() => undefined))?.close();
    },
  });
}
