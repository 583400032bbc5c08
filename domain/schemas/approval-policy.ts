import { z } from 'zod';
import { Role } from './common';
import { Category } from './reference';
import { StepTiming } from './task-policy';

/** A step of command approval: its timing, and whom its decider may hand it to. */
const StepRule = StepTiming.extend({
  /** Roles the step's decider may hand it to explicitly. */
  delegateToRoles: z.array(Role).max(5),
});
export type StepRule = z.infer<typeof StepRule>;

/** Who signs a decision package, in which order, how fast, and who stands in. Versioned. */
export const ApprovalPolicy = z
  .object({
    version: z.number().int().positive(),
    chain: z.array(Role).min(1).max(6),
    saceur: z.object({
      valueThresholdEur: z.number().nonnegative(),
      sensitiveCategories: z.array(Category),
      whenBlockerOverridden: z.boolean(),
    }),
    steps: z.partialRecord(Role, StepRule),
  })
  .refine((p) => [...p.chain, 'saceur'].every((role) => p.steps[role as Role]), {
    message: 'every role in the chain (and saceur) needs a step rule',
    path: ['steps'],
  });
export type ApprovalPolicy = z.infer<typeof ApprovalPolicy>;

const DAY = 24 * 3600;

export const defaultApprovalPolicy: ApprovalPolicy = {
  version: 1,
  chain: ['chief_of_staff', 'commander'],
  saceur: {
    valueThresholdEur: 1_000_000_000,
    // None by default: admins mark categories sensitive in a new policy version.
    sensitiveCategories: [],
    whenBlockerOverridden: true,
  },
  steps: {
    chief_of_staff: {
      slaSeconds: 2 * DAY,
      remindBeforeDueSeconds: [DAY],
      escalateToRoles: ['commander'],
      delegateToRoles: [],
    },
    commander: {
      slaSeconds: 3 * DAY,
      remindBeforeDueSeconds: [DAY, 4 * 3600],
      escalateToRoles: ['deputy_commander'],
      delegateToRoles: ['deputy_commander'],
    },
    saceur: {
      slaSeconds: 7 * DAY,
      remindBeforeDueSeconds: [2 * DAY],
      escalateToRoles: [],
      delegateToRoles: [],
    },
  },
};
