import type { Capability, System } from '../api/types';
import { categoryText } from './labels';

/** "Air defence (long range)", "Patriot (air defence, long range)", "MIM-104 Patriot battery": what is asked for. */
export function capabilityText(capability: Capability, systems: System[] | undefined): string {
  if (capability.systemId)
    return systems?.find((s) => s.id === capability.systemId)?.name ?? capability.systemId;
  if (capability.family && capability.category)
    return `${capability.family} · ${categoryText(capability.category)}`;
  if (capability.family) return capability.family;
  return capability.category ? categoryText(capability.category) : '—';
}

export const priorityText = (p: number) => `P${p}`;

/** Who may state, amend and close requirements (the permission map's `requirement:write`). */
export const REQUIREMENT_WRITERS = ['ua_liaison', 'staff_officer'] as const;
