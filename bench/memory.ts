/**
 * Memory: resident memory (VmRSS) of the Temporal worker process and of the API process, idle (baseline) and then
 * with N pledges waiting on human tasks (each submitted over the API, its review task open in the inbox).
 */
import { httpClient } from '../test/support/http';
import { DEMO_PASSWORD } from '../test/support/stack';
import { fillReviewInbox, seedBenchTraining, startBenchStack, submitPledge } from './lib/engine';
import { childPids, rssMiB } from './lib/machine';
import { spawnApi, terminateWorkflows } from './lib/processes';
import { median, ratio, round, sleep } from './lib/stats';

export interface MemoryOptions {
  pledges: number;
  /** Submissions whose review task is not yet open, at most. */
  inFlight: number;
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
    await fillReviewInbox(stack, staff, {
      submitted: filled,
      count: opts.pledges,
      inFlight: opts.inFlight,
      firstIndex: 1,
      onTick: (open) => {
        peak.workerMiB = Math.max(peak.workerMiB, rssMiB(workerPid));
        peak.apiMiB = Math.max(peak.apiMiB, rssMiB(api.pid));
        if (performance.now() - lastLog > 30_000) {
          lastLog = performance.now();
          opts.log(
            `memory: ${open}/${opts.pledges} waiting on review after ${round((performance.now() - t0) / 1000)} s`,
          );
        }
      },
    });
    const open = await tasks.countDocuments({ state: 'open' });
    const fillSeconds = (performance.now() - t0) / 1000;
    await sleep(3_000);
    const loaded = await sample(workerPid, api.pid);
    opts.log(
      `memory: loaded worker ${loaded.workerMiB} MiB, api ${loaded.apiMiB} MiB (${round(fillSeconds)} s to fill)`,
    );
    const perPledgeKiB = (a: number, b: number) => round(((a - b) * 1024) / opts.pledges, 1);
    return {
      pledgesWaiting: opts.pledges,
      humanTasksOpen: open,
      inFlight: opts.inFlight,
      fillSeconds: round(fillSeconds),
      submissionsPerSecond: round(opts.pledges / fillSeconds, 2),
      worker: {
        idleMiB: idle.workerMiB,
        loadedMiB: loaded.workerMiB,
        peakMiB: peak.workerMiB,
        ratio: ratio(loaded.workerMiB, idle.workerMiB),
        perPledgeKiB: perPledgeKiB(loaded.workerMiB, idle.workerMiB),
      },
      api: {
        idleMiB: idle.apiMiB,
        loadedMiB: loaded.apiMiB,
        peakMiB: peak.apiMiB,
        ratio: ratio(loaded.apiMiB, idle.apiMiB),
        perPledgeKiB: perPledgeKiB(loaded.apiMiB, idle.apiMiB),
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
