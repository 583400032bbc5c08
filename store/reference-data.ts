import type { Coalition, InventoryEntry, Need, System } from '../domain/schemas/reference';
import type { Store } from './index';

/** The reference data administrators replace whole: each document is stored under its id as `_id`. */
export function referenceDataRepository(store: Store) {
  return {
    /** How many of these ids are stored courses. */
    countCourses: (ids: string[]): Promise<number> => store.Course.countDocuments({ _id: { $in: ids } }),
    async putSystem({ id, ...fields }: System): Promise<void> {
      await store.System.replaceOne({ _id: id }, { _id: id, ...fields }, { upsert: true });
    },
    async putCoalition({ id, ...fields }: Coalition): Promise<void> {
      await store.Coalition.replaceOne({ _id: id }, { _id: id, ...fields }, { upsert: true });
    },
    /** An inventory entry is stored under its family. */
    async putInventoryEntry(entry: InventoryEntry): Promise<void> {
      await store.Inventory.replaceOne(
        { _id: entry.family },
        { _id: entry.family, ...entry },
        { upsert: true },
      );
    },
    async putNeed({ id, ...fields }: Need): Promise<void> {
      await store.Need.replaceOne({ _id: id }, { _id: id, ...fields }, { upsert: true });
    },
  };
}
