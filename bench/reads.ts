/**
 * Reads at scale: the inbox, the pledge list (plain, filtered, free text), pledge pages and the dashboard under 50
 * connections, beside /healthz of the same API process in the same run, at growing numbers of stored pledges (80 %
 * finished, written by replaying one real pledge's events through the projector; 20 % in flight through real
 * workflows, each waiting at its open review task). Then the task-completion round trip with 20 deciders at once.
 */
import { generateKeyPairSync } from 'node:crypto';
import { calculateJwkThumbprint } from 'jose';
import type { Stack } from '../test/support/stack';
import { load, type LoadResult } from './lib/load';
import { type BenchSigner } from './lib/finished-pledges';
import { fillReviewInbox, type Deciders } from './lib/engine';
import { historyProjector, writeFinishedPledges } from './lib/history-projector';
import { mapLimit } from './lib/map-limit';
import { rssMiB } from './lib/machine';
import { drivePledge } from './pledge-driver';
import { percentile, round, sleep } from './lib/stats';
import { stepTimes } from './lib/step-times';
import { measureUpdateFloor } from './update-floor';

export interface ReadsOptions {
  /** Pledges stored at each measurement, growing (e.g. 1,000 then 10,000). */
  sizes: number[];
  /** Share of them in flight at an open review task. */
  inFlightShare: number;
  connections: number;
  seconds: number;
  /** Deciders completing review tasks at once, and how many tasks they complete. */
  deciders: number;
  completions: number;
  log: (line: string) => void;
}

const figures = (r: LoadResult, base: LoadResult) => ({
  rps: round(r.rps, 1),
  p50: r.p50,
  p99: r.p99,
  requests: r.requests,
  non2xx: r.non2xx,
  errors: r.errors,
  ratioToHealthz: round(r.rps / base.rps, 3),
});

/**
 * Signing keys of the approvers for the finished pledges' signatures. They sign decisions dated in the past, so
 * they are written straight into the record as registered two years ago (the API registers keys as of now).
 */
async function benchSigners(stack: Stack): Promise<Record<string, BenchSigner>> {
  const signers: Record<string, BenchSigner> = {};
  const registered = new Date(Date.now() - 2 * 365 * 86_400_000).toISOString();
  for (const [role, username] of [
    ['chief_of_staff', 'cos'],
    ['commander', 'commander'],
    ['saceur', 'saceur'],
  ] as const) {
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    const jwk = publicKey.export({ format: 'jwk' });
    const keyId = await calculateJwkThumbprint(jwk);
    await stack.api.deps.store.SigningKey.create({
      _id: keyId,
      username,
      publicKey: jwk,
      thumbprint: keyId,
      createdAt: registered,
    });
    signers[role] = { username, keyId, privateKey };
  }
  return signers;
}

/** Open review tasks in the reviewer's inbox, counted through the API. */
async function openReviews(d: Deciders): Promise<Array<{ id: string; pledgeId: string }>> {
  const ids: Array<{ id: string; pledgeId: string }> = [];
  let cursor: string | null = null;
  do {
    const res: { body: { items: Array<{ id: string; pledgeId: string }>; nextCursor: string | null } } =
      await d.reviewer.get(
        `/api/v1/tasks?kind=compatibility_review&limit=200${cursor ? `&cursor=${cursor}` : ''}`,
      );
    ids.push(...res.body.items.map((t) => ({ id: t.id, pledgeId: t.pledgeId })));
    cursor = res.body.nextCursor;
  } while (cursor);
  return ids;
}

export async function runReads(stack: Stack, d: Deciders, opts: ReadsOptions) {
  const { store, redis, config, logger } = stack.api.deps;
  // The seeding writes as the workflows' projector does, minus notifications (nobody is to be told of history).
  const history = historyProjector(store, redis, config.QUEUE_PREFIX, logger);
  const signers = await benchSigners(stack);
  const systems = await stack.api.deps.reference.systems();

  // The template: one pledge through every stage to READY over the API, as people would.
  const run = await drivePledge(d, 0, 100);
  if (!run.ok) throw new Error(`the template pledge did not reach READY: ${run.error}`);
  const template = (await store.Pledge.findById(run.id).lean())!;
  opts.log(`reads: template pledge ${run.id} READY with ${template.timeline.length} events`);

  let finished = 0;
  const inFlight: string[] = [];
  const bySize: Array<Record<string, unknown>> = [];
  try {
    for (const size of opts.sizes) {
      const wantInFlight = Math.round(size * opts.inFlightShare);
      const wantFinished = size - wantInFlight;
      const seedStarted = performance.now();
      const batch = Array.from({ length: wantFinished - finished }, (_, k) => finished + k);
      await writeFinishedPledges(store, history, {
        numbers: batch,
        template,
        systems,
        signers,
        log: (line) => opts.log(`reads: ${line}`),
      });
      finished = wantFinished;
      const seedSeconds = (performance.now() - seedStarted) / 1000;
      const fillStarted = performance.now();
      const more = wantInFlight - inFlight.length;
      if (more > 0) {
        inFlight.push(
          ...(await fillReviewInbox(stack, d.staff, {
            count: more,
            inFlight: 20,
            firstIndex: 100_000 + inFlight.length,
          })),
        );
      }
      const fillSeconds = (performance.now() - fillStarted) / 1000;
      const open = await openReviews(d);
      opts.log(
        `reads: ${size} pledges stored (${finished} finished in ${round(seedSeconds)} s, ${inFlight.length} in flight in ${round(fillSeconds)} s), ${open.length} open reviews`,
      );

      const token = async (username: string) =>
        `Bearer ${(await stack.anonymous.post('/api/v1/auth/login', { username, password: 'nsatu-demo' })).body.token as string}`;
      const reviewer = { authorization: await token('reviewer') };
      const staff = { authorization: await token('staff') };
      const common = {
        connections: opts.connections,
        seconds: opts.seconds,
        url: stack.url,
        method: 'GET' as const,
      };
      const measure = async (name: string, spec: Parameters<typeof load>[0]) => {
        const r = await load(spec);
        opts.log(
          `reads @${size}: ${name}: ${round(r.rps)} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms, non-2xx ${r.non2xx}`,
        );
        return r;
      };
      const healthz = await measure('/healthz', { ...common, path: '/healthz' });
      const detailIds = [
        ...Array.from({ length: 200 }, (_, k) => `PLBENCH${String((k * 37) % finished).padStart(8, '0')}`),
        ...inFlight.slice(0, 50),
      ];
      const routes: Record<string, LoadResult> = {
        'GET /tasks (inbox, reviewer)': await measure('inbox', {
          ...common,
          path: '/api/v1/tasks?state=open&limit=50',
          headers: reviewer,
        }),
        'GET /pledges (list)': await measure('list', {
          ...common,
          path: '/api/v1/pledges?limit=50',
          headers: staff,
        }),
        'GET /pledges?status&donor (filtered)': await measure('list filtered', {
          ...common,
          path: '/api/v1/pledges?status=READY&donor=NLD&limit=50',
          headers: staff,
        }),
        'GET /pledges?q= (free text)': await measure('list q', {
          ...common,
          path: '/api/v1/pledges?q=nld&limit=50',
          headers: staff,
        }),
        'GET /pledges/:id (page)': await measure('detail', {
          ...common,
          path: '/api/v1/pledges/x',
          paths: detailIds.map((id) => `/api/v1/pledges/${id}`),
          headers: staff,
        }),
        'GET /dashboard': await measure('dashboard', {
          ...common,
          path: '/api/v1/dashboard',
          headers: staff,
        }),
      };
      bySize.push({
        pledges: size,
        finished,
        inFlight: inFlight.length,
        openReviewTasks: open.length,
        seedFinishedSeconds: round(seedSeconds),
        fillInFlightSeconds: round(fillSeconds),
        apiRssMiB: rssMiB(process.pid),
        healthz: { rps: round(healthz.rps, 1), p50: healthz.p50, p99: healthz.p99 },
        routes: Object.fromEntries(Object.entries(routes).map(([k, r]) => [k, figures(r, healthz)])),
      });
    }

    // The task completion round trip: deciders accept review tasks, each the next one free. First its floor, while
    // the engine is idle: as many bare Updates at the same concurrency on the same Temporal server.
    const queue = (await openReviews(d)).slice(0, opts.completions);
    const updateFloor = await measureUpdateFloor(stack.api.deps.temporal.client, {
      updates: queue.length,
      callers: opts.deciders,
    });
    opts.log(
      `reads: bare Temporal Updates with ${opts.deciders} callers (the floor): p50 ${updateFloor.p50} ms, p99 ${updateFloor.p99} ms`,
    );
    const latencies: number[] = [];
    const statuses: Record<number, number> = {};
    const started = performance.now();
    const completionsFrom = Date.now();
    await mapLimit(queue, opts.deciders, async (task) => {
      const t0 = performance.now();
      const res = await d.reviewer.post(`/api/v1/tasks/${task.id}/complete`, { decision: 'accept' });
      latencies.push(performance.now() - t0);
      statuses[res.status] = (statuses[res.status] ?? 0) + 1;
    });
    latencies.sort((a, b) => a - b);
    const completion = {
      deciders: opts.deciders,
      completed: latencies.length,
      seconds: round((performance.now() - started) / 1000),
      /** Completions a second: with the deciders never idle, their latency is deciders / this (Little's law). */
      perSecond: round(latencies.length / ((performance.now() - started) / 1000), 2),
      p50: round(percentile(latencies, 50)),
      p99: round(percentile(latencies, 99)),
      max: round(latencies[latencies.length - 1] ?? 0),
      statuses,
    };
    opts.log(
      `reads: task completion with ${opts.deciders} deciders: p50 ${completion.p50} ms, p99 ${completion.p99} ms, ${JSON.stringify(statuses)}`,
    );
    // Where that time went: each acceptance also starts its pledge's training planning, which competes with the
    // completions after it. Read once the plans are open (or 3 minutes on), from the pledges' histories.
    const tasks = stack.db.collection('tasks');
    const plansOpen = () => tasks.countDocuments({ kind: 'training_plan_confirmation', state: 'open' });
    const until = Date.now() + 180_000;
    while ((await plansOpen()) < queue.length && Date.now() < until) await sleep(2_000);
    const completionSteps = await stepTimes(
      (id) => stack.api.deps.temporal.client.workflow.getHandle(id).fetchHistory(),
      queue.map((t) => `pledge-${t.pledgeId}`),
      completionsFrom,
    );
    for (const s of completionSteps.slice(0, 6))
      opts.log(
        `reads: after the completions, ${s.step}: ${s.n} (${s.retried} retried), waited p50 ${s.waitP50} p99 ${s.waitP99} ms, ran p50 ${s.runP50} p99 ${s.runP99} ms`,
      );

    // How long an API process takes to load the views at the largest size.
    const restartStarted = performance.now();
    await stack.restartApi();
    const apiStartSeconds = round((performance.now() - restartStarted) / 1000);
    opts.log(
      `reads: an API process restarts and loads the views of ${opts.sizes.at(-1)} pledges in ${apiStartSeconds} s`,
    );
    return {
      connections: opts.connections,
      secondsEach: opts.seconds,
      bySize,
      completion,
      completionSteps,
      updateFloor,
      apiStartSeconds,
      templatePledge: run.id,
      inFlight,
    };
  } finally {
    await history.chainer.stop();
  }
}
