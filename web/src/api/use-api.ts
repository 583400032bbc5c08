import { useCallback, useEffect, useRef, useState, type DependencyList } from 'react';
import { ApiError } from './client';

export interface Loaded<T> {
  data: T | undefined;
  error: ApiError | Error | undefined;
  loading: boolean;
  reload: () => void;
}

/**
 * Runs `load` (null: nothing to load yet) and again whenever `deps` change; `pollMs` refreshes it. `load` is a typed
 * call of the engine, e.g. `(signal) => ok(engine.GET('/api/v1/tasks/{id}', { params: { path: { id } }, signal }))`.
 */
export function useApi<T>(
  load: ((signal: AbortSignal) => Promise<T>) | null,
  deps: DependencyList,
  { pollMs }: { pollMs?: number } = {},
): Loaded<T> {
  const active = load !== null;
  const [state, setState] = useState<{ data?: T; error?: ApiError | Error; loading: boolean }>({
    loading: active,
  });
  const [tick, setTick] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  useEffect(() => {
    const run = loadRef.current;
    if (!run) return;
    const ctrl = new AbortController();
    setState((s) => ({ ...s, loading: true }));
    run(ctrl.signal)
      .then((data) => setState({ data, loading: false }))
      .catch((error: unknown) => {
        if (ctrl.signal.aborted) return;
        setState((s) => ({
          data: s.data,
          error: error instanceof Error ? error : new Error(String(error)),
          loading: false,
        }));
      });
    return () => ctrl.abort();
    // The caller's dependencies decide when to load again; `load` itself is a new closure on every render.
  }, [active, tick, ...deps]);

  useEffect(() => {
    if (!pollMs || !active) return;
    const timer = setInterval(() => setTick((t) => t + 1), pollMs);
    return () => clearInterval(timer);
  }, [pollMs, active]);

  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data: state.data, error: state.error, loading: state.loading, reload };
}
