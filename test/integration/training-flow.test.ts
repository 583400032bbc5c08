import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approveAll } from '../support/approval';
import { eventually, startStack, type Stack } from '../support/stack';
import type { HttpClient } from '../support/http';
import { recordNextMilestone } from '../support/pledge-stages';
import { pledgesToPlanning, seedTestTraining } from '../support/training';

interface Cohort {
  id: string;
  systemId: string;
  courseId: string;
  sessionId: string;
  siteId: string;
  trainees: number;
  start: string;
  end: string;
  state: string;
}

const day = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
const delivery = { from: day(365), to: day(450) };
const f16Pledge = {
  donor: 'FRA',
  items: [{ systemId: 'f-16', quantity: 8, deliveryWindow: delivery }],
  trainingOffered: true,
  sustainment: { spareParts: true, maintenanceYears: 5 },
  valueEur: 900_000_000,
};

describe('training planning, seat reservation and execution over HTTP', () => {
  let stack: Stack;
  let fra: HttpClient;
  let reviewer: HttpClient;
  let trainer: HttpClient;

  /** Submits, has the review accepted, and waits for the plan's confirmation task. */
  async function toTrainingPlanning(body: unknown = f16Pledge) {
    const created = await fra.post('/api/v1/pledges', body);
    expect(created.status).toBe(202);
    const id: string = created.body.id;
    const review = await eventually(
      async () =>
        (await reviewer.get(`/api/v1/tasks?kind=compatibility_review&pledgeId=${id}`)).body.items[0],
    );
    const accepted = await reviewer.post(`/api/v1/tasks/${review.id}/complete`, { decision: 'accept' });
    expect(accepted.body.pledge).toEqual({ id, status: 'TRAINING_PLANNING' });
    const task = await planTask(id);
    return { id, task };
  }

  const planTask = (id: string, not: string[] = []) =>
    eventually(async () =>
      (await trainer.get(`/api/v1/tasks?kind=training_plan_confirmation&pledgeId=${id}`)).body.items.find(
        (t: { id: string }) => !not.includes(t.id),
      ),
    );

  const pledge = async (id: string) => (await fra.get(`/api/v1/pledges/${id}`)).body;
  const statusOf = (id: string, status: string) =>
    eventually(async () => ((await pledge(id)).status === status ? pledge(id) : undefined));

  /** Seats left per session id. */
  async function seatsLeft(): Promise<Map<string, number>> {
    const res = await trainer.get('/api/v1/training/sessions');
    return new Map(res.body.items.map((s: { id: string; seatsLeft: number }) => [s.id, s.seatsLeft]));
  }

  const perSession = (cohorts: Cohort[]) => {
    const m = new Map<string, number>();
    for (const c of cohorts) m.set(c.sessionId, (m.get(c.sessionId) ?? 0) + c.trainees);
    return m;
  };

  beforeAll(async () => {
    stack = await startStack('training');
    fra = await stack.as('liaison.fra');
    reviewer = await stack.as('reviewer');
    trainer = await stack.as('trainer');
  });
  afterAll(async () => stack?.stop());

  it('when an F-16 pledge is accepted, then a plan puts aviation English before conversion, the coordinator replans, confirms, and cohort events lead to READY', async () => {
    const { id, task } = await toTrainingPlanning();
    let view = await pledge(id);
    expect(view.status).toBe('TRAINING_PLANNING');
    let plan = view.trainingPlan;
    const english: Cohort = plan.cohorts.find((c: Cohort) => c.courseId === 'aviation-english');
    const conversion: Cohort = plan.cohorts.find((c: Cohort) => c.courseId === 'f16-conversion');
    expect(english).toMatchObject({ systemId: 'f-16', trainees: 8, state: 'planned' });
    expect(conversion).toMatchObject({ systemId: 'f-16', trainees: 8 });
    expect(english.end < conversion.start).toBe(true);
    expect(conversion.end <= delivery.from).toBe(true);
    expect(plan.readyBy['f-16'] <= delivery.from).toBe(true);
    expect(plan.unmet).toEqual([]);
    expect(plan.round).toBe(1);
    expect(plan.solver).toMatchObject({
      method: expect.stringMatching(/mip|greedy/),
      objective: expect.any(Number),
    });
    expect(task).toMatchObject({
      kind: 'training_plan_confirmation',
      candidateRoles: ['training_coordinator'],
      state: 'open',
    });

    // Only a coordinator decides the plan; a replan needs a comment and recomputes under its constraints.
    expect([403, 404]).toContain(
      (await reviewer.post(`/api/v1/tasks/${task.id}/complete`, { decision: 'confirm' })).status,
    );
    expect((await trainer.post(`/api/v1/tasks/${task.id}/complete`, { decision: 'replan' })).status).toBe(
      422,
    );
    const replanned = await trainer.post(`/api/v1/tasks/${task.id}/complete`, {
      decision: 'replan',
      comment: `${conversion.siteId} is fully committed to another air force`,
      constraints: { excludedSiteIds: [conversion.siteId] },
    });
    expect(replanned.status).toBe(200);
    const second = await planTask(id, [task.id]);
    expect(second.id).toContain('training-plan-2');
    plan = (await pledge(id)).trainingPlan;
    expect(plan.round).toBe(2);
    expect(plan.cohorts.some((c: Cohort) => c.siteId === conversion.siteId)).toBe(false);
    const secondConversion: Cohort = plan.cohorts.find((c: Cohort) => c.courseId === 'f16-conversion');
    expect(secondConversion.end <= delivery.from).toBe(true);

    const before = await seatsLeft();
    const confirmed = await trainer.post(`/api/v1/tasks/${second.id}/complete`, {
      decision: 'confirm',
      comment: 'Plan agreed with the sites',
    });
    expect(confirmed.status).toBe(200);
    await approveAll(stack, [id]);
    view = await statusOf(id, 'IN_TRAINING');
    const reserved: Cohort[] = view.trainingPlan.cohorts;
    expect(reserved.every((c) => c.state === 'reserved')).toBe(true);
    const after = await seatsLeft();
    for (const [sessionId, trainees] of perSession(reserved))
      expect(after.get(sessionId)).toBe(before.get(sessionId)! - trainees);

    // Cohort events: coordinators only; unknown cohorts and impossible transitions are refused.
    const cohortEnglish = reserved.find((c) => c.courseId === 'aviation-english')!;
    const cohortConversion = reserved.find((c) => c.courseId === 'f16-conversion')!;
    const staff = await stack.as('staff');
    expect(
      (await staff.post(`/api/v1/training/cohorts/${cohortEnglish.id}/events`, { type: 'started' })).status,
    ).toBe(403);
    expect(
      (await reviewer.post(`/api/v1/training/cohorts/${cohortEnglish.id}/events`, { type: 'started' }))
        .status,
    ).toBe(403);
    expect(
      (await trainer.post('/api/v1/training/cohorts/no-such-cohort/events', { type: 'started' })).status,
    ).toBe(404);
    expect(
      (await trainer.post(`/api/v1/training/cohorts/${cohortEnglish.id}/events`, { type: 'completed' }))
        .status,
    ).toBe(409);
    expect(
      (await trainer.post(`/api/v1/training/cohorts/${cohortEnglish.id}/events`, { type: 'graduated' }))
        .status,
    ).toBe(400);

    // Aviation English fails: its trainees are replanned into later sessions; the conversion seats go back.
    expect(
      (await trainer.post(`/api/v1/training/cohorts/${cohortEnglish.id}/events`, { type: 'started' })).status,
    ).toBe(202);
    const failed = await trainer.post(`/api/v1/training/cohorts/${cohortEnglish.id}/events`, {
      type: 'failed',
    });
    expect(failed.status).toBe(202);
    expect(failed.body.cohort.state).toBe('failed');
    const replacements: Cohort[] = failed.body.replacements;
    const retake = replacements.find((c) => c.courseId === 'aviation-english')!;
    const laterConversion = replacements.find((c) => c.courseId === 'f16-conversion')!;
    expect(retake.start > cohortEnglish.start).toBe(true);
    expect(retake.end < laterConversion.start).toBe(true);
    view = await pledge(id);
    // The retaken chain ends after delivery: the plan says so, and so does the pledge's TRAINING_CAPACITY finding.
    expect(view.trainingPlan.unmet).toEqual([
      expect.objectContaining({
        reason: 'after_deadline',
        systemId: 'f-16',
        trainees: 8,
        earliestReady: laterConversion.end,
        deadline: delivery.from,
      }),
    ]);
    expect(view.review.findings).toContainEqual(
      expect.objectContaining({ code: 'TRAINING_CAPACITY', systemId: 'f-16', severity: 'warning' }),
    );
    const states = new Map(view.trainingPlan.cohorts.map((c: Cohort) => [c.id, c.state]));
    expect(states.get(cohortEnglish.id)).toBe('failed');
    expect(states.get(cohortConversion.id)).toBe('released');
    expect(states.get(retake.id)).toBe('reserved');
    const afterFailure = await seatsLeft();
    expect(afterFailure.get(cohortConversion.sessionId)).toBe(before.get(cohortConversion.sessionId));
    expect(afterFailure.get(retake.sessionId)).toBe(before.get(retake.sessionId)! - retake.trainees);

    // Every live cohort starts and completes: the crews are READY.
    const live: Cohort[] = view.trainingPlan.cohorts.filter((c: Cohort) => c.state === 'reserved');
    expect(live.length).toBeGreaterThanOrEqual(3);
    for (const c of live.sort((a, b) => a.start.localeCompare(b.start))) {
      expect(
        (await trainer.post(`/api/v1/training/cohorts/${c.id}/events`, { type: 'started', at: c.start }))
          .status,
      ).toBe(202);
      const done = await trainer.post(`/api/v1/training/cohorts/${c.id}/events`, {
        type: 'completed',
        at: c.end,
      });
      expect(done.status).toBe(202);
    }
    // The crews are trained; READY waits for the equipment half: the lot's milestones up to received.
    view = await eventually(async () => {
      const p = await pledge(id);
      return p.stage === 'awaiting_delivery' ? p : undefined;
    });
    expect(view.status).toBe('IN_TRAINING');
    const logistics = await stack.as('logistics');
    while (await recordNextMilestone(logistics, id));
    view = await statusOf(id, 'READY');
    expect(view.trainingPlan.cohorts.filter((c: Cohort) => c.state === 'completed')).toHaveLength(
      live.length,
    );
    expect(view.timeline.map((e: { type: string }) => e.type)).toEqual(
      expect.arrayContaining([
        'training.planned',
        'training.replan_requested',
        'training.confirmed',
        'training.seats_reserved',
        'training.in_training',
        'training.cohort_failed',
        'training.cohort_replanned',
        'training.ready',
      ]),
    );
    const audit = await fra.get(`/api/v1/pledges/${id}/audit`);
    expect(
      audit.body.items.map((e: { action: string; actor: string }) => `${e.action}:${e.actor}`),
    ).toContain('training.cohort_failed:trainer');
    expect(
      (await trainer.post(`/api/v1/training/cohorts/${live[0].id}/events`, { type: 'failed' })).status,
    ).toBe(409);
    const notes = await trainer.get('/api/v1/notifications');
    expect(notes.status).toBe(200);
  });

  it('when a pledge in training is withdrawn, then its seats are released and seats left go back up', async () => {
    const { id, task } = await toTrainingPlanning();
    const before = await seatsLeft();
    expect((await trainer.post(`/api/v1/tasks/${task.id}/complete`, { decision: 'confirm' })).status).toBe(
      200,
    );
    await approveAll(stack, [id]);
    const view = await statusOf(id, 'IN_TRAINING');
    const cohorts: Cohort[] = view.trainingPlan.cohorts;
    const taken = perSession(cohorts);
    const during = await seatsLeft();
    for (const [sessionId, trainees] of taken)
      expect(during.get(sessionId)).toBe(before.get(sessionId)! - trainees);

    // A session whose seats are held cannot shrink below them, nor move.
    const [sessionId] = [...taken.keys()];
    const session = (await trainer.get('/api/v1/training/sessions')).body.items.find(
      (s: { id: string }) => s.id === sessionId,
    );
    const { seatsReserved: _r, seatsLeft: _l, id: _id, ...fields } = session;
    expect(
      (await trainer.call('PUT', `/api/v1/admin/training/sessions/${sessionId}`, { ...fields, seats: 1 }))
        .status,
    ).toBe(409);

    const withdrawn = await fra.post(`/api/v1/pledges/${id}/withdraw`, {
      reason: 'Aircraft diverted to another partner',
    });
    expect(withdrawn.status).toBe(202);
    expect(withdrawn.body.status).toBe('WITHDRAWN');
    const after = await seatsLeft();
    for (const sessionId of taken.keys()) expect(after.get(sessionId)).toBe(before.get(sessionId));
    const closed = await pledge(id);
    expect(closed.trainingPlan.cohorts.every((c: Cohort) => c.state === 'released')).toBe(true);
    expect(
      closed.timeline.find((e: { type: string }) => e.type === 'pledge.withdrawn').detail.seatsReleased,
    ).toBe(cohorts.reduce((n, c) => n + c.trainees, 0));
    expect(
      (await trainer.post(`/api/v1/training/cohorts/${cohorts[0].id}/events`, { type: 'started' })).status,
    ).toBe(409);
  });

  it('when a confirmed plan loses its seats three times running, then the pledge records a clear training failure and holds no seat', async () => {
    const [admin, staff] = await Promise.all([stack.as('admin'), stack.as('staff')]);
    await seedTestTraining(
      stack,
      admin,
      [1, 2, 3, 4].flatMap((n) => [
        { id: `uas-basic-${n}`, courseId: 'uas-basic', start: 20 * n, end: 20 * n + 15, seats: 10 },
        {
          id: `uas-advanced-${n}`,
          courseId: 'uas-advanced',
          start: 20 * n + 30,
          end: 20 * n + 45,
          seats: 10,
        },
      ]),
    );
    const { ids, tasks } = await pledgesToPlanning(staff, reviewer, trainer, [2]);
    const [id] = ids;
    const read = async () => (await staff.get(`/api/v1/pledges/${id}`)).body;
    const seats = stack.db.collection('seat_reservations');
    // Another plan takes every seat of the planned sessions between each plan and its confirmation.
    const takeSeatsOf = async (cohorts: Cohort[]) => {
      for (const sessionId of new Set(cohorts.map((c) => c.sessionId))) {
        for (let n = 1; n <= 10; n++) {
          const doc = {
            sessionId,
            seatNo: n,
            kind: 'reserved',
            pledgeId: 'OTHER',
            cohortId: `other-${sessionId}`,
            at: new Date(),
          };
          await seats.insertOne({ _id: `${sessionId}#${n}` as never, ...doc }).catch(() => undefined);
        }
      }
    };
    let task = tasks[0];
    const seen: string[] = [];
    for (let round = 1; round <= 3; round++) {
      const plan = (await read()).trainingPlan;
      expect(plan.round).toBe(round);
      expect(plan.cohorts.length).toBeGreaterThan(0);
      await takeSeatsOf(plan.cohorts);
      expect((await trainer.post(`/api/v1/tasks/${task.id}/complete`, { decision: 'confirm' })).status).toBe(
        200,
      );
      // Only the first plan goes up the chain; replans after lost seats go straight to reservation.
      if (round === 1) await approveAll(stack, [id]);
      seen.push(task.id);
      if (round < 3) task = await planTask(id, seen);
    }
    const failed = await eventually(async () => {
      const view = await read();
      return view.stage === 'training_failed' ? view : undefined;
    });
    expect(failed.status).toBe('APPROVED');
    const types = failed.timeline.map((e: { type: string }) => e.type);
    expect(types.filter((t: string) => t === 'training.seats_unavailable')).toHaveLength(3);
    expect(types).toContain('training.failed');
    expect(await seats.countDocuments({ pledgeId: id })).toBe(0);
    expect(
      (await trainer.get(`/api/v1/tasks?kind=training_plan_confirmation&pledgeId=${id}`)).body.items,
    ).toHaveLength(0);
    expect(
      (await staff.post(`/api/v1/pledges/${id}/withdraw`, { reason: 'no training capacity' })).body.status,
    ).toBe('WITHDRAWN');
  });

  it('when an admin or coordinator changes courses, sites and sessions, then they are validated, audited and listed with seats left', async () => {
    const admin = await stack.as('admin');
    const course = {
      name: 'Drone operator basics',
      durationDays: 14,
      prerequisiteIds: [],
      minCohort: 2,
      maxCohort: 12,
      audience: 'crew',
    };
    expect((await admin.call('PUT', '/api/v1/admin/training/courses/drone-basics', course)).status).toBe(200);
    expect(
      (
        await admin.call('PUT', '/api/v1/admin/training/courses/drone-advanced', {
          ...course,
          prerequisiteIds: ['drone-basics'],
        })
      ).status,
    ).toBe(200);
    const cycle = await admin.call('PUT', '/api/v1/admin/training/courses/drone-basics', {
      ...course,
      prerequisiteIds: ['drone-advanced'],
    });
    expect(cycle.status).toBe(400);
    expect(cycle.body.error.details[0].path).toBe('prerequisiteIds');
    expect(
      (await admin.call('PUT', '/api/v1/admin/training/courses/bad', { ...course, minCohort: 20 })).status,
    ).toBe(400);
    expect(
      (
        await trainer.call('PUT', '/api/v1/admin/training/sites/riga', {
          name: 'Riga drone school',
          nation: 'LVA',
        })
      ).status,
    ).toBe(200);
    expect(
      (await fra.call('PUT', '/api/v1/admin/training/sites/riga', { name: 'x', nation: 'LVA' })).status,
    ).toBe(403);
    const session = { courseId: 'drone-basics', siteId: 'riga', start: day(30), end: day(44), seats: 10 };
    const created = await trainer.call('PUT', '/api/v1/admin/training/sessions/drone-basics-riga-1', session);
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ seats: 10, seatsReserved: 0, seatsLeft: 10 });
    expect(
      (
        await trainer.call('PUT', '/api/v1/admin/training/sessions/drone-basics-riga-2', {
          ...session,
          siteId: 'nowhere',
        })
      ).status,
    ).toBe(400);
    expect(
      (
        await trainer.call('PUT', '/api/v1/admin/training/sessions/drone-basics-riga-1', {
          ...session,
          seats: 6,
        })
      ).body.seatsLeft,
    ).toBe(6);
    const listed = await trainer.get('/api/v1/training/sessions?courseId=drone-basics');
    expect(listed.body.items).toEqual([
      expect.objectContaining({ id: 'drone-basics-riga-1', seats: 6, seatsReserved: 0, seatsLeft: 6 }),
    ]);
    expect((await trainer.call('DELETE', '/api/v1/admin/training/sessions/drone-basics-riga-1')).status).toBe(
      204,
    );
    expect((await trainer.get('/api/v1/training/sessions?courseId=drone-basics')).body.items).toEqual([]);
    const audit = await stack.db
      .collection('audit_log')
      .find({ action: { $regex: '^training\\.' } })
      .toArray();
    expect(audit.map((e) => e.action)).toEqual(
      expect.arrayContaining([
        'training.course.saved',
        'training.site.saved',
        'training.session.created',
        'training.session.changed',
        'training.session.removed',
      ]),
    );
  });
});
