import type { Finding, Recommendation } from '../schemas/pledge';
import { findAmmunitionGaps } from './ammunition-supply';
import { findDuplicatePledges } from './duplicate-pledge';
import { findFleetCommonality } from './fleet-commonality';
import { findFleetFragmentation } from './fleet-fragmentation';
import { findNeedMatches } from './need-match';
import type { PledgeUnderReview, ReviewContext, ReviewRule } from './review-context';
import { orderFindings, recommend, scoreFindings } from './review-score';
import { findSustainmentGaps } from './sustainment-gap';
import { findTrainingShortfalls } from './training-capacity';

export type { PledgeUnderReview, ReviewContext, TrainingAssessment } from './review-context';

/** The automatic part of a compatibility review. */
export interface PledgeReview {
  findings: Finding[];
  score: number;
  recommendation: Recommendation;
}

/** The compatibility rules, one per finding code. */
export const reviewRules: readonly ReviewRule[] = [
  findFleetFragmentation,
  findFleetCommonality,
  findTrainingShortfalls,
  findAmmunitionGaps,
  findSustainmentGaps,
  findDuplicatePledges,
  findNeedMatches,
];

/** Runs every compatibility rule on a pledge and scores the findings under the context's policy. */
export function reviewPledge(pledge: PledgeUnderReview, ctx: ReviewContext): PledgeReview {
  const findings = orderFindings(reviewRules.flatMap((rule) => rule(pledge, ctx)));
  const score = scoreFindings(findings, ctx.policy);
  return { findings, score, recommendation: recommend(score, findings, ctx.policy) };
}
