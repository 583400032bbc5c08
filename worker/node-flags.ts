/**
 * Node flags the Temporal worker process runs with. Thousands of pledges wait on people for days; the worker keeps
 * a small cache of workflows and replays the rest when they wake, so its heap is mostly short-lived garbage: a
 * small young generation (V8's default semi-space is 16 MiB, for the main isolate and the workflow thread each)
 * keeps its resident memory near its live data. Measured in bench/memory.ts; see the README's figures.
 */
export const TEMPORAL_WORKER_NODE_FLAGS = ['--max-semi-space-size=2'];
