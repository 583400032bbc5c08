/**
 * Runs every benchmark, each beside its baseline, and writes bench/results/latest.json, REPORT.md and SVG plots.
 *
 *   npm run bench                      # all, default sizes
 *   BENCH_PLEDGES=200 BENCH_ONLY=throughput,api npm run bench
 *
 * Sizes and the selection come from BENCH_* variables (bench/lib/env.ts). Needs the services running
 * (./infra/services.sh start).
 */
import { mkdirSync, readdirSync, unlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Stack } from '../test/support/stack';
import { startDedicatedFerretDbOnPostgres } from '../test/support/dedicated-services';
import { runApiLoad } from './api-load';
import { runReads } from './reads';
import { deciders, ensureWorkflowBundle, seedBenchTraining, startBenchStack } from './lib/engine';
import { BENCHMARKS, benchSizes } from './lib/env';
import { machineFacts } from './lib/machine';
import { terminateWorkflows } from './lib/processes';
import { round } from './lib/stats';
import { runMemory } from './memory';
import { summaryRows, writeReport, type BenchResults } from './report';
import { runRules } from './rules';
import { runScheduler } from './scheduler-run';
import { runThroughput } from './throughput';

const RESULTS = path.join(__dirname, 'results');

async function main() {
  const started = performance.now();
  const log = (line: string) =>
    process.stdout.write(`[${round((performance.now() - started) / 1000)} s] ${line}\n`);
  const sizes = benchSizes();
  const machine = machineFacts();
  const overrides = Object.entries(process.env)
    .filter(([k]) => k.startsWith('BENCH_'))
    .map(([k, v]) => `${k}=${v}`)
    .sort();
  const results: BenchResults = {
    generatedAt: new Date().toISOString(),
    command: [...overrides, 'npm run bench'].join(' '),
    durationSeconds: 0,
    machine,
    loadAverageAtEnd: [],
    sizes: { ...sizes },
    errors: {},
  };
  const selected = (name: string) => sizes.only.includes(name);
  const attempt = async <T>(name: string, fn: () => Promise<T>): Promise<T | undefined> => {
    if (!selected(name)) return undefined;
    log(`${name}: start`);
    try {
      const value = await fn();
      log(`${name}: done`);
      return value;
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      results.errors[name] = message;
      log(`${name}: FAILED: ${message}`);
      return undefined;
    }
  };

  /** The read suite on a stack of its own, on the shared FerretDB (SQLite) or on one over PostgreSQL. */
  const reads = async (backend: 'sqlite' | 'postgresql') => {
    await ensureWorkflowBundle();
    const ferret =
      backend === 'postgresql'
        ? await startDedicatedFerretDbOnPostgres(`nsatu_bench_${Date.now().toString(36)}`)
        : undefined;
    let stack: Stack | undefined;
    let waiting: string[] = [];
    try {
      stack = await startBenchStack(`reads-${backend}`, {
        workerProcess: true,
        jobsWorker: 'process',
        ...(ferret ? { env: { MONGODB_URI: ferret.url } } : {}),
      });
      await seedBenchTraining(stack, await stack.as('admin'));
      const result = await runReads(stack, await deciders(stack), {
        sizes: sizes.readSizes,
        inFlightShare: 0.2,
        connections: sizes.apiConnections,
        seconds: sizes.readSeconds,
        deciders: sizes.deciders,
        completions: sizes.completions,
        log: (line) => log(`[${backend}] ${line}`),
      });
      waiting = result.inFlight;
      const { inFlight: _ids, ...figures } = result;
      return { backend, ...figures };
    } finally {
      if (stack) {
        await terminateWorkflows(
          stack.api.deps.temporal.client,
          waiting.map((id) => `pledge-${id}`),
        );
        await stack.stop();
      }
      await ferret?.stop();
    }
  };
  results.reads = await attempt('reads', () => reads('sqlite'));
  results.readsPostgresql = await attempt('reads-postgresql', () => reads('postgresql'));
  results.rules = await attempt('rules', async () => runRules(sizes.rulesCounts, log));
  results.scheduler = await attempt('scheduler', () => runScheduler(log));

  if (selected('throughput') || selected('api')) {
    await ensureWorkflowBundle();
    let stack: Stack | undefined;
    const leftWaiting: string[] = [];
    try {
      stack = await startBenchStack('bench', { workerProcess: true, jobsWorker: 'process' });
      await seedBenchTraining(stack, await stack.as('admin'));
      const d = await deciders(stack);
      const s = stack;
      results.throughput = await attempt('throughput', () =>
        runThroughput(s, d, {
          pledges: sizes.pledges,
          concurrency: sizes.concurrency,
          pollMs: sizes.pollMs,
          log,
        }),
      );
      const api = await attempt('api', () =>
        runApiLoad(s, d, {
          connections: sizes.apiConnections,
          seconds: sizes.apiSeconds,
          inFlight: sizes.memoryConcurrency,
          log,
        }),
      );
      if (api) {
        const { pledgeIds, ...figures } = api;
        leftWaiting.push(...pledgeIds);
        results.api = figures;
      }
    } catch (err) {
      results.errors.stack = err instanceof Error ? err.message : String(err);
      log(`stack: FAILED: ${results.errors.stack}`);
    } finally {
      if (stack) {
        await terminateWorkflows(
          stack.api.deps.temporal.client,
          leftWaiting.map((id) => `pledge-${id}`),
        );
        await stack.stop();
      }
    }
  }

  results.memory = await attempt('memory', () =>
    runMemory({
      pledges: sizes.memoryPledges,
      inFlight: sizes.memoryConcurrency,
      settleSeconds: sizes.memorySettleSeconds,
      log,
    }),
  );

  results.durationSeconds = round((performance.now() - started) / 1000);
  results.loadAverageAtEnd = os.loadavg().map((l) => round(l, 2));
  results.summary = summaryRows(results);
  // A run of some benchmarks leaves the full report alone: it goes beside it, named by its time.
  const complete = BENCHMARKS.every(selected);
  const dir = complete ? RESULTS : path.join(RESULTS, 'partial', results.generatedAt.replace(/[:.]/g, '-'));
  mkdirSync(dir, { recursive: true });
  // Plots of an earlier run that this one did not make would be out of date.
  for (const file of readdirSync(dir)) if (file.endsWith('.svg')) unlinkSync(path.join(dir, file));
  writeFileSync(path.join(dir, 'latest.json'), `${JSON.stringify(results, null, 2)}\n`);
  const svgs = writeReport(results, dir);
  log(`wrote ${path.relative(process.cwd(), dir)}/latest.json, REPORT.md and ${svgs.join(', ')}`);
  for (const row of results.summary) {
    log(
      `${row.benchmark}: ${row.figure}: ${row.value ?? '-'} ${row.unit} (baseline ${row.baseline ?? '-'}, ratio ${row.ratio ?? '-'})`,
    );
  }
  return Object.keys(results.errors).length ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
