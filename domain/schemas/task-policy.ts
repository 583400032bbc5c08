import { z } from 'zod';
import { Role } from './common';

const StepTiming = z.object({
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

/** SLAs, reminders and escalation of human tasks, per kind, and the separation of duties. Versioned. */
export const TaskPolicy = z.object({
  version: z.number().int().positive(),
  compatibility_review: StepTiming,
  training_plan_confirmation: StepTiming,
  revision: StepTiming,
  separationOfDuties: SeparationOfDuties.default({ enabled: true, allowMultipleChainRoles: false }),
});
export type TaskPolicy = z.infer<typeof TaskPolicy>;

const DAY = 24 * 3600;

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
};
