import { createHash } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { Redis } from 'ioredis';
import mongoose from 'mongoose';
import type { Db } from 'mongodb';

const { EJSON } = mongoose.mongo.BSON;
const sha = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

/**
 * The engine's whole state as fingerprints, to compare two moments exactly: every document of every collection,
 * every workflow execution with its status, and every lasting key of Redis (read projections aside: they are
 * rebuilt, not restored; keys with a time to live aside: they may lapse while the services are down).
 */
export interface StateDigest {
  record: Map<string, string>;
  workflows: Map<string, string>;
  redis: Map<string, string>;
}

export async function digestState(
  db: Db,
  temporalAddress: string,
  redisUrl: string,
  prefix: string,
): Promise<StateDigest> {
  const record = new Map<string, string>();
  for (const { name } of await db.listCollections({}, { nameOnly: true }).toArray()) {
    if (name.startsWith('system.')) continue;
    for await (const doc of db.collection(name).find({}))
      record.set(`${name}/${EJSON.stringify(doc._id)}`, sha(EJSON.stringify(doc, { relaxed: false })));
  }
  const workflows = new Map<string, string>();
  const connection = await Connection.connect({ address: temporalAddress });
  try {
    for await (const wf of new Client({ connection }).workflow.list())
      workflows.set(`${wf.workflowId}/${wf.runId}`, wf.status.name);
  } finally {
    await connection.close();
  }
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 2 });
  const keys = new Map<string, string>();
  try {
    let cursor = '0';
    do {
      const [next, found] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      for (const key of found) {
        if (key.startsWith(`${prefix}:{views}:`) || (await redis.pttl(key)) !== -1) continue;
        keys.set(key, sha(JSON.stringify(await redisValue(redis, key))));
      }
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  return { record, workflows, redis: keys };
}

/** A key's value in a canonical form (DUMP's bytes follow the in-memory encoding, e.g. a hash's field order). */
async function redisValue(redis: Redis, key: string): Promise<unknown> {
  const type = await redis.type(key);
  switch (type) {
    case 'string':
      return [type, await redis.get(key)];
    case 'hash':
      return [type, Object.entries(await redis.hgetall(key)).sort(([a], [b]) => a.localeCompare(b))];
    case 'list':
      return [type, await redis.lrange(key, 0, -1)];
    case 'set':
      return [type, (await redis.smembers(key)).sort()];
    case 'zset':
      return [type, await redis.zrange(key, '0', '-1', 'WITHSCORES')];
    case 'stream':
      return [type, await redis.xrange(key, '-', '+')];
    default:
      return [type];
  }
}

/** What differs between two fingerprints of one kind: missing, added and changed entries. */
export function differences(before: Map<string, string>, after: Map<string, string>) {
  return {
    missing: [...before.keys()].filter((k) => !after.has(k)),
    added: [...after.keys()].filter((k) => !before.has(k)),
    changed: [...before.keys()].filter((k) => after.has(k) && after.get(k) !== before.get(k)),
  };
}
