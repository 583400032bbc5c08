import { FindingCodes, type Finding, type Recommendation } from '../schemas/pledge';
import type { ReviewPolicy } from '../schemas/policy';

const hasBlocker = (findings: Finding[]) => findings.some((f) => f.severity === 'blocker');

/**
 * A finding's weight under the policy. NEED_MATCH's weight rewards serving a requirement: the finding that a pledge
 * serves none informs the reviewer without moving the score.
 */
const weightOf = (f: Finding, policy: ReviewPolicy): number =>
  f.code === 'NEED_MATCH' && f.requirementId === null ? 0 : policy.weights[f.code];

/**
 * The score of a set of findings: the policy's base plus its weights, blockers weighing more, 0..100. Only a
 * blocker takes a pledge below the reject line: warnings are risks for the reviewer to weigh, however many there
 * are, so without a blocker the score stops at the line.
 */
export function scoreFindings(findings: Finding[], policy: ReviewPolicy): number {
  const delta = findings.reduce(
    (sum, f) => sum + weightOf(f, policy) * (f.severity === 'blocker' ? policy.blockerFactor : 1),
    0,
  );
  const score = Math.min(100, Math.max(0, Math.round(policy.baseScore + delta)));
  return hasBlocker(findings) ? score : Math.max(score, Math.min(100, policy.thresholds.reject));
}

/**
 * The recommendation that the score and the findings support under the policy's thresholds. "Reject" needs a
 * blocker: warnings alone lead at worst to acceptance with conditions.
 */
export function recommend(score: number, findings: Finding[], policy: ReviewPolicy): Recommendation {
  if (hasBlocker(findings)) {
    // A blocker above the reject line is usually curable by amendment (later delivery, spare parts,
    // training offered), so the donor is asked for changes rather than turned away.
    return score < policy.thresholds.reject ? 'reject' : 'request_changes';
  }
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
