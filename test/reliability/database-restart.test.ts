import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDedicatedFerretDb, type DedicatedService } from '../support/dedicated-services';
import { rawRequest } from '../support/reliability';
import { eventually, startStack, type Stack } from '../support/stack';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// A MongoDB Node.js driver that is busy on its connections when the database stops gracefully
// (FerretDB's own stop held them open for seconds) never reconnected: the API answered 503 forever.
describe('database restart under load', () => {
  let stack: Stack;
  let ferret: DedicatedService;
  let token: string;

  beforeAll(async () => {
    ferret = await startDedicatedFerretDb('nsatu_db_restart');
    stack = await startStack('db-restart', { env: { MONGODB_URI: ferret.url } });
    const login = await rawRequest(stack.url, {
      method: 'POST',
      path: '/api/v1/auth/login',
      body: { username: 'staff', password: 'nsatu-demo' },
    });
    token = login.body.token;
  }, 180_000);
  afterAll(async () => {
    await stack?.stop();
    await ferret?.stop();
  });

  it('when the database restarts three times while 40 clients keep reading, then the API serves them again within seconds each time', async () => {
    let stop = false;
    const answers: Record<number, number> = {};
    const serverErrors: string[] = [];
    // Reads served from the views, and reads and writes that go to the database itself.
    const paths = [
      '/api/v1/pledges?limit=5',
      '/api/v1/notifications?limit=5',
      '/api/v1/me',
      '/api/v1/me/keys',
    ];
    const withoutRetryAfter: string[] = [];
    const readers = Array.from({ length: 40 }, async (_, i) => {
      while (!stop) {
        const path = paths[i % paths.length];
        const res = await rawRequest(stack.url, { method: 'GET', path, token, timeoutMs: 20_000 }).catch(
          () => null,
        );
        if (res) answers[res.status] = (answers[res.status] ?? 0) + 1;
        if (res && res.status >= 500 && res.status !== 503)
          serverErrors.push(`${path}: ${res.status} ${res.text.slice(0, 300)}`);
        if (res?.status === 503 && !res.headers.get('retry-after')) withoutRetryAfter.push(path);
        await sleep(5);
      }
    });
    try {
      for (let round = 0; round < 3; round++) {
        await sleep(1_500);
        await ferret.restart();
        const back = Date.now();
        await eventually(
          async () => (await rawRequest(stack.url, { method: 'GET', path: '/readyz' })).status === 200,
          { timeoutMs: 30_000, intervalMs: 200 },
        );
        const res = await rawRequest(stack.url, { method: 'GET', path: '/api/v1/pledges?limit=5', token });
        expect(res.status, `round ${round}: ${res.text.slice(0, 200)}`).toBe(200);
        console.log(
          `database restart ${round}: API ready again ${Date.now() - back} ms after the database was back`,
        );
      }
    } finally {
      stop = true;
      await Promise.all(readers);
    }
    // Busy answers are 503s with Retry-After, never a 500.
    console.log(`database restart: answers ${JSON.stringify(answers)}`);
    expect(serverErrors).toEqual([]);
    expect(withoutRetryAfter).toEqual([]);
    expect(answers[200]).toBeGreaterThan(0);
  }, 240_000);
});
