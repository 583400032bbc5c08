import { describe, expect, it } from 'vitest';
import { apiDocument, describedRoutes } from '../../api/app';
import { apiTags } from '../../api/http/route';
import { NotificationTypes } from '../../domain/notifications';
import { permissions } from '../../domain/permissions';
import { Roles } from '../../domain/schemas/common';
import { checkResponse } from '../support/contract';
import { takeMismatches } from '../support/contract-mismatches';

/* eslint-disable @typescript-eslint/no-explicit-any */
const routes = describedRoutes();
const doc = apiDocument(routes) as any;
const METHODS = ['get', 'put', 'post', 'patch', 'delete'];
const operations = Object.entries(doc.paths as Record<string, any>).flatMap(([path, item]) =>
  METHODS.filter((m) => item[m]).map((method) => ({ path, method, op: item[method] })),
);
const api = operations.filter((o) => o.path.startsWith('/api/v1/'));
const bodies = (op: any) => [
  ...Object.values(op.requestBody?.content ?? {}),
  ...Object.values(op.responses as Record<string, any>).flatMap((r) => Object.values(r.content ?? {})),
];

describe('the OpenAPI document', () => {
  it('when built, then it describes every route spec once, and the operators’ endpoints', () => {
    expect(api.map((o) => `${o.method} ${o.path}`).sort()).toEqual(
      routes.map((r) => `${r.method} /api/v1${r.path.replace(/:(\w+)/g, '{$1}')}`).sort(),
    );
    expect(operations.filter((o) => !o.path.startsWith('/api/v1/')).map((o) => o.path)).toEqual([
      '/healthz',
      '/readyz',
      '/metrics',
    ]);
  });

  it('when built, then every operation has a unique verbNoun operationId and one tag from the declared list', () => {
    const ids = operations.map((o) => o.op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z]+[A-Z][A-Za-z]*$/);
    expect(doc.tags.map((t: any) => t.name)).toEqual(Object.keys(apiTags));
    for (const t of doc.tags) expect(t.description).toBeTruthy();
    for (const { op } of operations) {
      expect(op.tags).toHaveLength(1);
      expect(Object.keys(apiTags)).toContain(op.tags[0]);
    }
    expect(doc.info.contact.name).toBeTruthy();
    expect(doc.info.license.name).toBeTruthy();
  });

  it('when built, then every body, request or response, is a named schema under components', () => {
    for (const { method, path, op } of operations) {
      for (const media of bodies(op) as any[]) {
        expect(media.schema.$ref, `${method} ${path}`).toMatch(/^#\/components\/schemas\/\w+$/);
      }
    }
    for (const [event, item] of Object.entries(doc.webhooks as Record<string, any>)) {
      expect(item.post.requestBody.content['application/json'].schema.$ref, event).toBe(
        '#/components/schemas/WebhookEvent',
      );
    }
    // Each error response is one shared definition, referred to.
    for (const { op } of api) {
      for (const [status, res] of Object.entries(op.responses as Record<string, any>)) {
        if (Number(status) >= 400) expect(res.$ref).toMatch(/^#\/components\/responses\/\w+$/);
      }
    }
    expect(doc.components.schemas.ErrorEnvelope).toBeTruthy();
  });

  it('when built, then each operation documents the statuses it can answer: no more, no fewer', () => {
    for (const r of routes) {
      const path = `/api/v1${r.path.replace(/:(\w+)/g, '{$1}')}`;
      const statuses = Object.keys(doc.paths[path][r.method].responses).map(Number);
      const where = `${r.method} ${path}`;
      expect(statuses, where).toEqual(expect.arrayContaining([400, 500]));
      expect(statuses.includes(503), where).toBe(!r.local);
      expect(statuses.includes(304), where).toBe(r.method === 'get');
      expect(statuses.includes(401), where).toBe(r.access !== 'public' || !!r.errors?.[401]);
      const someRoleRefused =
        r.access !== 'public' && (permissions[r.access] as readonly string[]).length < Roles.length;
      expect(statuses.includes(403), where).toBe(someRoleRefused || !!r.errors?.[403]);
      expect(statuses.includes(413) && statuses.includes(415), where).toBe(r.method !== 'get');
      expect(statuses.includes(404), where).toBe(!!r.errors?.[404]);
      expect(statuses.includes(422), where).toBe(!!r.idempotent || !!r.errors?.[422]);
      expect(statuses.includes(429), where).toBe(!!r.errors?.[429]);
    }
    expect(doc.components.responses.Unauthenticated.headers['WWW-Authenticate']).toBeTruthy();
    expect(doc.components.responses.Unavailable.headers['Retry-After']).toBeTruthy();
  });

  it('when built, then every webhook event is documented with its signature headers, retries and verification', () => {
    expect(Object.keys(doc.webhooks).sort()).toEqual([...NotificationTypes].sort());
    for (const item of Object.values(doc.webhooks as Record<string, any>)) {
      expect(item.post.parameters.map((p: any) => p.name)).toEqual([
        'X-NSATU-Event',
        'X-NSATU-Delivery',
        'X-NSATU-Timestamp',
        'X-NSATU-Signature',
      ]);
      expect(item.post.description).toMatch(/HMAC-SHA256/);
      expect(item.post.description).toMatch(/DELIVERY_ATTEMPTS/);
    }
  });

  it('when a nullable reference is generated, then null is allowed beside it (not a nullable component)', () => {
    const { Pledge, Review } = doc.components.schemas;
    expect(Review.type).toBe('object');
    expect(Pledge.properties.review).toEqual({
      oneOf: [{ $ref: '#/components/schemas/Review' }, { type: 'null' }],
    });
    expect(Pledge.required).toEqual(
      expect.arrayContaining(['notes', 'valueEur', 'review', 'trainingPlan', 'approval']),
    );
  });
});

describe('the contract check of the tests', () => {
  const json = (body: unknown) => ({
    status: 200,
    headers: new Headers({ 'x-request-id': 'r1', 'content-type': 'application/json; charset=utf-8' }),
    text: JSON.stringify(body),
  });
  const user = {
    id: 'u1',
    username: 'staff',
    displayName: 'Staff',
    roles: ['staff_officer'],
    nation: null,
    coalitions: [],
  };
  const me = { method: 'GET', url: 'http://127.0.0.1:1/api/v1/me' };

  it('when a response matches the document, then nothing is recorded', () => {
    checkResponse(me, json(user));
    checkResponse(
      { method: 'GET', url: 'http://127.0.0.1:1/api/v1/pledges/export.csv?status=READY' },
      {
        status: 200,
        headers: new Headers({ 'x-request-id': 'r', 'content-type': 'text/csv' }),
        text: 'id\n',
      },
    );
    expect(takeMismatches()).toEqual([]);
  });

  it('when a response has an undocumented field, lacks a nullable one, has an undocumented status or another type, then each is recorded', () => {
    const { nation: _n, ...withoutNation } = user;
    checkResponse(me, json({ ...user, secretField: 1 }));
    checkResponse(me, json(withoutNation));
    checkResponse(me, { ...json(user), status: 418 });
    checkResponse(me, {
      ...json(user),
      headers: new Headers({ 'x-request-id': 'r', 'content-type': 'text/html' }),
    });
    checkResponse({ method: 'GET', url: 'http://127.0.0.1:1/api/v1/no-such-route' }, json({ ok: true }));
    const problems = takeMismatches().map((m) => m.problems.join(' '));
    expect(problems).toHaveLength(5);
    expect(problems[0]).toMatch(/unevaluated properties: "secretField"/);
    expect(problems[1]).toMatch(/required property 'nation'/);
    expect(problems[2]).toMatch(/status 418 is not documented/);
    expect(problems[3]).toMatch(/content type "text\/html"/);
    expect(problems[4]).toMatch(/no documented operation/);
  });
});
