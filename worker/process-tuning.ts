/**
 * How the Temporal worker process is started. Thousands of pledges wait on people for days; the worker keeps a small
 * cache of workflows and replays the rest when they wake, so nearly everything it allocates is short-lived. Both
 * settings keep its resident memory near its live data; measured in bench/memory.ts, see the README's figures.
 */

/** A small young generation: V8's default semi-space is 16 MiB, for the main isolate and the workflow thread each. */
export const TEMPORAL_WORKER_NODE_FLAGS = ['--max-semi-space-size=2'];

/**
 * Two glibc malloc arenas instead of eight per core: the worker's native core (Rust) allocates on several threads,
 * and memory freed in many arenas is returned to the system less readily. One sample only, taken before the
 * per-donor open pledges: with about 300 pledges waiting the worker held 396 MiB with the default and 264 MiB with
 * two. glibc reads it at start-up, so it is set in the environment the process starts with, not from inside it.
 */
export const TEMPORAL_WORKER_ENV = { MALLOC_ARENA_MAX: '2' };

/** The node flags and extra environment an engine process starts with, by its entry file. */
export function processTuning(entry: string): { nodeFlags: string[]; env: Record<string, string> } {
  return entry === 'worker/temporal-worker.ts'
    ? { nodeFlags: TEMPORAL_WORKER_NODE_FLAGS, env: TEMPORAL_WORKER_ENV }
    : { nodeFlags: [], env: {} };
}
