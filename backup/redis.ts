import { spawn } from 'node:child_process';
import { copyFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { QueueNames } from '../jobs/queues';
import { freePort, isLoopback, run } from './files';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** `INFO <section>` as a map. */
async function info(redis: Redis, section: string): Promise<Map<string, string>> {
  const text = await redis.info(section);
  return new Map(
    text
      .split(/\r?\n/)
      .filter((l) => l.includes(':') && !l.startsWith('#'))
      .map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1)] as [string, string]),
  );
}

export async function redisVersion(redis: Redis): Promise<string> {
  return (await info(redis, 'server')).get('redis_version') ?? 'unknown';
}

/** BullMQ's job counts per queue of the engine, by state. */
export async function queueCounts(
  redis: Redis,
  prefix: string,
): Promise<Record<string, Record<string, number>>> {
  const counts: Record<string, Record<string, number>> = {};
  for (const name of Object.values(QueueNames)) {
    const queue = new Queue(name, { connection: redis, prefix });
    try {
      counts[name] = await queue.getJobCounts(
        'waiting',
        'active',
        'delayed',
        'completed',
        'failed',
        'prioritized',
        'waiting-children',
      );
    } finally {
      await queue.close();
    }
  }
  return counts;
}

/**
 * Has Redis write an RDB snapshot (BGSAVE: the data as of the fork) and copies it to `target`. Redis on this machine is
 * asked for its file; one elsewhere streams its snapshot with `redis-cli --rdb` (which needs SYNC to be allowed).
 */
export async function snapshotRedis(redis: Redis, url: string, target: string): Promise<void> {
  const dir = await redis.config('GET', 'dir').then(
    (r) => r[1],
    () => null,
  );
  const dbfilename = await redis.config('GET', 'dbfilename').then(
    (r) => r[1],
    () => null,
  );
  const local = isLoopback(new URL(url).hostname) && dir && dbfilename && existsSync(dir);
  if (!local) {
    await run('redis-cli', ['-u', url, '--rdb', target]);
    return;
  }
  const savesBefore = Number((await info(redis, 'persistence')).get('rdb_saves') ?? -1);
  const lastBefore = await redis.lastsave();
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      await redis.bgsave();
      break;
    } catch (err) {
      // Another snapshot or an AOF rewrite is running: ours starts when it is done.
      if (!/in progress/i.test((err as Error).message) || Date.now() > deadline) throw err;
      await sleep(100);
    }
  }
  for (;;) {
    const p = await info(redis, 'persistence');
    if (p.get('rdb_bgsave_in_progress') === '0') {
      if (p.get('rdb_last_bgsave_status') !== 'ok')
        throw new Error('Redis could not write its snapshot (BGSAVE failed)');
      const saves = Number(p.get('rdb_saves') ?? -1);
      const done = savesBefore >= 0 ? saves > savesBefore : (await redis.lastsave()) > lastBefore;
      if (done) break;
    }
    if (Date.now() > deadline) throw new Error('Redis did not finish its snapshot within 120 s');
    await sleep(50);
  }
  await copyFile(path.join(dir, dbfilename), target);
}

/** Keys matching `pattern`, scanned (never KEYS, which blocks the server). */
export async function* scanKeys(redis: Redis, pattern: string): AsyncGenerator<string[]> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = next;
    if (keys.length) yield keys;
  } while (cursor !== '0');
}

/** True when Redis holds any key of the engine (under its prefix). */
export async function holdsPrefix(redis: Redis, prefix: string): Promise<boolean> {
  for await (const keys of scanKeys(redis, `${prefix}:*`)) if (keys.length) return true;
  return false;
}

/** A Redis of its own on a free port, serving an RDB file read-only in spirit (it never saves). */
export async function startScratchRedis(rdbFile: string): Promise<{ redis: Redis; stop(): Promise<void> }> {
  const port = await freePort();
  const child = spawn(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--dir',
      path.dirname(rdbFile),
      '--dbfilename',
      path.basename(rdbFile),
      '--appendonly',
      'no',
      '--save',
      '',
      '--daemonize',
      'no',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const redis = new Redis({
    port,
    host: '127.0.0.1',
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    retryStrategy: () => 100,
  });
  // Refused connections while it starts are expected: the loop below waits them out.
  redis.on('error', () => undefined);
  const stop = async () => {
    redis.disconnect();
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  try {
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (child.exitCode !== null)
        throw new Error(`redis-server could not load ${rdbFile}: ${stderr.trim()}`);
      try {
        if (redis.status === 'wait' || redis.status === 'end') await redis.connect();
        if ((await info(redis, 'persistence')).get('loading') === '0') break;
      } catch {
        // not listening or still loading
      }
      if (Date.now() > deadline) throw new Error(`redis-server did not load ${rdbFile} within 60 s`);
      await sleep(100);
    }
  } catch (err) {
    await stop();
    throw err;
  }
  return { redis, stop };
}

/**
 * Copies the engine's keys from one Redis to another with DUMP/RESTORE (values byte for byte, with their remaining
 * time to live), leaving out keys `skip` names. Returns how many keys were copied.
 */
export async function copyKeys(
  source: Redis,
  target: Redis,
  prefix: string,
  skip: (key: string) => boolean = () => false,
): Promise<number> {
  let copied = 0;
  for await (const found of scanKeys(source, `${prefix}:*`)) {
    const keys = found.filter((k) => !skip(k));
    if (!keys.length) continue;
    const read = source.pipeline();
    for (const key of keys) read.dumpBuffer(key).pttl(key);
    const values = (await read.exec()) ?? [];
    const write = target.pipeline();
    keys.forEach((key, i) => {
      const [dumpErr, payload] = values[2 * i];
      const [, ttl] = values[2 * i + 1];
      if (dumpErr) throw dumpErr;
      // A key that expired between SCAN and DUMP has nothing to copy.
      if (payload === null) return;
      write.restore(key, Math.max(Number(ttl), 0), payload as Buffer, 'REPLACE');
      copied++;
    });
    for (const [err] of (await write.exec()) ?? []) if (err) throw err;
  }
  return copied;
}

/** Deletes every key of the engine (under its prefix). */
export async function deletePrefix(redis: Redis, prefix: string): Promise<number> {
  let deleted = 0;
  for await (const keys of scanKeys(redis, `${prefix}:*`)) deleted += await redis.unlink(...keys);
  return deleted;
}

/** Keys under the prefix, split into lasting ones and those with a time to live (which may lapse before a restore). */
export async function countKeys(
  redis: Redis,
  prefix: string,
): Promise<{ lasting: number; expiring: number }> {
  const counts = { lasting: 0, expiring: 0 };
  for await (const keys of scanKeys(redis, `${prefix}:*`)) {
    const pipeline = redis.pipeline();
    for (const key of keys) pipeline.pttl(key);
    for (const [, ttl] of (await pipeline.exec()) ?? []) {
      if (Number(ttl) === -1) counts.lasting++;
      else if (Number(ttl) >= 0) counts.expiring++;
    }
  }
  return counts;
}

/** The keys an RDB file holds under the prefix (loaded into a scratch Redis). */
export async function countKeysInRdb(rdbFile: string, prefix: string) {
  const scratch = await startScratchRedis(rdbFile);
  try {
    return await countKeys(scratch.redis, prefix);
  } finally {
    await scratch.stop();
  }
}
