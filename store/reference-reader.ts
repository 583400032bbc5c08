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
import type {
  CoalitionRecord,
  CourseRecord,
  InventoryRecord,
  NeedRecord,
  SessionRecord,
  SiteRecord,
  SystemRecord,
} from './reference';

const list = <T>(v: T[] | undefined): T[] => (Array.isArray(v) ? v : []);
const base = <D extends { _id: string; createdAt?: Date; updatedAt?: Date }>({
  _id,
  createdAt: _c,
  updatedAt: _u,
  ...rest
}: D) => ({ id: _id, ...rest });

// Empty arrays may come back absent (FerretDB drops them on upsert), so lists are normalised here.
export const toSystem = (d: SystemRecord): System => ({
  ...base(d),
  calibers: list(d.calibers),
  courseIds: list(d.courseIds),
});
export const toCourse = (d: CourseRecord): Course => ({
  ...base(d),
  prerequisiteIds: list(d.prerequisiteIds),
});
// The entry keeps its `id` too, which its type does not name.
export const toInventoryEntry = (d: InventoryRecord) =>
  ({ ...base(d), calibers: list(d.calibers) }) as unknown as InventoryEntry;
export const toNeed = (d: NeedRecord): Need => ({ ...base(d), family: d.family ?? null });
export const toSite = (d: SiteRecord): Site => base(d);
// The stored `_id` is a string; the coalition ids are a closed set the API checks on the way in.
export const toCoalition = (d: CoalitionRecord) =>
  ({
    ...base(d),
    categories: list(d.categories),
    leads: list(d.leads),
    members: list(d.members),
  }) as Coalition;
export const toSession = (d: SessionRecord): Session => base(d);

/** Reference data as the domain types it (ids as `id`, lists always present). */
export function referenceReader(store: Store) {
  return {
    systems: async () => (await store.System.find({}).sort({ _id: 1 }).lean()).map(toSystem),
    courses: async () => (await store.Course.find({}).sort({ _id: 1 }).lean()).map(toCourse),
    inventory: async () => (await store.Inventory.find({}).sort({ _id: 1 }).lean()).map(toInventoryEntry),
    openNeeds: async () => (await store.Need.find({ status: 'open' }).sort({ _id: 1 }).lean()).map(toNeed),
    needs: async () => (await store.Need.find({}).sort({ _id: 1 }).lean()).map(toNeed),
    sites: async () => (await store.Site.find({}).sort({ _id: 1 }).lean()).map(toSite),
    coalitions: async () => (await store.Coalition.find({}).sort({ _id: 1 }).lean()).map(toCoalition),
    sessions: async (filter: Record<string, unknown> = {}) =>
      (await store.Session.find(filter).sort({ _id: 1 }).lean()).map(toSession),
    ammunitionSupply: async () => {
      const doc = await store.ReferenceDoc.findById('ammunition-supply').lean();
      return Array.isArray(doc?.value) ? (doc.value as string[]) : [];
    },
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
