import { z } from 'zod';
import type { PledgeRecord, StoredApproval } from '../pledge-record';
import {
  cohortOutcome,
  type PlannedCohort as StoredCohort,
  type StoredTrainingPlan,
} from '../training/execution';
import { Role } from './common';
import { Finding, PledgeItem, PledgeStatus, Recommendation } from './pledge';
import { SessionBelowMinimum, UnmetTraining } from './training-shortfall';

/** A decision on a task as the pledge shows it. */
export const DecisionRecord = z
  .object({
    decision: z.string(),
    comment: z.string().nullable(),
    conditions: z.array(z.string()),
    by: z.string(),
    onBehalfOf: z.string().nullable().describe('Whom the decider stood in for (a delegation), if anyone'),
    at: z.string(),
  })
  .meta({ id: 'DecisionRecord' });
export type DecisionRecordView = z.infer<typeof DecisionRecord>;

export const Review = z
  .object({
    findings: z.array(Finding),
    score: z.number(),
    recommendation: Recommendation,
    decision: DecisionRecord.nullable(),
    round: z.number().int().describe('1 for the first review; one more after each amendment'),
    policyVersion: z.number().int().describe('The review policy version the findings were computed under'),
  })
  .meta({ id: 'Review' });

export const PlannedCohort = z
  .object({
    id: z.string(),
    groupId: z.string().describe('The trainee group (system and audience) the cohort belongs to'),
    systemId: z.string(),
    courseId: z.string(),
    sessionId: z.string(),
    siteId: z.string(),
    trainees: z.number().int(),
    start: z.string(),
    end: z.string(),
    step: z.number().int().describe("The course's place in the group's prerequisite chain, from 0"),
    state: z.enum(['planned', 'reserved', 'started', 'completed', 'failed', 'released']),
    startedAt: z.string().nullable(),
    completedAt: z.string().nullable(),
    failedAt: z.string().nullable(),
    passed: z
      .number()
      .int()
      .nullable()
      .describe(
        'Of a completed cohort, the trainees who passed (all of them unless the site said otherwise)',
      ),
    failed: z
      .number()
      .int()
      .nullable()
      .describe('Of a completed cohort, the trainees who failed; they are planned into later sessions'),
  })
  .meta({ id: 'PlannedCohort' });

export const TrainingPlanView = z
  .object({
    cohorts: z.array(PlannedCohort),
    readyBy: z
      .record(z.string(), z.string().nullable())
      .describe('Per system: the date its last trainee is ready, or null when some cannot be trained'),
    unmet: z.array(UnmetTraining),
    sessionsBelowMinimum: z
      .array(SessionBelowMinimum)
      .describe(
        'Sessions of the plan below their minimum cohort with every pledge counted: they may not run unless ' +
          'more trainees join by their cutoff',
      ),
    traineesNeeded: z.number().int(),
    traineesReadyByDeadline: z.number().int(),
    solver: z.object({
      method: z.enum(['mip', 'greedy']),
      status: z.string(),
      objective: z.number(),
      bound: z.number().nullable(),
      gap: z.number().nullable(),
      timeMs: z.number(),
    }),
    computedAt: z.string(),
    round: z.number().int(),
    constraints: z
      .object({
        excludedSiteIds: z.array(z.string()),
        excludedSessionIds: z.array(z.string()),
        notBefore: z.string().nullable(),
      })
      .nullable()
      .describe('What the coordinator excluded when asking to replan'),
  })
  .meta({ id: 'TrainingPlan' });

export const ApprovalStep = z
  .object({
    role: Role,
    reason: z.string().describe('Why this role is in the chain (the policy, the value, an override)'),
    state: z.enum(['pending', 'open', 'approved', 'approved_with_conditions', 'rejected', 'returned']),
    taskId: z.string().nullable(),
    decision: z.string().nullable(),
    comment: z.string().nullable(),
    conditions: z.array(z.string()),
    by: z.string().nullable(),
    onBehalfOf: z.string().nullable(),
    at: z.string().nullable(),
    keyId: z.string().nullable(),
    signature: z.string().nullable(),
    payload: z.string().nullable().describe('The exact text that was signed'),
    signatureValid: z
      .boolean()
      .nullable()
      .describe("Whether the signature verifies now against the signer's stored key; null while undecided"),
  })
  .meta({ id: 'ApprovalStep' });

export const ApprovalView = z
  .object({
    round: z.number().int(),
    package: z
      .record(z.string(), z.unknown())
      .describe('The frozen decision package (pledge, findings, score, review decision, training plan)'),
    packageHash: z.string().describe('SHA-256 of the package as RFC 8785 JSON; every signature binds it'),
    packageValid: z.boolean().nullable().describe('Whether the stored package still matches its hash'),
    policyVersion: z.number().int(),
    chain: z.array(ApprovalStep),
  })
  .meta({ id: 'Approval' });

export const TimelineEntry = z
  .object({
    at: z.string(),
    type: z.string(),
    actor: z.string(),
    detail: z.record(z.string(), z.unknown()).describe('What the event says; its fields depend on `type`'),
    redacted: z
      .array(z.string())
      .optional()
      .describe(
        'Detail fields withheld from a donor liaison (internal comments, findings as worded for staff, signatures)',
      ),
  })
  .meta({ id: 'TimelineEntry' });

const pledgeFields = {
  id: z.string(),
  title: z.string().describe('What the pledge is, in one line'),
  workflowId: z.string(),
  donor: z.string(),
  items: z.array(PledgeItem),
  trainingOffered: z.boolean(),
  sustainment: z.object({ spareParts: z.boolean(), maintenanceYears: z.number() }),
  valueEur: z.number().nullable(),
  notes: z.string().nullable(),
  coalitions: z.array(z.string()),
  status: PledgeStatus,
  stage: z.string(),
  revision: z.number(),
  submittedBy: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  approvedAt: z
    .string()
    .nullable()
    .describe('When command approval last approved it (what counts against a security agreement’s year)'),
  review: Review.nullable(),
};

/** A pledge's own fields, its review whole: what the read side keeps of it for lists and searches. */
export type PledgeFields = z.infer<z.ZodObject<typeof pledgeFields>>;

/**
 * A review as a list shows it: what it found, counted by severity, and what was decided, without the wording of
 * findings or comments (the pledge's page has them). A page of the list then weighs a few hundred bytes per pledge,
 * not kilobytes, which is what a list's speed is bound by once it is served from memory.
 */
export const ReviewDigest = z
  .object({
    score: z.number(),
    recommendation: Recommendation,
    findingCounts: z
      .object({ blocker: z.number().int(), warning: z.number().int(), info: z.number().int() })
      .describe("The review's findings by severity; the pledge's page lists them"),
    decision: z
      .object({ decision: z.string(), by: z.string(), at: z.string() })
      .nullable()
      .describe("The reviewer's decision; its comment and conditions are on the pledge's page"),
    round: z.number().int(),
    policyVersion: z.number().int(),
  })
  .meta({ id: 'ReviewDigest' });
export type ReviewDigest = z.infer<typeof ReviewDigest>;

/** A pledge in a list: what it is and where it stands, its review in a digest, without plan, approval and history. */
export const PledgeSummary = z
  .object({ ...pledgeFields, review: ReviewDigest.nullable() })
  .meta({ id: 'PledgeSummary' });
export type PledgeSummary = z.infer<typeof PledgeSummary>;

/** A list's entry for a pledge's fields. */
export function toPledgeSummary(fields: PledgeFields): PledgeSummary {
  const review = fields.review;
  return {
    ...fields,
    review: review && {
      score: review.score,
      recommendation: review.recommendation,
      findingCounts: {
        blocker: review.findings.filter((f) => f.severity === 'blocker').length,
        warning: review.findings.filter((f) => f.severity === 'warning').length,
        info: review.findings.filter((f) => f.severity === 'info').length,
      },
      decision: review.decision && {
        decision: review.decision.decision,
        by: review.decision.by,
        at: review.decision.at,
      },
      round: review.round,
      policyVersion: review.policyVersion,
    },
  };
}

/** A pledge as GET /pledges/:id shows it (the record without its internal fields). */
export const PledgeView = z
  .object({
    ...pledgeFields,
    trainingPlan: TrainingPlanView.nullable(),
    approval: ApprovalView.nullable(),
    timeline: z.array(TimelineEntry),
  })
  .meta({ id: 'Pledge' });
export type PledgeView = z.infer<typeof PledgeView>;

/** The page as projected: the approval without the checks made when it is read (signatures, package hash). */
export type ProjectedPledgeView = Omit<PledgeView, 'approval'> & { approval: StoredApproval | null };

/** When the record's latest approval round approved it, or null. */
export const approvedAtOf = (r: Pick<PledgeRecord, 'timeline'>): string | null =>
  r.timeline.filter((e) => e.type === 'approval.approved').pop()?.at ?? null;

/** The pledge's own fields of a record or of stored fields, and nothing else; absent nullables are null. */
export function toPledgeFields(r: PledgeRecord | PledgeFields): PledgeFields {
  return {
    id: '_id' in r ? r._id : r.id,
    title: r.title,
    workflowId: r.workflowId,
    donor: r.donor,
    items: r.items,
    trainingOffered: r.trainingOffered,
    sustainment: r.sustainment,
    valueEur: r.valueEur ?? null,
    notes: r.notes ?? null,
    coalitions: r.coalitions,
    status: r.status,
    stage: r.stage,
    revision: r.revision,
    submittedBy: r.submittedBy,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    approvedAt: 'timeline' in r ? approvedAtOf(r) : (r.approvedAt ?? null),
    review: r.review
      ? {
          findings: r.review.findings.map((f) => ({ ...f, systemId: f.systemId ?? null })),
          score: r.review.score,
          recommendation: r.review.recommendation,
          decision: r.review.decision ? toDecisionRecord(r.review.decision) : null,
          round: r.review.round,
          policyVersion: r.review.policyVersion,
        }
      : null,
  };
}

const toDecisionRecord = (d: DecisionRecordView): DecisionRecordView => ({
  decision: d.decision,
  comment: d.comment ?? null,
  conditions: d.conditions ?? [],
  by: d.by,
  onBehalfOf: d.onBehalfOf ?? null,
  at: d.at,
});

/** A cohort as the contract shows it: every field present, the report times null until reported. */
export function toPlannedCohortView(
  c: StoredCohort | z.infer<typeof PlannedCohort>,
): z.infer<typeof PlannedCohort> {
  return {
    id: c.id,
    groupId: c.groupId,
    systemId: c.systemId,
    courseId: c.courseId,
    sessionId: c.sessionId,
    siteId: c.siteId,
    trainees: c.trainees,
    start: c.start,
    end: c.end,
    step: c.step,
    state: c.state,
    startedAt: c.startedAt ?? null,
    completedAt: c.completedAt ?? null,
    failedAt: c.failedAt ?? null,
    ...(cohortOutcome({ state: c.state, trainees: c.trainees, failed: c.failed ?? undefined }) ?? {
      passed: null,
      failed: null,
    }),
  };
}

/** The plan as the contract shows it: every field present. */
export function toTrainingPlanView(
  plan: StoredTrainingPlan | z.infer<typeof TrainingPlanView>,
): z.infer<typeof TrainingPlanView> {
  return {
    cohorts: plan.cohorts.map(toPlannedCohortView),
    readyBy: plan.readyBy,
    unmet: plan.unmet,
    // Plans stored before sessions below their minimum were flagged have no such list.
    sessionsBelowMinimum: plan.sessionsBelowMinimum ?? [],
    traineesNeeded: plan.traineesNeeded,
    traineesReadyByDeadline: plan.traineesReadyByDeadline,
    solver: {
      method: plan.solver.method,
      status: plan.solver.status,
      objective: plan.solver.objective,
      bound: plan.solver.bound ?? null,
      gap: plan.solver.gap ?? null,
      timeMs: plan.solver.timeMs,
    },
    computedAt: plan.computedAt,
    round: plan.round,
    constraints: plan.constraints
      ? {
          excludedSiteIds: plan.constraints.excludedSiteIds ?? [],
          excludedSessionIds: plan.constraints.excludedSessionIds ?? [],
          notBefore: plan.constraints.notBefore ?? null,
        }
      : null,
  };
}

/** The approval as the contract shows it, with the checks made at read time. */
export function toApprovalView(
  approval: StoredApproval,
  checks: { packageValid: boolean | null; signatureValid: Array<boolean | null> },
): z.infer<typeof ApprovalView> {
  return {
    round: approval.round,
    package: (approval.package ?? {}) as Record<string, unknown>,
    packageHash: approval.packageHash,
    packageValid: checks.packageValid,
    policyVersion: approval.policyVersion,
    chain: approval.chain.map((s, i) => ({
      role: s.role,
      reason: s.reason,
      state: s.state,
      taskId: s.taskId ?? null,
      decision: s.decision ?? null,
      comment: s.comment ?? null,
      conditions: s.conditions ?? [],
      by: s.by ?? null,
      onBehalfOf: s.onBehalfOf ?? null,
      at: s.at ?? null,
      keyId: s.keyId ?? null,
      signature: s.signature ?? null,
      payload: s.payload ?? null,
      signatureValid: checks.signatureValid[i] ?? null,
    })),
  };
}

/** The page of a pledge as projected (the approval's read-time checks are added when it is served). */
export function toPledgeView(record: PledgeRecord): ProjectedPledgeView {
  return {
    ...toPledgeFields(record),
    trainingPlan: record.trainingPlan ? toTrainingPlanView(record.trainingPlan) : null,
    approval: record.approval,
    timeline: record.timeline.map(({ at, type, actor, detail }) => ({ at, type, actor, detail })),
  };
}
