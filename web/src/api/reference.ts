import { useEffect, useState } from 'react';
import { api, tokenStore } from './client';
import type { Course, Site, System } from './types';

// Reference data changes rarely: load each list once per session token and share it.
const cache = new Map<string, Promise<unknown[]>>();

function cachedList<T>(path: string): Promise<T[]> {
  const key = `${tokenStore.get() ?? ''}|${path}`;
  if (!cache.has(key)) {
    const p = api.get<{ items: T[] }>(path).then((r) => r.items);
    p.catch(() => cache.delete(key));
    cache.set(key, p);
  }
  return cache.get(key) as Promise<T[]>;
}

function useCachedList<T>(path: string): T[] | undefined {
  const [items, setItems] = useState<T[]>();
  useEffect(() => {
    let live = true;
    cachedList<T>(path)
      .then((list) => live && setItems(list))
      .catch(() => live && setItems([]));
    return () => {
      live = false;
    };
  }, [path]);
  return items;
}

export const useSystems = () => useCachedList<System>('/catalog/systems');
export const useCourses = () => useCachedList<Course>('/training/courses');
export const useSites = () => useCachedList<Site>('/training/sites');

/** "Mirage 2000-5" for "mirage-2000-5", or the id while the catalogue loads. */
export function systemName(systems: System[] | undefined, id: string): string {
  return systems?.find((s) => s.id === id)?.name ?? id;
}
