import { existsSync, statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { Client, Connection } from '@temporalio/client';
import { run } from './files';

/** How a live SQLite database is copied (see `snapshotSqlite`). */
export type SqliteCopy = 'online-backup' | 'vacuum-into';

/** How long one attempt waits for the server's lock, and how many attempts are made. */
const LOCK_WAIT_MS = 60_000;
const ATTEMPTS = 3;

/** The longest one copy may take: the lock wait, then 5 MB a second (a copy on this machine runs at 50 or more). */
const copyBound = (file: string) => LOCK_WAIT_MS + Math.ceil(statSync(file).size / 5_000);

/**
 * Copies a live SQLite database into `target` as one consistent state of it, taken under SQLite's own locks while
 * its server keeps running.
 *
 * - `online-backup` (the `sqlite3` shell's `.backup`) copies pages in steps and starts again whenever another
 *   process writes in between: right for FerretDB's files, whose only writers (the engine) are paused.
 * - `vacuum-into` (`VACUUM INTO`) reads the whole database in one read transaction, so writes meanwhile cannot
 *   restart it; the copy is also compacted. For the Temporal dev server, which goes on writing (timers, task queues)
 *   while the engine is paused: at 10,000 pledges `.backup` of its database failed with "database is locked" after
 *   20 s of waiting.
 *
 * The dev server keeps a rollback journal, so a reader waits while it commits; each attempt waits up to a minute.
 * An online backup that another process keeps restarting would never end (SQLite starts it again after every
 * write), so each copy is bounded by the file's size and fails saying why.
 */
export async function snapshotSqlite(
  source: string,
  target: string,
  how: SqliteCopy,
  opts: { boundMs?: number } = {},
): Promise<void> {
  if (!existsSync(source)) throw new Error(`no SQLite database at ${source}`);
  // Dot-commands and SQL take the path as one quoted word; a quote inside it cannot be escaped there.
  if (target.includes("'")) throw new Error(`unsupported character in ${target}`);
  const copy = how === 'vacuum-into' ? `VACUUM INTO '${target}';` : `.backup main '${target}'`;
  for (let attempt = 1; ; attempt++) {
    try {
      await rm(target, { force: true });
      await run('sqlite3', ['-bail', source], {
        input: `.timeout ${LOCK_WAIT_MS}\n${copy}\n`,
        timeoutMs: opts.boundMs ?? copyBound(source),
        onTimeout:
          how === 'online-backup'
            ? `another process keeps writing ${source} (an online copy starts again after every write) or holds its lock: stop every process that writes the database`
            : `the copy of ${source} did not finish`,
      });
      return;
    } catch (err) {
      if (attempt >= ATTEMPTS || !/database is locked/.test((err as Error).message)) throw err;
    }
  }
}

/** SQLite's own check of a database file ("ok" when sound). */
export async function sqliteIntegrity(file: string): Promise<string> {
  return (await run('sqlite3', ['-readonly', file, 'PRAGMA integrity_check;'])).trim();
}

export interface TemporalFacts {
  serverVersion: string | null;
  workflows: { running: number; total: number };
}

/**
 * A connection to Temporal that reports the server's version and how many workflows it holds (running and in all,
 * from its visibility store). Opened ahead, so that asking costs the pause only the two counts.
 */
export async function temporalReporter(address: string, namespace: string) {
  const connection = await Connection.connect({ address, connectTimeout: '5s' });
  const client = new Client({ connection, namespace });
  return {
    async facts(): Promise<TemporalFacts> {
      const [info, running, total] = await Promise.all([
        client.workflowService.getSystemInfo({}),
        client.workflow.count('ExecutionStatus = "Running"'),
        client.workflow.count(),
      ]);
      return {
        serverVersion: info.serverVersion || null,
        workflows: { running: running.count, total: total.count },
      };
    },
    close: () => connection.close(),
  };
}
