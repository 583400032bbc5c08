import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createConnection } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './files';

/** The engine's FerretDB program, as `infra/services.sh` finds it. */
export const ferretDbBinary = () =>
  path.join(
    process.env.NSATU_BIN_DIR ?? path.join(os.homedir(), '.cache/nsatu-engine/bin'),
    'nsatu-ferretdb',
  );

/** The SQLite file in which FerretDB's SQLite backend keeps one database. */
export const ferretDbFile = (sqliteDir: string, database: string) =>
  path.join(sqliteDir, `${database}.sqlite`);

/** Whether something accepts connections on the local port. */
export const portOpen = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

/**
 * A FerretDB of its own on a free port, serving the SQLite databases of `sqliteDir` (a snapshot), so that they can be
 * read through the wire protocol like the live database.
 */
export async function startScratchFerretDb(
  sqliteDir: string,
): Promise<{ port: number; stop(): Promise<void> }> {
  const bin = ferretDbBinary();
  if (!existsSync(bin)) throw new Error(`${bin} is missing (./scripts/setup.sh builds it)`);
  const port = await freePort();
  const child = spawn(
    bin,
    [
      '-listen',
      `127.0.0.1:${port}`,
      '-handler',
      'sqlite',
      '-sqlite-url',
      `file:${sqliteDir}/`,
      '-log-level',
      'error',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  const deadline = Date.now() + 30_000;
  while (!(await portOpen(port))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`FerretDB did not start on the snapshot: ${stderr.trim()}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { port, stop };
}
