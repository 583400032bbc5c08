/**
 * What a donor nation's liaison may read of its pledge's audit entries. The log is NSATU's working record: reviewers'
 * task comments, decision comments, findings as worded for the staff, signatures and the approval chain's internals
 * stay inside. A liaison sees what happened to its pledge, when and by whom, and the facts of each outcome.
 */
const visibleFields = new Set([
  'status',
  'revision',
  'round',
  'step',
  'role',
  'taskId',
  'decision',
  'conditions',
  'coalitions',
  'problems',
  'cohorts',
  'cohortId',
  'traineesNeeded',
  'traineesReadyByDeadline',
  'unmetTrainees',
  'seats',
  'seatsReleased',
  'released',
  'readyBy',
  'attempts',
]);

/** Decisions whose comment is addressed to the donor: what to change, or why the pledge was refused. */
const commentForDonor = new Set(['review.changes_requested', 'review.rejected']);

export interface LiaisonDetail {
  detail: Record<string, unknown>;
  /** The detail fields withheld (the entry's hash covers them, so a liaison cannot re-verify it). */
  redacted: string[];
}

/** The detail of an audit entry as a liaison may read it. */
export function liaisonDetail(action: string, detail: Record<string, unknown>): LiaisonDetail {
  const shown: Record<string, unknown> = {};
  const redacted: string[] = [];
  for (const [field, value] of Object.entries(detail)) {
    if (visibleFields.has(field) || (field === 'comment' && commentForDonor.has(action)))
      shown[field] = value;
    else redacted.push(field);
  }
  return { detail: shown, redacted };
}
