import { spawn } from 'node:child_process';
import path from 'node:path';
import type { LoadResult, LoadSpec } from '../autocannon-child';

export type { LoadResult, LoadSpec };

const ROOT = path.resolve(__dirname, '../..');

/** Runs one autocannon load in its own process (not on the event loop of the server it measures). */
export function load(spec: LoadSpec): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(ROOT, 'bench/autocannon-child.ts'), JSON.stringify(spec)],
      {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`autocannon exited with ${code}`));
      try {
        resolve(JSON.parse(out.trim().split('\n').pop()!) as LoadResult);
      } catch (err) {
        reject(err instanceof Error ? err : new Error(String(err)));
      }
    });
  });
}
