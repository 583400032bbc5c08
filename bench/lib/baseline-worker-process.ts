/** The baseline workflows' worker (bench/baseline-worker.ts) as a process of its own, like the engine's worker. */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

/** Starts it on `taskQueue` and resolves once it polls; stop it with SIGTERM. */
export async function startBaselineWorker(taskQueue: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'bench/baseline-worker.ts')], {
    cwd: ROOT,
    env: { ...process.env, BASELINE_TASK_QUEUE: taskQueue },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`baseline worker exited with ${code}`)));
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('baseline worker ready')) resolve();
    });
  });
  return child;
}
