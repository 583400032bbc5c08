import type { Category, InventoryEntry } from '../schemas/reference';
import { nameKey, sameName } from './review-context';

/** Inventory entries Ukraine actually has in service (count above zero), optionally of one category. */
export function familiesInService(inventory: InventoryEntry[], category?: Category): InventoryEntry[] {
  const seen = new Set<string>();
  return inventory.filter((entry) => {
    if (entry.count <= 0 || (category && entry.category !== category)) return false;
    const key = `${entry.category}:${nameKey(entry.family)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The in-service entry of a family in any category, if Ukraine operates it. */
export function inServiceEntry(inventory: InventoryEntry[], family: string): InventoryEntry | undefined {
  return familiesInService(inventory).find((entry) => sameName(entry.family, family));
}

/** Soviet-era types are the legacy Ukraine is moving away from; everything else counts as Western. */
export const isSovietLegacy = (origin: string): boolean => /^(USSR|SUN)$/i.test(origin.trim());
