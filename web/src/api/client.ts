/**
 * The one way the web app talks to the engine: a client typed by the API's OpenAPI document. Its paths,
 * parameters, bodies and answers come from `schema.gen.ts`, which `npm run build` generates from the engine's
 * route specs; a call the API does not describe does not compile.
 */
import createClient, { type Middleware } from 'openapi-fetch';
import type { components, paths } from './schema.gen';

export type Schemas = components['schemas'];
export type ErrorDetail = Schemas['ErrorDetail'];
type ErrorBody = Schemas['ErrorEnvelope']['error'];

/** An error answered by the API (the document's `ErrorEnvelope`), or `NETWORK` when it could not be reached. */
export class ApiError extends Error {
  readonly code: ErrorBody['code'];
  readonly details: ErrorDetail[];

  constructor(
    readonly status: number,
    error: Pick<ErrorBody, 'code' | 'message'> & Partial<Pick<ErrorBody, 'details'>>,
  ) {
    super(error.message);
    this.name = 'ApiError';
    this.code = error.code;
    this.details = error.details ?? [];
    Object.setPrototypeOf(this, ApiError.prototype);
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

const bearer: Middleware = {
  onRequest({ request }) {
    const token = tokenStore.get();
    if (token) request.headers.set('Authorization', `Bearer ${token}`);
    if (!request.headers.has('Accept')) request.headers.set('Accept', 'application/json');
    return request;
  },
  onResponse({ request, response }) {
    // A token the engine no longer takes (expired, or the user was deactivated): log out.
    if (response.status === 401 && request.headers.has('Authorization')) {
      tokenStore.clear();
      window.dispatchEvent(new Event(UNAUTHENTICATED_EVENT));
    }
    return response;
  },
};

/** The engine's API (same origin), e.g. `engine.GET('/api/v1/pledges/{id}', { params: { path: { id } } })`. */
export const engine = createClient<paths>({ baseUrl: '' });
engine.use(bearer);

/** The error of an answer that is not a 2xx, whatever its body. */
function errorOf(response: Response, body: unknown): ApiError {
  const error = (body as { error?: Partial<ErrorBody> } | null)?.error;
  if (error && typeof error.message === 'string') {
    return new ApiError(response.status, {
      code: error.code ?? 'ERROR',
      message: error.message,
      details: error.details ?? [],
    });
  }
  const text = typeof body === 'string' ? body.slice(0, 200) : '';
  return new ApiError(response.status, {
    code: response.status === 404 ? 'NOT_FOUND' : 'ERROR',
    message: text || response.statusText,
  });
}

/**
 * The data of a call (`undefined` for an answer without a body), or an ApiError: the engine's error, or
 * `NETWORK` when it could not be reached. An aborted call rejects with its AbortError.
 */
export async function ok<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  let result: { data?: T; error?: unknown; response: Response };
  try {
    result = await call;
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError(0, {
      code: 'NETWORK',
      message: 'the engine cannot be reached; check your connection and retry',
    });
  }
  if (result.error !== undefined || !result.response.ok) throw errorOf(result.response, result.error);
  return result.data as T;
}

/** Saves a file the engine answered (a plain link would not carry the bearer token). */
export function saveFile(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
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
  if (err instanceof Error) return err.message;
  return String(err);
}
