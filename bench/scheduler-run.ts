/**
 * Scheduler: runs bench/scheduler.ts (HiGHS MIP against the greedy baseline on generated instances) in its own
 * process and reads what it wrote to bench/results/scheduler.json.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ratio, round } from './lib/stats';

const ROOT = path.resolve(__dirname, '..');

interface SolverFigures {
  method: string;
  status: string;
  timeMs: number;
  objective: number;
  bound: number | null;
  gap: number | null;
  traineesReadyByDeadline: number;
  readyBound: number | null;
  traineesTrainedLate: number;
  cohorts: number;
}

interface Instance {
  name: string;
  groups: number;
  sessions: number;
  courses: number;
  traineesNeeded: number;
  mipVariables: number;
  greedy: SolverFigures;
  mip: SolverFigures;
  mipAboveThreshold?: SolverFigures;
}

export async function runScheduler(log: (line: string) => void) {
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'bench/scheduler.ts')], {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`bench/scheduler.ts exited with ${code}`)),
    );
  });
  const raw = JSON.parse(readFileSync(path.join(ROOT, 'bench/results/scheduler.json'), 'utf8')) as {
    timeLimitSeconds: number;
    results: Instance[];
  };
  const instances = raw.results.map((r) => {
    const gapPct = (s: SolverFigures) => (s.gap === null ? null : round(s.gap * 100, 4));
    const row = {
      name: r.name,
      groups: r.groups,
      sessions: r.sessions,
      courses: r.courses,
      traineesNeeded: r.traineesNeeded,
      mipVariables: r.mipVariables,
      solver: r.mip.method,
      status: r.mip.status,
      solveMs: r.mip.timeMs,
      objective: r.mip.objective,
      bound: r.mip.bound,
      gapPct: gapPct(r.mip),
      readyByDeadline: r.mip.traineesReadyByDeadline,
      readyBound: r.mip.readyBound,
      greedy: {
        solveMs: r.greedy.timeMs,
        objective: r.greedy.objective,
        readyByDeadline: r.greedy.traineesReadyByDeadline,
      },
      ratio: {
        objective: ratio(r.mip.objective, r.greedy.objective),
        readyByDeadline: ratio(r.mip.traineesReadyByDeadline, r.greedy.traineesReadyByDeadline),
        solveMs: ratio(r.mip.timeMs, Math.max(1, r.greedy.timeMs)),
      },
      /** How far below the solver's bound the greedy plan is, in percent of the bound. */
      greedyGapToBoundPct: r.mip.bound
        ? round(((r.mip.bound - r.greedy.objective) / Math.abs(r.mip.bound)) * 100, 2)
        : null,
      ...(r.mipAboveThreshold
        ? {
            mipAboveThreshold: {
              status: r.mipAboveThreshold.status,
              solveMs: r.mipAboveThreshold.timeMs,
              objective: r.mipAboveThreshold.objective,
              gapPct: gapPct(r.mipAboveThreshold),
            },
          }
        : {}),
    };
    log(
      `scheduler: ${r.name}: ${row.solver} ${row.status} in ${row.solveMs} ms, gap ${row.gapPct ?? '-'} %, objective ×${row.ratio.objective} of greedy`,
    );
    return row;
  });
  return { timeLimitSeconds: raw.timeLimitSeconds, instances };
}
