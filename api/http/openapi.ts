import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import type { RouteSpec } from './route';

const ErrorEnvelope = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.array(z.object({ path: z.string(), message: z.string() })),
  }),
});

const standardErrors = {
  400: 'Invalid input; `details` lists each failing field',
  401: 'Missing or invalid token',
  403: 'Your role (or nation) does not allow this',
  404: 'Not found (also: another nation’s pledge, for a donor liaison)',
  409: 'Conflict with the current state',
  413: 'Body too large',
  422: 'Well-formed but not acceptable',
  429: 'Rate limited',
};

const toOpenApiPath = (path: string) => path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

/** Builds the OpenAPI 3.1 document from the same route specs that validate requests. */
export function buildOpenApiDocument(routes: RouteSpec[], version: string) {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
  for (const r of routes) {
    const responses: Record<string, { description: string; content?: Record<string, { schema: z.ZodType }> }> = {};
    for (const [status, res] of Object.entries(r.responses)) {
      responses[status] = res.schema
        ? { description: res.description, content: { [res.contentType ?? 'application/json']: { schema: res.schema } } }
        : { description: res.description };
    }
    for (const [status, description] of Object.entries(standardErrors)) {
      responses[status] ??= { description, content: { 'application/json': { schema: ErrorEnvelope } } };
    }
    registry.registerPath({
      method: r.method,
      path: `/api/v1${toOpenApiPath(r.path)}`,
      summary: r.summary,
      tags: [r.tag],
      security: r.access === 'public' ? [] : [{ bearer: [] }],
      description: [
        r.access === 'public' ? 'No authentication.' : `Requires permission \`${r.access}\`.`,
        r.description,
      ]
        .filter(Boolean)
        .join('\n\n'),
      request: {
        ...(r.params ? { params: r.params as z.ZodObject } : {}),
        ...(r.query ? { query: r.query as z.ZodObject } : {}),
        ...(r.body ? { body: { content: { [r.rawBody?.type ?? 'application/json']: { schema: r.body } } } } : {}),
        ...(r.idempotent
          ? { headers: z.object({ 'idempotency-key': z.string().min(1).max(200).optional() }) }
          : {}),
      },
      responses,
    });
  }
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'nsatu-engine API',
      version,
      description: 'Pledges, compatibility review, training scheduling and command approval for security assistance.',
    },
    servers: [{ url: '/' }],
  });
}
