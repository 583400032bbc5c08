// Helpers of the reliability suite (test/reliability): demo users per role, a concurrency limiter, raw HTTP
// with timeouts and client-style retries, forged tokens, and one plausible request per documented route.
/* eslint-disable @typescript-eslint/no-explicit-any */
import { createHmac, generateKeyPairSync, sign as cryptoSign } from 'node:crypto';
import type { Role } from '../../domain/schemas/common';
import type { RouteSpec } from '../../api/http/route';
import { checkResponse } from './contract';
import { DEMO_PASSWORD } from './stack';

/** One demo user per role (the contract's demo users). */
export const DEMO_USER_BY_ROLE: Record<Role, string> = {
  donor_liaison: 'liaison.fra',
  staff_officer: 'staff',
  reviewer: 'reviewer',
  training_coordinator: 'trainer',
  chief_of_staff: 'cos',
  commander: 'commander',
  deputy_commander: 'deputy',
  saceur: 'saceur',
  auditor: 'auditor',
  admin: 'admin',
  ua_liaison: 'liaison.ukr',
  logistics: 'logistics',
};

export const routeKey = (r: Pick<RouteSpec, 'method' | 'path'>) => `${r.method.toUpperCase()} ${r.path}`;

export const futureDay = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);

/** Runs at most `n` of the given tasks at a time; every task is started as soon as a slot frees up. */
export async function mapLimit<T, R>(
  items: readonly T[],
  n: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(n, items.length) }, async () => {
    for (;;) {
      const i = next++;
      if (i >= items.length) return;
      results[i] = await fn(items[i], i);
    }
  });
  await Promise.all(lanes);
  return results;
}

export interface RawResponse {
  status: number;
  body: any;
  text: string;
  headers: Headers;
  ms: number;
}

export interface RawRequest {
  method: string;
  path: string;
  token?: string;
  headers?: Record<string, string>;
  /** A string is sent as is; anything else as JSON. */
  body?: unknown;
  contentType?: string;
  timeoutMs?: number;
}

/**
 * One HTTP request with a hard timeout (a hang fails the test instead of stalling it); what it receives must match
 * the OpenAPI document.
 */
export async function rawRequest(baseUrl: string, req: RawRequest): Promise<RawResponse> {
  const started = Date.now();
  const headers: Record<string, string> = { ...(req.headers ?? {}) };
  if (req.token !== undefined) headers.authorization = `Bearer ${req.token}`;
  let body: string | undefined;
  if (req.body !== undefined) {
    body = typeof req.body === 'string' ? req.body : JSON.stringify(req.body);
    if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
      headers['content-type'] = req.contentType ?? 'application/json';
    }
  }
  const res = await fetch(`${baseUrl}${req.path}`, {
    method: req.method,
    headers,
    body,
    signal: AbortSignal.timeout(req.timeoutMs ?? 15_000),
  });
  const text = await res.text();
  checkResponse(
    { method: req.method, url: `${baseUrl}${req.path}` },
    { status: res.status, headers: res.headers, text },
  );
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // not JSON
  }
  return { status: res.status, body: parsed, text, headers: res.headers, ms: Date.now() - started };
}

/** True for a failure to reach the server at all (refused, reset, closed mid-way), as opposed to an HTTP answer. */
export function isConnectionError(err: unknown): boolean {
  const e = err as {
    name?: string;
    cause?: { code?: string; name?: string };
    code?: string;
    message?: string;
  };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return true;
  const code = e?.cause?.code ?? e?.code;
  return (
    (e instanceof TypeError && /fetch failed|terminated/i.test(e.message ?? '')) ||
    [
      'ECONNREFUSED',
      'ECONNRESET',
      'EPIPE',
      'UND_ERR_SOCKET',
      'UND_ERR_CLOSED',
      'UND_ERR_HEADERS_TIMEOUT',
    ].includes(code ?? '')
  );
}

const b64url = (v: unknown) =>
  Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');

/** A JWT signed with HMAC (any HS algorithm), with exactly the header and claims given. */
export function hmacJwt(
  header: Record<string, unknown>,
  claims: Record<string, unknown>,
  secret: string,
): string {
  const alg = typeof header.alg === 'string' ? header.alg : 'HS256';
  const hash = alg === 'HS512' ? 'sha512' : alg === 'HS384' ? 'sha384' : 'sha256';
  const input = `${b64url(header)}.${b64url(claims)}`;
  return `${input}.${createHmac(hash, secret).update(input).digest('base64url')}`;
}

/**
 * Tokens the API must refuse with a 401: each differs from a valid admin token in one way that matters.
 */
export function badTokens(config: {
  JWT_SECRET: string;
  JWT_ISSUER: string;
  JWT_AUDIENCE: string;
}): Record<string, string> {
  const now = Math.floor(Date.now() / 1000);
  const good = {
    sub: 'admin',
    roles: ['admin'],
    nation: null,
    iss: config.JWT_ISSUER,
    aud: config.JWT_AUDIENCE,
    iat: now,
    exp: now + 3600,
  };
  const hs = { alg: 'HS256', typ: 'JWT' };
  const sign = (
    claims: Record<string, unknown>,
    header: Record<string, unknown> = hs,
    secret = config.JWT_SECRET,
  ) => hmacJwt(header, claims, secret);
  const valid = sign(good);
  const [h, p] = valid.split('.');
  const { privateKey } = generateKeyPairSync('ed25519');
  const edInput = `${b64url({ alg: 'EdDSA', typ: 'JWT' })}.${b64url(good)}`;
  return {
    expired: sign({ ...good, iat: now - 7200, exp: now - 3600 }),
    'not yet valid': sign({ ...good, nbf: now + 3600 }),
    'wrong signature': sign(good, hs, `${config.JWT_SECRET}-but-another-one`),
    'wrong audience': sign({ ...good, aud: 'someone-else' }),
    'wrong issuer': sign({ ...good, iss: 'https://evil.example' }),
    'alg none': `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url(good)}.`,
    'alg none, signature kept': `${b64url({ alg: 'none', typ: 'JWT' })}.${p}.${valid.split('.')[2]}`,
    'HS512 with the right secret': sign(good, { alg: 'HS512', typ: 'JWT' }),
    'EdDSA by an unknown key': `${edInput}.${cryptoSign(null, Buffer.from(edInput), privateKey).toString('base64url')}`,
    'payload swapped to another role': `${h}.${b64url({ ...good, sub: 'auditor' })}.${valid.split('.')[2]}`,
    'no subject': sign({ ...good, sub: undefined }),
    'unknown role': sign({ ...good, roles: ['superuser'] }),
    'roles not a list': sign({ ...good, roles: 'admin' }),
    'empty roles': sign({ ...good, roles: [] }),
    garbage: 'not.a.jwt',
    'two segments': `${h}.${p}`,
    'non-base64 segments': '!!!.###.$$$',
    'huge token': `${h}.${b64url({ ...good, pad: 'x'.repeat(8_000) })}.AAAA`,
    empty: '',
  };
}

export interface Fixtures {
  /** A FRA pledge under review, with its open review task. */
  pledgeId: string;
  /** A FRA pledge that may be withdrawn by whoever is allowed to. */
  withdrawPledgeId: string;
  taskId: string;
  /** For admin routes that create things: unique per call. */
  unique: () => string;
}

export interface PlannedRequest {
  method: string;
  path: string;
  body?: unknown;
  contentType?: string;
}

const pledgeBody = (donor = 'FRA') => ({
  donor,
  items: [{ systemId: 'caesar', quantity: 2, deliveryWindow: { from: futureDay(200), to: futureDay(320) } }],
  trainingOffered: true,
  sustainment: { spareParts: true, maintenanceYears: 2 },
  valueEur: 12_000_000,
  notes: 'reliability suite',
});

export const validPledge = pledgeBody;

const requirementBody = {
  capability: { category: 'howitzer' },
  quantity: 12,
  priority: 2,
  neededBy: futureDay(365),
  justification: 'reliability suite',
};

export const validCsv = (donor = 'FRA') =>
  `donor,systemId,quantity,deliveryFrom,deliveryTo\n${donor},caesar,1,${futureDay(200)},${futureDay(300)}\n`;

/**
 * A plausible request for every documented route (valid where that is cheap, so an allowed caller reaches the
 * handler). A route missing here fails the suites that use it: new routes must be added.
 */
export const plannedRequests: Record<string, (f: Fixtures) => PlannedRequest> = {
  'POST /auth/login': () => ({
    method: 'POST',
    path: '/auth/login',
    body: { username: 'staff', password: DEMO_PASSWORD },
  }),
  'GET /me': () => ({ method: 'GET', path: '/me' }),
  'GET /catalog/systems': () => ({ method: 'GET', path: '/catalog/systems?category=howitzer&q=cae' }),
  'GET /inventory': () => ({ method: 'GET', path: '/inventory' }),
  'GET /needs': () => ({ method: 'GET', path: '/needs' }),
  'GET /training/courses': () => ({ method: 'GET', path: '/training/courses' }),
  'GET /training/sites': () => ({ method: 'GET', path: '/training/sites' }),
  'GET /training/sessions': () => ({ method: 'GET', path: '/training/sessions?courseId=caesar-crew' }),
  'GET /training/capacity': () => ({ method: 'GET', path: '/training/capacity' }),
  'POST /training/what-if': () => ({
    method: 'POST',
    path: '/training/what-if',
    body: { items: pledgeBody().items },
  }),
  'POST /imports/pledges': () => ({
    method: 'POST',
    path: '/imports/pledges',
    body: validCsv(),
    contentType: 'text/csv',
  }),
  'GET /imports/:jobId': () => ({ method: 'GET', path: '/imports/IMNOSUCHJOB' }),
  'GET /pledges/export.csv': () => ({ method: 'GET', path: '/pledges/export.csv?status=UNDER_REVIEW' }),
  'POST /pledges': () => ({ method: 'POST', path: '/pledges', body: pledgeBody() }),
  'GET /pledges/:id': (f) => ({ method: 'GET', path: `/pledges/${f.pledgeId}` }),
  'GET /pledges': () => ({ method: 'GET', path: '/pledges?limit=20&q=caesar' }),
  'GET /dashboard': () => ({ method: 'GET', path: '/dashboard' }),
  'GET /reports/phase-targets': () => ({
    method: 'GET',
    path: '/reports/phase-targets?from=2026-01-01&to=2026-03-31',
  }),
  'GET /reports/phase-targets.csv': () => ({ method: 'GET', path: '/reports/phase-targets.csv' }),
  'GET /pledges/:id/phase-times': (f) => ({ method: 'GET', path: `/pledges/${f.pledgeId}/phase-times` }),
  'GET /pledges/:id/brief.pdf': (f) => ({ method: 'GET', path: `/pledges/${f.pledgeId}/brief.pdf` }),
  'GET /pledges/:id/approval-impact': (f) => ({
    method: 'GET',
    path: `/pledges/${f.pledgeId}/approval-impact`,
  }),
  'POST /pledges/:id/amend': (f) => ({
    method: 'POST',
    path: `/pledges/${f.pledgeId}/amend`,
    body: pledgeBody(),
  }),
  'POST /pledges/:id/withdraw': (f) => ({
    method: 'POST',
    path: `/pledges/${f.withdrawPledgeId}/withdraw`,
    body: { reason: 'reliability suite' },
  }),
  'GET /tasks': () => ({ method: 'GET', path: '/tasks?state=open&limit=50' }),
  'GET /tasks/:id': (f) => ({ method: 'GET', path: `/tasks/${f.taskId}` }),
  'POST /tasks/:id/claim': (f) => ({ method: 'POST', path: `/tasks/${f.taskId}/claim` }),
  'GET /tasks/:id/delegates': (f) => ({ method: 'GET', path: `/tasks/${f.taskId}/delegates` }),
  'POST /tasks/:id/release': (f) => ({ method: 'POST', path: `/tasks/${f.taskId}/release` }),
  'POST /tasks/:id/delegate': (f) => ({
    method: 'POST',
    path: `/tasks/${f.taskId}/delegate`,
    body: { to: 'nobody-of-that-name' },
  }),
  'POST /tasks/:id/comments': (f) => ({
    method: 'POST',
    path: `/tasks/${f.taskId}/comments`,
    body: { text: 'a comment' },
  }),
  'POST /tasks/:id/complete': (f) => ({
    method: 'POST',
    path: `/tasks/${f.taskId}/complete`,
    body: { decision: 'not-a-decision' },
  }),
  'GET /pledges/:id/audit': (f) => ({ method: 'GET', path: `/pledges/${f.pledgeId}/audit` }),
  'GET /audit/verify': () => ({ method: 'GET', path: '/audit/verify' }),
  'POST /audit/checkpoints': () => ({ method: 'POST', path: '/audit/checkpoints' }),
  'GET /notifications': () => ({ method: 'GET', path: '/notifications?unread=true' }),
  'POST /notifications/read-all': () => ({ method: 'POST', path: '/notifications/read-all', body: {} }),
  'POST /notifications/:id/read': () => ({
    method: 'POST',
    path: '/notifications/no-such-notification/read',
  }),
  'GET /admin/webhooks': () => ({ method: 'GET', path: '/admin/webhooks' }),
  'POST /admin/webhooks': () => ({
    method: 'POST',
    path: '/admin/webhooks',
    body: { url: 'http://127.0.0.1:9/hook', events: ['pledge.status'] },
  }),
  'DELETE /admin/webhooks/:id': () => ({ method: 'DELETE', path: '/admin/webhooks/no-such-webhook' }),
  'GET /admin/deliveries': () => ({ method: 'GET', path: '/admin/deliveries?state=failed' }),
  'POST /admin/deliveries/:id/retry': () => ({
    method: 'POST',
    path: '/admin/deliveries/no-such-delivery/retry',
  }),
  'GET /requirements': () => ({ method: 'GET', path: '/requirements?status=open&limit=20' }),
  'POST /requirements': () => ({ method: 'POST', path: '/requirements', body: requirementBody }),
  'GET /requirements/:id': () => ({ method: 'GET', path: '/requirements/RQNOSUCHREQUIREMENT' }),
  'PATCH /requirements/:id': () => ({
    method: 'PATCH',
    path: '/requirements/RQNOSUCHREQUIREMENT',
    body: { priority: 2 },
  }),
  'GET /pledges/:id/requirement-matches': (f) => ({
    method: 'GET',
    path: `/pledges/${f.pledgeId}/requirement-matches`,
  }),
  'PUT /pledges/:id/requirement-matches': (f) => ({
    method: 'PUT',
    path: `/pledges/${f.pledgeId}/requirement-matches`,
    body: { matches: [{ systemId: 'caesar', requirementId: null }], reason: 'reliability suite' },
  }),
  'PUT /admin/catalog/systems/:id': (f) => ({
    method: 'PUT',
    path: `/admin/catalog/systems/rel-${f.unique()}`,
    body: {
      name: 'Reliability drone',
      family: 'Reliability drone',
      category: 'drone',
      coalition: 'drones',
      origin: 'LVA',
      calibers: [],
      crewPerUnit: 1,
      maintainersPerUnit: 0,
      courseIds: [],
      maintenanceBurden: 'low',
    },
  }),
  // The IT coalition as seeded: saving it again changes nothing other tests see.
  'PUT /admin/coalitions/:id': () => ({
    method: 'PUT',
    path: '/admin/coalitions/it',
    body: { name: 'IT Coalition', categories: [], leads: ['EST', 'LUX'], members: [] },
  }),
  'PUT /admin/inventory/:family': () => ({
    method: 'PUT',
    path: `/admin/inventory/${encodeURIComponent('Reliability family')}`,
    body: { category: 'drone', count: 1, origin: 'LVA', calibers: [] },
  }),
  'PUT /admin/needs/:id': () => ({
    method: 'PUT',
    path: '/admin/needs/rel-need',
    body: {
      category: 'drone',
      family: null,
      description: 'reliability need',
      quantity: 1,
      priority: 5,
      status: 'open',
    },
  }),
  'GET /policies/:kind': () => ({ method: 'GET', path: '/policies/review' }),
  'POST /admin/policies/:kind': () => ({
    method: 'POST',
    path: '/admin/policies/review',
    body: { notAPolicy: true },
  }),
  'GET /admin/users': () => ({ method: 'GET', path: '/admin/users' }),
  'POST /admin/users': (f) => ({
    method: 'POST',
    path: '/admin/users',
    body: {
      username: `rel-${f.unique()}`,
      displayName: 'Reliability',
      password: 'a-long-enough-password',
      roles: ['auditor'],
    },
  }),
  'PATCH /admin/users/:username': () => ({
    method: 'PATCH',
    path: '/admin/users/nobody-of-that-name',
    body: { displayName: 'Nobody' },
  }),
  'POST /me/keys': () => ({
    method: 'POST',
    path: '/me/keys',
    body: {
      publicKey: generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' }),
      password: DEMO_PASSWORD,
    },
  }),
  'GET /me/keys': () => ({ method: 'GET', path: '/me/keys' }),
  'POST /me/keys/:keyId/revoke': () => ({ method: 'POST', path: '/me/keys/no-such-key/revoke' }),
  'GET /tasks/:id/signing-payload': (f) => ({
    method: 'GET',
    path: `/tasks/${f.taskId}/signing-payload?decision=approve`,
  }),
  'PUT /admin/training/courses/:id': () => ({
    method: 'PUT',
    path: '/admin/training/courses/rel-course',
    body: {
      name: 'Reliability course',
      durationDays: 5,
      prerequisiteIds: [],
      minCohort: 1,
      maxCohort: 10,
      audience: 'crew',
    },
  }),
  'PUT /admin/training/sites/:id': () => ({
    method: 'PUT',
    path: '/admin/training/sites/rel-site',
    body: { name: 'Reliability site', nation: 'LVA' },
  }),
  'PUT /admin/training/sessions/:id': () => ({
    method: 'PUT',
    path: '/admin/training/sessions/rel-session',
    body: {
      courseId: 'rel-course',
      siteId: 'rel-site',
      start: futureDay(400),
      end: futureDay(405),
      seats: 5,
    },
  }),
  'DELETE /admin/training/sessions/:id': () => ({
    method: 'DELETE',
    path: '/admin/training/sessions/no-such-session',
  }),
  'POST /training/cohorts/:id/events': () => ({
    method: 'POST',
    path: '/training/cohorts/no-such-cohort/events',
    body: { type: 'started' },
  }),
  'GET /openapi.json': () => ({ method: 'GET', path: '/openapi.json' }),
  'GET /coalitions': () => ({ method: 'GET', path: '/coalitions' }),
  'GET /coalitions/:id': () => ({ method: 'GET', path: '/coalitions/iamd' }),
  'GET /agreements': () => ({ method: 'GET', path: '/agreements?limit=20' }),
  // FRA's, as the demo liaison is French: a second one of the same date is a 409, past authorisation.
  'POST /agreements': () => ({
    method: 'POST',
    path: '/agreements',
    body: {
      donor: 'FRA',
      title: 'Reliability agreement',
      signedOn: '2024-06-01',
      termYears: 1,
      commitments: [{ year: 2024, valueEur: null }],
    },
  }),
  'GET /agreements/:id': () => ({ method: 'GET', path: '/agreements/fra-2024-02-16' }),
  'PATCH /agreements/:id': () => ({
    method: 'PATCH',
    path: '/agreements/fra-2024-02-16',
    body: { status: 'in_force' },
  }),
  'GET /deliveries': () => ({ method: 'GET', path: '/deliveries' }),
  'GET /pledges/:id/deliveries': (f) => ({ method: 'GET', path: `/pledges/${f.pledgeId}/deliveries` }),
  // The pledge is not approved, so it has no lots yet: an allowed caller gets past authorisation to a 404.
  'POST /deliveries/:lotId/milestones': (f) => ({
    method: 'POST',
    path: `/deliveries/${f.pledgeId}-L1/milestones`,
    body: { state: 'prepared', at: futureDay(0), location: 'Rzeszów hub' },
  }),
  'PATCH /deliveries/:lotId': (f) => ({
    method: 'PATCH',
    path: `/deliveries/${f.pledgeId}-L1`,
    body: { plannedOn: futureDay(30), reason: 'reliability suite' },
  }),
};
