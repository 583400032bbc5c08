import type { KeyObject } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { connectMongo } from '../infra/mongo';
import { createStore } from '../store';
import { verifyAuditChain } from '../store/audit-log';
import { rebuildProjections, type RebuildCounts } from '../store/projection-rebuild';
import { unpackArchive } from './archive';
import { REDIS_FILE, TEMPORAL_FILE, type Manifest } from './manifest';
import { loadDatabase, nonEmptyCollections, openDatabase } from './record';
import { copyKeys, deletePrefix, holdsPrefix, startScratchRedis } from './redis';

export interface OpenedArchive {
  dir: string;
  manifest: Manifest;
  close(): Promise<void>;
}

/** Unpacks an archive into a scratch directory and checks it against its manifest. */
export async function openArchive(archive: string, scratchParent = os.tmpdir()): Promise<OpenedArchive> {
  if (!existsSync(archive)) throw new Error(`no archive at ${archive}`);
  const dir = await mkdtemp(path.join(scratchParent, 'nsatu-restore-'));
  const close = () => rm(dir, { recursive: true, force: true });
  try {
    return { dir, manifest: await unpackArchive(archive, dir), close };
  } catch (err) {
    await close();
    throw err;
  }
}

const SQLITE_SIDE_FILES = ['', '-journal', '-wal', '-shm'];

/**
 * Puts the archived Temporal database where the dev server will open it (it must not be running). Refuses to replace
 * an existing database unless `overwrite`.
 */
export async function placeTemporalDatabase(
  opened: OpenedArchive,
  dbFile: string,
  { overwrite = false }: { overwrite?: boolean } = {},
): Promise<void> {
  if (opened.manifest.temporal.kind !== 'file')
    throw new Error(
      'this archive holds no Temporal database (it was taken from a cluster): restore the cluster first',
    );
  if (existsSync(dbFile) && !overwrite)
    throw new Error(
      `${dbFile} exists: refusing to overwrite it (stop the services and pass --overwrite to replace it)`,
    );
  for (const suffix of SQLITE_SIDE_FILES) await rm(`${dbFile}${suffix}`, { force: true });
  await mkdir(path.dirname(dbFile), { recursive: true });
  const partial = `${dbFile}.restoring`;
  await copyFile(path.join(opened.dir, TEMPORAL_FILE), partial);
  await rename(partial, dbFile);
}

export interface RestoreTargets {
  mongodbUri: string;
  redisUrl: string;
  /** The audit checkpoint public key the restored chain is verified against (null: none configured here). */
  checkpointPublicKey: KeyObject | null;
}

/** What already holds data where the restore would write (empty when it may go ahead). */
export async function occupiedTargets(targets: RestoreTargets, prefix: string): Promise<string[]> {
  const found: string[] = [];
  const database = await openDatabase(targets.mongodbUri);
  try {
    const collections = await nonEmptyCollections(database.db);
    if (collections.length)
      found.push(`the database ${database.db.databaseName} holds documents (${collections.join(', ')})`);
  } finally {
    await database.close();
  }
  const redis = new Redis(targets.redisUrl, { maxRetriesPerRequest: 2 });
  try {
    if (await holdsPrefix(redis, prefix)) found.push(`Redis holds keys under ${prefix}:`);
  } finally {
    redis.disconnect();
  }
  return found;
}

export interface LoadResult {
  documents: Record<string, number>;
  redisKeys: number;
}

/**
 * Loads the record (every collection) and Redis (the engine's keys from the RDB snapshot, by way of a scratch Redis)
 * into the targets, which must be empty unless `overwrite` (then the database's collections and the engine's keys are
 * dropped first). The read projections are left out: they are derived and rebuilt from the record afterwards.
 */
export async function loadRecordAndRedis(
  opened: OpenedArchive,
  targets: RestoreTargets,
  { overwrite = false }: { overwrite?: boolean } = {},
): Promise<LoadResult> {
  const { manifest } = opened;
  const prefix = manifest.config.queuePrefix;
  if (!overwrite) {
    const occupied = await occupiedTargets(targets, prefix);
    if (occupied.length)
      throw new Error(`refusing to restore over data: ${occupied.join('; ')} (--overwrite replaces it)`);
  }
  const database = await openDatabase(targets.mongodbUri);
  let documents: Record<string, number>;
  try {
    documents = await loadDatabase(database.db, opened.dir, manifest.record.collections, { overwrite });
  } finally {
    await database.close();
  }
  const target = new Redis(targets.redisUrl, { maxRetriesPerRequest: 2 });
  const scratch = await startScratchRedis(path.join(opened.dir, REDIS_FILE));
  try {
    if (overwrite) await deletePrefix(target, prefix);
    const views = `${prefix}:{views}:`;
    const redisKeys = await copyKeys(scratch.redis, target, prefix, (key) => key.startsWith(views));
    return { documents, redisKeys };
  } finally {
    await scratch.stop();
    target.disconnect();
  }
}

export interface CheckedRestore {
  projections: RebuildCounts | null;
  audit: { ok: boolean; checked: number; reason?: string };
  /** The restored chain ends where the archived one did. */
  headMatches: boolean;
  /** The entry the latest checkpoint names holds the hash it signed (null: no checkpoint, or one of unknown shape). */
  checkpointMatches: boolean | null;
  problems: string[];
}

/** The sequence number and hash a checkpoint names, whatever the exact field names. */
function checkpointHead(checkpoint: unknown): { seq: number; hash: string } | null {
  if (!checkpoint || typeof checkpoint !== 'object') return null;
  const c = checkpoint as Record<string, unknown> & { head?: Record<string, unknown> };
  const seq = c.seq ?? c.headSeq ?? c.head?.seq;
  const hash = c.hash ?? c.headHash ?? c.head?.hash;
  return typeof seq === 'number' && typeof hash === 'string' ? { seq, hash } : null;
}

/**
 * After the data is back: rebuilds the read projections from the record, verifies the audit chain, and compares its
 * head and latest checkpoint with the manifest. `problems` lists what does not agree.
 */
export async function checkRestore(targets: RestoreTargets, manifest: Manifest): Promise<CheckedRestore> {
  const connection = await connectMongo(targets.mongodbUri);
  const redis = new Redis(targets.redisUrl, { maxRetriesPerRequest: 2 });
  try {
    const store = createStore(connection);
    const projections = await rebuildProjections(store, redis, manifest.config.queuePrefix);
    const audit = await verifyAuditChain(store, targets.checkpointPublicKey);
    const problems: string[] = [];
    if (!audit.ok)
      problems.push(`the audit chain is broken at entry ${audit.firstBrokenSeq}: ${audit.reason}`);
    const head = await store.AuditHead.findById('head').lean();
    const expected = manifest.audit.head;
    const headMatches =
      (head?.seq ?? null) === (expected?.seq ?? null) && (head?.hash ?? null) === (expected?.hash ?? null);
    if (!headMatches)
      problems.push(
        `the audit head is ${JSON.stringify(head)}, the archive's was ${JSON.stringify(expected)}`,
      );
    let checkpointMatches: boolean | null = null;
    const named = checkpointHead(manifest.audit.checkpoint);
    if (named) {
      const entry = await store.Audit.findOne({ seq: named.seq }).lean();
      checkpointMatches = entry?.hash === named.hash;
      if (!checkpointMatches)
        problems.push(`audit entry ${named.seq} does not carry the hash its checkpoint signed`);
    }
    if (!projections) problems.push('the projections could not be rebuilt (another rebuild holds the lock)');
    return {
      projections,
      audit: { ok: audit.ok, checked: audit.checked, reason: audit.reason },
      headMatches,
      checkpointMatches,
      problems,
    };
  } finally {
    redis.disconnect();
    await connection.close();
  }
}
