import { existsSync } from 'node:fs';
import { Client, Connection } from '@temporalio/client';
import { run } from './files';

/**
 * Copies the Temporal dev server's SQLite database while the server runs, through SQLite's online backup (the
 * `sqlite3` shell's `.backup`): the copy is one consistent state of the database, taken under SQLite's own locks, so
 * the server keeps serving meanwhile.
 */
export async function snapshotSqlite(source: string, target: string): Promise<void> {
  if (!existsSync(source)) throw new Error(`no Temporal database at ${source}`);
  // Dot-commands take the path as one quoted word; a quote inside it cannot be escaped there.
  if (target.includes("'")) throw new Error(`unsupported character in ${target}`);
  // The server holds its write lock briefly and often: wait for it rather than fail.
  await run('sqlite3', ['-bail', source], { input: `.timeout 20000\n.backup main '${target}'\n` });
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
