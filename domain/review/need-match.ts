import type { Finding } from '../schemas/pledge';
import type { Need, System } from '../schemas/reference';
import { pledgedSystems, sameName, type PledgeUnderReview, type ReviewContext } from './review-context';

const meets = (need: Need, system: System): boolean =>
  need.status === 'open' &&
  need.category === system.category &&
  (need.family === null || sameName(need.family, system.family));

/** NEED_MATCH: a pledged system meets an open need; the most urgent matching need is reported. */
export function findNeedMatches(pledge: PledgeUnderReview, ctx: ReviewContext): Finding[] {
  return pledgedSystems(pledge, ctx.catalog).flatMap(({ system, quantity }): Finding[] => {
    const need = ctx.needs
      .filter((n) => meets(n, system))
      .reduce<Need | undefined>((best, n) => (best && best.priority <= n.priority ? best : n), undefined);
    if (!need) return [];
    return [
      {
        code: 'NEED_MATCH',
        severity: 'info',
        message:
          `Meets open need ${need.id} (priority ${need.priority}): ${need.description}; ` +
          `${quantity} pledged against ${need.quantity} needed`,
        systemId: system.id,
      },
    ];
  });
}
