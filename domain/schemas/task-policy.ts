import { z } from 'zod';
import { defaultDeliveryPolicy } from '../delivery-lots';
import { defaultSessionMinimumCutoffDays } from '../training/session-minimum';
import { Role } from './common';

/** How fast a step of a task is due, when its decider is reminded, and who is added once it is overdue. */
export const StepTiming = z.object({
  /** Time from opening to the due date. */
  slaSeconds: z
    .number()
    .int()
    .positive()
    .max(365 * 24 * 3600),
  /** Reminders, counted back from the due date (e.g. 1 day and 1 hour before). */
  remindBeforeDueSeconds: z.array(z.number().int().positive()).max(10),
  /** Roles added to the task when it passes its due date. */
  escalateToRoles: z.array(Role).max(5),
});
export type StepTiming = z.infer<typeof StepTiming>;

/** Separation of duties: who may not decide what. On unless a policy version says otherwise. */
export const SeparationOfDuties = z.object({
  /** Nobody decides two steps of one approval round; the submitter never reviews or approves its pledge. */
  enabled: z.boolean().default(true),
  /** One user may hold more than one approval-chain role (chief of staff, commander, deputy, SACEUR). */
  allowMultipleChainRoles: z.boolean().default(false),
});
export type SeparationOfDuties = z.infer<typeof SeparationOfDuties>;

/** How training is planned. */
export const TrainingPolicy = z.object({
  /**
   * A course's minimum cohort counts every pledge's trainees in a session. This many days before a session
   * starts it must have reached it: after that, new trainees go into it only if they bring it there.
   */
  sessionMinimumCutoffDays: z.number().int().min(0).max(365),
});
export type TrainingPolicy = z.infer<typeof TrainingPolicy>;

const DAY = 24 * 3600;

/** When a lot not yet received counts as late, and who hears of it when it stays late. */
export const DeliveryPolicy = z.object({
  /**
   * A lot not received this long after the start of its planned day (UTC) is late: one day means the planned
   * day has passed; more gives the donor grace.
   */
  lateAfterSeconds: z
    .number()
    .int()
    .min(0)
    .max(365 * DAY),
  /** A delay still open this long after it was raised is escalated. */
  escalateAfterSeconds: z
    .number()
    .int()
    .positive()
    .max(365 * DAY),
  escalateToRoles: z.array(Role).min(1).max(5),
});
export type DeliveryPolicy = z.infer<typeof DeliveryPolicy>;

/** SLAs, reminders and escalation of human tasks, per kind, the separation of duties and training planning. Versioned. */
export const TaskPolicy = z.object({
  version: z.number().int().positive(),
  compatibility_review: StepTiming,
  training_plan_confirmation: StepTiming,
  revision: StepTiming,
  separationOfDuties: SeparationOfDuties.default({ enabled: true, allowMultipleChainRoles: false }),
  training: TrainingPolicy.default({ sessionMinimumCutoffDays: defaultSessionMinimumCutoffDays }),
  delivery: DeliveryPolicy.default(defaultDeliveryPolicy),
});
export type TaskPolicy = z.infer<typeof TaskPolicy>;

export const defaultTaskPolicy: TaskPolicy = {
  version: 1,
  compatibility_review: {
    slaSeconds: 3 * DAY,
    remindBeforeDueSeconds: [DAY, 3600],
    escalateToRoles: ['staff_officer'],
  },
  training_plan_confirmation: {
    slaSeconds: 5 * DAY,
    remindBeforeDueSeconds: [DAY],
    escalateToRoles: ['staff_officer'],
  },
  revision: { slaSeconds: 14 * DAY, remindBeforeDueSeconds: [3 * DAY], escalateToRoles: ['staff_officer'] },
  separationOfDuties: { enabled: true, allowMultipleChainRoles: false },
  training: { sessionMinimumCutoffDays: defaultSessionMinimumCutoffDays },
  delivery: defaultDeliveryPolicy,
};
