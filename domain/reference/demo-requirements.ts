import type { RequirementInput } from '../schemas/requirement';
import { needs } from './seed-data';

/** A requirement of the demo, with a stable key (its need's id) for idempotent creation. */
export type DemoRequirement = RequirementInput & { key: string };

/**
 * Ukraine's open capability needs stated as requirements, needed by the end of the given year (the most urgent by
 * its middle): what the quick start creates through the API, and what the review's unit tests match against.
 */
export function demoRequirements(year: number): DemoRequirement[] {
  return needs
    .filter((n) => n.status === 'open')
    .map((n) => ({
      key: n.id,
      capability: { category: n.category, ...(n.family === null ? {} : { family: n.family }) },
      quantity: n.quantity,
      priority: n.priority,
      neededBy: n.priority === 1 ? `${year}-06-30` : `${year}-12-31`,
      justification: n.description,
    }));
}
