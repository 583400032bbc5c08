import type { DeliveryLot } from '../domain/delivery-lots';
import type { Logger } from '../infra/logger';
import type { NotificationEvent } from '../domain/notifications';
import { applyPledgeEvent, noticesOf, type PledgeEvent } from '../domain/pledge-events';
import { isOpen, type ProjectedPledge } from '../domain/pledge-lifecycle';
import { statusHistory, type StatusChange } from '../domain/phase-targets';
import type { PledgeRecord } from '../domain/pledge-record';
import { toPledgeFields, toPledgeView, type PledgeFields } from '../domain/schemas/pledge-view';
import type { TaskSnapshot } from '../domain/tasks';
import { queueAudit } from './audit-log';
import { servedByFerretDb, updateByIdIf } from './guarded-update';
import type { Store } from './index';
import { pledgeIndexEntry, samePledgeIndexEntry } from './pledge-index';
import { pledgeRepository } from './pledges';
import type { ProjectionWriter, PutResult } from './projections';
import { reservedSeatsBySession } from './seat-ledger';
import { isDuplicateKey } from './duplicate-key';
import { tryLease } from './locks';

export interface ProjectorDeps {
  store: Store;
  views: ProjectionWriter;
  /** Hands notification events to the queue; idempotent by event id. */
  publish(events: NotificationEvent[]): Promise<void>;
  /** Asks for queued audit entries to be linked soon. */
  linkAudit(): void;
  /** The Redis projections are missing (Redis lost its data): have them rebuilt from the record. */
  projectionsAbsent(): void;
  logger: Logger;
}

/** A pledge as the in-memory views hold it: its fields, what free text matches, and its status transitions. */
export type PledgeListEntry = PledgeFields & {
  searchText: string;
  statusHistory: StatusChange[];
  /** Its delivery lots (none before approval): the logistics views read them across pledges. */
  lots: DeliveryLot[];
};

export const pledgeListEntry = (record: PledgeRecord): PledgeListEntry => ({
  ...toPledgeFields(record),
  searchText: record.searchText,
  statusHistory: statusHistory(record.timeline),
  lots: record.deliveries ?? [],
});

/** Thrown when a projection attempt would write after its time: the attempt that replaces it writes instead. */
export class ProjectionDeadlinePassed extends Error {
  constructor(pledgeId: string) {
    super(`projection of pledge ${pledgeId} ran past its deadline; its retry will write it`);
    this.name = 'ProjectionDeadlinePassed';
    Object.setPrototypeOf(this, ProjectionDeadlinePassed.prototype);
  }
}

const MAX_CONCURRENT_WRITE_RETRIES = 5;
/** How long a pledge's write lease is held at most when its attempt has no deadline of its own. */
const PLEDGE_LEASE_MS = 20_000;
/**
 * Past the attempt's deadline its lease lasts this much longer, for a write already on its way: under load a write
 * queued behind FerretDB's one writer took longer than 5 s, the next projection of the pledge took the lapsed lease,
 * and the late write replaced its record (a delivery milestone lost from the timeline in a crash drive).
 */
const PLEDGE_LEASE_MARGIN_MS = 30_000;

/**
 * The one writer of the pledge record and the read side. Each pledge event becomes every write it implies, in an
 * order that makes a retry safe: the audit entries and notifications are queued first (both idempotent by event
 * id), then the record (the events join its timeline, so an applied event is never applied again), then its
 * index entry and the Redis projections (version-guarded, so always safe to write again).
 */
export function createProjector(deps: ProjectorDeps) {
  const { store, views, logger } = deps;
  const pledges = pledgeRepository(store.Pledge);

  const putViews = async (
    kind: Parameters<ProjectionWriter['put']>[0],
    docs: Parameters<ProjectionWriter['put']>[1],
  ) => {
    const results: PutResult[] = await views.put(kind, docs);
    if (results.includes('absent')) deps.projectionsAbsent();
  };

  /** Replaces the record; on MongoDB only if nobody wrote it since it was read (one atomic update). */
  const replace = async (before: PledgeRecord, after: PledgeRecord): Promise<boolean> => {
    // FerretDB reads any filter but `{_id}` by decoding the collection, and its updates read then write anyway;
    // there a pledge has one writer at a time: the projection holds the pledge's lease (leasePledge).
    const guarded = !(await servedByFerretDb(store.connection));
    return pledges.replace(after, guarded ? before.version : null);
  };

  /**
   * An upsert is not atomic on FerretDB (and may race on MongoDB): when an overlapping attempt for the same pledge
   * inserted the entry first, ours replaces it instead of failing the whole projection.
   */
  const upsertIndexEntry = async (pledgeId: string, entry: ReturnType<typeof pledgeIndexEntry>) => {
    try {
      await store.PledgeIndex.replaceOne({ _id: pledgeId }, entry, { upsert: true });
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      await store.PledgeIndex.replaceOne({ _id: pledgeId }, entry);
    }
  };

  /**
   * On FerretDB, where a write cannot be guarded by the record's version, one projection of a pledge at a time:
   * after approval its training and its deliveries record events concurrently. The lease is taken by a unique
   * insert (atomic there) and lapses by itself if its holder dies.
   */
  const leasePledge = async (pledgeId: string, deadline: number | undefined) => {
    if (!(await servedByFerretDb(store.connection))) return null;
    const giveUpAt = deadline ?? Date.now() + PLEDGE_LEASE_MS;
    for (let round = 0; ; round++) {
      const ttl = Math.max(giveUpAt - Date.now(), 1_000) + PLEDGE_LEASE_MARGIN_MS;
      const release = await tryLease(store.Lock, `pledge:${pledgeId}`, ttl);
      if (release) return release;
      if (Date.now() > giveUpAt) throw new ProjectionDeadlinePassed(pledgeId);
      await new Promise((r) => setTimeout(r, Math.min(10 * 2 ** round, 200) * (0.5 + Math.random())));
    }
  };

  /** The events applied to the pledge's record, and every write they imply (see projectPledge). */
  const applyAndProject = async (
    pledgeId: string,
    events: PledgeEvent[],
    deadline: number | undefined,
  ): Promise<ProjectedPledge> => {
    for (let attempt = 0; ; attempt++) {
      const before = await pledges.byId(pledgeId);
      let record: PledgeRecord | null = before;
      const applied: Array<{ event: PledgeEvent; record: PledgeRecord; moved: boolean }> = [];
      const refused: string[] = [];
      for (const event of events) {
        const result = applyPledgeEvent(record, event);
        if (result.applied) {
          record = result.record;
          applied.push({ event, record: result.record, moved: result.moved });
        } else if (result.reason !== 'duplicate') {
          refused.push(event.id);
          logger.warn(
            {
              pledgeId,
              eventId: event.id,
              type: event.type,
              status: record?.status ?? null,
              reason: result.reason,
            },
            'event refused by the state machine',
          );
        }
      }
      if (!record)
        throw new Error(
          `pledge ${pledgeId} has no record to apply ${events.map((e) => e.type).join(', ')} to`,
        );
      if (applied.length) {
        await queueAudit(
          store,
          applied.map(({ event, record: after, moved }) => ({
            eventId: event.id,
            actor: event.actor,
            action: event.type,
            pledgeId,
            at: event.at,
            detail: {
              ...(moved ? { status: after.status } : {}),
              ...after.timeline[after.timeline.length - 1].detail,
            },
          })),
        );
        await deps.publish(applied.flatMap(({ event, record: after }) => noticesOf(event, after)));
        if (deadline !== undefined && Date.now() > deadline) throw new ProjectionDeadlinePassed(pledgeId);
        const written = before ? await replace(before, record) : await pledges.insert(record);
        if (!written) {
          if (attempt >= MAX_CONCURRENT_WRITE_RETRIES)
            throw new Error(`pledge ${pledgeId} kept changing while it was projected`);
          continue;
        }
        deps.linkAudit();
      }
      const entry = pledgeIndexEntry(record);
      const indexChanged =
        !before || !applied.length || !samePledgeIndexEntry(pledgeIndexEntry(before), entry);
      if (indexChanged) {
        await upsertIndexEntry(pledgeId, entry);
        await views.openPledge(pledgeId, record.donor, isOpen(record.status) ? record.items : null);
      }
      await putViews('pledge', [
        {
          id: pledgeId,
          version: record.version,
          doc: toPledgeView(record),
          summary: pledgeListEntry(record),
        },
      ]);
      return {
        pledgeId,
        status: record.status,
        stage: record.stage,
        title: record.title,
        coalitions: record.coalitions ?? [],
        version: record.version,
        refused,
      };
    }
  };

  return {
    /** Hands notification events to the queue (idempotent by event id). */
    publish: (events: NotificationEvent[]) => deps.publish(events),

    /**
     * Applies a pledge's events (in order) to its record and projects the result. `deadline` (epoch ms) is when
     * this attempt must stop writing: an activity attempt that outlives its timeout must not overwrite its retry.
     */
    async projectPledge(
      events: PledgeEvent[],
      { deadline }: { deadline?: number } = {},
    ): Promise<ProjectedPledge> {
      const pledgeId = events[0]?.pledgeId;
      if (!pledgeId || events.some((e) => e.pledgeId !== pledgeId))
        throw new RangeError('one projection holds the events of one pledge');
      const release = await leasePledge(pledgeId, deadline);
      try {
        return await applyAndProject(pledgeId, events, deadline);
      } finally {
        // A lease that cannot be given back (the database went away) lapses by itself.
        await release?.().catch(() => undefined);
      }
    },

    /**
     * A task's new state from its workflow: notifications, the task record (`rev` orders the writes, so a late
     * retry never overwrites a newer state) and its projection.
     */
    async projectTask(task: TaskSnapshot, rev: number, notices: NotificationEvent[] = []): Promise<void> {
      await deps.publish(notices);
      const { id, ...fields } = task;
      const newer = {
        filter: { rev: { $lt: rev } },
        holds: (doc: { rev?: number }) => (doc.rev ?? 0) < rev,
        projection: { rev: 1 as const },
      };
      if (!(await updateByIdIf(store.Task, id, newer, { $set: { ...fields, rev } }))) {
        try {
          await store.Task.create({ _id: id, ...fields, rev });
        } catch (err) {
          // Already there with a newer (or equal) revision: nothing to do.
          if (!isDuplicateKey(err)) throw err;
        }
      }
      await putViews('task', [{ id, version: rev, doc: task }]);
    },

    /** Reference data changed (seeding, an admin edit): caches of it in every process are dropped. */
    referenceChanged: (what: string) => views.notice('reference', what),

    /** An agreement changed outside the API (a year marked as alerted): API processes drop the agreements they hold. */
    agreementChanged: (id: string) => views.notice('agreement', id),

    /** Seats reserved in these sessions, counted from the seat ledger, for the session views. */
    async projectSessionSeats(sessionIds: string[]): Promise<void> {
      if (!sessionIds.length) return;
      const unique = [...new Set(sessionIds)];
      const countedAt = Date.now();
      const reserved = await reservedSeatsBySession(store, { sessionId: { $in: unique } });
      await putViews(
        'session',
        unique.map((id) => ({ id, version: countedAt, doc: { id, seatsReserved: reserved.get(id) ?? 0 } })),
      );
    },
  };
}

export type Projector = ReturnType<typeof createProjector>;
