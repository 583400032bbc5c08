import type { Finding, PledgeInput, PledgeItem } from '../schemas/pledge';
import type { ReviewPolicy } from '../schemas/policy';
import type { InventoryEntry, System } from '../schemas/reference';
import type { MatchableRequirement, MatchOverrides } from '../requirements/matching';

/** A pledge as the review sees it: its input plus its id. */
export type PledgeUnderReview = { id: string } & PledgeInput;

/** Per pledged system, how many trainees are needed and how many can be ready before delivery. */
export interface TrainingAssessment {
  bySystem: Record<string, { traineesNeeded: number; traineesReadyByDeadline: number }>;
}

/** Everything the compatibility rules read besides the pledge itself. */
export interface ReviewContext {
  catalog: ReadonlyMap<string, System>;
  inventory: InventoryEntry[];
  /** Ukraine's open requirements (NEED_MATCH). */
  requirements: MatchableRequirement[];
  /** Staff's choice of requirement per pledged system, where they overrode the automatic match. */
  requirementOverrides?: MatchOverrides;
  ammunitionSupply: string[];
  /** Other open pledges; may include the pledge under review, which the rules skip by id. */
  openPledges: Array<{ id: string; donor: string; items: PledgeItem[] }>;
  /** Computed elsewhere; without it there is no TRAINING_CAPACITY finding. */
  training?: TrainingAssessment;
  policy: ReviewPolicy;
}

/** A rule reads a pledge in its context and returns its findings. */
export type ReviewRule = (pledge: PledgeUnderReview, ctx: ReviewContext) => Finding[];

/** A catalogued system in a pledge, with the quantity summed over the pledge's items. */
export interface PledgedSystem {
  system: System;
  quantity: number;
}

/** The distinct catalogued systems of a pledge, in the order they first appear; unknown ids are skipped. */
export function pledgedSystems(
  pledge: Pick<PledgeInput, 'items'>,
  catalog: ReadonlyMap<string, System>,
): PledgedSystem[] {
  const bySystem = new Map<string, PledgedSystem>();
  for (const item of pledge.items) {
    const system = catalog.get(item.systemId);
    if (!system) continue;
    const seen = bySystem.get(system.id);
    if (seen) seen.quantity += item.quantity;
    else bySystem.set(system.id, { system, quantity: item.quantity });
  }
  return [...bySystem.values()];
}

/** Names compare without regard to case or spacing ('Leopard 2' = 'leopard2', '155 mm' = '155mm'). */
export const sameName = (a: string, b: string): boolean => nameKey(a) === nameKey(b);

/** The form in which names are compared. */
export const nameKey = (name: string): string => name.toLowerCase().replace(/\s+/g, '');
