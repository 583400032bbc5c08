import { FindingCodes, type Finding, type Recommendation } from '../schemas/pledge';
import type { ReviewPolicy } from '../schemas/policy';

/** The score of a set of findings: the policy's base plus its weights, blockers weighing more, 0..100. */
export function scoreFindings(findings: Finding[], policy: ReviewPolicy): number {
  const delta = findings.reduce(
    (sum, f) => sum + policy.weights[f.code] * (f.severity === 'blocker' ? policy.blockerFactor : 1),
    0,
  );
  return Math.min(100, Math.max(0, Math.round(policy.baseScore + delta)));
}

/** The recommendation that the score and the findings support under the policy's thresholds. */
export function recommend(score: number, findings: Finding[], policy: ReviewPolicy): Recommendation {
  if (score < policy.thresholds.reject) return 'reject';
  // A blocker above the reject line is usually curable by amendment (later delivery, spare parts,
  // training offered), so the donor is asked for changes rather than turned away.
  if (findings.some((f) => f.severity === 'blocker')) return 'request_changes';
  return score >= policy.thresholds.accept ? 'accept' : 'accept_with_conditions';
}

const severityRank = { blocker: 0, warning: 1, info: 2 } as const;

/** Findings in a stable order: blockers first, then by code, system and message. */
export function orderFindings(findings: Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      severityRank[a.severity] - severityRank[b.severity] ||
      FindingCodes.indexOf(a.code) - FindingCodes.indexOf(b.code) ||
      compareText(a.systemId ?? '', b.systemId ?? '') ||
      compareText(a.message, b.message),
  );
}

// Code-unit order, not localeCompare, so the order is the same on every machine.
const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
