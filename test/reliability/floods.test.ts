import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pledgeIdFor } from '../../app/submit-pledge';
import { connectTemporal, type Temporal } from '../../infra/temporal';
import { mapLimit, rawRequest, validPledge, type RawResponse } from '../support/reliability';
import { eventually, startStack, type Stack } from '../support/stack';

const SUBMISSIONS = 1_000;
const REUSED_KEYS = 100;
const COPIES_PER_KEY = 4;
const IN_FLIGHT = 100;
const COMPLETIONS = 50;

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

describe('floods: concurrent submissions with reused Idempotency-Keys, concurrent completions of one task', () => {
  let stack: Stack;
  let temporal: Temporal;
  let staffToken: string;

  const post = (token: string, path: string, body: unknown, headers: Record<string, string> = {}) =>
    rawRequest(stack.url, {
      method: 'POST',
      path: `/api/v1${path}`,
      token,
      body,
      headers,
      timeoutMs: 120_000,
    });
  const login = async (username: string, password = 'nsatu-demo') => {
    const res = await rawRequest(stack.url, {
      method: 'POST',
      path: '/api/v1/auth/login',
      body: { username, password },
    });
    expect(res.status).toBe(200);
    return res.body.token as string;
  };

  beforeAll(async () => {
    // The Temporal worker runs in its own process, so the 700 workflows do not compete with the API for one core.
    stack = await startStack('floods', {
      workerProcess: true,
      env: { LOG_LEVEL: process.env.RELIABILITY_LOG_LEVEL ?? 'silent' },
    });
    temporal = await connectTemporal(stack.config);
    staffToken = await login('staff');
  });
  afterAll(async () => {
    await temporal?.close();
    await stack?.stop();
  });

  it(`when ${COMPLETIONS} reviewers complete the same task at once, then exactly one succeeds and the others get 409`, async () => {
    const admin = await login('admin');
    const extra = Array.from({ length: COMPLETIONS - 1 }, (_, i) => `flood-reviewer-${i + 1}`);
    await mapLimit(extra, 10, async (username) => {
      const res = await post(admin, '/admin/users', {
        username,
        displayName: username,
        password: 'flood-password-1234',
        roles: ['reviewer'],
        // A reviewer gets the review tasks of its coalitions only: these review for all of them.
        coalitions: ['air-force', 'iamd', 'artillery', 'armour', 'maritime', 'it', 'demining', 'drones'],
      });
      expect(res.status).toBe(201);
    });
    const reviewers = await mapLimit(['reviewer', ...extra], 10, async (u) => ({
      username: u,
      token: await login(u, u === 'reviewer' ? 'nsatu-demo' : 'flood-password-1234'),
    }));

    const created = await post(staffToken, '/pledges', validPledge('FRA'));
    expect(created.status).toBe(202);
    const pledgeId: string = created.body.id;
    const task = await eventually(async () => {
      const res = await rawRequest(stack.url, {
        method: 'GET',
        path: `/api/v1/tasks?kind=compatibility_review&pledgeId=${pledgeId}`,
        token: reviewers[0].token,
      });
      return res.body.items?.[0] as { id: string } | undefined;
    });

    const started = Date.now();
    // Half accept, half request changes: whichever wins, the pledge must show that one decision.
    const answers = await Promise.all(
      reviewers.map((r, i) =>
        post(
          r.token,
          `/tasks/${task.id}/complete`,
          i % 2
            ? { decision: 'request_changes', comment: `changes by ${r.username}` }
            : { decision: 'accept' },
        ).then((res) => ({ ...r, res })),
      ),
    );
    const elapsed = Date.now() - started;
    const byStatus = new Map<number, number>();
    for (const a of answers) byStatus.set(a.res.status, (byStatus.get(a.res.status) ?? 0) + 1);
    const winners = answers.filter((a) => a.res.status === 200);
    console.log(
      `floods: ${COMPLETIONS} concurrent completions of one task in ${elapsed} ms -> ${JSON.stringify(Object.fromEntries(byStatus))}`,
    );
    expect(winners).toHaveLength(1);
    expect(byStatus.get(409)).toBe(COMPLETIONS - 1);
    const winner = winners[0];
    const decided = await rawRequest(stack.url, {
      method: 'GET',
      path: `/api/v1/tasks/${task.id}`,
      token: winner.token,
    });
    expect(decided.body.state).toBe('completed');
    expect(decided.body.decision.by).toBe(winner.username);
    const expectedStatus =
      winner.res.body.task.decision.decision === 'accept' ? 'TRAINING_PLANNING' : 'CHANGES_REQUESTED';
    expect(winner.res.body.pledge.status).toBe(expectedStatus);
    const pledge = await rawRequest(stack.url, {
      method: 'GET',
      path: `/api/v1/pledges/${pledgeId}`,
      token: staffToken,
    });
    expect(pledge.body.status).toBe(expectedStatus);
    // One decision in the timeline and in the audit log, by the winner.
    const decisions = pledge.body.timeline.filter((e: { type: string }) =>
      /^review\.(accepted|changes_requested)$/.test(e.type),
    );
    expect(decisions).toEqual([expect.objectContaining({ actor: winner.username })]);
    const audit = await rawRequest(stack.url, {
      method: 'GET',
      path: `/api/v1/pledges/${pledgeId}/audit`,
      token: staffToken,
    });
    expect(
      audit.body.items.filter((e: { action: string }) =>
        /^review\.(accepted|changes_requested)$/.test(e.action),
      ),
    ).toEqual([expect.objectContaining({ actor: winner.username })]);
  }, 180_000);

  it(`when ${SUBMISSIONS} submissions arrive at once, ${REUSED_KEYS} keys each ${COPIES_PER_KEY} times, then exactly the expected pledges exist and each key has one id`, async () => {
    const runId = Date.now().toString(36);
    type Submission = { key: string | null; group: number };
    const reused: Submission[] = Array.from({ length: REUSED_KEYS * COPIES_PER_KEY }, (_, i) => ({
      key: `flood-${runId}-reused-${i % REUSED_KEYS}`,
      group: i % REUSED_KEYS,
    }));
    const uniqueCount = SUBMISSIONS - reused.length;
    // Half of the others carry their own key, half none: both paths create one pledge per request.
    const unique: Submission[] = Array.from({ length: uniqueCount }, (_, i) => ({
      key: i % 2 ? `flood-${runId}-unique-${i}` : null,
      group: -1,
    }));
    // Batches of IN_FLIGHT requests, shuffled within each batch: the copies of a key are in flight together.
    const perBatch = SUBMISSIONS / (REUSED_KEYS / 10);
    const batches: Submission[][] = [];
    for (let b = 0; b < REUSED_KEYS / 10; b++) {
      const batch = [
        ...reused.filter((s) => Math.floor(s.group / 10) === b),
        ...unique.slice(b * (uniqueCount / (REUSED_KEYS / 10)), (b + 1) * (uniqueCount / (REUSED_KEYS / 10))),
      ];
      expect(batch).toHaveLength(perBatch);
      for (let i = batch.length - 1; i > 0; i--) {
        const j = Math.floor(Math.random() * (i + 1));
        [batch[i], batch[j]] = [batch[j], batch[i]];
      }
      batches.push(batch);
    }
    const submissions = batches.flat();
    const bodyOf = (s: Submission) => ({
      ...validPledge(['FRA', 'DEU', 'NLD', 'POL'][Math.abs(s.group) % 4]),
      notes: `flood ${s.key ?? 'no key'}`,
    });

    const pledgesBefore = await stack.db.collection('pledges').countDocuments();
    const retried = { inProgress: 0, unavailable: 0 };
    const started = Date.now();
    const answers = await mapLimit(submissions, IN_FLIGHT, async (s) => {
      const t0 = Date.now();
      let res: RawResponse;
      // As a client does: a key whose first request is still running (409) and a busy database (503) are retried.
      for (let attempt = 1; ; attempt++) {
        res = await post(staffToken, '/pledges', bodyOf(s), s.key ? { 'idempotency-key': s.key } : {});
        if (![409, 503].includes(res.status) || attempt >= 8) break;
        retried[res.status === 409 ? 'inProgress' : 'unavailable']++;
        await new Promise((r) => setTimeout(r, 250 * attempt));
      }
      return { ...s, res, ms: Date.now() - t0 };
    });
    const elapsed = Date.now() - started;
    const latencies = answers.map((a) => a.ms).sort((a, b) => a - b);
    const statuses = new Map<number, number>();
    for (const a of answers) statuses.set(a.res.status, (statuses.get(a.res.status) ?? 0) + 1);
    const replayed = answers.filter((a) => a.res.headers.get('idempotent-replayed') === 'true').length;
    console.log(
      `floods: ${SUBMISSIONS} submissions (${REUSED_KEYS} keys × ${COPIES_PER_KEY}, ${uniqueCount} others), ${IN_FLIGHT} in flight: ` +
        `${elapsed} ms, ${((SUBMISSIONS / elapsed) * 1000).toFixed(1)} req/s, latency p50 ${percentile(latencies, 50)} ms, p95 ${percentile(latencies, 95)} ms, ` +
        `p99 ${percentile(latencies, 99)} ms, max ${latencies[latencies.length - 1]} ms; statuses ${JSON.stringify(Object.fromEntries(statuses))}; ` +
        `${replayed} replayed; retried: ${retried.inProgress} × 409 key in progress, ${retried.unavailable} × 503 database busy`,
    );
    expect(statuses.get(202)).toBe(SUBMISSIONS);

    // Every copy of a key got the same id, the id derived from the key; different keys got different ids.
    for (let g = 0; g < REUSED_KEYS; g++) {
      const copies = answers.filter((a) => a.group === g);
      expect(copies).toHaveLength(COPIES_PER_KEY);
      const ids = new Set(copies.map((a) => a.res.body.id));
      expect(ids.size).toBe(1);
      expect([...ids][0]).toBe(pledgeIdFor('staff', copies[0].key!));
    }
    const expected = REUSED_KEYS + uniqueCount;
    const distinct = new Set(answers.map((a) => a.res.body.id as string));
    expect(distinct.size).toBe(expected);
    expect((await stack.db.collection('pledges').countDocuments()) - pledgesBefore).toBe(expected);
    const stored = await stack.db
      .collection('pledges')
      .countDocuments({ _id: { $in: [...distinct] as never[] } });
    expect(stored).toBe(expected);
    // One lifecycle workflow per pledge, none for the replays.
    const workflows = await eventually(
      async () => {
        const { count } = await temporal.client.workflow.count(
          `WorkflowType = "pledgeLifecycle" AND TaskQueue = "${stack.config.TEMPORAL_TASK_QUEUE}"`,
        );
        return count >= expected + 1 ? count : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 1_000 },
    );
    // + 1: the pledge of the concurrent-completion test.
    expect(workflows).toBe(expected + 1);
    console.log(
      `floods: ${expected} pledges and ${workflows - 1} lifecycle workflows created for ${SUBMISSIONS} submissions; 0 duplicates`,
    );
  }, 240_000);
});
