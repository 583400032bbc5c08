import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allRoutes } from '../../api/app';
import type { RouteSpec } from '../../api/http/route';
import { can, type Principal } from '../../domain/permissions';
import { Roles, type Role } from '../../domain/schemas/common';
import {
  badTokens,
  DEMO_USER_BY_ROLE,
  plannedRequests,
  rawRequest,
  routeKey,
  validPledge,
  type Fixtures,
  type RawResponse,
} from '../support/reliability';
import { eventually, startStack, type Stack } from '../support/stack';

const RUNS_PER_ROUTE = Number(process.env.RELIABILITY_FUZZ_RUNS ?? 30);

/** Values an attacker or a broken client sends in place of a field. */
const hostileValues: unknown[] = [
  JSON.parse('{"$gt": ""}'),
  JSON.parse('{"$ne": null}'),
  JSON.parse('{"$in": ["FRA", "DEU"]}'),
  JSON.parse('{"$where": "sleep(1000) || true"}'),
  JSON.parse('{"$regex": ".*"}'),
  JSON.parse('{"$expr": {"$eq": [1, 1]}}'),
  JSON.parse('{"__proto__": {"polluted": "yes", "roles": ["admin"]}}'),
  JSON.parse('{"constructor": {"prototype": {"polluted": "yes"}}}'),
  'x'.repeat(5_000),
  'y'.repeat(120_000),
  '\u0000',
  '\ud800',
  '💥'.repeat(500),
  '<script>alert(1)</script>',
  "'; DROP TABLE pledges; --",
  '../../../../etc/passwd',
  '${jndi:ldap://127.0.0.1/x}',
  '.*',
  '',
  ' ',
  -1,
  0,
  1.5,
  1e308,
  -1e308,
  Number.MAX_SAFE_INTEGER + 2,
  true,
  false,
  null,
  [],
  [[[]]],
  {},
  Array.from({ length: 5_000 }, (_, i) => i),
  { items: Array.from({ length: 200 }, () => ({ systemId: 'caesar', quantity: 1 })) },
];

const hostile = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...hostileValues) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 300 }) },
);

const hostileKeys = [
  '$where',
  '$gt',
  '__proto__',
  'constructor',
  'prototype',
  '_id',
  'status',
  'donor',
  'roles',
  'admin',
  'a.b',
  '$set',
];

/** Every path (as a list of keys) into a JSON value. */
function pathsOf(value: unknown, prefix: Array<string | number> = []): Array<Array<string | number>> {
  if (Array.isArray(value)) return [prefix, ...value.flatMap((v, i) => pathsOf(v, [...prefix, i]))];
  if (value && typeof value === 'object')
    return [prefix, ...Object.entries(value).flatMap(([k, v]) => pathsOf(v, [...prefix, k]))];
  return [prefix];
}

function setPath(
  root: unknown,
  path: Array<string | number>,
  value: unknown,
  mode: 'set' | 'delete' | 'add',
  extraKey: string,
): unknown {
  if (!path.length) return mode === 'delete' ? undefined : value;
  const copy = JSON.parse(JSON.stringify(root));
  let node = copy;
  for (const k of path.slice(0, -1)) node = node[k];
  const last = path[path.length - 1];
  if (mode === 'delete') {
    if (Array.isArray(node)) node.splice(Number(last), 1);
    else delete node[last];
  } else if (mode === 'add' && node[last] && typeof node[last] === 'object' && !Array.isArray(node[last])) {
    Object.defineProperty(node[last], extraKey, {
      value,
      enumerable: true,
      configurable: true,
      writable: true,
    });
  } else node[last] = value;
  return copy;
}

const deep = (depth: number, kind: 'array' | 'object') =>
  kind === 'array'
    ? `${'['.repeat(depth)}${']'.repeat(depth)}`
    : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

const bodyCase = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('mutate' as const),
      at: fc.nat(),
      mode: fc.constantFrom('set' as const, 'delete' as const, 'add' as const),
      key: fc.constantFrom(...hostileKeys),
      value: hostile,
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('replace' as const), value: hostile }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('raw' as const),
      text: fc.oneof(
        fc.string({ maxLength: 200 }),
        fc.constantFrom(
          '{',
          '{"a":',
          '[1,2',
          'null',
          '"str"',
          '{"a":1}}',
          'NaN',
          '{"a":1,"a":2}',
          '\u0000{}',
        ),
      ),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('deep' as const),
      depth: fc.constantFrom(100, 5_000, 40_000),
      shape: fc.constantFrom('array' as const, 'object' as const),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('huge' as const), bytes: fc.constantFrom(300_000, 3_000_000) }),
  },
);

const queryKeys = [
  'status',
  'status[$ne]',
  'donor',
  'donor[$ne]',
  'q',
  'q[$regex]',
  'limit',
  'cursor',
  'state',
  'kind',
  'mine',
  'pledgeId',
  'pledgeId[$ne]',
  'unread',
  'courseId',
  'category',
  'coalition',
  'decision',
  'comment',
  'conditions',
  '__proto__',
  'constructor[prototype][polluted]',
  '$where',
];
const queryValues = fc.oneof(
  fc.constantFrom(
    '.*',
    '{"$gt":""}',
    '{"$ne":null}',
    'x'.repeat(10_000),
    '%E0%A4%A',
    '%00',
    '-1',
    '0',
    '1e400',
    'NaN',
    'true',
    '',
    'FRA',
    'UNDER_REVIEW',
    'open',
    '[object Object]',
    'eyJhdCI6eyIkZ3QiOiIifSwiaWQiOnsiJG5lIjoiIn19',
  ),
  fc.string({ maxLength: 100 }).map(encodeURIComponent),
);
const queryCase = fc.array(fc.tuple(fc.constantFrom(...queryKeys), queryValues), {
  minLength: 1,
  maxLength: 4,
});

const pathValues = fc.oneof(
  fc.constantFrom(
    '%E0%A4%A',
    '%',
    '..%2F..%2Fetc%2Fpasswd',
    '.*',
    encodeURIComponent('{"$ne":""}'),
    'x'.repeat(5_000),
    '%00',
    '__proto__',
    'constructor',
    '%2e%2e',
  ),
  fc.string({ minLength: 1, maxLength: 80 }).map(encodeURIComponent),
);

const headerCase = fc.oneof(
  fc.record({
    'content-type': fc.constantFrom(
      'text/plain',
      'application/json; charset=utf-16',
      'application/json; charset=latin1',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/xml',
      'text/csv',
      'application/merge-patch+json',
      'application/json;;;',
      'json',
    ),
  }),
  fc.record({
    'idempotency-key': fc.constantFrom(
      'has spaces',
      'k'.repeat(201),
      '$where',
      '../../x',
      '{"$gt":""}',
      'ok-key;drop',
      'tab\tinside',
    ),
  }),
  fc.record({ 'content-encoding': fc.constantFrom('gzip', 'deflate', 'br', 'compress', 'identity, gzip') }),
  fc.record({ 'x-request-id': fc.constantFrom('x'.repeat(500), '<script>', 'ok-id') }),
);

const inputCase = fc.record({
  body: fc.option(bodyCase, { nil: undefined, freq: 2 }),
  query: fc.option(queryCase, { nil: undefined, freq: 2 }),
  path: fc.option(pathValues, { nil: undefined, freq: 3 }),
  header: fc.option(headerCase, { nil: undefined, freq: 3 }),
});
type InputCase = typeof inputCase extends fc.Arbitrary<infer T> ? T : never;

describe('bad input: fuzzing every route with malformed bodies, queries, headers and tokens', () => {
  let stack: Stack;
  const tokens = new Map<string, string>();
  const principals = new Map<string, Principal>();
  let fixtures: Fixtures;
  const fraPledges: string[] = [];
  let tried = 0;
  let n = 0;
  const unique = () => `${Date.now().toString(36)}-${++n}`;

  const call = (
    username: string | null,
    req: {
      method: string;
      path: string;
      body?: unknown;
      contentType?: string;
      headers?: Record<string, string>;
      timeoutMs?: number;
    },
  ) =>
    rawRequest(stack.url, {
      ...req,
      path: `/api/v1${req.path}`,
      ...(username ? { token: tokens.get(username) } : {}),
    });
  const count = (collection: string, filter: Record<string, unknown> = {}) =>
    stack.db.collection(collection).countDocuments(filter);

  beforeAll(async () => {
    const t0 = Date.now();
    stack = await startStack('badinput');
    const stackMs = Date.now() - t0;
    for (const username of [...Object.values(DEMO_USER_BY_ROLE), 'liaison.deu']) {
      const login = await call(null, {
        method: 'POST',
        path: '/auth/login',
        body: { username, password: 'nsatu-demo' },
      });
      expect(login.status).toBe(200);
      tokens.set(username, login.body.token);
      principals.set(username, {
        username,
        roles: login.body.user.roles as Role[],
        nation: login.body.user.nation,
      });
    }
    for (let i = 0; i < 3; i++) {
      const fra = await call('liaison.fra', { method: 'POST', path: '/pledges', body: validPledge('FRA') });
      const deu = await call('liaison.deu', { method: 'POST', path: '/pledges', body: validPledge('DEU') });
      expect([fra.status, deu.status]).toEqual([202, 202]);
      fraPledges.push(fra.body.id);
    }
    const task = await eventually(async () => {
      const res = await call('reviewer', {
        method: 'GET',
        path: `/tasks?kind=compatibility_review&pledgeId=${fraPledges[0]}`,
      });
      return res.body.items?.[0] as { id: string } | undefined;
    });
    fixtures = { pledgeId: fraPledges[0], withdrawPledgeId: fraPledges[1], taskId: task.id, unique };
    console.log(`bad input: stack up in ${stackMs} ms, fixtures in ${Date.now() - t0 - stackMs} ms`);
  });
  afterAll(async () => stack?.stop());

  /** Who calls a route in the fuzz: someone allowed, so the input reaches validation and the handler. */
  function callerOf(route: RouteSpec): string | null {
    if (route.access === 'public') return null;
    if (route.path.startsWith('/tasks/:id') && route.access === 'task:act') return 'reviewer';
    const role = (['admin', ...Roles] as Role[]).find((r) =>
      can(principals.get(DEMO_USER_BY_ROLE[r])!, route.access as Parameters<typeof can>[1]),
    );
    return DEMO_USER_BY_ROLE[role!];
  }

  /** Applies one generated case to the route's plausible request. */
  function build(route: RouteSpec, input: InputCase) {
    const planned = plannedRequests[routeKey(route)](fixtures);
    const [pathOnly, query = ''] = planned.path.split('?');
    let path = pathOnly;
    const headers: Record<string, string> = {};
    let body: unknown = planned.body;
    let rawText: string | undefined;
    if (input.path !== undefined && route.path.includes('/:')) {
      const template = route.path.split('/');
      const segments = path.split('/');
      const params = template.map((s, i) => (s.startsWith(':') ? i : -1)).filter((i) => i >= 0);
      segments[params[input.path.length % params.length]] = input.path;
      path = segments.join('/');
    }
    const pairs = query ? query.split('&') : [];
    for (const [k, v] of input.query ?? []) pairs.push(`${k}=${v}`);
    const canHaveBody = route.method !== 'get';
    const b = input.body;
    if (b && canHaveBody) {
      if (b.kind === 'mutate') {
        const paths = pathsOf(body ?? {});
        body = setPath(body ?? {}, paths[b.at % paths.length], b.value, b.mode, b.key);
      } else if (b.kind === 'replace') body = b.value;
      else if (b.kind === 'raw') rawText = b.text;
      else if (b.kind === 'deep') rawText = deep(b.depth, b.shape);
      else rawText = JSON.stringify({ notes: 'z'.repeat(b.bytes) });
    }
    Object.assign(headers, input.header ?? {});
    const sent =
      rawText ?? (body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body));
    if (sent !== undefined && !headers['content-type'])
      headers['content-type'] = planned.contentType ?? 'application/json';
    return {
      method: planned.method,
      path: `${path}${pairs.length ? `?${pairs.join('&')}` : ''}`,
      body: sent,
      headers,
    };
  }

  /** The answer to anything a client sends: never a 5xx, never a hang, always the JSON error envelope. */
  function checkAnswer(what: string, res: RawResponse) {
    if (res.status >= 500) throw new Error(`${what}: ${res.status} ${res.text.slice(0, 300)}`);
    // 431 (URL or headers beyond Node's 16 KB) is answered by Node's HTTP parser before any of our code runs.
    if (res.status >= 400 && res.status !== 431 && typeof res.body?.error?.code !== 'string') {
      throw new Error(`${what}: ${res.status} without the error envelope: ${res.text.slice(0, 200)}`);
    }
  }

  /** fast-check's report, cut short: generated values can be megabytes. */
  const shortReport = <T>(details: fc.RunDetails<T>) => {
    if (!details.failed) return;
    const cause =
      details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
    throw new Error(
      `property failed after ${details.numRuns} runs (seed ${details.seed}, path ${details.counterexamplePath}): ${cause.slice(0, 600)}`,
    );
  };

  it('when every route gets random and malformed bodies, queries, path ids and headers, then never a 5xx or a hang, and nothing half-created', async () => {
    const routes = allRoutes(stack.api.deps);
    const before = {
      pledges: await count('pledges'),
      users: await count('users'),
      imports: await count('imports'),
    };
    const created = { pledges: 0, users: 0, imports: 0 };
    const statuses = new Map<number, number>();
    let slowestAnswer = 0;
    const started = Date.now();
    const slowest: Array<[string, number]> = [];
    // Each route its own seed, derived from the run's (test/support/fast-check-seed.ts): the same seed for every route
    // would send each route the same sequence of cases.
    const runSeed = fc.readConfigureGlobal().seed;
    for (const [index, route] of routes.entries()) {
      const key = routeKey(route);
      const caller = callerOf(route);
      const routeStarted = Date.now();
      await fc.assert(
        fc.asyncProperty(inputCase, async (input) => {
          const req = build(route, input);
          // "Never a hang": a minute is far beyond any answer here, even with the rest of the suite running.
          const res = await call(caller, { ...req, timeoutMs: 60_000 }).catch((err: unknown) => {
            throw new Error(`${key} ${JSON.stringify(req).slice(0, 300)}: ${String(err)}`);
          });
          tried++;
          slowestAnswer = Math.max(slowestAnswer, res.ms);
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          if (key === 'POST /pledges' && res.status === 202) created.pledges++;
          if (key === 'POST /admin/users' && res.status === 201) created.users++;
          if (
            key === 'POST /imports/pledges' &&
            res.status === 202 &&
            res.headers.get('idempotent-replayed') !== 'true'
          )
            created.imports++;
          checkAnswer(`${key} ${JSON.stringify(req).slice(0, 300)}`, res);
        }),
        {
          numRuns: RUNS_PER_ROUTE,
          endOnFailure: true,
          reporter: shortReport,
          ...(runSeed === undefined ? {} : { seed: runSeed + index }),
        },
      );
      slowest.push([key, Date.now() - routeStarted]);
    }
    slowest.sort((a, b) => b[1] - a[1]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((await rawRequest(stack.url, { method: 'GET', path: '/healthz' })).status).toBe(200);
    expect(await count('pledges')).toBe(before.pledges + created.pledges);
    expect(await count('users')).toBe(before.users + created.users);
    expect(await count('imports')).toBe(before.imports + created.imports);
    // Failed creations free their Idempotency-Key: nothing is left pending.
    await eventually(async () => (await count('idempotency_keys', { state: 'pending' })) === 0);
    console.log(
      `bad input: ${routes.length} routes × ${RUNS_PER_ROUTE} generated cases = ${routes.length * RUNS_PER_ROUTE} requests in ${Date.now() - started} ms; ` +
        `statuses ${JSON.stringify(Object.fromEntries([...statuses].sort((a, b) => a[0] - b[0])))}; created by valid mutations: ${JSON.stringify(created)}; slowest answer ${slowestAnswer} ms; slowest routes ${slowest
          .slice(0, 4)
          .map(([k, ms]) => `${k} ${ms} ms`)
          .join(', ')}`,
    );
  }, 240_000);

  it('when a token is expired, forged, for another audience or issuer, unsigned (alg none) or garbage, then 401 on every route, and a random one too', async () => {
    const routes = allRoutes(stack.api.deps).filter((r) => r.access !== 'public');
    const forged = badTokens(stack.config);
    let pledgesExpected = await count('pledges');
    const failures: string[] = [];
    let checked = 0;
    for (const route of routes) {
      const planned = plannedRequests[routeKey(route)](fixtures);
      for (const [name, token] of Object.entries(forged)) {
        const res = await rawRequest(stack.url, {
          method: planned.method,
          path: `/api/v1${planned.path}`,
          body: planned.body,
          contentType: planned.contentType,
          headers: { authorization: `Bearer ${token}` },
        });
        checked++;
        if (res.status !== 401 || res.body?.error?.code !== 'UNAUTHENTICATED')
          failures.push(`${routeKey(route)} with ${name}: ${res.status}`);
      }
      // A valid token of an allowed user on the same request is not a 401: the 401s above are the tokens' doing.
      const control = await call(callerOf(route), planned);
      if (control.status === 401) failures.push(`${routeKey(route)} with a valid token: 401`);
      if (routeKey(route) === 'POST /pledges' && control.status === 202) pledgesExpected++;
    }
    const admin = tokens.get('admin')!;
    const schemes = [
      'Bearer',
      'Bearer ',
      `bearer ${admin}`,
      admin,
      `Basic ${Buffer.from('admin:nsatu-demo').toString('base64')}`,
      `Bearer ${admin}, Bearer ${admin}`,
      `Bearer ${admin} x`,
      `Token ${admin}`,
    ];
    for (const authorization of schemes) {
      const res = await rawRequest(stack.url, {
        method: 'GET',
        path: '/api/v1/me',
        headers: { authorization },
      });
      checked++;
      if (res.status !== 401) failures.push(`authorization "${authorization.slice(0, 30)}": ${res.status}`);
    }
    const tokenChars = fc.constantFrom(
      ...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.'.split(''),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(tokenChars, { minLength: 1, maxLength: 400 }).map((c) => c.join('')),
        async (token) => {
          const res = await rawRequest(stack.url, {
            method: 'POST',
            path: '/api/v1/pledges',
            body: validPledge('FRA'),
            headers: { authorization: `Bearer ${token}` },
          });
          checked++;
          expect(res.status).toBe(401);
        },
      ),
      { numRuns: 60, reporter: shortReport },
    );
    tried += checked;
    expect(await count('pledges')).toBe(pledgesExpected);
    console.log(
      `tokens: ${Object.keys(forged).length} forged kinds × ${routes.length} routes + schemes + 60 random = ${checked} requests, all 401`,
    );
    expect(failures).toEqual([]);
  }, 120_000);

  it('when filters carry injection ($ne, $gt, regex, arrays, forged cursors), then the query never widens: a liaison still sees only its nation', async () => {
    const onlyFra = (res: RawResponse) => {
      expect(res.status).toBe(200);
      expect(res.body.items.every((p: { donor: string }) => p.donor === 'FRA')).toBe(true);
      return res.body.items.length as number;
    };
    const forgedCursor = Buffer.from('{"at":{"$gt":""},"id":{"$ne":""}}').toString('base64url');
    const widening = [
      'donor[$ne]=FRA',
      'donor[$ne]=',
      'q=.*',
      'q=%5E',
      'q[$regex]=.*',
      'status[$ne]=x',
      'coalition[$ne]=x',
      '__proto__[donor]=DEU',
      'constructor[prototype][donor]=DEU',
      'donor=DEU',
    ];
    let checked = 0;
    const all = onlyFra(await call('liaison.fra', { method: 'GET', path: '/pledges?limit=200' }));
    expect(all).toBe(Math.min(200, await count('pledges', { donor: 'FRA' })));
    expect(await count('pledges', { donor: { $ne: 'FRA' } })).toBeGreaterThan(0);
    // A parameter the route does not take (`donor[$ne]`, `__proto__[donor]`) is refused, naming it; one it takes
    // filters within the liaison's nation.
    const refusedAsUnknown = (res: RawResponse, q: string) => {
      if (res.status !== 400) return false;
      expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(
        `query.${q.split('=')[0]}`,
      );
      return true;
    };
    for (const q of widening) {
      const list = await call('liaison.fra', { method: 'GET', path: `/pledges?limit=200&${q}` });
      if (!refusedAsUnknown(list, q)) expect(onlyFra(list)).toBeLessThanOrEqual(all);
      const csv = await call('liaison.fra', { method: 'GET', path: `/pledges/export.csv?${q}` });
      if (!refusedAsUnknown(csv, q)) {
        expect(csv.status).toBe(200);
        expect(
          csv.text
            .split('\n')
            .slice(1)
            .filter(Boolean)
            .every((line) => line.includes('FRA')),
        ).toBe(true);
        expect(csv.text).not.toMatch(/\bDEU\b/);
      }
      checked += 2;
    }
    // Operators and lists where a single value is expected are refused, not interpreted.
    const refused = [
      '/pledges?status={"$gt":""}',
      `/pledges?status=${encodeURIComponent('{"$gt":""}')}`,
      '/pledges?donor=FRA&donor=DEU',
      '/pledges?status=UNDER_REVIEW&status=READY',
      '/pledges?donor={"$ne":"FRA"}',
      `/pledges?cursor=${forgedCursor}`,
      '/pledges?limit[$gt]=0&limit=abc',
      '/tasks?state={"$ne":"open"}',
      '/tasks?pledgeId=a&pledgeId=b',
      '/notifications?unread={"$ne":null}',
    ];
    for (const path of refused) {
      const res = await call('liaison.fra', { method: 'GET', path });
      checked++;
      expect(res.status, path).toBe(400);
    }
    // Operators in bodies: refused by the schemas before any query is built.
    const bodies: Array<[string, string, unknown, string]> = [
      ['POST', '/auth/login', { username: { $ne: null }, password: { $ne: null } }, 'anonymous'],
      ['POST', '/auth/login', { username: 'admin', password: { $gt: '' } }, 'anonymous'],
      ['POST', `/tasks/${fixtures.taskId}/delegate`, { to: { $ne: null } }, 'reviewer'],
      ['POST', '/pledges', { ...validPledge('FRA'), donor: { $ne: 'FRA' } }, 'liaison.fra'],
      ['PATCH', '/admin/users/admin', { roles: { $in: ['admin'] } }, 'admin'],
    ];
    for (const [method, path, body, who] of bodies) {
      const res = await call(who === 'anonymous' ? null : who, { method, path, body });
      checked++;
      expect(res.status, `${method} ${path}`).toBe(400);
    }
    // A login with an injection-looking username is just a wrong username.
    const sqlish = await call(null, {
      method: 'POST',
      path: '/auth/login',
      body: { username: "admin' || '1'=='1", password: 'x' },
    });
    expect(sqlish.status).toBe(401);
    // Path ids are literal: a regex or an operator in the id finds nothing.
    for (const id of ['.*', encodeURIComponent('{"$ne":""}'), '%5E.*']) {
      const res = await call('liaison.fra', { method: 'GET', path: `/pledges/${id}` });
      checked++;
      expect(res.status).toBe(404);
    }
    tried += checked + 1;
    console.log(`injection: ${checked + 1} filter and body injections; none widened a query`);
  });

  afterAll(() => {
    console.log(`bad input: ${tried} inputs tried in all`);
  });
});
