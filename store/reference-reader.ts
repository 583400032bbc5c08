import type {
  Coalition,
  Course,
  InventoryEntry,
  Need,
  Session,
  Site,
  System,
} from '../domain/schemas/reference';
import type { Store } from './index';

type Doc = { _id: string } & Record<string, unknown>;

const list = (v: unknown): string[] => (Array.isArray(v) ? (v as string[]) : []);
const base = ({ _id, createdAt: _c, updatedAt: _u, ...rest }: Doc) => ({ id: _id, ...rest });

// Empty arrays may come back absent (FerretDB drops them on upsert), so lists are normalised here.
export const toSystem = (d: Doc) =>
  ({ ...base(d), calibers: list(d.calibers), courseIds: list(d.courseIds) }) as System;
export const toCourse = (d: Doc) => ({ ...base(d), prerequisiteIds: list(d.prerequisiteIds) }) as Course;
export const toInventoryEntry = (d: Doc) =>
  ({ ...base(d), calibers: list(d.calibers) }) as unknown as InventoryEntry;
export const toNeed = (d: Doc) => ({ ...base(d), family: (d.family as string | undefined) ?? null }) as Need;
export const toSite = (d: Doc) => base(d) as Site;
export const toCoalition = (d: Doc) =>
  ({
    ...base(d),
    categories: list(d.categories),
    leads: list(d.leads),
    members: list(d.members),
  }) as Coalition;
export const toSession = (d: Doc) => base(d) as Session;

/** Reference data as the domain types it (ids as `id`, lists always present). */
export function referenceReader(store: Store) {
  const all = <T>(model: { find: Store['System']['find'] }, map: (d: Doc) => T, filter = {}) =>
    model
      .find(filter)
      .sort({ _id: 1 })
      .lean<Doc[]>()
      .then((docs) => docs.map(map));
  return {
    systems: () => all(store.System, toSystem),
    courses: () => all(store.Course as unknown as typeof store.System, toCourse),
    inventory: () => all(store.Inventory as unknown as typeof store.System, toInventoryEntry),
    openNeeds: () => all(store.Need as unknown as typeof store.System, toNeed, { status: 'open' }),
    needs: () => all(store.Need as unknown as typeof store.System, toNeed),
    sites: () => all(store.Site as unknown as typeof store.System, toSite),
    coalitions: () => all(store.Coalition as unknown as typeof store.System, toCoalition),
    sessions: (filter: Record<string, unknown> = {}) =>
      all(store.Session as unknown as typeof store.System, toSession, filter),
    ammunitionSupply: async () =>
      list((await store.ReferenceDoc.findById('ammunition-supply').lean<{ value: unknown }>())?.value),
  };
}

export type ReferenceReader = ReturnType<typeof referenceReader>;

/**
 * The reference reader, remembered until `invalidate`: an API process serves reference data from memory and
 * forgets it when any process changes it (a "reference" notice on the change stream).
 */
export function cachedReferenceReader(store: Store): ReferenceReader & { invalidate(): void } {
  const reader = referenceReader(store);
  let cache = new Map<string, Promise<unknown>>();
  const remember = <T>(key: string, load: () => Promise<T>): Promise<T> => {
    let hit = cache.get(key) as Promise<T> | undefined;
    if (!hit) {
      const mine = cache;
      hit = load();
      mine.set(key, hit);
      // A failed load is not remembered.
      hit.catch(() => mine.delete(key));
    }
    return hit;
  };
  return {
    systems: () => remember('systems', reader.systems),
    courses: () => remember('courses', reader.courses),
    inventory: () => remember('inventory', reader.inventory),
    openNeeds: () => remember('openNeeds', reader.openNeeds),
    needs: () => remember('needs', reader.needs),
    sites: () => remember('sites', reader.sites),
    coalitions: () => remember('coalitions', reader.coalitions),
    sessions: (filter: Record<string, unknown> = {}) =>
      remember(`sessions:${JSON.stringify(filter)}`, () => reader.sessions(filter)),
    ammunitionSupply: () => remember('ammunitionSupply', reader.ammunitionSupply),
    invalidate() {
      cache = new Map();
    },
  };
}

/**
 * The cached reader for a process that does not follow the change stream (a worker): each read first asks for the
 * reference data's version (one Redis GET) and drops the cache when it moved.
 */
export function versionedReferenceReader(
  store: Store,
  version: () => Promise<string | null>,
): ReferenceReader {
  const cached = cachedReferenceReader(store);
  let seen: string | null | undefined;
  const fresh = async () => {
    const now = await version();
    if (now !== seen) {
      cached.invalidate();
      seen = now;
    }
  };
  return {
    systems: () => fresh().then(cached.systems),
    courses: () => fresh().then(cached.courses),
    inventory: () => fresh().then(cached.inventory),
    openNeeds: () => fresh().then(cached.openNeeds),
    needs: () => fresh().then(cached.needs),
    sites: () => fresh().then(cached.sites),
    coalitions: () => fresh().then(cached.coalitions),
    sessions: (filter: Record<string, unknown> = {}) => fresh().then(() => cached.sessions(filter)),
    ammunitionSupply: () => fresh().then(cached.ammunitionSupply),
  };
}
