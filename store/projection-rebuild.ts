import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from '../infra/logger';
import { isOpen } from '../domain/pledge-lifecycle';
import { toPledgeView } from '../domain/schemas/pledge-view';
import type { Store } from './index';
import { pledgeListEntry } from './projector';
import {
  PROJECTION_LAYOUT,
  ProjectionKinds,
  STREAM_LENGTH,
  projectionKeys,
  projectionWriter,
  readMeta,
  type ProjectionDoc,
} from './projections';
import { reservedSeatsBySession } from './seat-ledger';

export interface RebuildCounts {
  pledges: number;
  tasks: number;
  comments: number;
  sessions: number;
  ms: number;
}

const BATCH = 200;

// Releases the lock only if this rebuild still holds it.
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

/**
 * Rebuilds every projection from the record: a new generation replaces the old one, every API process reloads
 * when it sees it. Projections written meanwhile by the projector are kept when newer (the writes are
 * version-guarded). Returns null when another process is rebuilding, or when `onlyIfAbsent` and they exist in
 * the current layout (projections of an earlier layout count as absent).
 */
export async function rebuildProjections(
  store: Store,
  redis: Redis,
  prefix: string,
  { onlyIfAbsent = false }: { onlyIfAbsent?: boolean } = {},
): Promise<RebuildCounts | null> {
  const started = Date.now();
  const keys = projectionKeys(prefix);
  const token = randomUUID();
  if ((await redis.set(keys.rebuildLock, token, 'PX', 600_000, 'NX')) !== 'OK') return null;
  try {
    const meta = await readMeta(redis, keys);
    if (onlyIfAbsent && meta?.layout === PROJECTION_LAYOUT) return null;
    const generation = `${Date.now()}-${token.slice(0, 8)}`;
    const donors = await redis.smembers(keys.openPledgeDonors);
    const data = [
      ...ProjectionKinds.flatMap((k) => [keys.versions(k), keys.docs(k), keys.summaries(k)]),
      keys.openPledgeDonors,
      ...donors.map((donor) => keys.openPledgesOf(donor)),
      ...keys.retired,
    ];
    await redis
      .multi()
      .del(...new Set(data))
      .hset(keys.meta, 'generation', generation, 'state', 'building', 'layout', String(PROJECTION_LAYOUT))
      .exec();
    const writer = projectionWriter(redis, prefix);
    const counts = { pledges: 0, tasks: 0, comments: 0, sessions: 0 };

    let batch: ProjectionDoc[] = [];
    const flush = async (kind: Parameters<typeof writer.put>[0]) => {
      await writer.put(kind, batch);
      batch = [];
    };
    for await (const record of store.Pledge.find({}).lean().cursor()) {
      if (isOpen(record.status)) await writer.openPledge(record._id, record.donor, record.items);
      batch.push({
        id: record._id,
        version: record.version,
        doc: toPledgeView(record),
        summary: pledgeListEntry(record),
      });
      counts.pledges++;
      if (batch.length >= BATCH) await flush('pledge');
    }
    await flush('pledge');
    for await (const task of store.Task.find({}).lean().cursor()) {
      const { _id, rev, ...fields } = task;
      batch.push({ id: _id, version: rev, doc: { id: _id, ...fields } });
      counts.tasks++;
      if (batch.length >= BATCH) await flush('task');
    }
    await flush('task');
    const comments = new Map<string, Array<{ id: string; by: string; at: string; text: string }>>();
    for await (const c of store.TaskComment.find({}).sort({ at: 1, _id: 1 }).lean().cursor()) {
      comments.set(c.taskId, [
        ...(comments.get(c.taskId) ?? []),
        { id: c._id, by: c.by, at: c.at, text: c.text },
      ]);
      counts.comments++;
    }
    batch = [...comments].map(([taskId, list]) => ({ id: taskId, version: list.length, doc: list }));
    await flush('comments');
    const countedAt = Date.now();
    const sessions = await store.Session.find({}, { _id: 1 }).lean();
    const reserved = await reservedSeatsBySession(store);
    batch = sessions.map(({ _id }) => ({
      id: _id,
      version: countedAt,
      doc: { id: _id, seatsReserved: reserved.get(_id) ?? 0 },
    }));
    counts.sessions = batch.length;
    await flush('session');

    await redis.hset(keys.meta, 'state', 'ready');
    await redis.xadd(
      keys.stream,
      'MAXLEN',
      '~',
      String(STREAM_LENGTH),
      '*',
      'k',
      'reset',
      'id',
      '',
      'v',
      '0',
      's',
      '',
      'g',
      generation,
    );
    return { ...counts, ms: Date.now() - started };
  } finally {
    await redis.eval(RELEASE, 1, keys.rebuildLock, token);
  }
}

/**
 * Asks for a rebuild when the projections are found missing (Redis lost its data), at most one at a time per
 * process; the rebuild runs in the background.
 */
export function rebuildOnDemand(store: Store, redis: Redis, prefix: string, logger: Logger) {
  let running: Promise<void> | null = null;
  return () => {
    running ??= rebuildProjections(store, redis, prefix, { onlyIfAbsent: true })
      .then(
        (counts) => {
          if (counts)
            logger.warn({ ...counts }, 'projections were missing and have been rebuilt from the record');
        },
        (err: unknown) => logger.error({ err }, 'rebuilding the projections failed'),
      )
      .finally(() => {
        running = null;
      });
  };
}
