import { z } from 'zod';
import {
  Priorities,
  TaskKinds,
  TaskStates,
  type Actor as ActorShape,
  type DecisionInput as DecisionInputShape,
} from '../tasks';
import { Role } from './common';

export const TaskKind = z.enum(TaskKinds);
export const TaskState = z.enum(TaskStates);
export const Priority = z.enum(Priorities);

/** Who is acting, as the API authenticated them. */
export const Actor = z.object({
  username: z.string().min(1),
  roles: z.array(Role).min(1),
  nation: z.string().nullable(),
}) satisfies z.ZodType<ActorShape>;

export const Condition = z.string().trim().min(1).max(500);

export const DecisionInput = z.object({
  decision: z.string().min(1).max(40),
  comment: z.string().max(4000).optional(),
  conditions: z.array(Condition).max(20).optional(),
  signature: z.string().max(200).optional(),
  keyId: z.string().max(100).optional(),
  /** Exclusions a coordinator asks for when replanning. */
  constraints: z
    .object({
      excludedSiteIds: z.array(z.string().max(64)).max(50).optional(),
      excludedSessionIds: z.array(z.string().max(120)).max(200).optional(),
      notBefore: z.iso.date().optional(),
    })
    .optional(),
}) satisfies z.ZodType<DecisionInputShape>;
