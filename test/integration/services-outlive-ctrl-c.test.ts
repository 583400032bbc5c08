import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { portOpen } from '../../backup/ferretdb';
import { localServices } from '../support/local-services';

const servicesScript = path.resolve(__dirname, '../../infra/services.sh');

describe('the local services and Ctrl-C in the terminal that started them', () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'nsatu-ctrl-c-'));
  const services = localServices(dataDir);

  afterAll(async () => {
    await (await services).stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('when the quick start is stopped with Ctrl-C (SIGINT to its process group), then Temporal, FerretDB and Redis keep running for a backup', async () => {
    const { env } = await services;
    const ports = ['NSATU_TEMPORAL_PORT', 'NSATU_FERRETDB_PORT', 'NSATU_REDIS_PORT'].map((k) =>
      Number(env[k]),
    );
    const listening = () => Promise.all(ports.map(portOpen));
    // The terminal's foreground group: a shell that starts the services, then waits as the engine would.
    const shell = spawn('bash', ['-c', `"${servicesScript}" start && echo all-services-up && sleep 60`], {
      env,
      detached: true,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve, reject) => {
      shell.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('all-services-up') && resolve());
      shell.once('exit', (code) => reject(new Error(`services did not start (exit ${code})`)));
    });
    expect(await listening()).toEqual([true, true, true]);
    const exited = new Promise((resolve) => shell.once('exit', resolve));
    process.kill(-shell.pid!, 'SIGINT');
    await exited;
    await new Promise((r) => setTimeout(r, 2_000));
    expect(await listening()).toEqual([true, true, true]);
  }, 90_000);
});
