import type { Finding } from '../schemas/pledge';
import { joinNames } from './category-names';
import { nameKey, pledgedSystems, type PledgeUnderReview, type ReviewContext } from './review-context';

/** AMMUNITION_SUPPLY: a pledged system fires a calibre that is not in Ukraine's supply. */
export function findAmmunitionGaps(pledge: PledgeUnderReview, ctx: ReviewContext): Finding[] {
  const supplied = new Set(ctx.ammunitionSupply.map(nameKey));
  return pledgedSystems(pledge, ctx.catalog).flatMap(({ system }): Finding[] => {
    const missing = system.calibers.filter((calibre) => !supplied.has(nameKey(calibre)));
    if (missing.length === 0) return [];
    return [
      {
        code: 'AMMUNITION_SUPPLY',
        severity: 'warning',
        message:
          `${system.name} needs ${joinNames(missing)} ammunition, which is not in Ukraine's supply; ` +
          'the pledge should come with a supply line',
        systemId: system.id,
      },
    ];
  });
}
