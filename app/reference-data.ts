import { DomainFailure } from '../domain/failures';
import type { Principal } from '../domain/permissions';
import type { Coalition, InventoryEntry, Need, System } from '../domain/schemas/reference';
import { storeAndRecord, type ReferenceChangeLog } from './reference-change-log';

/** The systems catalogue, the coalitions, Ukraine's inventory and needs, as administrators replace them. */
export interface ReferenceDataRepository {
  /** How many of these ids are stored courses. */
  countCourses(ids: string[]): Promise<number>;
  putSystem(system: System): Promise<void>;
  putCoalition(coalition: Coalition): Promise<void>;
  /** Creates or replaces the inventory entry of its family. */
  putInventoryEntry(entry: InventoryEntry): Promise<void>;
  putNeed(need: Need): Promise<void>;
}

export interface ReferenceDataPorts {
  reference: ReferenceDataRepository;
  /** Every change is audited, and processes drop the reference data they hold. */
  changes: ReferenceChangeLog;
}

/**
 * Creates or replaces a system of the catalogue. Its courses must exist, else no training could be planned for
 * it: `invalid`, naming `courseIds`.
 */
export async function saveSystem(
  ports: ReferenceDataPorts,
  principal: Principal,
  system: System,
): Promise<System> {
  const known = await ports.reference.countCourses(system.courseIds);
  if (known !== new Set(system.courseIds).size) {
    throw new DomainFailure('invalid', 'unknown course in courseIds', [
      { path: 'courseIds', message: 'every course id must exist (see /api/v1/training/courses)' },
    ]);
  }
  return storeAndRecord(ports.changes, principal, 'reference.system.saved', system, (s) =>
    ports.reference.putSystem(s),
  );
}

/** Replaces what is known of a capability coalition (the set of coalitions itself is fixed). */
export const saveCoalition = (ports: ReferenceDataPorts, principal: Principal, coalition: Coalition) =>
  storeAndRecord(ports.changes, principal, 'reference.coalition.saved', coalition, (c) =>
    ports.reference.putCoalition(c),
  );

/** Creates or replaces a family in Ukraine's inventory. */
export const saveInventoryEntry = (ports: ReferenceDataPorts, principal: Principal, entry: InventoryEntry) =>
  storeAndRecord(ports.changes, principal, 'reference.inventory.saved', entry, (e) =>
    ports.reference.putInventoryEntry(e),
  );

/** Creates or replaces one of Ukraine's needs. */
export const saveNeed = (ports: ReferenceDataPorts, principal: Principal, need: Need) =>
  storeAndRecord(ports.changes, principal, 'reference.need.saved', need, (n) => ports.reference.putNeed(n));
