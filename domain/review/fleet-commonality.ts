import type { Finding } from '../schemas/pledge';
import { inServiceEntry } from './fleet-in-service';
import { nameKey, pledgedSystems, type PledgeUnderReview, type ReviewContext } from './review-context';

/** FLEET_COMMONALITY: the pledged family is one Ukraine already operates (once per family). */
export function findFleetCommonality(pledge: PledgeUnderReview, ctx: ReviewContext): Finding[] {
  const reported = new Set<string>();
  const findings: Finding[] = [];
  for (const { system } of pledgedSystems(pledge, ctx.catalog)) {
    const entry = inServiceEntry(ctx.inventory, system.family);
    if (!entry || reported.has(nameKey(system.family))) continue;
    reported.add(nameKey(system.family));
    findings.push({
      code: 'FLEET_COMMONALITY',
      severity: 'info',
      message:
        `Ukraine already operates ${entry.family} (${entry.count} in service); ${system.name} builds on ` +
        'its trained crews, spare parts and maintenance',
      systemId: system.id,
    });
  }
  return findings;
}
