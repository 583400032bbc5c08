import { z } from 'zod';
import { IsoDate } from './common';

/** Who is short: trainees of one group (system and audience) of the pledge. */
const ShortGroup = {
  groupId: z.string().describe('The trainee group (system and audience)'),
  systemId: z.string(),
  trainees: z.number().int().positive().describe('Trainees who are short, i.e. seats needed'),
};

/** A session that cannot take the trainees because it stayed below its minimum past its cutoff. */
export const SessionAtCutoff = z
  .object({
    sessionId: z.string(),
    start: IsoDate,
    reserved: z.number().int().describe('Seats reserved in the session, by every pledge'),
    minimum: z.number().int().describe("The course's minimum cohort, counted over the whole session"),
    cutoff: IsoDate.describe('The date by which the session had to reach its minimum'),
  })
  .meta({ id: 'SessionAtCutoff' });

/**
 * Why trainees of a group cannot be (or cannot be on time) trained, with the numbers that show it. One shape
 * per reason; `reason` tells them apart.
 */
export const UnmetTraining = z
  .discriminatedUnion('reason', [
    z
      .object({
        reason: z.literal('no_seats'),
        ...ShortGroup,
        courseId: z.string().describe('The course where trainees find no seat'),
        sessions: z
          .array(
            z.object({
              sessionId: z.string(),
              start: IsoDate,
              free: z.number().int().describe('Seats other pledges leave free'),
              planned: z.number().int().describe("Of those, the seats this pledge's plan already uses"),
            }),
          )
          .describe('Every session of the course they could take in chain order'),
      })
      .describe('No session of the course they could take has a seat left for them'),
    z
      .object({
        reason: z.literal('prerequisite_too_late'),
        ...ShortGroup,
        courseId: z.string().describe('The course no session of which starts late enough'),
        prerequisiteId: z.string().describe('The course that must be finished first'),
        earliestStart: IsoDate.describe('The earliest date they could start the course'),
        lastSessionStart: IsoDate.describe('The start of the last session of the course'),
      })
      .describe('Every session of the course starts before they can have finished its prerequisite'),
    z
      .object({
        reason: z.literal('after_deadline'),
        ...ShortGroup,
        courseId: z.string().describe('The last course of their chain, which they finish late'),
        earliestReady: IsoDate.describe('When the first of them is ready'),
        deadline: IsoDate.describe('The delivery date they are needed by'),
      })
      .describe('They are trained, but only after the equipment is delivered'),
    z
      .object({
        reason: z.literal('below_session_minimum_at_cutoff'),
        ...ShortGroup,
        courseId: z.string(),
        sessions: z
          .array(SessionAtCutoff)
          .describe('The sessions with seats that stayed below their minimum'),
      })
      .describe('The only sessions with seats are past their cutoff below their minimum, so take nobody new'),
  ])
  .meta({ id: 'UnmetTraining' });
export type UnmetTraining = z.infer<typeof UnmetTraining>;
export type UnmetReason = UnmetTraining['reason'];

/** A session of the plan that does not reach its course's minimum cohort with every reservation counted. */
export const SessionBelowMinimum = z
  .object({
    sessionId: z.string(),
    courseId: z.string(),
    start: IsoDate,
    reserved: z.number().int().describe('Seats other pledges hold in the session'),
    planned: z.number().int().describe("This pledge's trainees in the session"),
    minimum: z.number().int(),
    cutoff: IsoDate.describe(
      'By this date the session must reach its minimum; after it, it takes only trainees who bring it there',
    ),
  })
  .meta({ id: 'SessionBelowMinimum' });
export type SessionBelowMinimum = z.infer<typeof SessionBelowMinimum>;
