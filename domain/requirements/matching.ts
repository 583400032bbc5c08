import type { PledgeItem } from '../schemas/pledge';
import type { System } from '../schemas/reference';
import type { Capability, RequirementStatus } from '../schemas/requirement';
import { sameName } from '../review/review-context';

/** What matching reads of a requirement. */
export interface MatchableRequirement {
  id: string;
  capability: Capability;
  quantity: number;
  priority: number;
  neededBy: string;
  status: RequirementStatus;
}

/** Staff's choices for one pledge: per system, the requirement it serves (null: none). */
export type MatchOverrides = Readonly<Record<string, string | null>>;

/** Which requirement one pledged system serves. */
export interface SystemMatch {
  systemId: string;
  /** Summed over the pledge's items of this system. */
  quantity: number;
  requirementId: string | null;
  overridden: boolean;
}

/** True when the system is what the capability asks for: every part it names fits. */
export function serves(system: Pick<System, 'id' | 'family' | 'category'>, capability: Capability): boolean {
  return (
    (capability.category === undefined || capability.category === system.category) &&
    (capability.family === undefined || sameName(capability.family, system.family)) &&
    (capability.systemId === undefined || capability.systemId === system.id)
  );
}

/** The coalitions whose systems serve the capability: those that review the pledges that would meet it. */
export function coalitionsServing(
  capability: Capability,
  systems: Iterable<Pick<System, 'id' | 'family' | 'category' | 'coalition'>>,
): Set<string> {
  const served = new Set<string>();
  for (const system of systems) if (serves(system, capability)) served.add(system.coalition);
  return served;
}

const specificity = (c: Capability) => (c.systemId ? 2 : c.family ? 1 : 0);

/**
 * Most urgent first: by priority, then by the date it is needed, then the narrower capability (a request for
 * Patriot before one for any long-range air defence), then by id so that the order is the same everywhere.
 */
export function byUrgency(a: MatchableRequirement, b: MatchableRequirement): number {
  return (
    a.priority - b.priority ||
    (a.neededBy < b.neededBy ? -1 : a.neededBy > b.neededBy ? 1 : 0) ||
    specificity(b.capability) - specificity(a.capability) ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

/**
 * Matches each system of a pledge (its items summed) to the requirement it serves: the one staff chose for it,
 * if that requirement exists, or else the most urgent open requirement it serves. Unknown systems are skipped.
 */
export function matchPledge(
  items: ReadonlyArray<Pick<PledgeItem, 'systemId' | 'quantity'>>,
  catalog: ReadonlyMap<string, System>,
  requirements: readonly MatchableRequirement[],
  overrides: MatchOverrides = {},
): SystemMatch[] {
  const quantities = new Map<string, number>();
  for (const item of items) {
    if (catalog.has(item.systemId))
      quantities.set(item.systemId, (quantities.get(item.systemId) ?? 0) + item.quantity);
  }
  const open = requirements.filter((r) => r.status === 'open').sort(byUrgency);
  const known = new Set(requirements.map((r) => r.id));
  return [...quantities].map(([systemId, quantity]) => {
    const chosen = overrides[systemId];
    if (chosen !== undefined && (chosen === null || known.has(chosen))) {
      return { systemId, quantity, requirementId: chosen, overridden: true };
    }
    const system = catalog.get(systemId)!;
    const best = open.find((r) => serves(system, r.capability));
    return { systemId, quantity, requirementId: best?.id ?? null, overridden: false };
  });
}

export interface CapabilityProblem {
  path: string;
  message: string;
}

/**
 * What makes a capability one no catalogued system could serve: an unknown system or family, or parts that no one
 * system is at once (a Patriot asked for as a howitzer). Empty when some system serves it.
 */
export function capabilityProblems(
  capability: Capability,
  systems: ReadonlyArray<Pick<System, 'id' | 'family' | 'category'>>,
): CapabilityProblem[] {
  if (capability.systemId !== undefined && !systems.some((s) => s.id === capability.systemId)) {
    return [{ path: 'capability.systemId', message: 'no such system in the catalogue' }];
  }
  if (capability.family !== undefined && !systems.some((s) => sameName(s.family, capability.family!))) {
    return [{ path: 'capability.family', message: 'no system of this family in the catalogue' }];
  }
  if (!systems.some((s) => serves(s, capability))) {
    return [{ path: 'capability', message: 'no system in the catalogue is all of these at once' }];
  }
  return [];
}
