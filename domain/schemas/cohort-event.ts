import { z } from 'zod';
import { CohortEventTypes, notACount, refuseCountsShape } from '../training/execution';

const TraineeCount = z.number({ error: notACount }).int({ error: notACount }).min(0, { error: notACount });

/**
 * A site's report on a cohort, as the API takes it and the web app checks it before sending. Whether the counts
 * add up depends on the cohort (`refuseCompletionCounts`), which the schema does not know.
 */
export const CohortEventInput = z
  .object({
    type: z.enum(CohortEventTypes),
    at: z.union([z.iso.datetime(), z.iso.date()]).optional().describe('When it happened (default now)'),
    passed: TraineeCount.optional().describe(
      'With a completion: the trainees who passed; give it with `failed`, the two adding up to the cohort',
    ),
    failed: TraineeCount.optional().describe(
      'With a completion: the trainees who failed, planned again into later sessions (both omitted: all passed)',
    ),
  })
  .superRefine((event, ctx) => {
    const refusal = refuseCountsShape(event.type, event);
    if (refusal) ctx.addIssue({ code: 'custom', path: [refusal.field], message: refusal.message });
  })
  .meta({ id: 'CohortEventInput' });
export type CohortEventInput = z.infer<typeof CohortEventInput>;
