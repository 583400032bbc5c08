import { useCallback, useEffect, useRef, useState } from 'react';
import { api, ApiError, type Query } from './client';

export interface Loaded<T> {
  data: T | undefined;
  error: ApiError | Error | undefined;
  loading: boolean;
  reload: () => void;
}

/** GETs `path` (null: nothing yet) and reloads when the path or query change; `pollMs` refreshes it. */
export function useApi<T>(path: string | null, query?: Query, { pollMs }: { pollMs?: number } = {}): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: ApiError | Error; loading: boolean }>({ loading: path !== null });
  const [tick, setTick] = useState(0);
  const key = path === null ? null : `${path}?${JSON.stringify(query ?? {})}`;
  const queryRef = useRef(query);
  queryRef.current = query;

  useEffect(() => {
    if (path === null) return;
    const ctrl = new AbortController();
    setState((s) => ({ ...s, loading: true }));
    api
      .get<T>(path, queryRef.current, ctrl.signal)
      .then((data) => setState({ data, loading: false }))
      .catch((error: unknown) => {
        if (ctrl.signal.aborted) return;
        setState((s) => ({ data: s.data, error: error instanceof Error ? error : new Error(String(error)), loading: false }));
      });
    return () => ctrl.abort();
  }, [key, tick]);

  useEffect(() => {
    if (!pollMs || path === null) return;
    const timer = setInterval(() => setTick((t) => t + 1), pollMs);
    return () => clearInterval(timer);
  }, [pollMs, path]);

  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data: state.data, error: state.error, loading: state.loading, reload };
}

/** Fetches several lists at once; a missing route (404) yields an empty list and is reported in `missing`. */
export async function getListOrEmpty<T>(path: string, query?: Query): Promise<{ items: T[]; missing: boolean }> {
  try {
    const res = await api.get<{ items: T[] }>(path, query);
    return { items: res.items ?? [], missing: false };
  } catch (err) {
    if (err instanceof ApiError && err.isMissing) return { items: [], missing: true };
    throw err;
  }
}
