import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { supervise, type Supervised } from '../../infra/supervisor';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(probe: () => boolean, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(20);
  }
}

/** A process that appends its pid to a file, then lives (or dies) as told. */
const node = (file: string, body: string) => ({
  command: process.execPath,
  args: ['-e', `require('fs').appendFileSync(${JSON.stringify(file)}, process.pid + '\\n'); ${body}`],
  stdio: 'ignore' as const,
});

describe('supervisor: keeps an engine process running', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'nsatu-supervisor-'));
  let running: Supervised | undefined;
  afterEach(async () => {
    await running?.stop(1_000);
    running = undefined;
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const starts = (file: string) => {
    try {
      return readFileSync(file, 'utf8').trim().split('\n').filter(Boolean);
    } catch {
      return [];
    }
  };

  it('starts a process killed with SIGKILL again, as a new process', async () => {
    const file = path.join(dir, 'killed');
    running = supervise(
      { name: 'worker', ...node(file, 'setInterval(() => {}, 1000)') },
      { backoffMs: () => 10 },
    );
    await until(() => starts(file).length === 1);
    process.kill(running.pid!, 'SIGKILL');
    await until(() => starts(file).length === 2);
    expect(running.restarts).toBe(1);
    expect(new Set(starts(file)).size).toBe(2);
  });

  it('gives up, and says so, when a process fails at every start', async () => {
    const file = path.join(dir, 'failing');
    let gaveUp = '';
    const exits: number[] = [];
    running = supervise(
      { name: 'api', ...node(file, 'process.exit(3)') },
      {
        backoffMs: () => 10,
        giveUpAfter: 3,
        onExit: (_n, code) => exits.push(code ?? -1),
        onGiveUp: (name) => (gaveUp = name),
      },
    );
    await until(() => gaveUp !== '');
    expect(gaveUp).toBe('api');
    expect(starts(file)).toHaveLength(4);
    expect(exits).toEqual([3, 3, 3]);
    await sleep(200);
    expect(starts(file)).toHaveLength(4);
  });

  it('does not restart a process it was asked to stop', async () => {
    const file = path.join(dir, 'stopped');
    running = supervise(
      { name: 'jobs', ...node(file, 'setInterval(() => {}, 1000)') },
      { backoffMs: () => 10 },
    );
    await until(() => starts(file).length === 1);
    await running.stop(1_000);
    await sleep(200);
    expect(starts(file)).toHaveLength(1);
    expect(running.restarts).toBe(0);
  });
});
