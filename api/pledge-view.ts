import { z } from 'zod';
import { Finding, PledgeItem, PledgeStatus } from '../domain/schemas/pledge';

export const PledgeView = z.object({
  id: z.string(),
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
    })
    .nullable(),
  trainingPlan: z.unknown().nullable(),
  approval: z.unknown().nullable(),
  timeline: z.array(z.object({ at: z.string(), type: z.string(), actor: z.string(), detail: z.unknown() })),
});

export const PledgeSummary = PledgeView.omit({ timeline: true, trainingPlan: true, approval: true });

type PledgeDoc = Record<string, unknown> & { _id: string; createdAt: Date; updatedAt: Date; timeline?: unknown[] };

/** The read model as the contract shows it. */
export function toPledgeView(doc: PledgeDoc, { withTimeline = true } = {}) {
  const { _id, searchText: _s, systemIds: _i, createdAt, updatedAt, timeline, ...rest } = doc;
  return {
    id: _id,
    ...rest,
    createdAt: new Date(createdAt).toISOString(),
    updatedAt: new Date(updatedAt).toISOString(),
    ...(withTimeline
      ? {
          timeline: (timeline ?? []).map((e) => {
            const { eventId: _e, ...entry } = e as Record<string, unknown>;
            return entry;
          }),
        }
      : {}),
  };
}
