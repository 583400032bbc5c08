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

/** The groups of operations in the OpenAPI document, with what each holds (the document's `tags`). */
export const apiTags = {
  auth: 'Logging in and the caller',
  signing: "Approvers' Ed25519 signing keys and the exact payload a command approval decision signs",
  reference: "The systems catalogue, Ukraine's inventory and Ukraine's capability needs",
  pledges: 'Submitting, amending and withdrawing pledges; the pledge list, its CSV export and the dashboard',
  imports: 'Bulk import of pledges from CSV, as a background job',
  tasks: 'Human tasks (the inbox): claim, release, delegate, comment and decide',
  requirements: "Ukraine's requirements, their coverage by pledges and the matching of pledges to them",
  training: 'Training courses, sites and sessions, and the sites’ reports on cohorts',
  deliveries:
    'Delivery lots of approved pledges: milestones from prepared to received, delays, re-planning, the logistics day',
  audit: 'The hash-chained audit log and its verification',
  agreements:
    'Bilateral security agreements: multi-year commitments and their fulfilment by approved pledges',
  notifications: 'In-app notifications, webhook subscriptions and the e-mail/webhook delivery ledger',
  policies: 'Versioned review, task, approval and phase-target policies',
  reports: 'Phase time targets: the share of pledges that met each, and the pledges over target',
  admin: 'Users and reference data (administrators)',
  meta: 'The API description itself',
  operations: 'Liveness, readiness and metrics, outside /api/v1 and without authentication',
} as const;
export type Tag = keyof typeof apiTags;

/** Client errors a route may answer beyond those every route of its kind can (see `openapi.ts`). */
export type RouteErrorStatus = 401 | 403 | 404 | 409 | 413 | 422 | 429;

export interface RouteResponse {
  description: string;
  /** The body's schema; it must carry an id (`.meta({ id })`), as the document refers to it by name. */
  schema?: z.ZodType;
  contentType?: string;
  /** Response headers this answer sets, by name, with what they say. */
  headers?: Record<string, string>;
}

/**
 * One route of the API: its documentation, its access rule and its input schemas in one place,
 * so that what is documented is what is validated and what is enforced.
 */
export interface RouteSpec<B = unknown, Q = unknown, P = unknown> {
  method: Method;
  /** Express-style path under /api/v1, e.g. `/pledges/:id`. */
  path: string;
  /** Stable, unique name of the operation (verbNoun): generated clients name their functions after it. */
  operationId: string;
  summary: string;
  tag: Tag;
  /** The permission needed, or `public` (login, OpenAPI document). */
  access: Action | 'public';
  body?: z.ZodType<B>;
  /** Query parameters: an object schema; any parameter it does not name is refused (400). */
  query?: z.ZodType<Q>;
  params?: z.ZodType<P>;
  /** Success responses. */
  responses: Record<number, RouteResponse>;
  /**
   * The client errors this route's own rules answer, with what each means here. Those every route answers
   * (400 for bad input, 401/403 from authentication and the permission map, 304, 413/415 for bodies, 500, 503)
   * are documented without being listed.
   */
  errors?: Partial<Record<RouteErrorStatus, string>>;
  /** Answered by the API process alone, without Temporal, the database or Redis: never a 503. */
  local?: boolean;
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
