import type { Redis } from 'ioredis';

/**
 * The read side's projections, held in Redis: one document per pledge, task, task-comment list and session, each
 * with the version that wrote it, and one change stream that every API process follows to keep its in-memory
 * views current. MongoDB/FerretDB stays the record; everything here can be rebuilt from it
 * (`rebuildProjections`). Writes are version-guarded inside Redis, so a late or repeated projection never
 * replaces a newer one.
 */

export const ProjectionKinds = ['pledge', 'task', 'comments', 'session'] as const;
export type ProjectionKind = (typeof ProjectionKinds)[number];

/**
 * Stream entries that carry no document: a signing key, reference data or a user (its sessions may be revoked)
 * changed, or the views were rebuilt.
 */
export type NoticeKind = 'key' | 'reference' | 'user' | 'agreement' | 'reset';

export interface ProjectionKeys {
  meta: string;
  stream: string;
  rebuildLock: string;
  /**
   * A donor's open pledges (id → items), for the duplicate check of the review, which compares a pledge with its
   * donor's others only: a review reads what its donor has open, not every open pledge.
   */
  openPledgesOf(donor: string): string;
  /** The donors with an open-pledge hash, so a rebuild can delete them all (no SCAN, which a cluster splits). */
  openPledgeDonors: string;
  /** Bumped on every change of reference data: caches of it compare their version. */
  referenceVersion: string;
  /** Keys of earlier layouts, which a rebuild deletes. */
  retired: string[];
  versions(kind: ProjectionKind): string;
  docs(kind: ProjectionKind): string;
  summaries(kind: ProjectionKind): string;
}

/** Every key shares one hash tag, so the scripts below also run on a Redis Cluster. */
export function projectionKeys(prefix: string): ProjectionKeys {
  const key = (name: string) => `${prefix}:{views}:${name}`;
  return {
    meta: key('meta'),
    stream: key('changes'),
    rebuildLock: key('rebuild-lock'),
    openPledgesOf: (donor) => key(`open-pledges:${donor}`),
    openPledgeDonors: key('open-pledge-donors'),
    retired: [key('open-pledges')],
    referenceVersion: key('reference-version'),
    versions: (kind) => key(`${kind}:version`),
    docs: (kind) => key(`${kind}:doc`),
    // Only pledges have a summary apart from their document (a list item is much smaller than the page).
    summaries: (kind) => key(kind === 'pledge' ? 'pledge:summary' : `${kind}:doc`),
  };
}

/** Entries the change stream keeps; a process further behind than this reloads from the hashes. */
export const STREAM_LENGTH = 200_000;

// KEYS: meta, versions, docs, summaries, stream. ARGV: kind, id, version, doc, summary, maxlen.
// Returns -1 when the projections are absent (to be rebuilt), 0 when a newer version is stored, 1 when written.
const PUT = `
local gen = redis.call('HGET', KEYS[1], 'generation')
if not gen then return -1 end
local cur = redis.call('HGET', KEYS[2], ARGV[2])
if cur and tonumber(cur) >= tonumber(ARGV[3]) then return 0 end
redis.call('HSET', KEYS[2], ARGV[2], ARGV[3])
redis.call('HSET', KEYS[3], ARGV[2], ARGV[4])
if KEYS[4] ~= KEYS[3] then redis.call('HSET', KEYS[4], ARGV[2], ARGV[5]) end
redis.call('XADD', KEYS[5], 'MAXLEN', '~', ARGV[6], '*', 'k', ARGV[1], 'id', ARGV[2], 'v', ARGV[3], 's', ARGV[5], 'g', gen)
return 1
`;

// KEYS: meta, versions, comments, stream. ARGV: taskId, commentId, comment JSON, maxlen. Appends once per comment id;
// the version of a task's comment list is its length.
const APPEND_COMMENT = `
local gen = redis.call('HGET', KEYS[1], 'generation')
if not gen then return -1 end
local cur = redis.call('HGET', KEYS[3], ARGV[1])
local list = {}
if cur then list = cjson.decode(cur) end
for _, c in ipairs(list) do if c.id == ARGV[2] then return 0 end end
table.insert(list, cjson.decode(ARGV[3]))
local encoded = cjson.encode(list)
redis.call('HSET', KEYS[2], ARGV[1], tostring(#list))
redis.call('HSET', KEYS[3], ARGV[1], encoded)
redis.call('XADD', KEYS[4], 'MAXLEN', '~', ARGV[4], '*', 'k', 'comments', 'id', ARGV[1], 'v', tostring(#list), 's', encoded, 'g', gen)
return 1
`;

// KEYS: meta, stream. ARGV: kind, id, maxlen.
const NOTICE = `
local gen = redis.call('HGET', KEYS[1], 'generation')
if not gen then return -1 end
redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[3], '*', 'k', ARGV[1], 'id', ARGV[2], 'v', '0', 's', '', 'g', gen)
return 1
`;

export type PutResult = 'written' | 'stale' | 'absent';
const putResult = (n: number): PutResult => (n === 1 ? 'written' : n === 0 ? 'stale' : 'absent');

export interface ProjectionDoc {
  id: string;
  version: number;
  doc: unknown;
  /** The list item; the document itself when omitted. */
  summary?: unknown;
}

/** Writes projections: used by the projector (worker), by the API for comments and notices, and by a rebuild. */
export function projectionWriter(redis: Redis, prefix: string) {
  const keys = projectionKeys(prefix);
  const run = async (script: string, keyList: string[], args: Array<string | number>) =>
    Number(await redis.eval(script, keyList.length, ...keyList, ...args.map(String)));
  return {
    keys,
    /** Stores each document unless a newer version of it is there, and tells every API process. */
    async put(kind: ProjectionKind, docs: ProjectionDoc[]): Promise<PutResult[]> {
      if (!docs.length) return [];
      const pipeline = redis.pipeline();
      for (const d of docs) {
        const doc = JSON.stringify(d.doc);
        const summary = d.summary === undefined ? doc : JSON.stringify(d.summary);
        pipeline.eval(
          PUT,
          5,
          keys.meta,
          keys.versions(kind),
          keys.docs(kind),
          keys.summaries(kind),
          keys.stream,
          kind,
          d.id,
          d.version,
          doc,
          summary,
          STREAM_LENGTH,
        );
      }
      const results = (await pipeline.exec()) ?? [];
      return results.map(([err, n]) => {
        if (err) throw err;
        return putResult(Number(n));
      });
    },
    async appendComment(
      taskId: string,
      comment: { id: string; by: string; at: string; text: string },
    ): Promise<PutResult> {
      return putResult(
        await run(
          APPEND_COMMENT,
          [keys.meta, keys.versions('comments'), keys.docs('comments'), keys.stream],
          [taskId, comment.id, JSON.stringify(comment), STREAM_LENGTH],
        ),
      );
    },
    /** Tells every API process that something it caches changed (a signing key, reference data). */
    async notice(kind: Exclude<NoticeKind, 'reset'>, id: string): Promise<void> {
      if (kind === 'reference') await redis.incr(keys.referenceVersion);
      await run(NOTICE, [keys.meta, keys.stream], [kind, id, STREAM_LENGTH]);
    },
    /** Keeps the donor's open pledges in step with a pledge (removed once it is final; a donor never changes). */
    async openPledge(id: string, donor: string, items: unknown[] | null): Promise<void> {
      if (!items) {
        await redis.hdel(keys.openPledgesOf(donor), id);
        return;
      }
      await redis
        .multi()
        .sadd(keys.openPledgeDonors, donor)
        .hset(keys.openPledgesOf(donor), id, JSON.stringify(items))
        .exec();
    },
  };
}

export type ProjectionWriter = ReturnType<typeof projectionWriter>;

/** What workers read of the projections: a donor's open pledges (duplicate check) and the reference data's version. */
export function projectionReader(redis: Redis, prefix: string) {
  const keys = projectionKeys(prefix);
  return {
    async openPledgesOf(donor: string): Promise<Array<{ id: string; donor: string; items: unknown }>> {
      const all = await redis.hgetall(keys.openPledgesOf(donor));
      return Object.entries(all).map(([id, raw]) => ({ id, donor, items: JSON.parse(raw) as unknown }));
    },
    referenceVersion: () => redis.get(keys.referenceVersion),
  };
}

export type ProjectionReader = ReturnType<typeof projectionReader>;

/**
 * The shape of the keys above. Raised when it changes (2: open pledges split by donor), so that an engine started
 * on projections of an earlier shape rebuilds them from the record instead of reading keys that are not there.
 */
export const PROJECTION_LAYOUT = 2;

export interface ProjectionMeta {
  generation: string;
  state: 'building' | 'ready';
  /** 1 for projections written before the layout was recorded. */
  layout: number;
}

export async function readMeta(redis: Redis, keys: ProjectionKeys): Promise<ProjectionMeta | null> {
  const meta = await redis.hgetall(keys.meta);
  return meta.generation
    ? {
        generation: meta.generation,
        state: meta.state === 'ready' ? 'ready' : 'building',
        layout: Number(meta.layout ?? 1),
      }
    : null;
}
