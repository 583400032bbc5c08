import { z } from 'zod';
import { Slug } from '../../domain/schemas/common';
import { PledgeStatus } from '../../domain/schemas/pledge';
import { PlannedCohort, toPlannedCohortView } from '../../domain/schemas/pledge-view';
import { Course, Session, Site } from '../../domain/schemas/reference';
import { CohortEventInput } from '../../domain/schemas/cohort-event';
import { recordCohortEvent } from '../../app/record-cohort-event';
import { cohortEventSender } from '../../app/pledge-workflows';
import { removeSession, saveCourse, saveSession, saveSite } from '../../app/training-reference';
import { pledgeRepository } from '../../store/pledges';
import { referenceChangeLog } from '../../store/reference-changes';
import { trainingReferenceRepository } from '../../store/training-reference';
import type { ApiDeps } from '../deps';
import { route } from '../http/route';
import { SessionView } from './reference';

const CourseBody = Course.omit({ id: true })
  .refine((c) => c.minCohort <= c.maxCohort, {
    message: 'must not be below minCohort',
    path: ['maxCohort'],
  })
  .meta({ id: 'CourseInput' });
const SiteBody = Site.omit({ id: true }).meta({ id: 'SiteInput' });
const SessionBody = Session.omit({ id: true })
  .refine((s) => s.start <= s.end, {
    message: 'must not be before start',
    path: ['end'],
  })
  .meta({ id: 'SessionInput' });

const CohortEventResult = z
  .object({
    cohort: PlannedCohort,
    pledge: z.object({ id: z.string(), status: PledgeStatus }),
    replacements: z
      .array(PlannedCohort)
      .describe('Cohorts planned for the trainees of a failed one, or for those who failed a completed one'),
  })
  .meta({ id: 'CohortEventResult' });

/** Training reference data (admins and coordinators change it; every change is audited) and cohort events. */
export function trainingRoutes({ store, temporal, projections, projector }: ApiDeps) {
  const referencePorts = {
    reference: trainingReferenceRepository(store),
    changes: referenceChangeLog(store, projections),
    seatViews: projector,
  };

  const cohortEvents = {
    pledgeOfCohort: pledgeRepository(store.Pledge).cohortOwner,
    reportCohortEvent: cohortEventSender(temporal),
  };

  return [
    route({
      method: 'put',
      path: '/admin/training/courses/:id',
      operationId: 'saveCourse',
      summary: 'Create or replace a training course',
      tag: 'training',
      access: 'training:write',
      params: z.object({ id: Slug }),
      body: CourseBody,
      responses: { 200: { description: 'The course', schema: Course } },
      handler: async ({ principal, params, body }) => ({
        status: 200,
        body: await saveCourse(referencePorts, principal, { id: params.id, ...body }),
      }),
    }),
    route({
      method: 'put',
      path: '/admin/training/sites/:id',
      operationId: 'saveSite',
      summary: 'Create or replace a training site',
      tag: 'training',
      access: 'training:write',
      params: z.object({ id: Slug }),
      body: SiteBody,
      responses: { 200: { description: 'The site', schema: Site } },
      handler: async ({ principal, params, body }) => ({
        status: 200,
        body: await saveSite(referencePorts, principal, { id: params.id, ...body }),
      }),
    }),
    route({
      method: 'put',
      path: '/admin/training/sessions/:id',
      operationId: 'saveSession',
      summary:
        'Create or change a course session; seats cannot drop below the seats held, dates not move once reserved',
      tag: 'training',
      access: 'training:write',
      params: z.object({ id: Slug }),
      body: SessionBody,
      responses: { 200: { description: 'The session with its seats left', schema: SessionView } },
      errors: { 409: 'Seats are held: the session cannot shrink below them, nor move' },
      handler: async ({ principal, params, body }) => ({
        status: 200,
        body: await saveSession(referencePorts, principal, { id: params.id, ...body }),
      }),
    }),
    route({
      method: 'delete',
      path: '/admin/training/sessions/:id',
      operationId: 'deleteSession',
      summary: 'Remove a session that holds no reserved seats',
      tag: 'training',
      access: 'training:write',
      params: z.object({ id: Slug }),
      responses: { 204: { description: 'Removed' } },
      errors: { 404: 'No such session', 409: 'The session holds reserved seats' },
      handler: async ({ principal, params }) => {
        await removeSession(referencePorts, principal, params.id);
        return { status: 204 };
      },
    }),
    route({
      method: 'post',
      path: '/training/cohorts/:id/events',
      operationId: 'reportCohortEvent',
      summary:
        "A site's report on a cohort: started, completed (with passed and failed counts) or failed; failed trainees are replanned",
      tag: 'training',
      access: 'training:record',
      params: z.object({ id: z.string().min(1).max(160) }),
      body: CohortEventInput,
      responses: { 202: { description: 'Applied by the pledge workflow', schema: CohortEventResult } },
      errors: {
        403: 'Refused by the workflow',
        404: 'No such cohort',
        409: 'The pledge is not in training, or the cohort cannot take this report in its state',
        422: "The report is not acceptable as it stands: its counts do not add up to the cohort's trainees",
      },
      handler: async ({ principal, params, body }) => {
        const result = await recordCohortEvent(cohortEvents, principal, params.id, body);
        return {
          status: 202,
          body: {
            cohort: toPlannedCohortView(result.cohort),
            pledge: result.pledge,
            replacements: result.replacements.map(toPlannedCohortView),
          },
        };
      },
    }),
  ];
}
