import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allRoutes } from '../../api/app';
import type { RouteSpec } from '../../api/http/route';
import { can, canSeeDonor, type Principal } from '../../domain/permissions';
import { Roles, type Role } from '../../domain/schemas/common';
import { isCandidate, type TaskSnapshot } from '../../domain/tasks';
import {
  DEMO_USER_BY_ROLE,
  plannedRequests,
  rawRequest,
  routeKey,
  validPledge,
  type Fixtures,
  type RawResponse,
} from '../support/reliability';
import { eventually, startStack, type Stack } from '../support/stack';

/** Task routes whose object rule is "one of the task's candidate roles" (a non-candidate who sees the pledge gets 403). */
const TASK_ACTIONS = new Set([
  'POST /tasks/:id/claim',
  'POST /tasks/:id/release',
  'POST /tasks/:id/delegate',
  'POST /tasks/:id/complete',
  'GET /tasks/:id/delegates',
]);
const TASK_SCOPED = (path: string) => path.startsWith('/tasks/:id');
const PLEDGE_SCOPED = (path: string) => path.startsWith('/pledges/:id') || TASK_SCOPED(path);

type TaskDoc = Pick<TaskSnapshot, 'candidateRoles' | 'nation' | 'coalitions'> & { id: string; kind: string };

describe('authorisation matrix: every route × every role', () => {
  let stack: Stack;
  const tokens = new Map<string, string>();
  const principals = new Map<string, Principal>();
  let reviewTask: TaskDoc;
  let revisionTask: TaskDoc;
  const fraPledges: string[] = [];
  let deuPledge: string;
  let withdrawPledgeId: string;
  let n = 0;
  const unique = () => `${Date.now().toString(36)}-${++n}`;

  const call = (
    username: string | null,
    req: { method: string; path: string; body?: unknown; contentType?: string },
  ): Promise<RawResponse> =>
    rawRequest(stack.url, {
      method: req.method,
      path: `/api/v1${req.path}`,
      body: req.body,
      contentType: req.contentType,
      ...(username ? { token: tokens.get(username) } : {}),
    });

  const openTask = (username: string, pledgeId: string, kind: string) =>
    eventually(async () => {
      const res = await call(username, { method: 'GET', path: `/tasks?kind=${kind}&pledgeId=${pledgeId}` });
      return res.body.items?.[0] as TaskDoc | undefined;
    });

  const submit = async (username: string, donor: string) => {
    const res = await call(username, { method: 'POST', path: '/pledges', body: validPledge(donor) });
    expect(res.status).toBe(202);
    return res.body.id as string;
  };

  beforeAll(async () => {
    stack = await startStack('authz');
    for (const username of [...Object.values(DEMO_USER_BY_ROLE), 'liaison.deu']) {
      const login = await rawRequest(stack.url, {
        method: 'POST',
        path: '/api/v1/auth/login',
        body: { username, password: 'nsatu-demo' },
      });
      expect(login.status).toBe(200);
      tokens.set(username, login.body.token);
      const user = login.body.user as {
        username: string;
        roles: Role[];
        nation: string | null;
        coalitions: string[];
      };
      // A reviewer is a candidate for the review tasks of its coalitions only.
      principals.set(username, {
        username: user.username,
        roles: user.roles,
        nation: user.nation,
        coalitions: user.coalitions,
      });
    }
    // A FRA pledge under review (its review task), one whose changes were requested (a FRA revision task),
    // one to withdraw, and a German one that French eyes must never see.
    const [underReview, changes, toWithdraw] = [
      await submit('liaison.fra', 'FRA'),
      await submit('liaison.fra', 'FRA'),
      await submit('liaison.fra', 'FRA'),
    ];
    deuPledge = await submit('liaison.deu', 'DEU');
    fraPledges.push(underReview, changes, toWithdraw);
    withdrawPledgeId = toWithdraw;
    reviewTask = await openTask('reviewer', underReview, 'compatibility_review');
    const second = await openTask('reviewer', changes, 'compatibility_review');
    const requested = await call('reviewer', {
      method: 'POST',
      path: `/tasks/${second.id}/complete`,
      body: { decision: 'request_changes', comment: 'more spares' },
    });
    expect(requested.status).toBe(200);
    revisionTask = await openTask('liaison.fra', changes, 'revision');
    expect(revisionTask.nation).toBe('FRA');
  });
  afterAll(async () => stack?.stop());

  /** The expected answer from the permission map, refined by the object rules the routes document. */
  function expectedAllowed(route: RouteSpec, principal: Principal, task: TaskDoc): boolean {
    if (route.access === 'public') return true;
    if (!can(principal, route.access)) return false;
    const key = routeKey(route);
    if (TASK_ACTIONS.has(key)) return isCandidate(task, principal);
    if (key === 'POST /tasks/:id/comments') return !principal.roles.every((r) => r === 'auditor');
    return true;
  }

  it('when each role calls each route, then exactly the roles the permission map allows get past authorisation (others 403, anonymous 401)', async () => {
    const routes = allRoutes(stack.api.deps);
    const missing = routes.map(routeKey).filter((k) => !plannedRequests[k]);
    expect(missing, 'routes without a planned request in test/support/reliability.ts').toEqual([]);

    const fixtures = (task: TaskDoc): Fixtures => ({
      pledgeId: fraPledges[0],
      withdrawPledgeId,
      taskId: task.id,
      unique,
    });
    const failures: string[] = [];
    const table: string[] = [];
    let cells = 0;
    let allowedCells = 0;
    for (const route of routes) {
      const key = routeKey(route);
      const targets = TASK_SCOPED(route.path) ? [reviewTask, revisionTask] : [reviewTask];
      for (const task of targets) {
        const planned = plannedRequests[key](fixtures(task));
        const row: string[] = [];
        if (route.access !== 'public') {
          const anonymous = await call(null, planned);
          cells++;
          if (anonymous.status !== 401) failures.push(`${key} anonymous: ${anonymous.status}`);
        }
        for (const role of Roles) {
          const username = DEMO_USER_BY_ROLE[role];
          const principal = principals.get(username)!;
          const allowed = expectedAllowed(route, principal, task);
          // Release needs a claim first, and a claim is undone at once: each cell starts from an unclaimed task.
          if (key === 'POST /tasks/:id/release' && allowed) {
            const claim = await call(username, { method: 'POST', path: `/tasks/${task.id}/claim` });
            expect(claim.status).toBe(200);
          }
          const res = await call(username, plannedRequests[key](fixtures(task)));
          if (key === 'POST /tasks/:id/claim' && res.status === 200) {
            expect((await call(username, { method: 'POST', path: `/tasks/${task.id}/release` })).status).toBe(
              200,
            );
          }
          cells++;
          if (allowed) allowedCells++;
          const ok = allowed ? ![401, 403].includes(res.status) && res.status < 500 : res.status === 403;
          if (!ok)
            failures.push(
              `${key} [task ${task.kind}] as ${username} (${role}): expected ${allowed ? 'allowed' : '403'}, got ${res.status} ${res.text.slice(0, 160)}`,
            );
          row.push(`${allowed ? 'A' : 'D'}${res.status}`);
        }
        table.push(
          `${key.padEnd(40)} ${targets.length > 1 ? task.kind.slice(0, 10).padEnd(11) : ''.padEnd(11)}${row.map((c) => c.padEnd(5)).join(' ')}`,
        );
      }
    }
    console.log(
      [
        `authorisation matrix: ${routes.length} routes × ${Roles.length} roles (+ anonymous; task routes on 2 tasks) = ${cells} cells checked, ${allowedCells} allowed`,
        `${''.padEnd(52)}${Roles.map((r) => r.slice(0, 5).padEnd(5)).join(' ')}`,
        ...table,
      ].join('\n'),
    );
    expect(failures).toEqual([]);
  }, 180_000);

  it('when liaison.deu calls any pledge-scoped route of a French pledge, then 404 and never its data; lists and exports hide it', async () => {
    const routes = allRoutes(stack.api.deps).filter((r) => PLEDGE_SCOPED(r.path));
    const deu = principals.get('liaison.deu')!;
    expect(canSeeDonor(deu, 'FRA')).toBe(false);
    const failures: string[] = [];
    let checked = 0;
    for (const route of routes) {
      const key = routeKey(route);
      for (const task of TASK_SCOPED(route.path) ? [reviewTask, revisionTask] : [reviewTask]) {
        // Every body here is valid, so the answer comes from the handler's visibility check, not from validation.
        const planned = plannedRequests[key]({
          pledgeId: fraPledges[0],
          withdrawPledgeId: fraPledges[0],
          taskId: task.id,
          unique,
        });
        const res = await call('liaison.deu', planned);
        checked++;
        const expected = can(deu, route.access as Parameters<typeof can>[1]) ? 404 : 403;
        const leaked =
          /"(donor|items|status|candidateRoles|payload)"/.test(res.text) || res.text.includes('caesar');
        if (res.status !== expected || leaked)
          failures.push(`${key} [${task.kind}]: ${res.status} ${res.text.slice(0, 200)}`);
      }
    }
    // Cohorts of a French pledge: the route is closed to liaisons altogether.
    const lists = [
      await call('liaison.deu', { method: 'GET', path: '/pledges?limit=200' }),
      await call('liaison.deu', { method: 'GET', path: '/pledges?limit=200&donor=FRA' }),
      await call('liaison.deu', { method: 'GET', path: '/pledges?limit=200&q=fra' }),
    ];
    for (const list of lists) {
      expect(list.status).toBe(200);
      expect(list.body.items.every((p: { donor: string }) => p.donor === 'DEU')).toBe(true);
    }
    expect(lists[0].body.items.map((p: { id: string }) => p.id)).toContain(deuPledge);
    const csv = await call('liaison.deu', { method: 'GET', path: '/pledges/export.csv' });
    expect(csv.status).toBe(200);
    expect(csv.text).toContain(deuPledge);
    for (const id of fraPledges) expect(csv.text).not.toContain(id);
    const tasks = await call('liaison.deu', { method: 'GET', path: '/tasks?limit=200' });
    expect(tasks.body.items.filter((t: { pledgeId: string }) => fraPledges.includes(t.pledgeId))).toEqual([]);
    checked += lists.length + 2;
    console.log(
      `donor-nation rule: ${checked} checks of liaison.deu against French pledges, ${failures.length} failures`,
    );
    expect(failures).toEqual([]);
  });
});
