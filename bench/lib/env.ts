/**
 * Benchmark sizes, each overridable by an environment variable. The defaults are the sizes the figures in the
 * README were measured at (200 pledges through every stage, 2,000 left waiting for memory).
 */

const int = (name: string, fallback: number): number => {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0)
    throw new Error(`${name} must be a non-negative integer, got ${raw}`);
  return value;
};

const list = (name: string, fallback: number[]): number[] => {
  const raw = process.env[name];
  if (!raw) return fallback;
  return raw.split(',').map((v) => {
    const n = Number(v.trim());
    if (!Number.isInteger(n) || n <= 0)
      throw new Error(`${name} must be a comma-separated list of positive integers`);
    return n;
  });
};

export interface BenchSizes {
  /** Pledges pushed through every stage, and minimal workflows in the baseline. */
  pledges: number;
  /** Pledges in flight at once (scripted deciders). */
  concurrency: number;
  /** How often a decider polls for the next task or state, in ms. */
  pollMs: number;
  /** autocannon: connections and seconds per endpoint. */
  apiConnections: number;
  apiSeconds: number;
  /** Rules: generated pledges per run. */
  rulesCounts: number[];
  /** Memory: pledges left waiting on human tasks, measured at each of these counts in one fill. */
  memoryPledges: number[];
  /** Submissions waiting for their review task at most, when filling inboxes (memory, API write load). */
  memoryConcurrency: number;
  /** Seconds the pledges are left waiting after each fill of the memory benchmark, sampled every 5 s. */
  memorySettleSeconds: number;
  /** Reads at scale: pledges stored at each measurement, seconds per route, completion deciders and tasks. */
  readSizes: number[];
  readSeconds: number;
  deciders: number;
  completions: number;
  /** Which benchmarks run (comma-separated names); all by default. */
  only: string[];
}

/** Every benchmark `npm run bench` knows, in the order it runs them. */
export const BENCHMARKS = ['reads', 'reads-postgresql', 'throughput', 'api', 'rules', 'scheduler', 'memory'];

export function benchSizes(): BenchSizes {
  return {
    pledges: int('BENCH_PLEDGES', 200),
    concurrency: int('BENCH_CONCURRENCY', 10),
    pollMs: int('BENCH_POLL_MS', 100),
    apiConnections: int('BENCH_API_CONNECTIONS', 50),
    apiSeconds: int('BENCH_API_SECONDS', 10),
    rulesCounts: list('BENCH_RULES_COUNTS', [1_000, 10_000, 100_000]),
    memoryPledges: list('BENCH_MEMORY_PLEDGES', [2_000, 10_000]),
    memoryConcurrency: int('BENCH_MEMORY_CONCURRENCY', 10),
    memorySettleSeconds: int('BENCH_MEMORY_SETTLE_SECONDS', 120),
    readSizes: list('BENCH_READ_SIZES', [1_000, 10_000]),
    readSeconds: int('BENCH_READ_SECONDS', 30),
    deciders: int('BENCH_DECIDERS', 20),
    completions: int('BENCH_COMPLETIONS', 300),
    only: (process.env.BENCH_ONLY ?? BENCHMARKS.join(','))
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  };
}
