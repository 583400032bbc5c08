import { useEffect, useState } from 'react';
import { engine, ok, tokenStore } from './client';
import type { Course, Site, System } from './types';

// Reference data changes rarely: load each list once per session token and share it.
const cache = new Map<string, Promise<unknown[]>>();

function cachedList<T>(key: string, load: () => Promise<{ items: T[] }>): Promise<T[]> {
  const cacheKey = `${tokenStore.get() ?? ''}|${key}`;
  if (!cache.has(cacheKey)) {
    const p = load().then((r) => r.items);
    p.catch(() => cache.delete(cacheKey));
    cache.set(cacheKey, p);
  }
  return cache.get(cacheKey) as Promise<T[]>;
}

function useCachedList<T>(key: string, load: () => Promise<{ items: T[] }>): T[] | undefined {
  const [items, setItems] = useState<T[]>();
  useEffect(() => {
    let live = true;
    cachedList<T>(key, load)
      .then((list) => live && setItems(list))
      .catch(() => live && setItems([]));
    return () => {
      live = false;
    };
    // The key names the list: `load` is the same call on every render.
  }, [key]);
  return items;
}

export const useSystems = () =>
  useCachedList<System>('systems', () => ok(engine.GET('/api/v1/catalog/systems')));
export const useCourses = () =>
  useCachedList<Course>('courses', () => ok(engine.GET('/api/v1/training/courses')));
export const useSites = () => useCachedList<Site>('sites', () => ok(engine.GET('/api/v1/training/sites')));

/** "Mirage 2000-5" for "mirage-2000-5", or the id while the catalogue loads. */
export function systemName(systems: System[] | undefined, id: string): string {
  return systems?.find((s) => s.id === id)?.name ?? id;
}
