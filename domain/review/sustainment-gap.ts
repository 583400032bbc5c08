import type { Finding } from '../schemas/pledge';
import { pledgedSystems, type PledgeUnderReview, type ReviewContext } from './review-context';

/** SUSTAINMENT_GAP: a high-maintenance system comes without spare parts or without maintenance years. */
export function findSustainmentGaps(pledge: PledgeUnderReview, ctx: ReviewContext): Finding[] {
  const { spareParts, maintenanceYears } = pledge.sustainment;
  const missing = [!spareParts && 'spare parts', maintenanceYears <= 0 && 'maintenance support'].filter(
    (gap): gap is string => typeof gap === 'string',
  );
  if (missing.length === 0) return [];
  return pledgedSystems(pledge, ctx.catalog)
    .filter(({ system }) => ctx.policy.highMaintenance.includes(system.maintenanceBurden))
    .map(({ system }): Finding => ({
      code: 'SUSTAINMENT_GAP',
      severity: 'warning',
      message:
        `${system.name} has a ${system.maintenanceBurden} maintenance burden but the pledge includes no ` +
        `${missing.join(' and no ')}`,
      systemId: system.id,
    }));
}
