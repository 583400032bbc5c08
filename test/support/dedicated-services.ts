import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';

/**
 * A FerretDB or Redis of one test file's own, so that the file can restart it without disturbing the shared
 * services other test files use. Data lives in a temporary directory and survives restarts.
 */
export interface DedicatedService {
  name: string;
  port: number;
  url: string;
  dir: string;
  /** Stops the process (SIGTERM, then SIGKILL after 10 s) and starts it again on the same port and data. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = createConnection({ port, host: '127.0.0.1' });
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`nothing listens on port ${port} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function stopProcess(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

async function dedicated(
  name: string,
  url: (port: number) => string,
  command: (port: number, dir: string) => [string, string[]],
): Promise<DedicatedService> {
  const port = await freePort();
  const dir = mkdtempSync(path.join(os.tmpdir(), `nsatu-reliability-${name}-`));
  let child: ChildProcess | undefined;
  const start = async () => {
    const [bin, args] = command(port, dir);
    child = spawn(bin, args, { stdio: ['ignore', 'ignore', 'inherit'] });
    const failed = new Promise<never>((_, reject) => child!.once('error', reject));
    await Promise.race([waitForPort(port), failed]);
  };
  await start();
  return {
    name,
    port,
    url: url(port),
    dir,
    async restart() {
      await stopProcess(child);
      await start();
    },
    async stop() {
      await stopProcess(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const FERRETDB_BIN =
  process.env.NSATU_FERRETDB_BIN ?? path.join(os.homedir(), '.cache/nsatu-engine/bin/nsatu-ferretdb');

/** A FerretDB (SQLite backend) of its own; `sqliteQuery` is appended to its SQLite directory URI. */
export function startDedicatedFerretDb(database: string, sqliteQuery = ''): Promise<DedicatedService> {
  return dedicated(
    'ferretdb',
    (port) => `mongodb://127.0.0.1:${port}/${database}`,
    (port, dir) => [
      FERRETDB_BIN,
      [
        '-listen',
        `127.0.0.1:${port}`,
        '-handler',
        'sqlite',
        '-sqlite-url',
        `file:${dir}/${sqliteQuery}`,
        '-log-level',
        'error',
      ],
    ],
  );
}

/**
 * A FerretDB of its own on the machine's PostgreSQL (FERRETDB_POSTGRESQL_ADMIN_URL, default the local server as
 * postgres): a PostgreSQL database of that name is created first when missing.
 */
export async function startDedicatedFerretDbOnPostgres(database: string): Promise<DedicatedService> {
  const admin = process.env.FERRETDB_POSTGRESQL_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const pgUrl = `${admin.slice(0, admin.lastIndexOf('/'))}/${database}`;
  const exists = await run('psql', [
    admin,
    '-tAc',
    `select 1 from pg_database where datname = '${database}'`,
  ]);
  if (exists.trim() !== '1') await run('psql', [admin, '-qc', `create database "${database}"`]);
  return dedicated(
    'ferretdb-postgresql',
    (port) => `mongodb://127.0.0.1:${port}/${database}`,
    (port) => [
      FERRETDB_BIN,
      [
        '-listen',
        `127.0.0.1:${port}`,
        '-handler',
        'postgresql',
        '-postgresql-url',
        pgUrl,
        '-log-level',
        'error',
      ],
    ],
  );
}

function run(bin: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`${bin} exited with ${code}`)),
    );
  });
}

/** A Redis of its own with append-only persistence, as the engine's own Redis runs. */
export function startDedicatedRedis(): Promise<DedicatedService> {
  return dedicated(
    'redis',
    (port) => `redis://127.0.0.1:${port}`,
    (port, dir) => [
      process.env.NSATU_REDIS_BIN ?? 'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--appendonly',
        'yes',
        '--dir',
        dir,
        '--save',
        '',
        '--maxmemory-policy',
        'noeviction',
      ],
    ],
  );
}
