import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer } from 'node:net';

/** SHA-256 (hex) and size of a file, read as a stream. */
export async function digestFile(file: string): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return { sha256: hash.digest('hex'), bytes: (await stat(file)).size };
}

/** Runs a program (no shell) and returns its standard output; fails with its standard error. */
export function run(
  bin: string,
  args: string[],
  opts: { input?: string; timeoutMs?: number; onTimeout?: string } = {},
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { stdio: ['pipe', 'pipe', 'pipe'], timeout: opts.timeoutMs });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.once('error', (e: NodeJS.ErrnoException) =>
      reject(e.code === 'ENOENT' ? new Error(`${bin} is not installed (./scripts/setup.sh installs it)`) : e),
    );
    child.once('exit', (code, signal) => {
      if (code === 0) resolve(out);
      else if (signal && opts.timeoutMs !== undefined)
        reject(
          new Error(
            `${bin} did not finish within ${Math.round(opts.timeoutMs / 1000)} s${opts.onTimeout ? `: ${opts.onTimeout}` : ''}`,
          ),
        );
      else reject(new Error(`${bin} exited with ${code ?? signal}: ${(err || out).trim()}`));
    });
    // A program that exits before reading its input closes the pipe: its exit code tells what happened, not EPIPE.
    child.stdin.on('error', () => undefined);
    child.stdin.end(opts.input ?? '');
  });
}

/** Runs an operator-given shell command (a pause or resume hook), its output passed through. */
export function runShell(command: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/sh', ['-c', command], { stdio: ['ignore', 'inherit', 'inherit'] });
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`command failed with ${code}: ${command}`)),
    );
  });
}

/** A TCP port nothing listens on right now (for a scratch server). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export const isLoopback = (host: string) => ['127.0.0.1', 'localhost', '::1', '[::1]'].includes(host);
