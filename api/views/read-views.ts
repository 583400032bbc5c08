import type { Redis } from 'ioredis';
import type { Logger } from '../../infra/logger';
import type { PledgeView } from '../../domain/schemas/pledge-view';
import type { TaskSnapshot } from '../../domain/tasks';
import type { PledgeListEntry } from '../../store/projector';
import {
  PROJECTION_LAYOUT,
  projectionKeys,
  readMeta,
  type ProjectionKeys,
  type ProjectionKind,
} from '../../store/projections';
import { SortedIndex } from './sorted-index';

export interface StoredComment {
  id: string;
  by: string;
  at: string;
  text: string;
}

export type TaskEntry = TaskSnapshot;

/** Newest first; ties by id, newest id first. */
const newestFirst = (a: PledgeListEntry, b: PledgeListEntry) =>
  a.createdAt > b.createdAt ? -1 : a.createdAt < b.createdAt ? 1 : a.id > b.id ? -1 : a.id < b.id ? 1 : 0;
/** Most urgent first: the earliest due date, then the id. */
const dueFirst = (a: TaskEntry, b: TaskEntry) =>
  a.dueAt < b.dueAt ? -1 : a.dueAt > b.dueAt ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;

/** One consistent copy of the views: a reload builds a new one and swaps it in whole. */
class Snapshot {
  readonly pledges = new SortedIndex<PledgeListEntry>(newestFirst);
  readonly tasksByState = new Map<string, SortedIndex<TaskEntry>>();
  readonly tasks = new Map<string, TaskEntry>();
  readonly comments = new Map<string, StoredComment[]>();
  readonly sessionSeats = new Map<string, number>();
  readonly versions = new Map<string, number>();
  /** Counts applied changes: a cache of derived figures (the dashboard) is valid while it is unchanged. */
  changes = 0;

  constructor(
    readonly generation: string,
    public applied: string,
  ) {}

  /** Applies a document if it is newer than what the snapshot holds. */
  put(kind: ProjectionKind, id: string, version: number, doc: unknown): void {
    const key = `${kind}:${id}`;
    if ((this.versions.get(key) ?? -Infinity) >= version) return;
    this.versions.set(key, version);
    this.changes++;
    switch (kind) {
      case 'pledge':
        this.pledges.upsert(doc as PledgeListEntry);
        break;
      case 'task': {
        const task = doc as TaskEntry;
        const old = this.tasks.get(id);
        if (old) this.tasksByState.get(old.state)?.remove(id);
        this.tasks.set(id, task);
        let index = this.tasksByState.get(task.state);
        if (!index) this.tasksByState.set(task.state, (index = new SortedIndex(dueFirst)));
        index.upsert(task);
        break;
      }
      case 'comments':
        this.comments.set(id, doc as StoredComment[]);
        break;
      case 'session':
        this.sessionSeats.set(id, (doc as { seatsReserved: number }).seatsReserved);
        break;
    }
  }
}

/** Stream ids ("ms-seq") compared as numbers. */
export function compareStreamIds(a: string, b: string): number {
  const [am, as] = a.split('-').map(Number);
  const [bm, bs] = b.split('-').map(Number);
  return am !== bm ? am - bm : as - bs;
}

type StreamEntry = [id: string, fields: string[]];

const BATCH = 5000;
const BLOCK_MS = 5000;

export interface ReadViewsDeps {
  /** Commands (never blocking). */
  redis: Redis;
  /** A connection of its own for the blocking reads of the change stream. */
  subscriber: Redis;
  prefix: string;
  logger: Logger;
  /** Rebuilds the projections from the record when Redis has none (a new or emptied Redis). */
  rebuild(): Promise<unknown>;
}

/**
 * The API's read side: the projections held in memory (pledge list entries, tasks, comments, session seats),
 * loaded from Redis at start and kept current by following the change stream the projector appends to. Every
 * read first catches up with the stream (`sync`), so a client sees its own writes whichever API process it asks.
 * Pledge pages, being large, stay in Redis and are read one by one.
 */
export class ReadViews {
  private snapshot: Snapshot | null = null;
  private readonly keys: ProjectionKeys;
  private stopped = false;
  private following: Promise<void> | null = null;
  private reloading: Promise<void> | null = null;
  private syncRunning: Promise<void> | null = null;
  private syncQueued: Promise<void> | null = null;
  private readonly noticeListeners: Array<(kind: string, id: string) => void> = [];

  constructor(private readonly deps: ReadViewsDeps) {
    this.keys = projectionKeys(deps.prefix);
  }

  /** Loads the views and starts following the change stream. */
  async start(): Promise<void> {
    await this.reload();
    this.following = this.follow();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.deps.subscriber.disconnect();
    await this.following?.catch(() => undefined);
  }

  /** Called with (kind, id) for every notice on the stream: a signing key or reference data changed. */
  onNotice(listener: (kind: string, id: string) => void): void {
    this.noticeListeners.push(listener);
  }

  get ready(): boolean {
    return this.snapshot !== null;
  }

  private get current(): Snapshot {
    if (!this.snapshot) throw new ViewsUnavailable();
    return this.snapshot;
  }

  get pledges(): SortedIndex<PledgeListEntry> {
    return this.current.pledges;
  }

  tasksIn(state: string): SortedIndex<TaskEntry> | undefined {
    return this.current.tasksByState.get(state);
  }

  task(id: string): TaskEntry | undefined {
    return this.current.tasks.get(id);
  }

  comments(taskId: string): StoredComment[] {
    return this.current.comments.get(taskId) ?? [];
  }

  seatsReserved(sessionId: string): number {
    return this.current.sessionSeats.get(sessionId) ?? 0;
  }

  /** Changes applied so far: derived figures computed at the same count are still current. */
  get changeCount(): string {
    return `${this.current.generation}:${this.current.changes}`;
  }

  /** A pledge's page, as projected (without the read-time signature checks). */
  async pledgeDetail(id: string): Promise<PledgeView | null> {
    const raw = await this.pledgeDetailText(id);
    return raw ? (JSON.parse(raw) as PledgeView) : null;
  }

  /** A pledge's page as the JSON text the projector stored. */
  pledgeDetailText(id: string): Promise<string | null> {
    return this.deps.redis.hget(this.keys.docs('pledge'), id);
  }

  /**
   * Catches up with every change appended before the call: one Redis round trip. Concurrent callers share a
   * catch-up that started after they called, so each sees everything written before it asked.
   */
  sync(): Promise<void> {
    if (!this.syncRunning) {
      this.syncRunning = this.catchUp().finally(() => {
        this.syncRunning = null;
      });
      return this.syncRunning;
    }
    this.syncQueued ??= this.syncRunning
      .catch(() => undefined)
      .then(() => {
        this.syncQueued = null;
        return this.sync();
      });
    return this.syncQueued;
  }

  private async catchUp(): Promise<void> {
    const snapshot = this.current;
    for (;;) {
      let entries: StreamEntry[];
      try {
        entries = await this.deps.redis.xrange(this.keys.stream, `(${snapshot.applied}`, '+', 'COUNT', BATCH);
      } catch (err) {
        // Redis is down: no write can be acknowledged meanwhile (each goes through it), so what is held is current.
        this.deps.logger.warn(
          { err: (err as Error).message },
          'the change stream is unreachable; answering from the views held',
        );
        return;
      }
      this.apply(snapshot, entries);
      if (entries.length < BATCH) return;
    }
  }

  private apply(snapshot: Snapshot, entries: StreamEntry[]): void {
    for (const [streamId, fields] of entries) {
      if (compareStreamIds(streamId, snapshot.applied) <= 0) continue;
      snapshot.applied = streamId;
      const f: Record<string, string> = {};
      for (let i = 0; i < fields.length; i += 2) f[fields[i]] = fields[i + 1];
      if (f.g !== snapshot.generation) {
        // The projections were rebuilt: load the new generation whole.
        void this.reload().catch((err: unknown) =>
          this.deps.logger.error({ err }, 'reloading the views failed'),
        );
        return;
      }
      if (f.k === 'key' || f.k === 'reference' || f.k === 'user' || f.k === 'agreement') {
        for (const listener of this.noticeListeners) listener(f.k, f.id);
        continue;
      }
      if (f.k === 'reset') continue;
      snapshot.put(f.k as ProjectionKind, f.id, Number(f.v), JSON.parse(f.s));
    }
  }

  /** Loads every projection from Redis into a new snapshot (rebuilding them first if Redis has none, or of an earlier layout). */
  reload(): Promise<void> {
    this.reloading ??= this.load().finally(() => {
      this.reloading = null;
    });
    return this.reloading;
  }

  private async load(): Promise<void> {
    const { redis } = this.deps;
    let meta = await readMeta(redis, this.keys);
    if (!meta || meta.layout !== PROJECTION_LAYOUT) {
      await this.deps.rebuild();
      meta = await readMeta(redis, this.keys);
    }
    for (let waited = 0; meta?.state !== 'ready'; waited += 250) {
      if (waited > 600_000) throw new Error('the projections are still being rebuilt after 10 minutes');
      await new Promise((r) => setTimeout(r, 250));
      meta = await readMeta(redis, this.keys);
      if (!meta) {
        await this.deps.rebuild();
        meta = await readMeta(redis, this.keys);
      }
    }
    // The stream position first: whatever changes after it is applied again on top (versions keep it right).
    const last = (await redis.xrevrange(this.keys.stream, '+', '-', 'COUNT', 1)) as StreamEntry[];
    const snapshot = new Snapshot(meta.generation, last[0]?.[0] ?? '0-0');
    for (const kind of ['pledge', 'task', 'comments', 'session'] as const) {
      const [versions, docs] = await Promise.all([
        redis.hgetall(this.keys.versions(kind)),
        redis.hgetall(this.keys.summaries(kind)),
      ]);
      for (const [id, raw] of Object.entries(docs))
        snapshot.put(kind, id, Number(versions[id] ?? 0), JSON.parse(raw));
    }
    this.snapshot = snapshot;
    for (const listener of this.noticeListeners) listener('reset', '');
    this.deps.logger.info(
      { pledges: snapshot.pledges.size, tasks: snapshot.tasks.size, generation: snapshot.generation },
      'views loaded',
    );
  }

  /** Follows the change stream with blocking reads until stopped; reconnects and reloads as needed. */
  private async follow(): Promise<void> {
    const { subscriber, redis, logger } = this.deps;
    while (!this.stopped) {
      try {
        const snapshot = this.current;
        const reply = await subscriber.xread(
          'COUNT',
          BATCH,
          'BLOCK',
          BLOCK_MS,
          'STREAMS',
          this.keys.stream,
          snapshot.applied,
        );
        if (reply) {
          const entries = reply[0][1];
          // A full batch means this process is far behind: make sure the stream still holds where it stands.
          if (entries.length === BATCH) await this.reloadIfTrimmed(snapshot);
          this.apply(snapshot, entries);
        } else if (!(await readMeta(redis, this.keys))) {
          // Redis lost the projections: rebuild them from the record and load again.
          await this.reload();
        }
      } catch (err) {
        if (this.stopped) return;
        if (err instanceof ViewsUnavailable) await this.reload().catch(() => undefined);
        logger.warn({ err }, 'following the change stream failed; retrying');
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
  }

  private async reloadIfTrimmed(snapshot: Snapshot): Promise<void> {
    const first = (await this.deps.redis.xrange(this.keys.stream, '-', '+', 'COUNT', 1)) as StreamEntry[];
    if (first[0] && compareStreamIds(first[0][0], snapshot.applied) > 0) await this.reload();
  }
}

/** The views are not loaded yet (the API is starting, or Redis was unreachable since it started). */
export class ViewsUnavailable extends Error {
  constructor() {
    super('the read views are not loaded yet');
    this.name = 'ViewsUnavailable';
    Object.setPrototypeOf(this, ViewsUnavailable.prototype);
  }
}
