import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../backup/files';
import { snapshotSqlite, sqliteIntegrity, type SqliteCopy } from '../../backup/temporal';

const sql = (file: string, input: string) => run('sqlite3', ['-bail', file], { input });

/** Until a reader that does not wait is refused: another process holds the database's lock. */
async function writerHoldsLock(file: string) {
  const unlocked = () =>
    sql(file, 'SELECT count(*) FROM t;').then(
      () => true,
      () => false,
    );
  for (let i = 0; await unlocked(); i++) {
    if (i > 250) throw new Error('the writer never took its lock');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('a live SQLite database copied for a backup', () => {
  let dir: string;
  let source: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'nsatu-sqlite-snapshot-'));
    source = path.join(dir, 'live.db');
    // A rollback journal, as the Temporal dev server keeps.
    await sql(source, 'PRAGMA journal_mode=DELETE; CREATE TABLE t (n INTEGER); INSERT INTO t VALUES (1);');
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it.each<SqliteCopy>(['vacuum-into', 'online-backup'])(
    '%s waits for a writer holding the lock and copies its committed rows, whole',
    async (how) => {
      // The writer holds an exclusive lock for 1.5 s, then commits 1,000 more rows.
      const writer = spawn('sqlite3', ['-bail', source], { stdio: ['pipe', 'ignore', 'inherit'] });
      const finished = new Promise((resolve) => writer.once('exit', resolve));
      writer.stdin.end(
        'BEGIN EXCLUSIVE;\n' +
          'WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 1000) INSERT INTO t SELECT i FROM s;\n' +
          '.shell sleep 1.5\n' +
          'COMMIT;\n',
      );
      await writerHoldsLock(source);
      const target = path.join(dir, `${how}.db`);
      await snapshotSqlite(source, target, how);
      await finished;
      expect(await sqliteIntegrity(target)).toBe('ok');
      // Never half a transaction: the copy has the writer's rows, since it waited for the commit.
      expect((await sql(target, 'SELECT count(*) FROM t;')).trim()).toBe(
        (await sql(source, 'SELECT count(*) FROM t;')).trim(),
      );
    },
  );
});

describe('an online copy of a database that another process keeps busy', () => {
  let dir: string;
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('fails within its bound and says why, instead of pausing the engine for ever', async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'nsatu-sqlite-busy-'));
    const source = path.join(dir, 'busy.db');
    await sql(source, 'CREATE TABLE t (n INTEGER); INSERT INTO t VALUES (1);');
    // Another process holds the write lock for 8 s: longer than the copy's bound, shorter than its lock wait.
    const writer = spawn('sqlite3', ['-bail', source], { stdio: ['pipe', 'ignore', 'ignore'] });
    const finished = new Promise((resolve) => writer.once('exit', resolve));
    writer.stdin.end('BEGIN EXCLUSIVE;\nINSERT INTO t VALUES (2);\n.shell sleep 8\nCOMMIT;\n');
    await writerHoldsLock(source);
    const started = Date.now();
    await expect(
      snapshotSqlite(source, path.join(dir, 'copy.db'), 'online-backup', { boundMs: 2_000 }),
    ).rejects.toThrow(/did not finish within 2 s: another process keeps writing .* or holds its lock/);
    expect(Date.now() - started).toBeLessThan(7_000);
    // Once the writer has committed and gone, the same copy fits the same bound.
    await finished;
    await snapshotSqlite(source, path.join(dir, 'copy.db'), 'online-backup', { boundMs: 2_000 });
    expect((await sql(path.join(dir, 'copy.db'), 'SELECT count(*) FROM t;')).trim()).toBe('2');
  });
});
