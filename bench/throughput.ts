/**
 * Pledge throughput: N pledges through every stage by scripted deciders over the public API, C at a time; beside
 * it, N minimal workflows with the same activities and Updates (bench/baseline-workflows.ts) on the same Temporal
 * server, driven the same way (poll for the next decision, decide by Update), with their own worker process.
 */
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { Stack } from '../test/support/stack';
import { baselinePledge, decideUpdate, waitingForQuery } from './baseline-workflows';
import { startBaselineWorker } from './lib/baseline-worker-process';
import type { Deciders } from './lib/engine';
import { countCpu, type CpuUse } from './lib/cpu';
import { workflowShape, type WorkflowShape } from './lib/history';
import { stepTimes } from './lib/step-times';
import { pool, ratio, round, sleep, summarize, type Summary } from './lib/stats';
import { drivePledge, STAGES, type PledgeRun, type StageKey } from './pledge-driver';

export interface ThroughputOptions {
  pledges: number;
  concurrency: number;
  pollMs: number;
  log: (line: string) => void;
}

interface Timed {
  ok: boolean;
  error?: string;
  totalMs: number;
  stages: Array<{ stage: StageKey; ms: number }>;
}

function stageSummaries(runs: Timed[]) {
  const by = new Map<StageKey, number[]>();
  for (const run of runs.filter((r) => r.ok))
    for (const s of run.stages) by.set(s.stage, [...(by.get(s.stage) ?? []), s.ms]);
  const out: Partial<Record<StageKey, Summary>> = {};
  for (const key of Object.keys(STAGES) as StageKey[]) {
    const values = by.get(key);
    if (values?.length) out[key] = roundSummary(summarize(values));
  }
  return out;
}

const roundSummary = (s: Summary): Summary => ({
  n: s.n,
  min: round(s.min),
  p50: round(s.p50),
  p95: round(s.p95),
  p99: round(s.p99),
  max: round(s.max),
  mean: round(s.mean),
});

/** One minimal workflow driven like a pledge: wait for each decision to be visible, decide, repeat. */
async function driveBaseline(
  client: Client,
  taskQueue: string,
  workflowId: string,
  shape: WorkflowShape,
  keys: StageKey[],
  pollMs: number,
): Promise<Timed> {
  const stages: Timed['stages'] = [];
  const started = performance.now();
  const batches = shape.activityBatches;
  try {
    const handle = await client.workflow.start(baselinePledge, {
      taskQueue,
      workflowId,
      args: [{ activityBatches: batches }],
    });
    const waitFor = async (k: number) => {
      const deadline = Date.now() + 180_000;
      for (;;) {
        if ((await handle.query(waitingForQuery)) >= k) return;
        if (Date.now() > deadline) throw new Error(`timed out waiting for decision ${k} of ${workflowId}`);
        await sleep(pollMs);
      }
    };
    await waitFor(0);
    stages.push({ stage: keys[0], ms: performance.now() - started });
    for (let k = 0; k < batches.length - 1; k++) {
      const t0 = performance.now();
      await handle.executeUpdate(decideUpdate, { args: [k] });
      await waitFor(k + 1 === batches.length - 1 ? batches.length : k + 1);
      stages.push({ stage: keys[k + 1] ?? 'cohortEvent', ms: performance.now() - t0 });
    }
    return { ok: true, totalMs: performance.now() - started, stages };
  } catch (err) {
    return {
      ok: false,
      error: err instanceof Error ? err.message : String(err),
      totalMs: performance.now() - started,
      stages,
    };
  }
}

export async function runThroughput(stack: Stack, d: Deciders, opts: ThroughputOptions) {
  const client = stack.api.deps.temporal.client;
  // One pledge first, not counted: warms every process and tells what a pledge costs Temporal.
  const warm = await drivePledge(d, 0, opts.pollMs);
  if (!warm.ok) throw new Error(`warm-up pledge failed: ${warm.error}`);
  const shape = await workflowShape(client, `pledge-${warm.id}`);
  opts.log(
    `throughput: one pledge = ${shape.workflows} workflows, ${shape.activities} activities, ${shape.updates} Updates, ${shape.events} history events`,
  );

  let done = 0;
  const startedAt = Date.now();
  const t0 = performance.now();
  const engineCpu = countCpu();
  const runs: PledgeRun[] = await pool(opts.pledges, opts.concurrency, async (i) => {
    const run = await drivePledge(d, i + 1, opts.pollMs);
    if (++done % Math.max(1, Math.round(opts.pledges / 5)) === 0)
      opts.log(
        `throughput: ${done}/${opts.pledges} pledges done after ${round((performance.now() - t0) / 1000)} s`,
      );
    return run;
  });
  const engineSeconds = (performance.now() - t0) / 1000;
  const cpu = { engine: engineCpu.stop(), baseline: null as CpuUse | null };
  const failures = runs.filter((r) => !r.ok);
  for (const f of failures.slice(0, 5)) opts.log(`throughput: pledge ${f.id} failed: ${f.error}`);
  // Where the pledges' time went, per activity type and for workflow tasks, read from their histories.
  const steps = await stepTimes(
    (id) => client.workflow.getHandle(id).fetchHistory(),
    runs.filter((r) => r.ok).map((r) => `pledge-${r.id}`),
    startedAt,
  );

  // The baseline: as many minimal workflows, same activities and Updates, same concurrency and polling.
  const taskQueue = `bench-baseline-${randomUUID().slice(0, 8)}`;
  const worker = await startBaselineWorker(taskQueue);
  const keys = warm.stages.map((s) => s.stage);
  let baselineRuns: Timed[];
  let baselineSeconds: number;
  try {
    await driveBaseline(client, taskQueue, `${taskQueue}-warm`, shape, keys, opts.pollMs);
    const b0 = performance.now();
    const baselineCpu = countCpu();
    baselineRuns = await pool(opts.pledges, opts.concurrency, (i) =>
      driveBaseline(client, taskQueue, `${taskQueue}-${i}`, shape, keys, opts.pollMs),
    );
    baselineSeconds = (performance.now() - b0) / 1000;
    cpu.baseline = baselineCpu.stop();
  } finally {
    const exited = new Promise((r) => worker.once('exit', r));
    worker.kill('SIGTERM');
    await exited;
  }
  const baselineFailures = baselineRuns.filter((r) => !r.ok);
  for (const f of baselineFailures.slice(0, 5)) opts.log(`throughput: baseline workflow failed: ${f.error}`);

  const completed = runs.length - failures.length;
  const perMinute = (completed * 60) / engineSeconds;
  const baselineCompleted = baselineRuns.length - baselineFailures.length;
  const baselinePerMinute = (baselineCompleted * 60) / baselineSeconds;
  const engineStages = stageSummaries(runs);
  const baselineStages = stageSummaries(baselineRuns);
  const total = roundSummary(summarize(runs.filter((r) => r.ok).map((r) => r.totalMs)));
  const baselineTotal = roundSummary(summarize(baselineRuns.filter((r) => r.ok).map((r) => r.totalMs)));
  const stages = (Object.keys(STAGES) as StageKey[])
    .filter((k) => engineStages[k])
    .map((k) => {
      const engine = engineStages[k]!;
      const base = baselineStages[k];
      return {
        key: k,
        label: STAGES[k],
        engine,
        baseline: base ?? null,
        ratio: base
          ? {
              p50: ratio(engine.p50, base.p50),
              p95: ratio(engine.p95, base.p95),
              p99: ratio(engine.p99, base.p99),
            }
          : null,
      };
    });
  return {
    pledges: opts.pledges,
    concurrency: opts.concurrency,
    pollMs: opts.pollMs,
    shape,
    steps,
    cpu,
    engine: {
      completed,
      failed: failures.length,
      retries: runs.reduce((n, r) => n + r.retries, 0),
      seconds: round(engineSeconds),
      perMinute: round(perMinute, 1),
      total,
    },
    baseline: {
      completed: baselineCompleted,
      failed: baselineFailures.length,
      seconds: round(baselineSeconds),
      perMinute: round(baselinePerMinute, 1),
      total: baselineTotal,
    },
    ratio: {
      perMinute: ratio(perMinute, baselinePerMinute),
      totalP50: ratio(total.p50, baselineTotal.p50),
      totalP99: ratio(total.p99, baselineTotal.p99),
    },
    stages,
    failures: failures.map((f) => ({ id: f.id, error: f.error })).slice(0, 20),
  };
}
