import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';

export interface ProcessSpec {
  name: string;
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  stdio?: StdioOptions;
}

export interface SupervisorOptions {
  /** Delay before the n-th restart in a row (1-based); a process that stayed up `stableMs` starts over at 1. */
  backoffMs?: (restartsInARow: number) => number;
  stableMs?: number;
  /** After this many exits in a row without a stable run, no more restarts (a port taken, a bad config). */
  giveUpAfter?: number;
  onGiveUp?: (name: string) => void;
  /** Told of every unexpected exit, with the delay before the restart. */
  onExit?: (name: string, code: number | null, signal: NodeJS.Signals | null, restartInMs: number) => void;
}

export interface Supervised {
  name: string;
  /** How many times the process was started again after an exit nobody asked for. */
  readonly restarts: number;
  readonly pid: number | undefined;
  /** SIGTERM, then SIGKILL after `graceMs`; no restart follows. */
  stop(graceMs?: number): Promise<void>;
}

const defaultBackoff = (n: number) => Math.min(500 * 2 ** (n - 1), 30_000);

/**
 * Keeps one process running as a service manager would: an exit that was not asked for (a crash, a
 * kill -9, a lost database at start-up) is followed by a restart after a growing delay.
 */
export function supervise(spec: ProcessSpec, opts: SupervisorOptions = {}): Supervised {
  const backoff = opts.backoffMs ?? defaultBackoff;
  const stableMs = opts.stableMs ?? 60_000;
  const giveUpAfter = opts.giveUpAfter ?? 10;
  let child: ChildProcess | undefined;
  let restarts = 0;
  let inARow = 0;
  let stopping = false;
  let timer: NodeJS.Timeout | undefined;

  const start = () => {
    const startedAt = Date.now();
    const current = spawn(spec.command, spec.args, {
      env: spec.env ?? process.env,
      stdio: spec.stdio ?? 'inherit',
    });
    child = current;
    // A failure to spawn at all also ends in 'exit'-like handling through 'error'.
    current.once('error', () => current.emit('exit', null, null));
    current.once('exit', (code: number | null, signal: NodeJS.Signals | null) => {
      if (stopping || child !== current) return;
      inARow = Date.now() - startedAt >= stableMs ? 1 : inARow + 1;
      if (inARow > giveUpAfter) {
        opts.onGiveUp?.(spec.name);
        return;
      }
      const delay = backoff(inARow);
      opts.onExit?.(spec.name, code, signal, delay);
      timer = setTimeout(() => {
        if (stopping) return;
        restarts++;
        start();
      }, delay);
    });
  };
  start();

  return {
    name: spec.name,
    get restarts() {
      return restarts;
    },
    get pid() {
      return child?.pid;
    },
    async stop(graceMs = 9_000) {
      stopping = true;
      clearTimeout(timer);
      const current = child;
      if (!current || current.exitCode !== null || current.signalCode !== null) return;
      const exited = new Promise((r) => current.once('exit', r));
      current.kill('SIGTERM');
      const killer = setTimeout(() => current.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(killer);
    },
  };
}
