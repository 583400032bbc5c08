import {
  OpenAPIRegistry,
  OpenApiGeneratorV31,
  type ResponseConfig,
  type RouteConfig,
} from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { permissions } from '../../domain/permissions';
import { Roles } from '../../domain/schemas/common';
import { ErrorEnvelope } from './errors';
import {
  apiTags,
  type Method,
  type RouteErrorStatus,
  type RouteResponse,
  type RouteSpec,
  type Tag,
} from './route';
import { webhookDescription, WebhookEvent, webhookEvents, webhookHeaders } from './webhooks';

/** An endpoint served outside the route specs (health, metrics): documented, not mounted, by this module. */
export interface DocumentedEndpoint {
  method: Method;
  /** The full path, e.g. `/readyz`. */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tag: Tag;
  /** The operators' token it needs (`METRICS_TOKEN`), if any; otherwise it needs no authentication. */
  security?: 'metricsToken';
  /** Every answer it gives, errors included. */
  responses: Record<number, RouteResponse>;
}

const API_PREFIX = '/api/v1';

type HeadersObject = Exclude<ResponseConfig['headers'], z.ZodObject | undefined>;

const ref = (kind: 'schemas' | 'responses' | 'headers' | 'parameters', name: string) => ({
  $ref: `#/components/${kind}/${name}`,
});

/** Response headers the document defines once and refers to. */
const headers = {
  ETag: 'Identifies this representation: send it back in `If-None-Match` to get a 304 when nothing changed',
  CacheControl:
    '`private, no-cache` on every answer to an authenticated request: no shared cache keeps it, and a browser ' +
    'revalidates it (cheap with `If-None-Match`)',
  Vary: '`Authorization`: the answer depends on who asks',
  RetryAfter: 'Seconds to wait before trying again',
  WWWAuthenticate: '`Bearer`: send `Authorization: Bearer <token>` (from `POST /api/v1/auth/login`)',
  IdempotentReplayed:
    '`true` when this is the stored answer to an earlier request with the same `Idempotency-Key`; nothing new was done',
} as const;
const headerNames: Record<keyof typeof headers, string> = {
  ETag: 'ETag',
  CacheControl: 'Cache-Control',
  Vary: 'Vary',
  RetryAfter: 'Retry-After',
  WWWAuthenticate: 'WWW-Authenticate',
  IdempotentReplayed: 'Idempotent-Replayed',
};

/** The error responses every operation refers to, by status. */
const errorResponses = {
  400: [
    'BadRequest',
    'Invalid input (a field, an unknown query parameter, malformed JSON); `details` lists each',
  ],
  401: ['Unauthenticated', 'Missing, expired or invalid bearer token'],
  403: ['Forbidden', 'Your role does not allow this'],
  404: ['NotFound', 'Not found'],
  409: ['Conflict', 'Conflicts with the current state'],
  413: ['PayloadTooLarge', 'The body is too large'],
  415: [
    'UnsupportedMediaType',
    'The body is not of the media type this operation takes (or its charset or encoding)',
  ],
  422: ['Unprocessable', 'Well-formed, but not acceptable as it stands'],
  429: ['RateLimited', 'Too many requests; wait as `Retry-After` says'],
  500: ['InternalError', 'A fault of the engine; the `X-Request-Id` header identifies it in the logs'],
  503: [
    'Unavailable',
    'A service the engine needs is briefly unavailable; retry (creations with the same Idempotency-Key)',
  ],
} as const satisfies Record<number, readonly [string, string]>;
type ErrorStatus = keyof typeof errorResponses;

const idempotencyDescriptions: Partial<Record<RouteErrorStatus, string>> = {
  409: 'A request with the same `Idempotency-Key` is still in progress',
  422: 'The `Idempotency-Key` was already used with another body or route',
};

/** Roles holding a permission, for the reader of the document. */
const rolesFor = (access: RouteSpec['access']) =>
  access === 'public' ? [] : (permissions[access] as readonly string[]);

/**
 * The error statuses an API route can answer, each with its description (`undefined`: the component's own).
 * Derived from what the route is: every route validates its input (400, also for unknown query parameters);
 * authenticated ones answer 401, and 403 where some role lacks the permission; a body may be too large or of
 * another type (413, 415); a creation with an Idempotency-Key may collide (409, 422); any may fail (500), and any
 * that needs a service may find it briefly down (503).
 */
function errorStatusesOf(r: RouteSpec): Map<ErrorStatus, string | undefined> {
  const statuses = new Map<ErrorStatus, string | undefined>([[400, undefined]]);
  if (r.access !== 'public') {
    statuses.set(401, undefined);
    const roles = rolesFor(r.access);
    if (roles.length < Roles.length) statuses.set(403, `Only ${roles.join(', ')} may do this`);
  }
  if (r.method !== 'get') {
    statuses.set(413, undefined);
    statuses.set(415, undefined);
  }
  if (r.idempotent) {
    for (const [status, description] of Object.entries(idempotencyDescriptions)) {
      statuses.set(Number(status) as ErrorStatus, description);
    }
  }
  for (const [status, description] of Object.entries(r.errors ?? {})) {
    const s = Number(status) as ErrorStatus;
    const inherited = statuses.get(s);
    statuses.set(s, inherited ? `${description}. ${inherited}` : description);
  }
  statuses.set(500, undefined);
  if (!r.local) statuses.set(503, undefined);
  return statuses;
}

function successResponse(res: RouteResponse, extraHeaders: Array<keyof typeof headers>) {
  const responseHeaders: HeadersObject = {};
  for (const h of extraHeaders) responseHeaders[headerNames[h]] = ref('headers', h);
  for (const [name, description] of Object.entries(res.headers ?? {})) {
    responseHeaders[name] = { description, schema: { type: 'string' } };
  }
  return {
    description: res.description,
    ...(Object.keys(responseHeaders).length ? { headers: responseHeaders } : {}),
    ...(res.schema ? { content: { [res.contentType ?? 'application/json']: { schema: res.schema } } } : {}),
  };
}

const toOpenApiPath = (path: string) => path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

function operationOf(r: RouteSpec): RouteConfig {
  const authenticated = r.access !== 'public';
  const responses: RouteConfig['responses'] = {};
  for (const [status, res] of Object.entries(r.responses)) {
    const extra: Array<keyof typeof headers> = [];
    if (r.method === 'get' && res.schema) extra.push('ETag');
    if (authenticated && !res.headers?.['Cache-Control']) extra.push('CacheControl');
    if (authenticated) extra.push('Vary');
    if (r.idempotent) extra.push('IdempotentReplayed');
    responses[status] = successResponse(res, extra);
  }
  if (r.method === 'get') responses[304] = ref('responses', 'NotModified');
  for (const [status, description] of errorStatusesOf(r)) {
    responses[status] = {
      ...ref('responses', errorResponses[status][0]),
      ...(description ? { description } : {}),
    };
  }
  const roles = rolesFor(r.access);
  return {
    method: r.method,
    path: `${API_PREFIX}${toOpenApiPath(r.path)}`,
    operationId: r.operationId,
    summary: r.summary,
    tags: [r.tag],
    security: authenticated ? [{ bearer: [] }] : [],
    'x-permission': r.access,
    description: [
      authenticated
        ? `Requires permission \`${r.access}\` (${roles.length === Roles.length ? 'every role' : roles.join(', ')}).`
        : 'No authentication.',
      r.description,
    ]
      .filter(Boolean)
      .join('\n\n'),
    parameters: [
      ...(r.method === 'get' ? [ref('parameters', 'IfNoneMatch')] : []),
      ...(r.idempotent ? [ref('parameters', 'IdempotencyKey')] : []),
    ],
    request: {
      ...(r.params ? { params: r.params as z.ZodObject } : {}),
      ...(r.query ? { query: r.query as z.ZodObject } : {}),
      ...(r.body
        ? {
            body: {
              required: true,
              content: { [r.rawBody?.type ?? 'application/json']: { schema: r.body } },
            },
          }
        : {}),
    },
    responses,
  };
}

function endpointOf(e: DocumentedEndpoint): RouteConfig {
  const responses: RouteConfig['responses'] = {};
  for (const [status, res] of Object.entries(e.responses)) {
    const code = Number(status);
    responses[status] =
      code >= 400 && !res.schema && code in errorResponses
        ? { ...ref('responses', errorResponses[code as ErrorStatus][0]), description: res.description }
        : successResponse(res, e.method === 'get' && code === 200 ? ['ETag'] : []);
  }
  if (e.method === 'get') responses[304] = ref('responses', 'NotModified');
  return {
    method: e.method,
    path: e.path,
    operationId: e.operationId,
    summary: e.summary,
    tags: [e.tag],
    security: e.security ? [{ [e.security]: [] }] : [],
    description: [e.security ? 'Needs the operators’ metrics token.' : 'No authentication.', e.description]
      .filter(Boolean)
      .join('\n\n'),
    parameters: e.method === 'get' ? [ref('parameters', 'IfNoneMatch')] : [],
    responses,
  };
}

function registerComponents(registry: OpenAPIRegistry) {
  registry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: 'A token from `POST /api/v1/auth/login` (or, when configured, from the OIDC issuer)',
  });
  registry.registerComponent('securitySchemes', 'metricsToken', {
    type: 'http',
    scheme: 'bearer',
    description: 'The operators’ `METRICS_TOKEN`, for Prometheus (`authorization.credentials_file`)',
  });
  for (const [name, description] of Object.entries(headers)) {
    registry.registerComponent('headers', name, { description, schema: { type: 'string' } });
  }
  const errorBody = { 'application/json': { schema: ref('schemas', 'ErrorEnvelope') } };
  for (const [status, [name, description]] of Object.entries(errorResponses)) {
    const extra: Record<string, { $ref: string }> | undefined =
      status === '401'
        ? { 'WWW-Authenticate': ref('headers', 'WWWAuthenticate') }
        : status === '429' || status === '503'
          ? { 'Retry-After': ref('headers', 'RetryAfter') }
          : undefined;
    registry.registerComponent('responses', name, {
      description,
      ...(extra ? { headers: extra } : {}),
      content: errorBody,
    });
  }
  registry.registerComponent('responses', 'NotModified', {
    description: 'Not modified since the `If-None-Match` ETag: use the copy you have',
    headers: { ETag: ref('headers', 'ETag') },
  });
  registry.registerComponent('parameters', 'IfNoneMatch', {
    name: 'If-None-Match',
    in: 'header',
    required: false,
    description: 'The `ETag` of the copy you have: answered with a 304 and no body when it is still current',
    schema: { type: 'string' },
  });
  registry.registerComponent('parameters', 'IdempotencyKey', {
    name: 'Idempotency-Key',
    in: 'header',
    required: false,
    description:
      'Makes a retry safe: the same key with the same body returns the first answer and creates nothing new; ' +
      'with another body it is a 422',
    schema: { type: 'string', minLength: 1, maxLength: 200, pattern: '^[A-Za-z0-9._:-]{1,200}$' },
  });
}

function registerWebhooks(registry: OpenAPIRegistry) {
  const parameters = Object.entries(webhookHeaders).map(([name, { description, schema }]) => ({
    name,
    in: 'header' as const,
    required: true,
    description,
    schema,
  }));
  for (const [event, summary] of Object.entries(webhookEvents)) {
    registry.registerWebhook({
      method: 'post',
      path: event,
      operationId: `${event.replace(/\.(\w)/g, (_, c: string) => c.toUpperCase())}Webhook`,
      summary,
      tags: ['notifications'],
      // Authenticated by its HMAC signature (the parameters say how), not by a scheme the receiver would define.
      security: [],
      description: `Sent to subscriptions of \`${event}\` (or of every event). ${webhookDescription}`,
      parameters,
      request: { body: { required: true, content: { 'application/json': { schema: WebhookEvent } } } },
      responses: {
        '2XX': { description: 'Received: the delivery is recorded as sent' },
        default: {
          description: 'Any other answer, a timeout or a refused connection: the delivery is retried',
        },
      },
    });
  }
}

/**
 * zod-to-openapi writes a nullable reference as `allOf: [$ref, {type: [..., 'null']}]`, which no value can satisfy
 * when it is null (the referenced schema is not nullable): rewrite it as `oneOf: [$ref, {type: 'null'}]`.
 */
function fixNullableRefs(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(fixNullableRefs);
  if (!node || typeof node !== 'object') return node;
  const entries = Object.entries(node as Record<string, unknown>).map(
    ([k, v]) => [k, fixNullableRefs(v)] as const,
  );
  const obj = Object.fromEntries(entries) as Record<string, unknown>;
  const allOf = obj.allOf as Array<Record<string, unknown>> | undefined;
  if (Array.isArray(allOf) && allOf.length === 2 && typeof allOf[0].$ref === 'string') {
    const { type, ...rest } = allOf[1];
    if (Array.isArray(type) && type.includes('null')) {
      const { allOf: _a, ...others } = obj;
      return {
        ...others,
        oneOf: [allOf[0], { type: 'null' }],
        ...(Object.keys(rest).length ? { description: rest.description } : {}),
      };
    }
  }
  return obj;
}

/** Every schema given an id (`.meta({ id })`) in this process: the document's `components/schemas`. */
function namedSchemas(): z.ZodType[] {
  // zod keeps the id index privately; it is the one list of named schemas there is.
  const ids = (z.globalRegistry as unknown as { _idmap?: Map<string, z.ZodType> })._idmap;
  if (!ids) throw new Error('zod no longer indexes schemas by id: find another way to list them');
  return [...ids.values()];
}

/** Builds the OpenAPI 3.1 document from the same route specs that validate requests. */
export function buildOpenApiDocument(
  routes: RouteSpec[],
  version: string,
  endpoints: DocumentedEndpoint[] = [],
) {
  const seen = new Map<string, string>();
  for (const r of routes) {
    const where = `${r.method.toUpperCase()} ${r.path}`;
    const other = seen.get(r.operationId);
    if (other) throw new Error(`operationId ${r.operationId} of ${where} is already used by ${other}`);
    seen.set(r.operationId, where);
  }
  const registry = new OpenAPIRegistry();
  registerComponents(registry);
  for (const r of routes) registry.registerPath(operationOf(r));
  for (const e of endpoints) registry.registerPath(endpointOf(e));
  registerWebhooks(registry);
  // Named schemas first: each component is then generated from the schema itself, not from a nullable use of it
  // (which would make the component nullable); the error envelope is named only by the plain-OpenAPI responses.
  const definitions = [
    ...[ErrorEnvelope, ...namedSchemas()].map((schema) => ({ type: 'schema' as const, schema })),
    ...registry.definitions,
  ];
  const document = new OpenApiGeneratorV31(definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'nsatu-engine API',
      version,
      description: [
        'The HTTP API of the NSATU workflow and approval engine: pledges of security assistance to Ukraine, their',
        'compatibility review, the training of Ukrainian crews and the command approval. Conventions:',
        '',
        '- JSON in and out; timestamps ISO 8601 UTC; ids are opaque strings.',
        '- Every operation under `/api/v1` but login and this document needs `Authorization: Bearer <token>`.',
        '- Errors are `{"error": {"code", "message", "details": [{"path", "message"}]}}`; never a 500 for input.',
        '- Unknown query parameters are refused with a 400 naming them.',
        '- Lists take `limit` and `cursor` and answer `{"items": [...], "nextCursor": "…" | null}`.',
        '- Creating POSTs honour `Idempotency-Key`.',
        '- Every answer carries `X-Request-Id` (yours when you send a valid one).',
        '- GETs answer with an `ETag`; send it as `If-None-Match` to get a 304 when nothing changed.',
        '- Events are pushed to subscribers as signed webhooks (see `webhooks`).',
      ].join('\n'),
      contact: { name: 'nsatu-engine maintainers' },
      license: {
        name: 'Proprietary (not licensed for use outside NSATU)',
        identifier: 'LicenseRef-NSATU-Proprietary',
      },
    },
    servers: [{ url: 'http://127.0.0.1:8080', description: 'A local engine (`./scripts/start.sh`)' }],
    tags: Object.entries(apiTags).map(([name, description]) => ({ name, description })),
  });
  return fixNullableRefs(document) as typeof document;
}
