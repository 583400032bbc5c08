import { sign } from 'node:crypto';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveRecipients } from '../../jobs/notification-processor';
import { PledgeEventTypes } from '../../domain/pledge-lifecycle';
import { Milestones } from '../../domain/delivery-lots';
import { createStore } from '../../store';
import { linkQueued } from '../../store/audit-log';
import { startDeliverySinks, type DeliverySinks } from '../support/delivery-sinks';
import {
  startDedicatedFerretDb,
  startDedicatedRedis,
  type DedicatedService,
} from '../support/dedicated-services';
import { futureDay, isConnectionError, mapLimit, rawRequest, type RawResponse } from '../support/reliability';
import { registerSigner, type Signer } from '../support/signing';
import { eventually, startStack, type Stack } from '../support/stack';
import { checkInAppNotifications } from '../support/notifications';
import { checkSeatLedger, seedTestTraining } from '../support/training';

/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * How many pledges are driven through every stage: 200 by default, the load the reliability target is stated for.
 * The test command runs this file on its own after the rest of the suite (it has the machine to itself);
 * RELIABILITY_PLEDGES and RELIABILITY_DEADLINE_MS size it for a quicker look.
 */
const PLEDGES = Number(process.env.RELIABILITY_PLEDGES ?? 200);
const DEADLINE_MS = Number(process.env.RELIABILITY_DEADLINE_MS ?? 40 * 60_000);
const DECISIONS_IN_FLIGHT = 12;

/**
 * What the deciders do with pledge i. Six in ten go all the way to READY (reviewed, plan confirmed, signed by the
 * chief of staff and the commander, seats reserved, every cohort started and completed); one is sent back for
 * changes, amended, reviewed again and taken to READY; the rest are rejected by the reviewer, rejected by the
 * commander, or withdrawn while in training (their seats are released).
 */
type Fate = 'ready' | 'review_reject' | 'command_reject' | 'withdraw' | 'changes_then_ready';
const fateOf = (i: number): Fate =>
  (
    ({ 3: 'review_reject', 5: 'command_reject', 7: 'withdraw', 9: 'changes_then_ready' }) as Record<
      number,
      Fate
    >
  )[i % 10] ?? 'ready';
const finalStatus: Record<Fate, string> = {
  ready: 'READY',
  review_reject: 'REVIEW_REJECTED',
  command_reject: 'REJECTED',
  withdraw: 'WITHDRAWN',
  changes_then_ready: 'READY',
};
/** Roughly how many HTTP decisions and events each fate takes (paces the faults). */
const actionsOf: Record<Fate, number> = {
  ready: 13,
  review_reject: 1,
  command_reject: 4,
  withdraw: 5,
  changes_then_ready: 15,
};

const USERS = [
  'staff',
  'reviewer',
  'trainer',
  'cos',
  'commander',
  'deputy',
  'saceur',
  'auditor',
  'logistics',
] as const;
type User = (typeof USERS)[number];
const userForRole: Record<string, User> = {
  chief_of_staff: 'cos',
  commander: 'commander',
  saceur: 'saceur',
  deputy_commander: 'deputy',
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pledgeBody = (donor: string, notes: string) => ({
  donor,
  items: [
    { systemId: 'test-uas', quantity: 1, deliveryWindow: { from: futureDay(300), to: futureDay(400) } },
  ],
  trainingOffered: true,
  sustainment: { spareParts: true, maintenanceYears: 2 },
  valueEur: 2_000_000,
  notes,
});

describe('crashes: pledges driven through every stage while the processes and services are killed and restarted', () => {
  let stack: Stack;
  let ferret: DedicatedService;
  let redis: DedicatedService;
  let sinks: DeliverySinks;
  let webhookSecret: string | null = null;
  const tokens = new Map<User, string>();
  const signers = new Map<User, Signer>();

  const stats = {
    requests: 0,
    connectionRetries: 0,
    serverErrors: {} as Record<number, number>,
    decisions: 0,
    answersLost: 0,
    slow: 0,
    faults: [] as string[],
    anomalies: [] as string[],
  };

  /** A client as a real one behaves: a refused or dropped connection, a timeout or a 5xx is retried with backoff. */
  async function call(
    user: User,
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<RawResponse & { attempts: number }> {
    for (let attempt = 1; ; attempt++) {
      try {
        stats.requests++;
        const res = await rawRequest(stack.url, {
          method,
          path: `/api/v1${path}`,
          token: tokens.get(user),
          body,
          headers,
          timeoutMs: 60_000,
        });
        if (res.ms > 10_000) stats.slow++;
        if (res.status >= 500 && attempt < 60) {
          stats.serverErrors[res.status] = (stats.serverErrors[res.status] ?? 0) + 1;
          if (res.status === 500) stats.anomalies.push(`500 on ${method} ${path}: ${res.text.slice(0, 200)}`);
          await sleep(Math.min(250 * attempt, 2_000));
          continue;
        }
        return { ...res, attempts: attempt };
      } catch (err) {
        if (!isConnectionError(err) || attempt >= 60) throw err;
        stats.connectionRetries++;
        await sleep(Math.min(250 * attempt, 2_000));
      }
    }
  }

  beforeAll(async () => {
    // Outside the engine: a mail server and a webhook subscriber that refuses the first call of one delivery in five.
    sinks = await startDeliverySinks({
      webhookSecret: () => webhookSecret,
      refuseFirst: (id) => [...id].reduce((h, c) => (h * 31 + c.charCodeAt(0)) % 1000, 7) % 5 === 0,
    });
    [ferret, redis] = await Promise.all([
      startDedicatedFerretDb('nsatu_crashes', process.env.CRASH_SQLITE_QUERY ?? ''),
      startDedicatedRedis(),
    ]);
    stack = await startStack('crashes', {
      workerProcess: true,
      jobsWorker: 'process',
      env: {
        MONGODB_URI: ferret.url,
        REDIS_URL: redis.url,
        JOB_LOCK_MS: '5000',
        SMTP_URL: sinks.smtpUrl,
        DELIVERY_BACKOFF_MS: '500',
      },
    });
    const admin = await stack.as('admin');
    // Everyone who decides has an email address; one subscriber hears every event.
    for (const user of USERS) {
      const res = await admin.call('PATCH', `/api/v1/admin/users/${user}`, { email: `${user}@nsatu.test` });
      expect(res.status).toBe(200);
    }
    const hook = await admin.post('/api/v1/admin/webhooks', { url: sinks.webhookUrl });
    expect(hook.status).toBe(201);
    webhookSecret = hook.body.secret;
    // Room for everyone: each pledge needs two trainees in each of the two courses.
    const seats = Math.max(10, PLEDGES * 2);
    await seedTestTraining(
      stack,
      admin,
      [1, 2].flatMap((n) => [
        { id: `uas-basic-${n}`, courseId: 'uas-basic', start: 20 * n, end: 20 * n + 15, seats },
        { id: `uas-advanced-${n}`, courseId: 'uas-advanced', start: 20 * n + 60, end: 20 * n + 75, seats },
      ]),
    );
    for (const user of USERS) {
      const res = await rawRequest(stack.url, {
        method: 'POST',
        path: '/api/v1/auth/login',
        body: { username: user, password: 'nsatu-demo' },
      });
      expect(res.status).toBe(200);
      tokens.set(user, res.body.token);
    }
    for (const user of ['cos', 'commander', 'saceur', 'deputy'] as const)
      signers.set(user, await registerSigner(await stack.as(user)));
  }, 180_000);

  afterAll(async () => {
    await stack?.stop();
    await Promise.all([ferret?.stop(), redis?.stop(), sinks?.close()]);
  });

  it(
    `when ${PLEDGES} pledges are decided through every stage while the worker (twice), the jobs worker, the API, Redis and the database are killed or restarted, then nothing is lost, doubled or leaked`,
    async () => {
      const started = Date.now();
      // Submissions carry an Idempotency-Key, so a retried submission is the same pledge.
      const donors = ['NLD', 'DNK', 'NOR', 'SWE', 'POL'];
      const fates = new Map<string, Fate>();
      const runId = Date.now().toString(36);
      await mapLimit(
        Array.from({ length: PLEDGES }, (_, i) => i),
        10,
        async (i) => {
          const res = await call(
            'staff',
            'POST',
            '/pledges',
            pledgeBody(donors[i % donors.length], `crash ${i}`),
            { 'idempotency-key': `crash-${runId}-${i}` },
          );
          expect(res.status).toBe(202);
          fates.set(res.body.id, fateOf(i));
        },
      );
      const ids = [...fates.keys()];
      const expectedActions = ids.reduce((n, id) => n + actionsOf[fates.get(id)!], 0);

      // ---- the faults, at random moments of the drive (paced by the decisions made) ----
      // A restarted worker is waited for (its poller or its queue connection shows up) before the next fault: a
      // process that is killed again, or whose database restarts, while it is still starting exits (nothing here
      // supervises it the way a service manager would).
      const pollers = async () => {
        const { pollers: list } = await stack.api.deps.temporal.client.workflowService.describeTaskQueue({
          namespace: stack.config.TEMPORAL_NAMESPACE,
          taskQueue: { name: stack.config.TEMPORAL_TASK_QUEUE },
          taskQueueType: 1,
        });
        return new Set((list ?? []).map((p) => p.identity ?? ''));
      };
      const restartTemporalWorker = async () => {
        const before = await pollers();
        await stack.killWorker();
        await sleep(500 + Math.random() * 2_500);
        await stack.startWorker();
        await eventually(async () => [...(await pollers())].some((id) => !before.has(id)), {
          timeoutMs: 60_000,
          intervalMs: 500,
        });
      };
      const queueConnection = new Redis(redis.url, { maxRetriesPerRequest: null });
      const notificationQueue = new Queue('notifications', {
        connection: queueConnection,
        prefix: stack.config.QUEUE_PREFIX,
      });
      const deliveryQueue = new Queue('deliveries', {
        connection: queueConnection,
        prefix: stack.config.QUEUE_PREFIX,
      });
      const jobsWorkerUp = () =>
        eventually(async () => (await notificationQueue.getWorkersCount()) > 0, {
          timeoutMs: 60_000,
          intervalMs: 500,
        });
      const faults: Array<[string, () => Promise<void>]> = [
        ['kill -9 Temporal worker', restartTemporalWorker],
        ['kill -9 Temporal worker', restartTemporalWorker],
        [
          'kill -9 jobs worker',
          async () => {
            await stack.killJobsWorker();
            await sleep(500 + Math.random() * 2_500);
            await stack.startJobsWorker();
            await jobsWorkerUp();
          },
        ],
        ['restart API', () => stack.restartApi()],
        ['restart Redis', () => redis.restart()],
        ['restart FerretDB', () => ferret.restart()],
      ];
      for (let i = faults.length - 1; i > 0; i--) {
        const j = Math.floor(Math.random() * (i + 1));
        [faults[i], faults[j]] = [faults[j], faults[i]];
      }
      // Fault i comes after a random share of the decisions, or by 20 % + 8 % × i of the time allowed, whichever is
      // first, and at least 5 s after the previous one.
      const thresholds = faults.map(() => 0.05 + Math.random() * 0.6).sort((a, b) => a - b);
      let faultsDone = false;
      const injector = (async () => {
        let previous = 0;
        for (const [i, [name, inject]] of faults.entries()) {
          const latest = started + DEADLINE_MS * (0.2 + 0.08 * i);
          while (
            (stats.decisions < thresholds[i] * expectedActions && Date.now() < latest) ||
            Date.now() - previous < 5_000
          )
            await sleep(100);
          const t0 = Date.now();
          await inject();
          previous = Date.now();
          stats.faults.push(
            `${name} at +${Math.round((t0 - started) / 1000)} s, ${stats.decisions} decisions (${Date.now() - t0} ms)`,
          );
        }
        faultsDone = true;
      })();

      // ---- the driver: decides whatever is open, as the people would, over HTTP ----
      const done = new Set<string>();
      const busy = new Set<string>();

      /** Completes a task; a 409 after a lost answer is checked against the task itself. */
      async function complete(user: User, task: any, body: Record<string, unknown>) {
        const res = await call(user, 'POST', `/tasks/${task.id}/complete`, body);
        if (res.status === 200) return true;
        // A lost answer: the decision was taken, and its record may still be on its way (a worker killed mid-way).
        const settled = async () => {
          const r = await call(user, 'GET', `/tasks/${task.id}`);
          return r.body?.state === 'open' ? undefined : r;
        };
        const now =
          res.status === 409
            ? await eventually(settled, { timeoutMs: 60_000, intervalMs: 500 }).catch(() =>
                call(user, 'GET', `/tasks/${task.id}`),
              )
            : await call(user, 'GET', `/tasks/${task.id}`);
        if (
          res.status === 409 &&
          now.body?.state === 'completed' &&
          now.body.decision?.by === user &&
          now.body.decision.decision === body.decision
        ) {
          stats.answersLost++;
          return true;
        }
        if (res.status === 409 && now.body?.state === 'cancelled') return true;
        stats.anomalies.push(
          `complete ${task.id} as ${user}: ${res.status} ${res.text.slice(0, 200)} (task now ${now.body?.state})`,
        );
        return false;
      }

      async function decide(task: any): Promise<void> {
        const fate = fates.get(task.pledgeId);
        if (!fate) return;
        let ok = false;
        if (task.kind === 'compatibility_review') {
          const firstRound = /-review-1$/.test(task.id);
          const body =
            fate === 'review_reject'
              ? { decision: 'reject', comment: 'not compatible' }
              : fate === 'changes_then_ready' && firstRound
                ? { decision: 'request_changes', comment: 'add maintenance' }
                : { decision: 'accept' };
          ok = await complete('reviewer', task, body);
        } else if (task.kind === 'training_plan_confirmation') {
          ok = await complete('trainer', task, { decision: 'confirm' });
        } else if (task.kind === 'command_approval') {
          const role = (task.candidateRoles as string[]).find((r) => userForRole[r]);
          const user = userForRole[role!];
          const decision =
            fate === 'command_reject' && role === 'commander'
              ? { decision: 'reject', comment: 'not now' }
              : { decision: 'approve' };
          const query = new URLSearchParams({
            decision: decision.decision,
            ...(decision.comment ? { comment: decision.comment } : {}),
          });
          const payload = await call(user, 'GET', `/tasks/${task.id}/signing-payload?${query.toString()}`);
          if (payload.status !== 200) {
            stats.anomalies.push(`signing payload of ${task.id}: ${payload.status}`);
            return;
          }
          const signer = signers.get(user)!;
          const signature = sign(
            null,
            Buffer.from(payload.body.payload as string, 'utf8'),
            signer.privateKey,
          ).toString('base64url');
          ok = await complete(user, task, { ...decision, signature, keyId: signer.keyId });
        } else if (task.kind === 'revision') {
          const res = await call(
            'staff',
            'POST',
            `/pledges/${task.pledgeId}/amend`,
            pledgeBody(task.nation, 'amended: maintenance added'),
          );
          // A 409 after a lost answer: the first amendment is applied once its record is written (a worker may be down).
          const amended = async () => {
            const r = await call('staff', 'GET', `/pledges/${task.pledgeId}`);
            return r.body?.status === 'CHANGES_REQUESTED' ? undefined : r.body?.status;
          };
          const status =
            res.status === 409
              ? await eventually(amended, { timeoutMs: 60_000, intervalMs: 500 }).catch(
                  () => 'CHANGES_REQUESTED',
                )
              : undefined;
          ok = res.status === 202 || (res.status === 409 && status !== 'CHANGES_REQUESTED');
          if (res.status === 409 && ok && /already being applied/.test(res.text)) stats.answersLost++;
          if (!ok) stats.anomalies.push(`amend ${task.pledgeId}: ${res.status} ${res.text.slice(0, 200)}`);
        }
        if (ok) {
          done.add(task.id);
          stats.decisions++;
        }
      }

      /**
       * Whether what a 409 implies (a retried call whose first attempt landed, its answer lost) shows in the read
       * model: the workflow refuses at once, while the projection of the first attempt may still be on its way
       * (its projector waiting on a restarted database), so the page is read again for a while.
       */
      async function settles(shows: () => Promise<boolean>): Promise<boolean> {
        for (let waited = 0; waited <= 60_000; waited += 2_000) {
          if (await shows()) return true;
          await sleep(2_000);
        }
        return false;
      }

      async function cohortEvent(pledgeId: string, cohort: any, type: 'started' | 'completed') {
        const key = `${cohort.id}:${type}`;
        const res = await call('trainer', 'POST', `/training/cohorts/${cohort.id}/events`, { type });
        if (res.status === 409) {
          const recorded = await settles(async () => {
            const now = await call('trainer', 'GET', `/pledges/${pledgeId}`);
            const state = now.body?.trainingPlan?.cohorts?.find(
              (c: { id: string }) => c.id === cohort.id,
            )?.state;
            return (
              state === type || (type === 'started' && state === 'completed') || now.body?.status === 'READY'
            );
          });
          if (recorded) {
            stats.answersLost++;
            done.add(key);
            stats.decisions++;
            return;
          }
        }
        if (res.status === 202) {
          done.add(key);
          stats.decisions++;
        } else stats.anomalies.push(`cohort ${cohort.id} ${type}: ${res.status} ${res.text.slice(0, 200)}`);
      }

      /** Records a lot's next milestone; a 409 after a lost answer is checked against the lot itself. */
      async function milestone(pledgeId: string, lotId: string, state: string) {
        const res = await call('logistics', 'POST', `/deliveries/${lotId}/milestones`, {
          state,
          at: new Date().toISOString().slice(0, 10),
          location: 'Rzeszów hub',
        });
        if (res.status === 409) {
          const recorded = await settles(async () => {
            const lots =
              (await call('logistics', 'GET', `/pledges/${pledgeId}/deliveries`)).body?.items ?? [];
            const lot = lots.find((l: { id: string }) => l.id === lotId);
            return !!lot?.milestones.some((m: { state: string }) => m.state === state);
          });
          if (recorded) {
            stats.answersLost++;
            done.add(`${lotId}:${state}`);
            stats.decisions++;
            return;
          }
        }
        if (res.status === 202) {
          done.add(`${lotId}:${state}`);
          stats.decisions++;
        } else stats.anomalies.push(`milestone ${lotId} ${state}: ${res.status} ${res.text.slice(0, 200)}`);
      }

      async function withdraw(pledgeId: string) {
        const res = await call('staff', 'POST', `/pledges/${pledgeId}/withdraw`, {
          reason: 'donor withdrew under test',
        });
        // A retry after a lost answer finds its own withdrawal under way (409): it must still end WITHDRAWN.
        const underWay = res.status === 409 && /already under way/.test(res.text);
        const status = underWay
          ? await eventually(
              async () => {
                const now = (await call('staff', 'GET', `/pledges/${pledgeId}`)).body?.status;
                return now === 'WITHDRAWN' ? now : undefined;
              },
              { timeoutMs: 60_000, intervalMs: 500 },
            ).catch(() => 'not WITHDRAWN within 60 s')
          : (await call('staff', 'GET', `/pledges/${pledgeId}`)).body?.status;
        if (res.status === 202 || (res.status === 409 && status === 'WITHDRAWN')) {
          done.add(`${pledgeId}:withdraw`);
          stats.decisions++;
        } else stats.anomalies.push(`withdraw ${pledgeId}: ${res.status} ${res.text.slice(0, 200)}`);
      }

      const listTasks = async (user: User, kind: string): Promise<any[]> =>
        (await call(user, 'GET', `/tasks?kind=${kind}&state=open&limit=200`)).body?.items ?? [];
      async function inTraining(): Promise<any[]> {
        const items: any[] = [];
        let cursor: string | null = null;
        do {
          const res = await call(
            'staff',
            'GET',
            `/pledges?status=IN_TRAINING&limit=200${cursor ? `&cursor=${cursor}` : ''}`,
          );
          items.push(...(res.body?.items ?? []));
          cursor = res.body?.nextCursor ?? null;
        } while (cursor);
        return items;
      }
      const statuses = async (collection: 'pledges' | 'pledge_index' = 'pledges') => {
        const docs = await stack.db
          .collection(collection)
          .find({ _id: { $in: ids as never[] } }, { projection: { status: 1 } })
          .toArray();
        return new Map(docs.map((d) => [String(d._id), d.status as string]));
      };
      // While driving, the small index is enough to see whether all is done (the check at the end reads the pledges).
      const allFinal = async () => {
        try {
          const now = await statuses('pledge_index');
          return ids.every((id) => now.get(id) === finalStatus[fates.get(id)!]);
        } catch {
          return false;
        }
      };

      // A pool of decisions in flight: polling goes on while slow ones (a worker that is down) wait.
      let ticks = 0;
      let lastReport = Date.now();
      const pending = new Set<Promise<void>>();
      const queued: Array<() => Promise<void>> = [];
      const pump = () => {
        while (pending.size < DECISIONS_IN_FLIGHT && queued.length) {
          const job = queued.shift()!();
          pending.add(job);
          void job.finally(() => {
            pending.delete(job);
            pump();
          });
        }
      };
      const take = (key: string, fn: () => Promise<void>) => {
        if (done.has(key) || busy.has(key)) return;
        busy.add(key);
        queued.push(() =>
          fn()
            .catch((err: unknown) => void stats.anomalies.push(`${key}: ${String(err)}`))
            .finally(() => busy.delete(key)),
        );
      };
      while (!(faultsDone && (await allFinal()))) {
        if (Date.now() - started > DEADLINE_MS) break;
        ticks++;
        const lists = await Promise.all([
          listTasks('reviewer', 'compatibility_review'),
          listTasks('trainer', 'training_plan_confirmation'),
          listTasks('cos', 'command_approval'),
          listTasks('commander', 'command_approval'),
          listTasks('saceur', 'command_approval'),
          listTasks('staff', 'revision'),
          inTraining(),
        ]);
        for (const task of lists.slice(0, 6).flat()) take(task.id, () => decide(task));
        for (const item of lists[6]) {
          if (!fates.has(item.id)) continue;
          if (fates.get(item.id) === 'withdraw') {
            take(`${item.id}:withdraw`, () => withdraw(item.id));
            continue;
          }
          // The list shows where a pledge stands; its page shows its cohorts.
          const p = (await call('staff', 'GET', `/pledges/${item.id}`)).body ?? {};
          for (const c of p.trainingPlan?.cohorts ?? []) {
            if (c.state === 'reserved') take(`${c.id}:started`, () => cohortEvent(p.id, c, 'started'));
            if (c.state === 'started') take(`${c.id}:completed`, () => cohortEvent(p.id, c, 'completed'));
          }
          // The equipment half of READY: each lot's next milestone, as the delivery cell reports it.
          const lots = (await call('logistics', 'GET', `/pledges/${item.id}/deliveries`)).body?.items ?? [];
          for (const lot of lots) {
            const next = Milestones[Milestones.indexOf(lot.state) + 1];
            if (next) take(`${lot.id}:${next}`, () => milestone(item.id, lot.id, next));
          }
        }
        pump();
        if (Date.now() - lastReport > 15_000) {
          lastReport = Date.now();
          const now = await statuses('pledge_index').catch(() => new Map<string, string>());
          const counts: Record<string, number> = {};
          for (const st of now.values()) counts[st] = (counts[st] ?? 0) + 1;
          console.log(
            `crashes: +${Math.round((Date.now() - started) / 1000)} s ${stats.decisions} decisions, ${pending.size} in flight, ${queued.length} queued, ${stats.faults.length} faults; ${JSON.stringify(counts)}`,
          );
        }
        await sleep(1_500);
      }
      await Promise.race([Promise.all(pending), sleep(60_000)]);
      await injector;
      const driveMs = Date.now() - started;

      // ---- every pledge is where its decisions lead ----
      const final = await statuses();
      const wrong = ids
        .filter((id) => final.get(id) !== finalStatus[fates.get(id)!])
        .map((id) => `${id} (${fates.get(id)}): ${final.get(id)}`);
      const byFate = new Map<string, number>();
      for (const id of ids) byFate.set(fates.get(id)!, (byFate.get(fates.get(id)!) ?? 0) + 1);
      console.log(
        `crashes: ${PLEDGES} pledges ${JSON.stringify(Object.fromEntries(byFate))}; drove ${stats.decisions} decisions/events in ${driveMs} ms (${ticks} polls, ${stats.requests} requests); ` +
          `faults: ${stats.faults.join('; ')}; connection retries ${stats.connectionRetries}, 5xx retried ${JSON.stringify(stats.serverErrors)}, answers lost and verified ${stats.answersLost}, answers slower than 10 s ${stats.slow}`,
      );
      expect(stats.faults).toHaveLength(6);
      if (wrong.length) {
        // Where the stragglers are: their last timeline entries and what their workflows wait for.
        for (const id of ids.filter((i) => final.get(i) !== finalStatus[fates.get(i)!]).slice(0, 5)) {
          const doc = await stack.db.collection('pledges').findOne({ _id: id as never });
          const last = (doc?.timeline ?? [])
            .slice(-3)
            .map((e: { type: string; at: string }) => `${e.type}@${e.at.slice(11, 19)}`);
          const workflows = stack.api.deps.temporal.client.workflow.list({
            query: `WorkflowId STARTS_WITH "pledge-${id}" AND ExecutionStatus = "Running"`,
          });
          const waiting: string[] = [];
          for await (const wf of workflows) {
            const d = await stack.api.deps.temporal.client.workflow.getHandle(wf.workflowId).describe();
            waiting.push(
              `${wf.workflowId.replace(`pledge-${id}`, '')}: ${d.raw.pendingActivities?.map((a) => `${a.activityType?.name} attempt ${a.attempt} ${a.lastFailure?.message ?? ''}`).join(', ') || 'no activity'}`,
            );
          }
          console.log(
            `crashes: straggler ${id} ${doc?.status}/${doc?.stage} at +${Math.round((Date.now() - started) / 1000)} s: ${last.join(' ')}; running: ${waiting.join('; ')}`,
          );
        }
      }
      expect(wrong, 'pledges not in the state their decisions imply').toEqual([]);
      expect(stats.anomalies).toEqual([]);

      const docs = await stack.db
        .collection('pledges')
        .find({ _id: { $in: ids as never[] } })
        .toArray();
      for (const p of docs) {
        const fate = fates.get(String(p._id))!;
        const reviews = p.timeline.filter((e: { type: string }) =>
          /^review\.(accepted|rejected|changes_requested)$/.test(e.type),
        );
        expect(reviews.length, `review decisions of ${p._id}`).toBe(fate === 'changes_then_ready' ? 2 : 1);
        if (finalStatus[fate] === 'READY') {
          expect(
            p.trainingPlan.cohorts
              .filter((c: { state: string }) => c.state !== 'released')
              .every((c: { state: string }) => c.state === 'completed'),
          ).toBe(true);
          // READY holds both halves: every lot received, each milestone recorded once.
          expect(
            p.deliveries.map((l: { milestones: Array<{ state: string }> }) =>
              l.milestones.map((m) => m.state),
            ),
            `lots of ${p._id}`,
          ).toEqual(p.deliveries.map(() => [...Milestones]));
        }
        if (fate === 'command_reject')
          expect(p.approval.chain.find((s: { role: string }) => s.role === 'commander').decision).toBe(
            'reject',
          );
      }
      // Every event once: in the timeline (no entry twice), and timeline and audit log agree one for one (every
      // status transition, the submission included, has exactly one audit entry).
      await linkQueued(createStore(stack.db));
      const timelineIds = docs.flatMap((p) => p.timeline.map((e: { eventId: string }) => String(e.eventId)));
      const auditIds = (
        await stack.db
          .collection('audit_log')
          .find(
            { pledgeId: { $in: ids }, action: { $in: [...PledgeEventTypes] } },
            { projection: { _id: 1 } },
          )
          .toArray()
      ).map((a) => String(a._id));
      const twice = (list: string[]) => list.filter((id, i) => list.indexOf(id) !== i);
      const inAudit = new Set(auditIds);
      const inTimeline = new Set(timelineIds);
      const notAudited = timelineIds.filter((id) => !inAudit.has(id));
      const notInTimeline = auditIds.filter((id) => !inTimeline.has(id));
      const submissions = docs.filter((p) => p.timeline[0]?.type === 'pledge.submitted').length;
      console.log(
        `crashes: ${timelineIds.length} timeline entries and ${auditIds.length} audit entries for ${docs.length} pledges (${submissions} start with their submission)`,
      );
      expect({
        twiceInTimeline: twice(timelineIds),
        twiceInAudit: twice(auditIds),
        notAudited,
        notInTimeline,
      }).toEqual({
        twiceInTimeline: [],
        twiceInAudit: [],
        notAudited: [],
        notInTimeline: [],
      });
      expect(submissions).toBe(docs.length);

      // ---- seats: none twice, none leaked, none held by a withdrawn pledge ----
      const ledger = await checkSeatLedger(stack);
      const withdrawn = ids.filter((id) => fates.get(id) === 'withdraw');
      expect(
        await stack.db
          .collection('seat_reservations')
          .countDocuments({ kind: 'reserved', pledgeId: { $in: withdrawn } }),
      ).toBe(0);
      const perSeat = await stack.db
        .collection('seat_reservations')
        .aggregate([
          { $group: { _id: { s: '$sessionId', n: '$seatNo' }, c: { $sum: 1 } } },
          { $match: { c: { $gt: 1 } } },
        ])
        .toArray();
      expect(perSeat).toEqual([]);

      // ---- notifications: every published event reached each of its recipients exactly once ----
      const inApp = await checkInAppNotifications(stack, redis.url);
      const store = createStore(stack.db);
      try {
        // Every task that was opened was announced.
        const tasks = await stack.db
          .collection('tasks')
          .find({ pledgeId: { $in: ids } }, { projection: { _id: 1 } })
          .toArray();
        const announced = new Set(inApp.events.map((e) => e.id));
        const unannounced = tasks.filter((t) => !announced.has(`${String(t._id)}:task.opened`));
        console.log(
          `crashes: ${inApp.events.length} notification events, ${inApp.expected} deliveries expected, ${inApp.stored} in-app notifications stored; ` +
            `duplicates ${inApp.duplicates}, lost ${inApp.lost.length}, unexpected ${inApp.unexpected.length}; ${tasks.length} tasks, ${unannounced.length} unannounced; ` +
            `seats held ${ledger.seats} in ${ledger.perSession.size} sessions, 0 double, 0 leaked`,
        );
        expect(inApp.failedJobs).toBe(0);
        expect(inApp.duplicates).toBe(0);
        expect(inApp.lost).toEqual([]);
        expect(inApp.unexpected).toEqual([]);
        expect(unannounced).toEqual([]);

        // ---- email and webhooks: every delivery sent, received by the outside world once ----
        const hookId = (await stack.db.collection('webhooks').findOne({}))?._id;
        const expectedDeliveries = new Set<string>();
        for (const event of inApp.events) {
          for (const r of await resolveRecipients(store, event.recipients))
            if (r.email) expectedDeliveries.add(`${event.id}:email:${r.username}`);
          expectedDeliveries.add(`${event.id}:webhook:${String(hookId)}`);
        }
        let lastDeliveryCounts: Record<string, number> = {};
        await eventually(
          async () => {
            const c = await deliveryQueue.getJobCounts(
              'waiting',
              'active',
              'delayed',
              'prioritized',
              'failed',
              'completed',
            );
            lastDeliveryCounts = c;
            return (
              c.waiting + c.active + c.delayed + c.prioritized === 0 &&
              c.completed + c.failed >= expectedDeliveries.size
            );
          },
          { timeoutMs: 120_000, intervalMs: 500 },
        ).catch((err: unknown) => {
          throw new Error(
            `the delivery queue did not drain: ${JSON.stringify(lastDeliveryCounts)} (${String(err)})`,
          );
        });
        const deliveryLedger = await stack.db
          .collection('deliveries')
          .find({}, { projection: { _id: 1, state: 1, lastError: 1 } })
          .toArray();
        const notSent = deliveryLedger
          .filter((d) => d.state !== 'sent')
          .map((d) => `${String(d._id)}: ${d.state} ${d.lastError ?? ''}`);
        const ledgerIds = new Set(deliveryLedger.map((d) => String(d._id)));
        const received = new Map([...sinks.mails, ...sinks.hooks]);
        const missing = [...expectedDeliveries].filter((id) => !ledgerIds.has(id) || !received.has(id));
        const unexpected = [...received.keys()].filter((id) => !expectedDeliveries.has(id));
        // A delivery whose worker was killed after the mail server or subscriber accepted it, before the ledger said
        // so, is sent again with the same Message-ID and X-NSATU-Delivery (receivers drop it by that id): at most the
        // deliveries in flight at the one kill of the jobs worker.
        const resent = [...received.values()].filter((n) => n > 1).length;
        const mailsIn = [...sinks.mails.values()].reduce((a, b) => a + b, 0);
        const hooksIn = [...sinks.hooks.values()].reduce((a, b) => a + b, 0);
        console.log(
          `crashes: ${expectedDeliveries.size} email/webhook deliveries expected; ${mailsIn} mails and ${hooksIn} webhook calls received ` +
            `(${sinks.refused} first calls refused by the subscriber and retried, ${sinks.badSignatures} bad signatures); ` +
            `not sent ${notSent.length}, missing ${missing.length}, unexpected ${unexpected.length}, resent after a kill ${resent}`,
        );
        expect(notSent).toEqual([]);
        expect(missing).toEqual([]);
        expect(unexpected).toEqual([]);
        expect(sinks.badSignatures).toBe(0);
        expect(sinks.refused).toBeGreaterThan(0);
        expect(resent).toBeLessThanOrEqual(10);
      } finally {
        await Promise.all([notificationQueue.close(), deliveryQueue.close()]);
        queueConnection.disconnect();
      }

      // ---- the audit log verifies ----
      const verify = await call('auditor', 'GET', '/audit/verify');
      expect(verify.status).toBe(200);
      if (!verify.body?.ok) {
        // What broke and where: the entries around the first broken one, and the head and checkpoints near it.
        const at = Number(verify.body?.firstBrokenSeq ?? verify.body?.checked ?? 0);
        const around = await stack.db
          .collection('audit_log')
          .find({ seq: { $gte: at - 2, $lte: at + 2 } }, { projection: { detail: 0 } })
          .sort({ seq: 1 })
          .toArray();
        const head = await stack.db.collection('audit_head').find({}).toArray();
        const checkpoints = await stack.db
          .collection('audit_checkpoints')
          .find({}, { projection: { seq: 1, hash: 1, signedAt: 1 } })
          .sort({ seq: 1 })
          .toArray();
        const count = await stack.db.collection('audit_log').countDocuments();
        console.log(
          `crashes: audit verification failed: ${JSON.stringify(verify.body)}; ${count} entries; around ${at}: ${JSON.stringify(around)}; head ${JSON.stringify(head)}; checkpoints ${JSON.stringify(checkpoints)}`,
        );
      }
      expect(verify.body).toMatchObject({ ok: true, problems: [] });
      console.log(
        `crashes: audit log verified (${verify.body.checked} entries, ${verify.body.signaturesChecked} signatures); runtime ${Date.now() - started} ms`,
      );
    },
    DEADLINE_MS + 180_000,
  );
});
