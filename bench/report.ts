/** Turns the results of one run into bench/results/REPORT.md and its SVG plots. */
import { readFileSync, readdirSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { runApiLoad } from './api-load';
import { barChart, formatNumber, palette } from './lib/svg';
import { ratio } from './lib/stats';
import type { runMemory } from './memory';
import type { runRules } from './rules';
import type { runScheduler } from './scheduler-run';
import type { runReads } from './reads';
import type { StepTimes } from './lib/step-times';
import type { runThroughput } from './throughput';

export interface BenchResults {
  generatedAt: string;
  command: string;
  durationSeconds: number;
  machine: Record<string, unknown>;
  loadAverageAtEnd: number[];
  sizes: Record<string, unknown>;
  reads?: Omit<Awaited<ReturnType<typeof runReads>>, 'inFlight'> & { backend: string };
  readsPostgresql?: Omit<Awaited<ReturnType<typeof runReads>>, 'inFlight'> & { backend: string };
  throughput?: Awaited<ReturnType<typeof runThroughput>>;
  api?: Omit<Awaited<ReturnType<typeof runApiLoad>>, 'pledgeIds'>;
  rules?: ReturnType<typeof runRules>;
  scheduler?: Awaited<ReturnType<typeof runScheduler>>;
  memory?: Awaited<ReturnType<typeof runMemory>>;
  errors: Record<string, string>;
  summary?: SummaryRow[];
}

export interface SummaryRow {
  benchmark: string;
  figure: string;
  value: number | string | null;
  baseline: number | string | null;
  ratio: number | null;
  unit: string;
}

const fmt = (v: number | string | null | undefined) =>
  v === null || v === undefined ? '–' : typeof v === 'number' ? formatNumber(v) : v;

const STEP_TIMES_READING =
  'Read from their histories: the wait is from scheduled to the start of the attempt that ended (queueing for a ' +
  "worker's slot, earlier attempts and their backoff), the run is that attempt.";

export function summaryRows(r: BenchResults): SummaryRow[] {
  const rows: SummaryRow[] = [];
  for (const reads of [r.reads, r.readsPostgresql]) {
    if (!reads) continue;
    const bench = `reads (FerretDB on ${reads.backend === 'postgresql' ? 'PostgreSQL' : 'SQLite'})`;
    for (const size of reads.bySize as Array<{
      pledges: number;
      healthz: { rps: number; p99: number };
      routes: Record<string, { rps: number; p50: number; p99: number; ratioToHealthz: number }>;
    }>) {
      for (const [route, f] of Object.entries(size.routes)) {
        rows.push({
          benchmark: bench,
          figure: `${size.pledges} pledges, ${route}: requests/s`,
          value: f.rps,
          baseline: size.healthz.rps,
          ratio: f.ratioToHealthz,
          unit: 'req/s',
        });
        rows.push({
          benchmark: bench,
          figure: `${size.pledges} pledges, ${route}: p99`,
          value: f.p99,
          baseline: size.healthz.p99,
          ratio: null,
          unit: 'ms',
        });
      }
    }
    rows.push({
      benchmark: bench,
      figure: `task completion round trip, ${reads.completion.deciders} deciders: p99 (baseline: bare Temporal Update)`,
      value: reads.completion.p99,
      baseline: reads.updateFloor.p99,
      ratio: ratio(reads.completion.p99, reads.updateFloor.p99),
      unit: 'ms',
    });
  }
  const t = r.throughput;
  if (t) {
    rows.push({
      benchmark: 'throughput',
      figure: 'pledges completed per minute (all stages)',
      value: t.engine.perMinute,
      baseline: t.baseline.perMinute,
      ratio: t.ratio.perMinute,
      unit: '/min',
    });
    rows.push({
      benchmark: 'throughput',
      figure: 'submission → READY, p50',
      value: t.engine.total.p50,
      baseline: t.baseline.total.p50,
      ratio: t.ratio.totalP50,
      unit: 'ms',
    });
    rows.push({
      benchmark: 'throughput',
      figure: 'submission → READY, p99',
      value: t.engine.total.p99,
      baseline: t.baseline.total.p99,
      ratio: t.ratio.totalP99,
      unit: 'ms',
    });
    for (const s of t.stages) {
      for (const p of ['p50', 'p95', 'p99'] as const) {
        rows.push({
          benchmark: 'throughput',
          figure: `${s.label}, ${p}`,
          value: s.engine[p],
          baseline: s.baseline?.[p] ?? null,
          ratio: s.ratio?.[p] ?? null,
          unit: 'ms',
        });
      }
    }
  }
  if (r.api) {
    for (const [name, e] of Object.entries(r.api.endpoints)) {
      rows.push({
        benchmark: 'api',
        figure: `${name}: requests/s`,
        value: e.rps,
        baseline: e.baseline.rps,
        ratio: e.ratio.rps,
        unit: 'req/s',
      });
      rows.push({
        benchmark: 'api',
        figure: `${name}: mean latency`,
        value: e.mean,
        baseline: e.baseline.mean,
        ratio: e.ratio.mean,
        unit: 'ms',
      });
      rows.push({
        benchmark: 'api',
        figure: `${name}: p50`,
        value: e.p50,
        baseline: e.baseline.p50,
        ratio: e.ratio.p50,
        unit: 'ms',
      });
      rows.push({
        benchmark: 'api',
        figure: `${name}: p99`,
        value: e.p99,
        baseline: e.baseline.p99,
        ratio: e.ratio.p99,
        unit: 'ms',
      });
    }
  }
  if (r.rules) {
    const base = r.rules.runs[0];
    for (const run of r.rules.runs) {
      rows.push({
        benchmark: 'rules',
        figure: `reviewPledge, ${run.pledges} pledges: time per pledge`,
        value: run.rulesPerPledgeUs,
        baseline: base.rulesPerPledgeUs,
        ratio: run.ratioRulesPerPledge,
        unit: 'µs',
      });
      rows.push({
        benchmark: 'rules',
        figure: `reviewPledge, ${run.pledges} pledges: total`,
        value: run.rulesMs,
        baseline: null,
        ratio: null,
        unit: 'ms',
      });
      rows.push({
        benchmark: 'rules',
        figure: `estimate + review, ${run.pledges} pledges: time per pledge`,
        value: run.perPledgeUs,
        baseline: base.perPledgeUs,
        ratio: run.ratioPerPledge,
        unit: 'µs',
      });
    }
  }
  if (r.scheduler) {
    for (const i of r.scheduler.instances) {
      rows.push({
        benchmark: 'scheduler',
        figure: `${i.name} (${i.groups} groups, ${i.sessions} sessions): solve time`,
        value: i.solveMs,
        baseline: i.greedy.solveMs,
        ratio: i.ratio.solveMs,
        unit: 'ms',
      });
      rows.push({
        benchmark: 'scheduler',
        figure: `${i.name}: objective (${i.solver} ${i.status}, gap ${fmt(i.gapPct)} %)`,
        value: i.objective,
        baseline: i.greedy.objective,
        ratio: i.ratio.objective,
        unit: '',
      });
      rows.push({
        benchmark: 'scheduler',
        figure: `${i.name}: trainees ready by deadline (bound ${fmt(i.readyBound)})`,
        value: i.readyByDeadline,
        baseline: i.greedy.readyByDeadline,
        ratio: i.ratio.readyByDeadline,
        unit: '',
      });
    }
  }
  if (r.memory) {
    const m = r.memory;
    for (const w of m.waiting) {
      rows.push({
        benchmark: 'memory',
        figure: `Temporal worker RSS, ${w.pledgesWaiting} pledges waiting`,
        value: w.worker.loadedMiB,
        baseline: m.worker.idleMiB,
        ratio: ratio(w.worker.loadedMiB, m.worker.idleMiB),
        unit: 'MiB',
      });
      rows.push({
        benchmark: 'memory',
        figure: `Temporal worker RSS, ${w.pledgesWaiting} pledges waiting ${w.settleSeconds} s (most)`,
        value: w.worker.settledMaxMiB,
        baseline: m.worker.idleMiB,
        ratio: ratio(w.worker.settledMaxMiB, m.worker.idleMiB),
        unit: 'MiB',
      });
      rows.push({
        benchmark: 'memory',
        figure: `API RSS, ${w.pledgesWaiting} pledges waiting`,
        value: w.api.loadedMiB,
        baseline: m.api.idleMiB,
        ratio: ratio(w.api.loadedMiB, m.api.idleMiB),
        unit: 'MiB',
      });
    }
  }
  return rows;
}

function plots(r: BenchResults, dir: string): string[] {
  const written: string[] = [];
  const write = (name: string, svg: string) => {
    writeFileSync(path.join(dir, name), svg);
    written.push(name);
  };
  const t = r.throughput;
  if (t) {
    const pick = (side: 'engine' | 'baseline', p: 'p50' | 'p95' | 'p99') =>
      t.stages.map((s) => (side === 'engine' ? s.engine[p] : (s.baseline?.[p] ?? null)));
    write(
      'throughput-stages.svg',
      barChart({
        title: 'Pledge stage latency: engine vs minimal Temporal workflows',
        subtitle: `${t.pledges} pledges, ${t.concurrency} in flight, polled every ${t.pollMs} ms; baseline: same activities and Updates, no-op`,
        categories: t.stages.map((s) => s.label),
        series: [
          { name: 'engine p50', color: palette.engine[0], values: pick('engine', 'p50') },
          { name: 'engine p95', color: palette.engine[1], values: pick('engine', 'p95') },
          { name: 'engine p99', color: palette.engine[2], values: pick('engine', 'p99') },
          { name: 'baseline p50', color: palette.baseline[0], values: pick('baseline', 'p50') },
          { name: 'baseline p95', color: palette.baseline[1], values: pick('baseline', 'p95') },
          { name: 'baseline p99', color: palette.baseline[2], values: pick('baseline', 'p99') },
        ],
        axis: 'milliseconds (log scale)',
        log: true,
      }),
    );
    write(
      'throughput-rate.svg',
      barChart({
        title: 'Pledges completed per minute',
        subtitle: `every stage, ${t.pledges} pledges, ${t.concurrency} in flight`,
        categories: ['engine (all stages over the API)', 'baseline (minimal workflows)'],
        series: [
          {
            name: 'pledges per minute',
            color: palette.engine[0],
            values: [t.engine.perMinute, t.baseline.perMinute],
          },
        ],
        axis: 'pledges per minute',
      }),
    );
  }
  if (r.api) {
    const entries = Object.entries(r.api.endpoints);
    write(
      'api-throughput.svg',
      barChart({
        title: 'API requests per second vs a bare Express route',
        subtitle: `${r.api.connections} connections, ${r.api.secondsEach} s each (autocannon)`,
        categories: entries.map(([n]) => n),
        series: [
          { name: 'engine route', color: palette.engine[0], values: entries.map(([, e]) => e.rps) },
          {
            name: 'bare Express route',
            color: palette.baseline[1],
            values: entries.map(([, e]) => e.baseline.rps),
          },
        ],
        axis: 'requests per second (log scale)',
        log: true,
      }),
    );
    write(
      'api-latency.svg',
      barChart({
        title: 'API latency vs a bare Express route',
        subtitle: `${r.api.connections} connections (autocannon)`,
        categories: entries.map(([n]) => n),
        series: [
          { name: 'engine p50', color: palette.engine[0], values: entries.map(([, e]) => e.p50) },
          { name: 'engine p99', color: palette.engine[2], values: entries.map(([, e]) => e.p99) },
          { name: 'bare p50', color: palette.baseline[0], values: entries.map(([, e]) => e.baseline.p50) },
          { name: 'bare p99', color: palette.baseline[2], values: entries.map(([, e]) => e.baseline.p99) },
        ],
        axis: 'milliseconds (log scale; autocannon resolves whole ms, <1 = 0 ms)',
        log: true,
        format: (v) => (v === 0 ? '<1' : formatNumber(v)),
      }),
    );
  }
  if (r.rules) {
    write(
      'rules.svg',
      barChart({
        title: 'Compatibility review: time per pledge as the count grows',
        subtitle: `seeded catalogue (${r.rules.catalogue.systems} systems, ${r.rules.catalogue.sessions} sessions), ${r.rules.catalogue.openPledgesInContext} open pledges in context`,
        categories: r.rules.runs.map((run) => `${formatNumber(run.pledges)} pledges`),
        series: [
          {
            name: 'reviewPledge (rules + score)',
            color: palette.engine[0],
            values: r.rules.runs.map((run) => run.rulesPerPledgeUs),
          },
          {
            name: 'training estimate',
            color: palette.accent,
            values: r.rules.runs.map((run) => run.estimatePerPledgeUs),
          },
          { name: 'both', color: palette.baseline[1], values: r.rules.runs.map((run) => run.perPledgeUs) },
        ],
        axis: 'microseconds per pledge',
      }),
    );
  }
  if (r.scheduler) {
    const inst = r.scheduler.instances;
    write(
      'scheduler.svg',
      barChart({
        title: 'Training scheduler: solve time, MIP (HiGHS) vs greedy',
        subtitle: `time limit ${r.scheduler.timeLimitSeconds} s; labels: instance (solver status, gap of the solution to its bound)`,
        categories: inst.map(
          (i) =>
            `${i.name} (${i.status.split(':')[0]}${i.gapPct === null ? '' : `, gap ${fmt(i.gapPct)} %`})`,
        ),
        series: [
          { name: 'scheduler', color: palette.engine[0], values: inst.map((i) => Math.max(1, i.solveMs)) },
          {
            name: 'greedy baseline',
            color: palette.baseline[1],
            values: inst.map((i) => Math.max(1, i.greedy.solveMs)),
          },
        ],
        axis: 'milliseconds (log scale)',
        log: true,
      }),
    );
  }
  if (r.memory) {
    const m = r.memory;
    write(
      'memory.svg',
      barChart({
        title: `Resident memory: idle vs ${m.pledgesWaiting} pledges waiting on human tasks`,
        subtitle: 'VmRSS from /proc/<pid>/status, median of 5 samples; peak while filling',
        categories: ['Temporal worker process', 'API process'],
        series: [
          { name: 'idle (baseline)', color: palette.baseline[1], values: [m.worker.idleMiB, m.api.idleMiB] },
          {
            name: `${m.pledgesWaiting} waiting`,
            color: palette.engine[0],
            values: [m.worker.loadedMiB, m.api.loadedMiB],
          },
          { name: 'peak while filling', color: palette.engine[2], values: [m.worker.peakMiB, m.api.peakMiB] },
        ],
        axis: 'MiB',
      }),
    );
  }
  return written;
}

/** Which FerretDB backends the run used: the read suite can run over PostgreSQL, everything else is on SQLite. */
function ferretBackends(r: BenchResults): string {
  const onlyPostgresql = r.readsPostgresql && !r.reads && !r.throughput && !r.api && !r.memory;
  if (onlyPostgresql) return 'PostgreSQL';
  return r.readsPostgresql ? 'SQLite; PostgreSQL for the reads marked so' : 'SQLite';
}

export function writeReport(r: BenchResults, dir: string) {
  const svgs = plots(r, dir);
  const rows = r.summary ?? summaryRows(r);
  const m = r.machine;
  const lines: string[] = [];
  lines.push('# Benchmark report', '');
  lines.push(`Generated ${r.generatedAt} by \`${r.command}\` in ${Math.round(r.durationSeconds)} s.`, '');
  lines.push(
    `Machine: ${m.nproc} CPUs (${m.cpuModel}), ${m.memoryMiB} MiB, Node ${m.node}, ${m.platform}. ` +
      `Load average at start ${JSON.stringify(m.loadAverageAtStart)}, at end ${JSON.stringify(r.loadAverageAtEnd)}; ` +
      `Temporal (dev server, SQLite), FerretDB (${ferretBackends(r)}) and Redis run on the same machine.`,
    '',
  );
  lines.push(
    `Sizes: ${Object.entries(r.sizes)
      .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('/') : String(v)}`)
      .join(', ')} (see bench/lib/env.ts for the variables).`,
    '',
  );
  if (Object.keys(r.errors).length) {
    lines.push('**Not measured in this run:**', '');
    for (const [name, message] of Object.entries(r.errors)) lines.push(`- ${name}: ${message}`);
    lines.push('');
  }
  lines.push(
    '## Figures',
    '',
    'Every figure beside its baseline, measured in the same run; ratio = figure / baseline.',
    '',
  );
  lines.push('| benchmark | figure | value | baseline | ratio |', '| --- | --- | ---: | ---: | ---: |');
  for (const row of rows) {
    const unit = row.unit ? ` ${row.unit}` : '';
    lines.push(
      `| ${row.benchmark} | ${row.figure} | ${fmt(row.value)}${unit} | ${row.baseline === null ? '–' : `${fmt(row.baseline)}${unit}`} | ${row.ratio === null ? '–' : `×${row.ratio}`} |`,
    );
  }
  lines.push('');
  const stepTable = (title: string, intro: string, steps: StepTimes[]) => {
    lines.push(`### ${title}`, '', `${intro} ${STEP_TIMES_READING}`, '');
    lines.push(
      '| step | tasks | retried | wait p50 / p99 | run p50 / p99 | wait + run, all tasks |',
      '| --- | ---: | ---: | --- | --- | ---: |',
    );
    for (const t of steps)
      lines.push(
        `| ${t.step} | ${t.n} | ${t.retried} | ${fmt(t.waitP50)} / ${fmt(t.waitP99)} ms | ${fmt(t.runP50)} / ${fmt(t.runP99)} ms | ${fmt(t.totalSeconds)} s |`,
      );
    lines.push('');
  };
  for (const reads of [r.reads, r.readsPostgresql]) {
    if (!reads?.completionSteps?.length) continue;
    const c = reads.completion;
    stepTable(
      `Where the completions' time went (FerretDB on ${reads.backend === 'postgresql' ? 'PostgreSQL' : 'SQLite'})`,
      `${c.completed} reviews accepted by ${c.deciders} deciders at ${c.perSecond}/s (bare Updates: ${reads.updateFloor.perSecond}/s). ` +
        "Each step of the accepted pledges' workflows scheduled from the first completion on.",
      reads.completionSteps,
    );
  }
  if (r.throughput?.steps?.length)
    stepTable(
      "Where the throughput run's time went",
      `Each step of the ${r.throughput.engine.completed} pledges' workflows.`,
      r.throughput.steps,
    );
  if (r.throughput?.cpu) {
    const t = r.throughput;
    const { engine, baseline } = t.cpu;
    const roles = [...new Set([...engine.byRole, ...(baseline?.byRole ?? [])].map((x) => x.role))];
    const cells = (use: typeof engine | null, role: string, pledges: number) => {
      const row = use?.byRole.find((x) => x.role === role);
      return row
        ? `${fmt(row.cpuSeconds)} | ${row.cores} | ${fmt(Math.round((row.cpuSeconds / pledges) * 100) / 100)}`
        : '– | – | –';
    };
    const sum = (use: typeof engine | null) => (use?.byRole ?? []).reduce((n, x) => n + x.cpuSeconds, 0);
    lines.push(
      "### Where the throughput run's CPU went",
      '',
      `CPU seconds (user + system, from /proc) each process used while the ${t.engine.completed} pledges ran (${engine.seconds} s) ` +
        `and while as many baseline workflows ran (${baseline?.seconds ?? '–'} s); cores = CPU seconds / wall seconds, of ${String(m.nproc)}. ` +
        `In all, ${fmt(Math.round((sum(engine) / t.engine.completed) * 10) / 10)} CPU seconds per pledge against ` +
        `${baseline ? fmt(Math.round((sum(baseline) / t.baseline.completed) * 10) / 10) : '–'} for a baseline workflow.`,
      '',
      '| process | engine: CPU s | cores | per pledge | baseline: CPU s | cores | per workflow |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    );
    for (const role of roles) {
      const used = [engine, baseline].some(
        (u) => (u?.byRole.find((x) => x.role === role)?.cpuSeconds ?? 0) > 0,
      );
      if (used)
        lines.push(
          `| ${role} | ${cells(engine, role, t.engine.completed)} | ${cells(baseline, role, t.baseline.completed)} |`,
        );
    }
    lines.push('');
  }
  lines.push('## Plots', '');
  for (const svg of svgs) lines.push(`![${svg}](${svg})`, '');
  lines.push('## What is measured', '');
  if (r.throughput) {
    const s = r.throughput.shape;
    lines.push(
      `- **Throughput** (bench/throughput.ts, bench/pledge-driver.ts): scripted deciders push each pledge through every stage over the HTTP API ` +
        `(staff submits; reviewer accepts; coordinator confirms the plan; chief of staff and commander sign; two cohorts start and complete), ` +
        `${r.throughput.concurrency} pledges in flight, next task or state polled every ${r.throughput.pollMs} ms (stage latencies include up to one poll interval). ` +
        `API and deciders in one process, Temporal worker and jobs worker in their own. One pledge is ${s.workflows} workflows, ${s.activities} activities, ${s.updates} Updates, ${s.events} history events ` +
        `(activities per step: ${s.activityBatches.join('/')}). Baseline: bench/baseline-workflows.ts, one workflow per pledge with the same ${s.activities} no-op activities in the same steps and ${s.updates} Updates, ` +
        'its own worker process on its own task queue, driven by the same pool (query for the next decision, Update to decide). ' +
        `"${'cohort event → applied'}" is the Update round trip for the engine; the baseline's last step includes its final activities.`,
    );
  }
  if (r.api) {
    lines.push(
      `- **API** (bench/api-load.ts): autocannon in its own process, ${r.api.connections} connections, ${r.api.secondsEach} s per endpoint, against the engine's Express app ` +
        `(helmet, pino-http, metrics, JWT auth, zod) with ${r.api.pledgesInDatabase} pledges and ${r.api.openTasksInDatabase} open tasks in its database ` +
        `(inbox returns ${r.api.inboxItems} tasks, list ${r.api.pledgeListItems} pledges). The write is claim then release of a review task, one task per connection: ` +
        'the path of a completion (load the task, Update the pledge workflow, persist the inbox, answer) that can repeat. ' +
        'Baseline: a bare Express app (`res.json({ok: true})`, express.json for the POST) on another port of the same process. ' +
        "autocannon measures latency in whole milliseconds, so a bare route's p50 of 0 ms has no ratio; the mean has one.",
    );
  }
  if (r.rules) {
    lines.push(
      `- **Rules** (bench/rules.ts): \`reviewPledge\` on generated pledges (seeded, reproducible) against the seeded catalogue; baseline is the ${r.rules.baselineCount}-pledge run's time per pledge. ` +
        `The training estimate is timed apart with each pledge's own course sessions; over all sessions, as the review activity calls it, it costs ${r.rules.unfilteredEstimatePerPledgeUs} µs per pledge.`,
    );
  }
  if (r.scheduler) {
    lines.push(
      '- **Scheduler** (bench/scheduler.ts): the training scheduler (HiGHS MIP below the variable threshold, greedy above it) against the greedy heuristic alone on generated instances; ' +
        'gap is the solver\'s relative gap between solution and bound. "mipAboveThreshold" in latest.json forces the MIP on the largest instance.',
    );
  }
  if (r.memory) {
    lines.push(
      `- **Memory** (bench/memory.ts): VmRSS of the Temporal worker process and of the API process (api/server.ts spawned on its own), idle after one warm-up pledge, ` +
        `then with ${r.memory.pledgesWaiting} pledges submitted over that API and waiting on their review task (${r.memory.humanTasksOpen} open human tasks); ` +
        `filled in ${r.memory.fillSeconds} s (${r.memory.submissionsPerSecond} pledges/s, at most ${r.memory.inFlight} submissions waiting for their task). ` +
        `Marginal cost: worker ${r.memory.worker.perPledgeKiB} KiB, API ${r.memory.api.perPledgeKiB} KiB per waiting pledge. ` +
        `Sampled at ${r.memory.waiting.map((w) => w.pledgesWaiting).join(' and ')} waiting (the median of 5 samples 3 s after the fill), then ` +
        `with the pledges left waiting ${r.memory.waiting[0]?.settleSeconds ?? 0} s, sampled every 5 s: the most is the figure, after ` +
        `which the worker held ${r.memory.waiting.map((w) => `${w.worker.settledLastMiB} MiB`).join(' and ')}; the worker caches at most ` +
        `${r.memory.workerSettings.maxCachedWorkflows} workflows and runs with ${r.memory.workerSettings.nodeFlags.join(' ')}.`,
    );
  }
  lines.push('', 'Raw figures: latest.json (this run), scheduler.json (scheduler details).', '');
  writeFileSync(path.join(dir, 'REPORT.md'), lines.join('\n'));
  return svgs;
}

/** Renders REPORT.md and the plots again from latest.json: `npx tsx bench/report.ts`. */
if (require.main === module) {
  const dir = path.join(__dirname, 'results');
  const results = JSON.parse(readFileSync(path.join(dir, 'latest.json'), 'utf8')) as BenchResults;
  for (const file of readdirSync(dir)) if (file.endsWith('.svg')) unlinkSync(path.join(dir, file));
  process.stdout.write(`${writeReport(results, dir).join('\n')}\n`);
}
