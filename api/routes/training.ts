import { z } from 'zod';
import { Slug } from '../../domain/schemas/common';
import { PledgeStatus } from '../../domain/schemas/pledge';
import { PlannedCohort, toPlannedCohortView } from '../../domain/schemas/pledge-view';
import { Course, Session, Site } from '../../domain/schemas/reference';
import { CohortEventInput } from '../../domain/schemas/cohort-event';
import { recordCohortEvent, type CohortOwner } from '../../app/record-cohort-event';
import { cohortEventSender } from '../../app/pledge-workflows';
import { pledgeIdOfCohort } from '../../domain/training/execution';
import { appendAudit } from '../../store/audit-log';
import { changeSessionSeats, removeSession, reservedSeatsBySession } from '../../store/seat-ledger';
import type { ApiDeps } from '../deps';
import { conflict, invalidField, notFound } from '../http/errors';
import { route } from '../http/route';
import { SessionView } from './reference';
import { isDuplicateKey } from '../../store/duplicate-key';

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

/** The prerequisite cycle a course change would create, or null. */
function prerequisiteCycle(courses: Map<string, string[]>): string[] | null {
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (id: string, path: string[]): string[] | null => {
    if (state.get(id) === 'done') return null;
    if (state.get(id) === 'visiting') return [...path, id];
    state.set(id, 'visiting');
    for (const next of courses.get(id) ?? []) {
      const cycle = visit(next, [...path, id]);
      if (cycle) return cycle;
    }
    state.set(id, 'done');
    return null;
  };
  for (const id of courses.keys()) {
    const cycle = visit(id, []);
    if (cycle) return cycle;
  }
  return null;
}

/** Training reference data (admins and coordinators change it; every change is audited) and cohort events. */
export function trainingRoutes({ store, temporal, projections, projector }: ApiDeps) {
  /** Every change is audited, and API processes forget the reference data they hold in memory. */
  const audit = async (actor: string, action: string, detail: Record<string, unknown>) => {
    await appendAudit(store, { actor, action, detail });
    await projections.notice('reference', action);
  };

  const ownerProjection = { workflowId: 1, status: 1, trainingPlan: 1 };
  /**
   * The pledge whose plan holds the cohort. Every cohort id begins with its pledge's id (`cohortId`), so the pledge
   * is read by `_id`, never searched for (FerretDB would scan the collection); an id of another shape is no cohort.
   */
  async function pledgeOfCohort(cohortId: string): Promise<CohortOwner | null> {
    const pledgeId = pledgeIdOfCohort(cohortId);
    if (!pledgeId) return null;
    const pledge = await store.Pledge.findById(pledgeId, ownerProjection).lean<CohortOwner>();
    return pledge?.trainingPlan?.cohorts?.some((c) => c.id === cohortId) ? pledge : null;
  }
  const cohortEvents = { pledgeOfCohort, reportCohortEvent: cohortEventSender(temporal) };

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
      handler: async ({ principal, params, body }) => {
        const existing = await store.Course.find({}, { prerequisiteIds: 1 }).lean();
        const graph = new Map(existing.map((c) => [c._id, c.prerequisiteIds ?? []]));
        const unknown = body.prerequisiteIds.filter((id) => !graph.has(id) && id !== params.id);
        if (unknown.length) throw invalidField('prerequisiteIds', `unknown course ${unknown.join(', ')}`);
        graph.set(params.id, body.prerequisiteIds);
        const cycle = prerequisiteCycle(graph);
        if (cycle) throw invalidField('prerequisiteIds', `prerequisite cycle ${cycle.join(' -> ')}`);
        await store.Course.replaceOne({ _id: params.id }, { _id: params.id, ...body }, { upsert: true });
        await audit(principal.username, 'training.course.saved', { id: params.id, ...body });
        return { status: 200, body: { id: params.id, ...body } };
      },
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
      handler: async ({ principal, params, body }) => {
        await store.Site.replaceOne({ _id: params.id }, { _id: params.id, ...body }, { upsert: true });
        await audit(principal.username, 'training.site.saved', { id: params.id, ...body });
        return { status: 200, body: { id: params.id, ...body } };
      },
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
      handler: async ({ principal, params, body }) => {
        const [course, site] = await Promise.all([
          store.Course.exists({ _id: body.courseId }),
          store.Site.exists({ _id: body.siteId }),
        ]);
        if (!course) throw invalidField('courseId', `unknown course ${body.courseId}`);
        if (!site) throw invalidField('siteId', `unknown site ${body.siteId}`);
        const current = await store.Session.findById(params.id).lean();
        if (!current) {
          try {
            await store.Session.create({ _id: params.id, ...body });
          } catch (err) {
            if (isDuplicateKey(err)) throw conflict(`session ${params.id} was created concurrently; retry`);
            throw err;
          }
          // A session of that id may have been removed before: its seat numbers were blocked then.
          await store.Seat.deleteMany({
            sessionId: params.id,
            kind: 'blocked',
            seatNo: { $lte: body.seats },
          });
        } else {
          const reserved =
            (await reservedSeatsBySession(store, { sessionId: params.id })).get(params.id) ?? 0;
          const moved = (['courseId', 'siteId', 'start', 'end'] as const).filter(
            (k) => current[k] !== body[k],
          );
          if (reserved > 0 && moved.length) {
            throw conflict(
              `session ${params.id} has ${reserved} seats reserved; its ${moved.join(', ')} cannot change`,
            );
          }
          const change = await changeSessionSeats(store, params.id, current.seats, body.seats);
          if (!change.ok) {
            throw conflict(
              `seats ${change.heldSeatNos.join(', ')} of session ${params.id} are held; it cannot shrink to ${body.seats}`,
            );
          }
          await store.Session.updateOne(
            { _id: params.id },
            { $set: { courseId: body.courseId, siteId: body.siteId, start: body.start, end: body.end } },
          );
        }
        await projector.projectSessionSeats([params.id]);
        await audit(principal.username, current ? 'training.session.changed' : 'training.session.created', {
          id: params.id,
          ...body,
          ...(current ? { previous: { seats: current.seats, start: current.start, end: current.end } } : {}),
        });
        const reserved = (await reservedSeatsBySession(store, { sessionId: params.id })).get(params.id) ?? 0;
        return {
          status: 200,
          body: {
            id: params.id,
            ...body,
            seatsReserved: reserved,
            seatsLeft: Math.max(0, body.seats - reserved),
          },
        };
      },
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
        const current = await store.Session.findById(params.id).lean();
        if (!current) throw notFound(`session ${params.id}`);
        const removed = await removeSession(store, params.id, current.seats);
        if (!removed.ok)
          throw conflict(
            `session ${params.id} holds reserved seats (${removed.heldSeatNos.join(', ')}); it cannot be removed`,
          );
        await projector.projectSessionSeats([params.id]);
        await audit(principal.username, 'training.session.removed', { id: params.id });
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
