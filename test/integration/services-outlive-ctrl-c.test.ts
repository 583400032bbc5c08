import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { portOpen as listening } from '../../backup/ferretdb';
import { freePort } from '../support/dedicated-services';

const root = path.resolve(__dirname, '../..');

describe('the local services and Ctrl-C in the terminal that started them', () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'nsatu-ctrl-c-'));
  let env: NodeJS.ProcessEnv = {};

  afterAll(async () => {
    await new Promise((resolve) =>
      spawn('bash', [path.join(root, 'infra/services.sh'), 'stop'], { env, stdio: 'ignore' }).once(
        'exit',
        resolve,
      ),
    );
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('when the quick start is stopped with Ctrl-C (SIGINT to its process group), then Temporal, FerretDB and Redis keep running for a backup', async () => {
    const ports = {
      temporal: await freePort(),
      ui: await freePort(),
      ferretdb: await freePort(),
      redis: await freePort(),
    };
    const served = [ports.temporal, ports.ferretdb, ports.redis];
    env = {
      ...process.env,
      NSATU_DATA_DIR: dataDir,
      NSATU_TEMPORAL_PORT: String(ports.temporal),
      NSATU_TEMPORAL_UI_PORT: String(ports.ui),
      NSATU_FERRETDB_PORT: String(ports.ferretdb),
      NSATU_REDIS_PORT: String(ports.redis),
    };
    for (const external of ['TEMPORAL_ADDRESS', 'MONGODB_URI', 'REDIS_URL']) delete env[external];
    // The terminal's foreground group: a shell that starts the services, then waits as the engine would.
    const shell = spawn(
      'bash',
      ['-c', `"${path.join(root, 'infra/services.sh')}" start && echo all-services-up && sleep 60`],
      { env, detached: true, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await new Promise<void>((resolve, reject) => {
      shell.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('all-services-up') && resolve());
      shell.once('exit', (code) => reject(new Error(`services did not start (exit ${code})`)));
    });
    expect(await Promise.all(served.map(listening))).toEqual([true, true, true]);
    const exited = new Promise((resolve) => shell.once('exit', resolve));
    process.kill(-shell.pid!, 'SIGINT');
    await exited;
    await new Promise((r) => setTimeout(r, 2_000));
    expect(await Promise.all(served.map(listening))).toEqual([true, true, true]);
  }, 90_000);
});
