import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import type { Document } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packArchive } from '../../backup/archive';
import { recordCounter } from '../../backup/counts';
import { digestFile, run } from '../../backup/files';
import {
  BACKUP_FORMAT,
  MANIFEST_FILE,
  REDIS_FILE,
  TEMPORAL_FILE,
  type Manifest,
} from '../../backup/manifest';
import { startScratchRedis } from '../../backup/redis';
import { verifyArchive } from '../../backup/verify';
import { GENESIS_HASH, entryHash } from '../../store/audit-log';

const { EJSON } = mongoose.mongo.BSON;
const PREFIX = 'nsatu';

/** Three linked audit entries of one pledge, as the chainer writes them. */
function chain(): Document[] {
  let prevHash = GENESIS_HASH;
  return ['pledge.submitted', 'pledge.reviewed', 'pledge.approved'].map((action, i) => {
    const base = {
      seq: i + 1,
      eventId: `PL1:${action}`,
      at: `2030-01-0${i + 1}T00:00:00.000Z`,
      actor: 'staff',
      action,
      pledgeId: 'PL1',
      detail: { step: i },
      prevHash,
    };
    prevHash = entryHash(base);
    return { _id: base.eventId, ...base, hash: prevHash };
  });
}

/**
 * Writes an archive as `npm run backup` does, from the given collections, with a real SQLite database and a real
 * RDB snapshot (made by a scratch Redis): what verification is tried on.
 */
async function archiveOf(dir: string, collections: Record<string, Document[]>): Promise<string> {
  const staging = await mkdtemp(path.join(dir, 'staging-'));
  for (const d of ['record', 'temporal', 'redis']) await mkdir(path.join(staging, d));
  await run('sqlite3', [
    path.join(staging, TEMPORAL_FILE),
    'CREATE TABLE executions (id TEXT); INSERT INTO executions VALUES (1);',
  ]);
  const redis = await startScratchRedis(path.join(staging, REDIS_FILE));
  await redis.redis.set(`${PREFIX}:notifications:1`, 'job');
  await redis.redis.save();
  await redis.stop();
  const counter = recordCounter();
  const entries: Manifest['record']['collections'] = [];
  for (const [name, docs] of Object.entries(collections)) {
    const file = `record/${name}.ejson`;
    await writeFile(
      path.join(staging, file),
      docs.map((d) => `${EJSON.stringify(d, { relaxed: false })}\n`).join(''),
    );
    for (const d of docs) counter.visit(name, d);
    entries.push({ name, file, documents: docs.length, indexes: [] });
  }
  const files = [TEMPORAL_FILE, REDIS_FILE, ...entries.map((e) => e.file)];
  const manifest: Manifest = {
    format: BACKUP_FORMAT,
    id: 'nsatu-backup-test',
    createdAt: '2030-01-04T00:00:00.000Z',
    engine: { version: '0.1.0', commit: null },
    versions: {
      node: process.version,
      temporalServer: null,
      database: '7.0',
      ferretdb: null,
      redis: '7',
      bullmq: null,
    },
    config: {
      temporalNamespace: 'default',
      temporalTaskQueue: 'nsatu-engine',
      queuePrefix: PREFIX,
      database: 'nsatu',
    },
    pause: { method: 'test', ms: 0, drainMs: 0, resumeMs: 0 },
    timings: { temporalMs: 0, redisMs: 0, recordMs: 0 },
    temporal: { kind: 'file', workflows: null },
    record: { method: 'test', collections: entries },
    redis: { keys: 1, expiringKeys: 0, queues: {} },
    audit: counter.audit,
    counts: counter.counts,
    files: await Promise.all(
      files.map(async (f) => ({ path: f, ...(await digestFile(path.join(staging, f))) })),
    ),
  };
  await writeFile(path.join(staging, MANIFEST_FILE), JSON.stringify(manifest));
  const archive = path.join(dir, `${path.basename(staging)}.tar.gz`);
  await packArchive(staging, files, archive);
  return archive;
}

const head = (entries: Document[]) => {
  const last = entries[entries.length - 1];
  return [{ _id: 'head', seq: last.seq as number, hash: last.hash as string }];
};

describe('verifying an archive without restoring it', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'nsatu-backup-verify-'));
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('when the archive is as written, then every check passes', async () => {
    const entries = chain();
    const { checks } = await verifyArchive(
      await archiveOf(dir, { audit_log: entries, audit_head: head(entries) }),
    );
    expect(checks.filter((c) => !c.ok)).toEqual([]);
    expect(checks.map((c) => c.name)).toEqual([
      'checksums',
      'record',
      'counts',
      'audit chain',
      'temporal database',
      'redis snapshot',
    ]);
  });

  it('when an audit entry was rewritten before the archive was packed, then the chain check names it', async () => {
    const entries = chain();
    const original = head(entries);
    entries[1] = { ...entries[1], actor: 'someone else' };
    const { checks } = await verifyArchive(
      await archiveOf(dir, { audit_log: entries, audit_head: original }),
    );
    expect(checks.find((c) => c.name === 'audit chain')).toMatchObject({
      ok: false,
      detail: 'entry 2: content does not match its hash',
    });
  });

  it('when the newest audit entries are missing, then the chain check finds it short of its head', async () => {
    const entries = chain();
    const { checks } = await verifyArchive(
      await archiveOf(dir, { audit_log: entries.slice(0, 2), audit_head: head(entries) }),
    );
    expect(checks.find((c) => c.name === 'audit chain')).toMatchObject({
      ok: false,
      detail: 'the chain ends at 2, the recorded head is 3',
    });
  });

  it('when a file of the archive was damaged, then verification refuses it', async () => {
    const entries = chain();
    const archive = await archiveOf(dir, { audit_log: entries, audit_head: head(entries) });
    // Unpacked, altered and packed again: the manifest still holds the original checksums.
    const unpacked = await mkdtemp(path.join(dir, 'damaged-'));
    await run('tar', ['-xzf', archive, '-C', unpacked]);
    await writeFile(path.join(unpacked, 'record/audit_log.ejson'), '{}\n', { flag: 'a' });
    const damaged = path.join(dir, 'damaged.tar.gz');
    await run('tar', ['-czf', damaged, '-C', unpacked, '.']);
    await expect(verifyArchive(damaged)).rejects.toThrow(
      /record\/audit_log\.ejson does not match its checksum/,
    );
  });
});
