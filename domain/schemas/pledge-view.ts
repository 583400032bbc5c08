import { z } from 'zod';
import type { PledgeRecord } from '../pledge-record';
import { Finding, PledgeItem, PledgeStatus } from './pledge';

/** A pledge as GET /pledges/:id shows it (the record without its internal fields). */
export const PledgeView = z.object({
  id: z.string(),
  title: z.string(),
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
  review: z
    .object({
      findings: z.array(Finding),
      score: z.number(),
      recommendation: z.string(),
      decision: z.unknown().nullable(),
      round: z.number(),
      policyVersion: z.number(),
    })
    .nullable(),
  trainingPlan: z.unknown().nullable(),
  approval: z.unknown().nullable(),
  timeline: z.array(z.object({ at: z.string(), type: z.string(), actor: z.string(), detail: z.unknown() })),
});
export type PledgeView = z.infer<typeof PledgeView>;

/** A pledge in a list: what it is and where it stands, without plan, approval and history. */
export const PledgeSummary = PledgeView.omit({ timeline: true, trainingPlan: true, approval: true });
export type PledgeSummary = z.infer<typeof PledgeSummary>;

/** The record as the contract shows it. */
export function toPledgeView(record: PledgeRecord): PledgeView {
  return {
    ...toPledgeSummary(record),
    trainingPlan: record.trainingPlan,
    approval: record.approval,
    timeline: record.timeline.map(({ at, type, actor, detail }) => ({ at, type, actor, detail })),
  };
}

export function toPledgeSummary(r: PledgeRecord): PledgeSummary {
  return {
    id: r._id,
    title: r.title,
    workflowId: r.workflowId,
    donor: r.donor,
    items: r.items,
    trainingOffered: r.trainingOffered,
    sustainment: r.sustainment,
    valueEur: r.valueEur,
    notes: r.notes,
    coalitions: r.coalitions,
    status: r.status,
    stage: r.stage,
    revision: r.revision,
    submittedBy: r.submittedBy,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    review: r.review,
  };
}
