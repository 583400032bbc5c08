/**
 * Memory: resident memory (VmRSS) of the Temporal worker process and of the API process, idle (baseline) and then
 * with N pledges waiting on human tasks (each submitted over the API, its review task open in the inbox), sampled
 * at each N of one growing fill (2,000 then 10,000 by default).
 */
import { httpClient } from '../test/support/http';
import { DEMO_PASSWORD } from '../test/support/stack';
import { fillReviewInbox, seedBenchTraining, startBenchStack, submitPledge } from './lib/engine';
import { childPids, rssMiB } from './lib/machine';
import { TEMPORAL_WORKER_ENV, TEMPORAL_WORKER_NODE_FLAGS } from '../worker/process-tuning';
import { spawnApi, terminateWorkflows } from './lib/processes';
import { median, ratio, round, sleep } from './lib/stats';

export interface MemoryOptions {
  /** The counts of waiting pledges to sample at, ascending. */
  pledges: number[];
  /** Submissions whose review task is not yet open, at most. */
  inFlight: number;
  /** How long the pledges are left waiting after each fill, sampled every 5 s: what the processes hold while
   * people take their time, after the fill's garbage is collected. */
  settleSeconds: number;
  log: (line: string) => void;
}

interface Sampled {
  workerMiB: number;
  apiMiB: number;
}

async function sample(workerPid: number, apiPid: number, times = 5): Promise<Sampled> {
  const worker: number[] = [];
  const api: number[] = [];
  for (let i = 0; i < times; i++) {
    worker.push(rssMiB(workerPid));
    api.push(rssMiB(apiPid));
    await sleep(500);
  }
  return { workerMiB: median(worker), apiMiB: median(api) };
}

/** The most each process holds over `seconds` with nothing happening (sampled every 5 s), and the worker's last. */
async function settle(workerPid: number, apiPid: number, seconds: number) {
  const worker: number[] = [];
  const api: number[] = [];
  for (let i = 0; i < Math.max(1, Math.round(seconds / 5)); i++) {
    await sleep(5_000);
    worker.push(rssMiB(workerPid));
    api.push(rssMiB(apiPid));
  }
  return {
    workerMiB: Math.max(...worker),
    workerLastMiB: worker[worker.length - 1],
    apiMiB: Math.max(...api),
  };
}

export async function runMemory(opts: MemoryOptions) {
  const stack = await startBenchStack('memory', { workerProcess: true });
  const api = await spawnApi(stack.config);
  const ids: string[] = [];
  const filled: string[] = [];
  try {
    await seedBenchTraining(stack, await stack.as('admin'));
    const [workerPid] = childPids('worker/temporal-worker.ts');
    if (!workerPid) throw new Error('no worker process found');
    const login = await httpClient(api.url).post('/api/v1/auth/login', {
      username: 'staff',
      password: DEMO_PASSWORD,
    });
    const staff = httpClient(api.url, login.body.token as string);
    // Warm both processes with one pledge through submission, then let them settle: this is the idle baseline.
    ids.push(await submitPledge(staff, 0));
    const tasks = stack.db.collection('tasks');
    while ((await tasks.countDocuments({ kind: 'compatibility_review', state: 'open' }).catch(() => 0)) < 1)
      await sleep(200);
    await sleep(3_000);
    const idle = await sample(workerPid, api.pid);
    opts.log(`memory: idle worker ${idle.workerMiB} MiB, api ${idle.apiMiB} MiB`);

    const peak = { ...idle };
    const t0 = performance.now();
    let lastLog = performance.now();
    const largest = opts.pledges[opts.pledges.length - 1];
    const perPledgeKiB = (a: number, b: number, n: number) => round(((a - b) * 1024) / n, 1);
    const waiting = [];
    for (const count of opts.pledges) {
      await fillReviewInbox(stack, staff, {
        submitted: filled,
        count,
        inFlight: opts.inFlight,
        firstIndex: 1,
        // About 2 pledges a second on this machine while the inbox grows; a fill that stalls still ends.
        deadlineMs: 30 * 60_000 + count * 1_000,
        onTick: (open) => {
          peak.workerMiB = Math.max(peak.workerMiB, rssMiB(workerPid));
          peak.apiMiB = Math.max(peak.apiMiB, rssMiB(api.pid));
          if (performance.now() - lastLog > 30_000) {
            lastLog = performance.now();
            opts.log(
              `memory: ${open}/${largest} waiting on review after ${round((performance.now() - t0) / 1000)} s: worker ${rssMiB(workerPid)} MiB, api ${rssMiB(api.pid)} MiB`,
            );
          }
        },
      });
      const fillSeconds = (performance.now() - t0) / 1000;
      await sleep(3_000);
      const loaded = await sample(workerPid, api.pid);
      const humanTasksOpen = await tasks.countDocuments({ state: 'open' });
      opts.log(
        `memory: ${count} waiting: worker ${loaded.workerMiB} MiB, api ${loaded.apiMiB} MiB (${round(fillSeconds)} s)`,
      );
      const settled = await settle(workerPid, api.pid, opts.settleSeconds);
      opts.log(
        `memory: ${count} waiting for ${opts.settleSeconds} s: worker ${settled.workerMiB} MiB at most, ${settled.workerLastMiB} MiB at the end; api ${settled.apiMiB} MiB at most`,
      );
      waiting.push({
        pledgesWaiting: count,
        humanTasksOpen,
        fillSeconds: round(fillSeconds),
        worker: {
          loadedMiB: loaded.workerMiB,
          settledMaxMiB: settled.workerMiB,
          settledLastMiB: settled.workerLastMiB,
          perPledgeKiB: perPledgeKiB(loaded.workerMiB, idle.workerMiB, count),
        },
        api: {
          loadedMiB: loaded.apiMiB,
          settledMaxMiB: settled.apiMiB,
          perPledgeKiB: perPledgeKiB(loaded.apiMiB, idle.apiMiB, count),
        },
        settleSeconds: opts.settleSeconds,
      });
    }
    const last = waiting[waiting.length - 1];
    return {
      pledgesWaiting: last.pledgesWaiting,
      humanTasksOpen: last.humanTasksOpen,
      inFlight: opts.inFlight,
      fillSeconds: last.fillSeconds,
      submissionsPerSecond: round(last.pledgesWaiting / last.fillSeconds, 2),
      /** The worker's settings that bound its memory. */
      workerSettings: {
        maxCachedWorkflows: stack.config.TEMPORAL_MAX_CACHED_WORKFLOWS,
        nodeFlags: TEMPORAL_WORKER_NODE_FLAGS,
        env: TEMPORAL_WORKER_ENV,
      },
      waiting,
      worker: {
        idleMiB: idle.workerMiB,
        loadedMiB: last.worker.loadedMiB,
        peakMiB: peak.workerMiB,
        ratio: ratio(last.worker.loadedMiB, idle.workerMiB),
        perPledgeKiB: last.worker.perPledgeKiB,
      },
      api: {
        idleMiB: idle.apiMiB,
        loadedMiB: last.api.loadedMiB,
        peakMiB: peak.apiMiB,
        ratio: ratio(last.api.loadedMiB, idle.apiMiB),
        perPledgeKiB: last.api.perPledgeKiB,
      },
    };
  } finally {
    await api.stop();
    await terminateWorkflows(
      stack.api.deps.temporal.client,
      [...ids, ...filled].map((id) => `pledge-${id}`),
    );
    await stack.stop();
  }
}
