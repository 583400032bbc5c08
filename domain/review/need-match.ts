import type { Finding } from '../schemas/pledge';
import { shareOf } from '../requirements/coverage';
import { matchPledge } from '../requirements/matching';
import type { PledgeUnderReview, ReviewContext } from './review-context';

/**
 * NEED_MATCH: each pledged system that serves one of Ukraine's open requirements (the one staff matched it to, or
 * the most urgent it serves) names it, its priority and the share of it the pledge covers. A pledge that serves
 * none gets one finding that says so.
 */
export function findNeedMatches(pledge: PledgeUnderReview, ctx: ReviewContext): Finding[] {
  const open = ctx.requirements.filter((r) => r.status === 'open');
  const byId = new Map(open.map((r) => [r.id, r]));
  const matches = matchPledge(pledge.items, ctx.catalog, open, ctx.requirementOverrides);
  if (!matches.length) return [];
  const findings = matches.flatMap(({ systemId, quantity, requirementId }): Finding[] => {
    const requirement = requirementId === null ? undefined : byId.get(requirementId);
    if (!requirement) return [];
    const share = shareOf(quantity, requirement.quantity);
    return [
      {
        code: 'NEED_MATCH',
        severity: 'info',
        message:
          `Serves Ukraine's requirement ${requirement.id} (priority ${requirement.priority}, needed by ` +
          `${requirement.neededBy}): ${quantity} pledged against ${requirement.quantity} required ` +
          `(${Math.round(share * 100)}%)`,
        systemId,
        requirementId: requirement.id,
        priority: requirement.priority,
        coverageShare: share,
      },
    ];
  });
  if (findings.length) return findings;
  return [
    {
      code: 'NEED_MATCH',
      severity: 'info',
      message: "Serves none of Ukraine's open requirements",
      systemId: null,
      requirementId: null,
    },
  ];
}
