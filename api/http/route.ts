import type { Request, Response } from 'express';
import type { z } from 'zod';
import type { Action, Principal } from '../../domain/permissions';

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface RouteResult {
  status: number;
  body?: unknown;
  /** Raw (non-JSON) payloads such as CSV. */
  contentType?: string;
  headers?: Record<string, string>;
}

export interface RouteContext<B, Q, P> {
  req: Request;
  res: Response;
  principal: Principal;
  body: B;
  query: Q;
  params: P;
}

/**
 * One route of the API: its documentation, its access rule and its input schemas in one place,
 * so that what is documented is what is validated and what is enforced.
 */
export interface RouteSpec<B = unknown, Q = unknown, P = unknown> {
  method: Method;
  /** Express-style path under /api/v1, e.g. `/pledges/:id`. */
  path: string;
  summary: string;
  tag: string;
  /** The permission needed, or `public` (login, OpenAPI document). */
  access: Action | 'public';
  body?: z.ZodType<B>;
  query?: z.ZodType<Q>;
  params?: z.ZodType<P>;
  /** Success responses for the OpenAPI document. */
  responses: Record<number, { description: string; schema?: z.ZodType; contentType?: string }>;
  /** Creating POSTs honour the Idempotency-Key header. */
  idempotent?: boolean;
  /**
   * The body is raw text of this media type (not JSON), read up to `limit` (default 2mb);
   * `body` then validates the string.
   */
  rawBody?: { type: 'text/csv'; limit?: string };
  /** Longer documentation for the OpenAPI document (Markdown). */
  description?: string;
  handler: (ctx: RouteContext<B, Q, P>) => Promise<RouteResult>;
}

/** Helper that keeps the generic parameters inferred from the schemas. */
export function route<B = undefined, Q = undefined, P = undefined>(spec: RouteSpec<B, Q, P>): RouteSpec {
  return spec as unknown as RouteSpec;
}
