/**
 * CPU time per process over a stretch of a benchmark, read from /proc: on a 2-core machine where every service runs
 * beside the engine, it says which process a run's time was spent in (and so which one a change should make
 * cheaper).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';

/** What a process is, from its command line; a process matching none is not part of a run and is not counted. */
const ROLES: Array<[RegExp, string]> = [
  [/temporal server start-dev/, 'Temporal server'],
  [/nsatu-ferretdb/, 'FerretDB'],
  [/redis-server/, 'Redis'],
  [/worker\/temporal-worker\.ts/, 'Temporal worker'],
  [/worker\/jobs-worker\.ts/, 'jobs worker'],
  [/api\/server\.ts/, 'API'],
  [/bench\/baseline-worker\.ts/, 'baseline worker'],
  [/postgres/, 'PostgreSQL'],
];

const ticksPerSecond = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** CPU seconds (user + system) each process has used so far, by pid, with its role. */
function sample(benchPid: number): Map<number, { role: string; seconds: number }> {
  const out = new Map<number, { role: string; seconds: number }>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
      const role =
        pid === benchPid ? 'bench (API and deciders)' : ROLES.find(([re]) => re.test(cmdline))?.[1];
      if (!role) continue;
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      // Fields after the parenthesised command name: state is the 1st, utime the 12th and stime the 13th.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(pid, { role, seconds: (Number(fields[11]) + Number(fields[12])) / ticksPerSecond });
    } catch {
      // the process ended while we looked
    }
  }
  return out;
}

export interface CpuUse {
  /** Wall seconds of the stretch. */
  seconds: number;
  /** CPU seconds per role over the stretch, largest first, and its share of the machine's capacity. */
  byRole: Array<{ role: string; cpuSeconds: number; cores: number }>;
}

/** Starts counting; `stop()` gives the CPU each role used since (processes started in between count from zero). */
export function countCpu(benchPid = process.pid) {
  const before = sample(benchPid);
  const t0 = performance.now();
  return {
    stop(): CpuUse {
      const seconds = (performance.now() - t0) / 1000;
      const byRole = new Map<string, number>();
      for (const [pid, now] of sample(benchPid)) {
        const used = now.seconds - (before.get(pid)?.seconds ?? 0);
        byRole.set(now.role, (byRole.get(now.role) ?? 0) + used);
      }
      return {
        seconds: Math.round(seconds),
        byRole: [...byRole]
          .map(([role, cpuSeconds]) => ({
            role,
            cpuSeconds: Math.round(cpuSeconds),
            cores: Math.round((cpuSeconds / seconds) * 100) / 100,
          }))
          .sort((a, b) => b.cpuSeconds - a.cpuSeconds),
      };
    },
  };
}
