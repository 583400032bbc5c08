import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Redis } from 'ioredis';
import pkg from '../package.json';
import { packArchive } from './archive';
import { digestFile, runShell } from './files';
import {
  BACKUP_FORMAT,
  MANIFEST_FILE,
  RECORD_DIR,
  REDIS_FILE,
  TEMPORAL_FILE,
  type Manifest,
} from './manifest';
import type { Quiesce } from './quiesce';
import { recordCounter } from './counts';
import { ferretDbFile, startScratchFerretDb } from './ferretdb';
import { databaseFacts, dumpDatabase, openDatabase, type DocumentVisitor } from './record';
import { countKeysInRdb, queueCounts, redisVersion, snapshotRedis } from './redis';
import { snapshotSqlite, temporalReporter, type TemporalFacts } from './temporal';

export interface BackupTargets {
  mongodbUri: string;
  /**
   * The directory of the local FerretDB's SQLite backend that serves `mongodbUri`, when there is one: the database
   * file is then copied during the pause (SQLite's online backup, a moment's work) and dumped afterwards through a
   * FerretDB of the backup's own, which keeps the pause short. Without it the record is dumped during the pause.
   */
  ferretDbSqliteDir?: string;
  redisUrl: string;
  queuePrefix: string;
  temporal: {
    address: string;
    namespace: string;
    taskQueue: string;
    /** The dev server's SQLite database; null for a Temporal cluster, which its own backup procedure covers. */
    dbFile: string | null;
    /** Run while the writers are paused, to snapshot a cluster's persistence at the same moment (not archived). */
    snapshotCommand?: string;
  };
}

export interface BackupOptions extends BackupTargets {
  outDir: string;
  quiesce: Quiesce;
  log?: (line: string) => void;
}

export interface BackupResult {
  archive: string;
  bytes: number;
  manifest: Manifest;
  /** Dumping the record's snapshot (when one was taken), counting, checksums and packing: after the pause. */
  afterPauseMs: number;
  totalMs: number;
}

/** The engine's commit when it runs from a git checkout (read-only), else null. */
function engineCommit(): string | null {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], {
      cwd: path.resolve(__dirname, '..'),
      stdio: ['ignore', 'pipe', 'ignore'],
    })
      .toString()
      .trim();
  } catch {
    return null;
  }
}

function bullmqVersion(): string | null {
  try {
    return (JSON.parse(readFileSync(require.resolve('bullmq/package.json'), 'utf8')) as { version: string })
      .version;
  } catch {
    return null;
  }
}

// Where the copy of FerretDB's database file waits to be dumped; it is not archived.
const SQLITE_SNAPSHOT = 'ferretdb-snapshot';

/** Dumps a copied FerretDB database through a FerretDB of its own, then removes the copy. */
async function dumpSnapshot(dir: string, database: string, staging: string, visit: DocumentVisitor) {
  const scratch = await startScratchFerretDb(dir);
  try {
    const snapshot = await openDatabase(`mongodb://127.0.0.1:${scratch.port}/${database}`);
    try {
      return await dumpDatabase(snapshot.db, staging, visit);
    } finally {
      await snapshot.close();
    }
  } finally {
    await scratch.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

const elapsed = (from: number) => Math.round(performance.now() - from);

/**
 * Writes one archive of the engine's state: the Temporal dev server's database, the record (every collection, as
 * Extended JSON through the wire protocol) and an RDB snapshot of Redis, all three taken while the engine's writers
 * are paused, so that they stand for one moment. The writers are resumed as soon as the three are taken (also when
 * taking them fails); counting, checksums and packing happen afterwards. Returns the archive and its manifest.
 */
export async function createBackup(opts: BackupOptions): Promise<BackupResult> {
  const log = opts.log ?? (() => undefined);
  const started = performance.now();
  const database = await openDatabase(opts.mongodbUri);
  const redis = new Redis(opts.redisUrl, { maxRetriesPerRequest: 2 });
  // A lost connection fails the command that needed it; the event itself needs no handling.
  redis.on('error', () => undefined);
  const reporter = await temporalReporter(opts.temporal.address, opts.temporal.namespace).catch(
    (err: unknown) => {
      log(`Temporal cannot be reached for its workflow counts: ${(err as Error).message}`);
      return null;
    },
  );
  let cleanup: string | undefined;
  try {
    await mkdir(opts.outDir, { recursive: true });
    const staging = await mkdtemp(path.join(opts.outDir, '.staging-'));
    cleanup = staging;
    await Promise.all(
      [RECORD_DIR, path.dirname(TEMPORAL_FILE), path.dirname(REDIS_FILE), SQLITE_SNAPSHOT].map((d) =>
        mkdir(path.join(staging, d), { recursive: true }),
      ),
    );
    // Facts that do not change with the data are read before the pause, to keep it short.
    const [dbFacts, redisVer] = await Promise.all([databaseFacts(database.db), redisVersion(redis)]);
    const sqliteFile = opts.ferretDbSqliteDir
      ? ferretDbFile(opts.ferretDbSqliteDir, database.db.databaseName)
      : null;
    if (sqliteFile && !existsSync(sqliteFile))
      throw new Error(`FerretDB keeps no database file at ${sqliteFile}`);
    const counter = recordCounter();
    const timings = { temporalMs: 0, redisMs: 0, recordMs: 0 };

    log(`pausing the engine's writers (${opts.quiesce.method})`);
    const pauseRequested = performance.now();
    try {
      await opts.quiesce.pause();
    } catch (err) {
      await opts.quiesce.resume().catch(() => undefined);
      throw err;
    }
    const paused = performance.now();
    const createdAt = new Date();
    let temporal: TemporalFacts | null = null;
    let queues: Record<string, Record<string, number>> = {};
    let collections: Manifest['record']['collections'] = [];
    let resumeAt = paused;
    let resumed = paused;
    try {
      // Temporal first, then Redis, then the record: should a writer have been left running, the record and Redis
      // are then newer than the workflows, never older, and the engine's idempotent projections and job ids absorb
      // what a workflow repeats.
      let t = performance.now();
      if (opts.temporal.dbFile)
        await snapshotSqlite(opts.temporal.dbFile, path.join(staging, TEMPORAL_FILE), 'vacuum-into');
      else if (opts.temporal.snapshotCommand) await runShell(opts.temporal.snapshotCommand);
      temporal = await (reporter?.facts() ?? Promise.resolve(null)).catch((err: unknown) => {
        log(`Temporal could not be asked for its workflow counts: ${(err as Error).message}`);
        return null;
      });
      timings.temporalMs = elapsed(t);
      t = performance.now();
      await snapshotRedis(redis, opts.redisUrl, path.join(staging, REDIS_FILE));
      queues = await queueCounts(redis, opts.queuePrefix);
      timings.redisMs = elapsed(t);
      t = performance.now();
      if (sqliteFile)
        await snapshotSqlite(
          sqliteFile,
          path.join(staging, SQLITE_SNAPSHOT, path.basename(sqliteFile)),
          'online-backup',
        );
      else collections = await dumpDatabase(database.db, staging, counter.visit);
      timings.recordMs = elapsed(t);
    } finally {
      resumeAt = performance.now();
      log(`resuming the engine's writers after a ${Math.round(resumeAt - paused)} ms pause`);
      await opts.quiesce.resume();
      resumed = performance.now();
    }

    const t = performance.now();
    if (sqliteFile)
      collections = await dumpSnapshot(
        path.join(staging, SQLITE_SNAPSHOT),
        database.db.databaseName,
        staging,
        counter.visit,
      );
    const redisKeys = await countKeysInRdb(path.join(staging, REDIS_FILE), opts.queuePrefix);
    const archived = [
      ...(opts.temporal.dbFile ? [TEMPORAL_FILE] : []),
      REDIS_FILE,
      ...collections.map((c) => c.file),
    ];
    const files = await Promise.all(
      archived.map(async (f) => ({ path: f, ...(await digestFile(path.join(staging, f))) })),
    );
    const id = `nsatu-backup-${createdAt.toISOString().replace(/[:.]/g, '-')}`;
    const manifest: Manifest = {
      format: BACKUP_FORMAT,
      id,
      createdAt: createdAt.toISOString(),
      engine: { version: pkg.version, commit: engineCommit() },
      versions: {
        node: process.version,
        temporalServer: temporal?.serverVersion ?? null,
        database: dbFacts.version,
        ferretdb: dbFacts.ferretdb,
        redis: redisVer,
        bullmq: bullmqVersion(),
      },
      config: {
        temporalNamespace: opts.temporal.namespace,
        temporalTaskQueue: opts.temporal.taskQueue,
        queuePrefix: opts.queuePrefix,
        database: database.db.databaseName,
      },
      pause: {
        method: opts.quiesce.method,
        ms: Math.round(resumeAt - paused),
        drainMs: Math.round(paused - pauseRequested),
        resumeMs: Math.round(resumed - resumeAt),
      },
      timings,
      temporal: {
        kind: opts.temporal.dbFile ? 'file' : 'external',
        workflows: temporal?.workflows ?? null,
      },
      record: {
        method: sqliteFile
          ? 'FerretDB SQLite file copied during the pause, dumped as Extended JSON after it'
          : 'dumped as Extended JSON through the wire protocol during the pause',
        collections,
      },
      redis: { keys: redisKeys.lasting, expiringKeys: redisKeys.expiring, queues },
      audit: counter.audit,
      counts: counter.counts,
      files,
    };
    const archive = path.join(opts.outDir, `${id}.tar.gz`);
    await writeFile(path.join(staging, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
    await packArchive(staging, archived, archive);
    const { bytes } = await digestFile(archive);
    log(`backup written: ${archive} (${bytes} bytes)`);
    return { archive, bytes, manifest, afterPauseMs: elapsed(t), totalMs: elapsed(started) };
  } finally {
    redis.disconnect();
    await reporter?.close();
    await database.close();
    if (cleanup) await rm(cleanup, { recursive: true, force: true });
  }
}
