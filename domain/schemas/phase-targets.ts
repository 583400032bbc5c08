import { z } from 'zod';
import {
  Phases,
  type MeasuredSpan,
  type OverTarget,
  type PhaseFigures,
  type PhaseTargetReport,
} from '../phase-targets';

const Days = z.number().positive().max(3650);

/**
 * Phase time targets, versioned like the other policies: how long each phase of a pledge may take. Approval to
 * READY has no fixed length: it is due by the end of the pledge's delivery window, plus the grace given here.
 */
export const PhaseTargetPolicy = z
  .object({
    version: z.number().int().positive(),
    targets: z.object({
      intake_to_review_decision: Days.describe('days from submission (or amendment) to the review decision'),
      training_planning: Days.describe('days from the review’s acceptance to the confirmed training plan'),
      command_approval: Days.describe('days from the confirmed plan to the command decision'),
      submission_to_approval: Days.describe(
        'days from submission to approval, the donor’s revisions included',
      ),
    }),
    readyGraceDays: z
      .number()
      .int()
      .min(0)
      .max(365)
      .describe('days after the end of the latest delivery window by which an approved pledge is READY'),
  })
  .meta({ id: 'PhaseTargetPolicy' });
export type PhaseTargetPolicy = z.infer<typeof PhaseTargetPolicy>;

/** The targets in force until an admin publishes a version (security-cooperation offices use targets of this kind). */
export const defaultPhaseTargetPolicy: PhaseTargetPolicy = {
  version: 1,
  targets: {
    intake_to_review_decision: 5,
    training_planning: 10,
    command_approval: 7,
    submission_to_approval: 30,
  },
  readyGraceDays: 0,
};

export const Phase = z
  .enum(Phases)
  .describe(
    'intake_to_review_decision: submission (or amendment) to the review decision; training_planning: acceptance to the ' +
      'confirmed plan; command_approval: confirmed plan to the command decision; submission_to_approval: submission to ' +
      'approval, revisions included; approval_to_ready: approval to READY, due by the end of the delivery window',
  )
  .meta({ id: 'Phase' });

const Days2 = z.number().describe('days, to two decimals');

export const PhaseFiguresView = z
  .object({
    phase: Phase,
    targetDays: z
      .number()
      .nullable()
      .describe('the policy’s target; null for approval to READY (the delivery window)'),
    completed: z.number().int().describe('stretches of this phase completed in the period'),
    met: z.number().int().describe('of those, completed by their due date'),
    shareMet: z.number().min(0).max(1).nullable().describe('met ÷ completed; null when none completed'),
    medianDays: Days2.nullable(),
    p90Days: Days2.nullable(),
  })
  .meta({ id: 'PhaseFigures' }) satisfies z.ZodType<PhaseFigures>;

export const OverTargetView = z
  .object({
    pledgeId: z.string(),
    title: z.string(),
    donor: z.string(),
    phase: Phase,
    since: z.string(),
    dueBy: z.string(),
    days: Days2,
    daysOver: Days2,
  })
  .meta({ id: 'OverTarget' }) satisfies z.ZodType<OverTarget>;

export const PhaseTargetReportView = z
  .object({
    from: z.string(),
    to: z.string(),
    policyVersion: z.number().int(),
    phases: z.array(PhaseFiguresView),
    overTarget: z
      .array(OverTargetView)
      .describe('pledges in a phase now and past its due date, longest overdue first'),
  })
  .meta({ id: 'PhaseTargetReport' }) satisfies z.ZodType<PhaseTargetReport>;

export const PhaseTimeView = z
  .object({
    phase: Phase,
    start: z.string(),
    end: z.string().nullable(),
    state: z.enum(['completed', 'open', 'abandoned']),
    days: Days2.describe('days taken, or taken so far'),
    targetDays: Days2.describe('days allowed (for approval to READY: from approval to the due date)'),
    dueBy: z.string(),
    met: z
      .boolean()
      .nullable()
      .describe('null while open, or when abandoned (withdrawn, rejected at intake)'),
    overTarget: z.boolean(),
  })
  .meta({ id: 'PhaseTime' }) satisfies z.ZodType<MeasuredSpan>;

export const PledgePhaseTimes = z
  .object({ pledgeId: z.string(), policyVersion: z.number().int(), phases: z.array(PhaseTimeView) })
  .meta({ id: 'PledgePhaseTimes' });
