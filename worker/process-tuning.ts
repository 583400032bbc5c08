/**
 * How each engine process is started. Thousands of pledges wait on people for days; the Temporal worker keeps a
 * small cache of workflows and replays the rest when they wake, so nearly everything it allocates is short-lived.
 * The settings below keep each process's resident memory near its live data; measured in bench/memory.ts, see the
 * README's figures.
 */

/**
 * The TypeScript loader: tsx's CommonJS hook, which transpiles in the process's own thread. `--import tsx` also
 * registers ESM hooks, and Node 20 runs those on a loader thread with a V8 isolate of its own: 23–28 MiB more in
 * each of the three processes, measured idle.
 */
const TYPESCRIPT_LOADER = ['--require', 'tsx/cjs'];

/**
 * A small young generation (V8's default semi-space is 16 MiB, for the main isolate and the workflow thread each),
 * and an old generation allowed to grow by half its live data before the next full collection rather than by up to
 * four times: the fill of 2,000 waiting pledges peaked at 299 MiB with it, 366 MiB without (one sample each; the
 * second shared the machine).
 */
export const TEMPORAL_WORKER_NODE_FLAGS = ['--max-semi-space-size=2', '--heap-growing-percent=50'];

/**
 * Two glibc malloc arenas instead of eight per core: the worker's native core (Rust) allocates on several threads,
 * and memory freed in many arenas is returned to the system less readily. One sample only, taken before the
 * per-donor open pledges: with about 300 pledges waiting the worker held 396 MiB with the default and 264 MiB with
 * two. glibc reads it at start-up, so it is set in the environment the process starts with, not from inside it.
 */
export const TEMPORAL_WORKER_ENV = { MALLOC_ARENA_MAX: '2' };

/** The node arguments and extra environment an engine process starts with, for its entry file (a path ending in
 * one of the engine's entries, relative or absolute). */
export function engineProcess(entry: string): { args: string[]; env: Record<string, string> } {
  const worker = entry.endsWith('worker/temporal-worker.ts');
  return {
    args: [...(worker ? TEMPORAL_WORKER_NODE_FLAGS : []), ...TYPESCRIPT_LOADER, entry],
    env: worker ? TEMPORAL_WORKER_ENV : {},
  };
}
