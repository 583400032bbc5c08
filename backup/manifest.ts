import { z } from 'zod';

/** The archive layout this code writes and reads; a restore refuses any other. */
export const BACKUP_FORMAT = 'nsatu-backup/1';

export const MANIFEST_FILE = 'manifest.json';
export const TEMPORAL_FILE = 'temporal/temporal.db';
export const REDIS_FILE = 'redis/dump.rdb';
export const RECORD_DIR = 'record';

const count = z.number().int().min(0);

const FileEntry = z.object({
  path: z.string().min(1),
  bytes: count,
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});

const IndexSpec = z.object({
  name: z.string(),
  key: z.record(z.string(), z.unknown()),
  options: z.record(z.string(), z.unknown()),
});
export type IndexSpec = z.infer<typeof IndexSpec>;

const CollectionEntry = z.object({
  name: z.string().min(1),
  file: z.string().min(1),
  documents: count,
  indexes: z.array(IndexSpec),
});
export type CollectionEntry = z.infer<typeof CollectionEntry>;

const AuditHead = z.object({ seq: count, hash: z.string() });

export const Manifest = z.object({
  format: z.literal(BACKUP_FORMAT),
  id: z.string().min(1),
  /** The moment the three snapshots stand for: the engine's writers were paused from then until `pause.ms` later. */
  createdAt: z.string(),
  engine: z.object({ version: z.string(), commit: z.string().nullable() }),
  versions: z.object({
    node: z.string(),
    temporalServer: z.string().nullable(),
    database: z.string(),
    ferretdb: z.string().nullable(),
    redis: z.string(),
    bullmq: z.string().nullable(),
  }),
  /** What the engine must be configured with to continue the restored workflows and queues. */
  config: z.object({
    temporalNamespace: z.string(),
    temporalTaskQueue: z.string(),
    queuePrefix: z.string(),
    database: z.string(),
  }),
  pause: z.object({
    method: z.string(),
    /** Writers stopped (drained) until they were told to go on: the length of the write pause. */
    ms: count,
    /** How long stopping the writers took before the pause began (in-flight work finishing). */
    drainMs: count,
    /** How long starting them again took after the pause. */
    resumeMs: count,
  }),
  /** How long each snapshot took (within the pause). */
  timings: z.object({ temporalMs: count, redisMs: count, recordMs: count }),
  temporal: z.object({
    /** `file`: the dev server's SQLite database is in the archive; `external`: a cluster backed up by its own means. */
    kind: z.enum(['file', 'external']),
    workflows: z.object({ running: count, total: count }).nullable(),
  }),
  record: z.object({ method: z.string(), collections: z.array(CollectionEntry) }),
  redis: z.object({
    /** Keys under the queue prefix without a time to live. */
    keys: count,
    /** Keys with one (locks, markers): they may have lapsed by the time the snapshot is restored. */
    expiringKeys: count,
    /** BullMQ job counts per queue and state at the snapshot. */
    queues: z.record(z.string(), z.record(z.string(), count)),
  }),
  audit: z.object({
    head: AuditHead.nullable(),
    entries: count,
    pending: count,
    /** The latest signed checkpoint of the chain, as stored (null when the engine keeps none). */
    checkpoint: z.unknown().nullable(),
  }),
  counts: z.object({
    pledges: count,
    pledgesByStatus: z.record(z.string(), count),
    tasks: count,
    openTasks: count,
    seatsReserved: count,
    signatures: count,
    notifications: count,
    deliveries: count,
    deliveriesByState: z.record(z.string(), count),
  }),
  files: z.array(FileEntry),
});
export type Manifest = z.infer<typeof Manifest>;
export type ManifestCounts = Manifest['counts'];
