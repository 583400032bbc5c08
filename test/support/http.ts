// Tests read response bodies loosely, as a client would; every response is checked against the API's document.
/* eslint-disable @typescript-eslint/no-explicit-any */
import { checkResponse } from './contract';

export interface HttpResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

/** A tiny JSON client over fetch, as any API client would use; what it receives must match the OpenAPI document. */
export function httpClient(baseUrl: string, token?: string) {
  const call = async <T = any>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<HttpResponse<T>> => {
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    checkResponse({ method, url: `${baseUrl}${path}` }, { status: res.status, headers: res.headers, text });
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, body: parsed as T, headers: res.headers };
  };
  return {
    get: <T = any>(path: string, headers?: Record<string, string>) =>
      call<T>('GET', path, undefined, headers),
    post: <T = any>(path: string, body?: unknown, headers?: Record<string, string>) =>
      call<T>('POST', path, body, headers),
    patch: <T = any>(path: string, body?: unknown, headers?: Record<string, string>) =>
      call<T>('PATCH', path, body, headers),
    put: <T = any>(path: string, body?: unknown, headers?: Record<string, string>) =>
      call<T>('PUT', path, body, headers),
    del: <T = any>(path: string) => call<T>('DELETE', path),
    call,
  };
}

export type HttpClient = ReturnType<typeof httpClient>;
