/**
 * API under concurrency (autocannon, in its own process): the reviewer's inbox (GET /tasks), the pledge list
 * (GET /pledges) and a write through a workflow Update (claim then release of a review task, the path a task
 * completion takes: load the task, Update the workflow, persist, answer), each beside a bare Express route
 * (`res.json({ok: true})`) served by the same process on another port.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { Stack } from '../test/support/stack';
import type { LoadResult, LoadSpec } from './autocannon-child';
import { load } from './lib/load';
import { fillReviewInbox, type Deciders } from './lib/engine';
import { ratio, round } from './lib/stats';

export interface ApiOptions {
  connections: number;
  /** Submissions waiting for their review task at most, while the write load's tasks are made. */
  inFlight: number;
  seconds: number;
  log: (line: string) => void;
}

/** A bare Express app: one GET and one POST route answering {ok: true}. */
async function bareExpress(): Promise<{ url: string; close(): Promise<void> }> {
  const app = express();
  app.use(express.json());
  app.get('/ok', (_req, res) => {
    res.json({ ok: true });
  });
  app.post('/ok', (_req, res) => {
    res.json({ ok: true });
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const figures = (r: LoadResult) => ({
  rps: round(r.rps, 1),
  p50: r.p50,
  p99: r.p99,
  mean: round(r.mean, 2),
  requests: r.requests,
  non2xx: r.non2xx,
  errors: r.errors,
  statusCodes: r.statusCodes,
});

export async function runApiLoad(stack: Stack, d: Deciders, opts: ApiOptions) {
  // One open review task per connection for the write load, submitted and reviewed like any other pledge.
  const ids = await fillReviewInbox(stack, d.staff, {
    count: opts.connections,
    inFlight: opts.inFlight,
    firstIndex: 10_000,
  });
  const tasks = stack.db.collection('tasks');
  const taskIds = (
    await tasks
      .find(
        { kind: 'compatibility_review', state: 'open', pledgeId: { $in: ids } },
        { projection: { _id: 1 } },
      )
      .toArray()
  ).map((t) => String(t._id));
  const token = async (username: string) => {
    const res = await stack.anonymous.post('/api/v1/auth/login', { username, password: 'nsatu-demo' });
    return `Bearer ${res.body.token as string}`;
  };
  const reviewer = { authorization: await token('reviewer') };
  const staff = { authorization: await token('staff') };
  const bare = await bareExpress();
  const common = { connections: opts.connections, seconds: opts.seconds };
  try {
    const run = async (name: string, spec: LoadSpec) => {
      const result = await load(spec);
      opts.log(
        `api: ${name}: ${round(result.rps)} req/s, p50 ${result.p50} ms, p99 ${result.p99} ms, non-2xx ${result.non2xx}`,
      );
      return result;
    };
    const inboxCount = (await d.reviewer.get('/api/v1/tasks')).body.items.length as number;
    const listCount = (await d.staff.get('/api/v1/pledges')).body.items.length as number;
    const baselineGet = await run('bare GET', { ...common, url: bare.url, method: 'GET', path: '/ok' });
    const inbox = await run('inbox', {
      ...common,
      url: stack.url,
      method: 'GET',
      path: '/api/v1/tasks',
      headers: reviewer,
    });
    const pledges = await run('pledge list', {
      ...common,
      url: stack.url,
      method: 'GET',
      path: '/api/v1/pledges',
      headers: staff,
    });
    const baselinePost = await run('bare POST', {
      ...common,
      url: bare.url,
      method: 'POST',
      path: '/ok',
      body: '{"decision":"accept"}',
    });
    const write = await run('claim/release', {
      ...common,
      url: stack.url,
      method: 'POST',
      path: '/api/v1/tasks/none/claim',
      headers: reviewer,
      claimRelease: { taskIds },
    });
    const compare = (r: LoadResult, base: LoadResult) => ({
      ...figures(r),
      baseline: figures(base),
      ratio: {
        rps: ratio(r.rps, base.rps),
        mean: ratio(r.mean, base.mean),
        p50: ratio(r.p50, base.p50),
        p99: ratio(r.p99, base.p99),
      },
    });
    return {
      connections: opts.connections,
      secondsEach: opts.seconds,
      inboxItems: inboxCount,
      pledgeListItems: listCount,
      pledgesInDatabase: await stack.db.collection('pledges').countDocuments({}),
      openTasksInDatabase: await tasks.countDocuments({ state: 'open' }),
      endpoints: {
        'GET /api/v1/tasks (inbox)': compare(inbox, baselineGet),
        'GET /api/v1/pledges (list)': compare(pledges, baselineGet),
        'POST /api/v1/tasks/:id/claim|release (Update)': compare(write, baselinePost),
      },
      pledgeIds: ids,
    };
  } finally {
    await bare.close();
  }
}
