/** The one way the web app talks to the engine: the public HTTP API under /api/v1 (same origin). */

export interface ErrorDetail {
  path: string;
  message: string;
}

/** An error answered by the API, in the contract's `{error: {code, message, details}}` shape. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
    Object.setPrototypeOf(this, ApiError.prototype);
  }

  /** True when the route itself is missing (a stage of the engine that has not been deployed yet). */
  get isMissing(): boolean {
    return (this.status === 404 && /^no route for/i.test(this.message)) || this.status === 405 || this.status === 501;
  }
}

const TOKEN_KEY = 'nsatu.token';
export const UNAUTHENTICATED_EVENT = 'nsatu:unauthenticated';

/** The bearer token lives in sessionStorage: it goes when the tab closes. */
export const tokenStore = {
  get: () => sessionStorage.getItem(TOKEN_KEY),
  set: (token: string) => sessionStorage.setItem(TOKEN_KEY, token),
  clear: () => sessionStorage.removeItem(TOKEN_KEY),
};

export type Query = Record<string, string | number | boolean | undefined | null | Array<string>>;

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  query?: Query;
  /** A JSON body (objects) or a raw body with its content type. */
  body?: unknown;
  raw?: { body: string | Blob; contentType: string };
  idempotencyKey?: string;
  signal?: AbortSignal;
}

/** Builds `/api/v1/<path>?…`, leaving out empty parameters; arrays repeat the parameter. */
export function apiUrl(path: string, query?: Query): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) value.forEach((v) => params.append(key, v));
    else params.set(key, String(value));
  }
  const qs = params.toString();
  return `/api/v1${path}${qs ? `?${qs}` : ''}`;
}

async function errorOf(res: Response): Promise<ApiError> {
  const text = await res.text().catch(() => '');
  try {
    const { error } = JSON.parse(text) as { error?: { code?: string; message?: string; details?: ErrorDetail[] } };
    if (error) return new ApiError(res.status, error.code ?? 'ERROR', error.message ?? res.statusText, error.details ?? []);
  } catch {
    // not JSON: fall through
  }
  return new ApiError(res.status, res.status === 404 ? 'NOT_FOUND' : 'ERROR', text.slice(0, 200) || res.statusText);
}

/** Sends a request; resolves with the parsed JSON (undefined for 204), rejects with an ApiError. */
export async function request<T>(path: string, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  const token = tokenStore.get();
  if (token) headers.Authorization = `Bearer ${token}`;
  if (opts.idempotencyKey) headers['Idempotency-Key'] = opts.idempotencyKey;
  let body: BodyInit | undefined;
  if (opts.raw) {
    headers['Content-Type'] = opts.raw.contentType;
    body = opts.raw.body;
  } else if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  let res: Response;
  try {
    res = await fetch(apiUrl(path, opts.query), { method: opts.method ?? (body ? 'POST' : 'GET'), headers, body, signal: opts.signal });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError(0, 'NETWORK', 'the engine cannot be reached; check your connection and retry');
  }
  if (res.status === 401 && token) {
    tokenStore.clear();
    window.dispatchEvent(new Event(UNAUTHENTICATED_EVENT));
  }
  if (!res.ok) throw await errorOf(res);
  if (res.status === 204) return undefined as T;
  const type = res.headers.get('content-type') ?? '';
  return (type.includes('json') ? res.json() : res.text()) as Promise<T>;
}

export const api = {
  get: <T>(path: string, query?: Query, signal?: AbortSignal) => request<T>(path, { query, signal }),
  post: <T>(path: string, body?: unknown, opts: Omit<RequestOptions, 'body' | 'method'> = {}) =>
    request<T>(path, { ...opts, method: 'POST', body: body ?? (opts.raw ? undefined : {}) }),
  delete: <T>(path: string) => request<T>(path, { method: 'DELETE' }),
};

/** Downloads an authenticated file (a plain link would not carry the bearer token). */
export async function download(path: string, filename: string, query?: Query): Promise<void> {
  const token = tokenStore.get();
  const res = await fetch(apiUrl(path, query), { headers: token ? { Authorization: `Bearer ${token}` } : {} });
  if (!res.ok) throw await errorOf(res);
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A message for people, whatever was thrown. */
export function messageOf(err: unknown): string {
  if (err instanceof ApiError) return err.message;
  if (err instanceof Error) return err.message;
  return String(err);
}
