import { z } from 'zod';
import { Role } from './common';

const StepTiming = z.object({
  /** Time from opening to the due date. */
  slaSeconds: z.number().int().positive().max(365 * 24 * 3600),
  /** Reminders, counted back from the due date (e.g. 1 day and 1 hour before). */
  remindBeforeDueSeconds: z.array(z.number().int().positive()).max(10),
  /** Roles added to the task when it passes its due date. */
  escalateToRoles: z.array(Role).max(5),
});
export type StepTiming = z.infer<typeof StepTiming>;

/** SLAs, reminders and escalation of human tasks, per kind. Versioned like every policy. */
export const TaskPolicy = z.object({
  version: z.number().int().positive(),
  compatibility_review: StepTiming,
  training_plan_confirmation: StepTiming,
  revision: StepTiming,
});
export type TaskPolicy = z.infer<typeof TaskPolicy>;

const DAY = 24 * 3600;

export const defaultTaskPolicy: TaskPolicy = {
  version: 1,
  compatibility_review: { slaSeconds: 3 * DAY, remindBeforeDueSeconds: [DAY, 3600], escalateToRoles: ['staff_officer'] },
  training_plan_confirmation: { slaSeconds: 5 * DAY, remindBeforeDueSeconds: [DAY], escalateToRoles: ['staff_officer'] },
  revision: { slaSeconds: 14 * DAY, remindBeforeDueSeconds: [3 * DAY], escalateToRoles: ['staff_officer'] },
};
