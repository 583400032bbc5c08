import { createReadStream } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import path from 'node:path';
import { createInterface } from 'node:readline';
import mongoose from 'mongoose';
import type { Document } from 'mongodb';
import { GENESIS_HASH, entryHash, type AuditEntry } from '../store/audit-log';
import { recordCounter } from './counts';
import { REDIS_FILE, TEMPORAL_FILE, type Manifest } from './manifest';
import { countKeysInRdb } from './redis';
import { openArchive } from './restore';
import { sqliteIntegrity } from './temporal';

const { EJSON } = mongoose.mongo.BSON;

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

async function* documents(dir: string, file: string): AsyncGenerator<Document> {
  const lines = createInterface({ input: createReadStream(path.join(dir, file)), crlfDelay: Infinity });
  // Relaxed: numbers as the driver hands them to the engine (the restore keeps BSON's exact types instead).
  for await (const line of lines) if (line) yield EJSON.parse(line, { relaxed: true }) as Document;
}

/** Walks the archived audit chain: every entry's hash over its content, then the links in sequence order. */
function auditChecker() {
  const links: Array<{ seq: number; prevHash: string; hash: string }> = [];
  let badContent: number | null = null;
  return {
    add(doc: Document) {
      const e = doc as unknown as AuditEntry;
      const { hash, ...rest } = e;
      const base = { ...rest, pledgeId: rest.pledgeId ?? null, detail: rest.detail ?? {} };
      if (badContent === null && entryHash(base) !== hash) badContent = e.seq;
      links.push({ seq: e.seq, prevHash: e.prevHash, hash });
    },
    result(head: Manifest['audit']['head']): Check {
      links.sort((a, b) => a.seq - b.seq);
      if (badContent !== null)
        return {
          name: 'audit chain',
          ok: false,
          detail: `entry ${badContent}: content does not match its hash`,
        };
      let prev = GENESIS_HASH;
      for (const [i, l] of links.entries()) {
        if (l.seq !== i + 1)
          return {
            name: 'audit chain',
            ok: false,
            detail: l.seq < i + 1 ? `entry ${l.seq} is there twice` : `entry ${i + 1} is missing`,
          };
        if (l.prevHash !== prev)
          return { name: 'audit chain', ok: false, detail: `entry ${l.seq} does not link` };
        prev = l.hash;
      }
      const end = {
        seq: links[links.length - 1]?.seq ?? 0,
        hash: links[links.length - 1]?.hash ?? GENESIS_HASH,
      };
      // No head at all: the engine never wrote to the log, which must then be empty.
      const ends = head ? end.seq === head.seq && end.hash === head.hash : links.length === 0;
      return {
        name: 'audit chain',
        ok: ends,
        detail: ends
          ? `${links.length} entries verify and end at the recorded head`
          : `the chain ends at ${end.seq}, the recorded head is ${head?.seq ?? 'absent'}`,
      };
    },
    hashAt: (seq: number) => links.find((l) => l.seq === seq)?.hash,
  };
}

/**
 * Checks an archive without restoring it anywhere: every file against its checksum, every document readable and
 * counted as the manifest says, the audit chain and its head, the Temporal database's integrity, and the Redis
 * snapshot loadable with the keys it should hold. Needs `sqlite3` and `redis-server`, nothing else running.
 */
export async function verifyArchive(archive: string): Promise<{ manifest: Manifest; checks: Check[] }> {
  const opened = await openArchive(archive);
  const { manifest, dir } = opened;
  const checks: Check[] = [
    { name: 'checksums', ok: true, detail: `${manifest.files.length} files match the manifest` },
  ];
  try {
    const counter = recordCounter();
    const audit = auditChecker();
    let readable = true;
    for (const c of manifest.record.collections) {
      let n = 0;
      for await (const doc of documents(dir, c.file)) {
        counter.visit(c.name, doc);
        if (c.name === 'audit_log') audit.add(doc);
        n++;
      }
      if (n !== c.documents) {
        readable = false;
        checks.push({
          name: `record ${c.name}`,
          ok: false,
          detail: `${n} documents, the manifest says ${c.documents}`,
        });
      }
    }
    const documentsTotal = manifest.record.collections.reduce((s, c) => s + c.documents, 0);
    checks.push({
      name: 'record',
      ok: readable,
      detail: `${manifest.record.collections.length} collections, ${documentsTotal} documents read`,
    });
    const countsAgree = isDeepStrictEqual(counter.counts, manifest.counts);
    checks.push({
      name: 'counts',
      ok: countsAgree,
      detail: countsAgree
        ? `${manifest.counts.pledges} pledges, ${manifest.counts.tasks} tasks (${manifest.counts.openTasks} open), ${manifest.counts.seatsReserved} seats, ${manifest.counts.signatures} signatures`
        : `counted ${JSON.stringify(counter.counts)}`,
    });
    checks.push(audit.result(manifest.audit.head));
    const checkpoint = manifest.audit.checkpoint as { seq?: unknown; hash?: unknown } | null;
    if (checkpoint && typeof checkpoint.seq === 'number') {
      const ok = audit.hashAt(checkpoint.seq) === checkpoint.hash;
      checks.push({ name: 'audit checkpoint', ok, detail: `checkpoint at entry ${checkpoint.seq}` });
    }
    if (manifest.temporal.kind === 'file') {
      const integrity = await sqliteIntegrity(path.join(dir, TEMPORAL_FILE));
      checks.push({
        name: 'temporal database',
        ok: integrity === 'ok',
        detail: `SQLite integrity check: ${integrity}`,
      });
    }
    const prefix = manifest.config.queuePrefix;
    const keys = await countKeysInRdb(path.join(dir, REDIS_FILE), prefix);
    checks.push({
      name: 'redis snapshot',
      ok: keys.lasting === manifest.redis.keys,
      detail: `${keys.lasting} keys under ${prefix}: (the manifest says ${manifest.redis.keys}), and ${keys.expiring} of ${manifest.redis.expiringKeys} expiring ones left`,
    });
    return { manifest, checks };
  } finally {
    await opened.close();
  }
}
