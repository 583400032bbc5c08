import { expect } from 'vitest';
import type { HttpClient } from './http';
import { eventually, type Stack } from './stack';
import { reservedSeatId, type SeatHolder } from '../../store/seat-ledger';
import type { SeatRecord } from '../../store/seat-reservations';

export const day = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);

export interface TestCohort {
  id: string;
  sessionId: string;
  trainees: number;
  state: string;
}

export interface SessionSpec {
  id: string;
  courseId: string;
  start: number;
  end: number;
  seats: number;
}

/** Each test course run twice with `seats` a session; the second advanced session ends 60 days after the first. */
export const twoRounds = (seats: number): SessionSpec[] => [
  { id: 'basic-1', courseId: 'uas-basic', start: 30, end: 50, seats },
  { id: 'advanced-1', courseId: 'uas-advanced', start: 60, end: 80, seats },
  { id: 'basic-2', courseId: 'uas-basic', start: 90, end: 110, seats },
  { id: 'advanced-2', courseId: 'uas-advanced', start: 120, end: 140, seats },
];

/**
 * A two-course chain (basic, then advanced) for a test drone system, with the sessions given, made through the
 * admin routes; the system itself goes straight into this test's own catalogue.
 */
export async function seedTestTraining(
  stack: Stack,
  admin: HttpClient,
  sessions: SessionSpec[],
  { maxCohort = 10 } = {},
) {
  await stack.db.collection('systems').insertOne({
    _id: 'test-uas' as never,
    name: 'Test UAS',
    family: 'Test UAS',
    category: 'drone',
    coalition: 'drones',
    origin: 'USA',
    calibers: ['none'],
    crewPerUnit: 2,
    maintainersPerUnit: 0,
    courseIds: ['uas-advanced'],
    maintenanceBurden: 'low',
  });
  const course = { durationDays: 20, minCohort: 2, maxCohort, audience: 'crew' };
  const put = (path: string, body: unknown) => admin.call('PUT', `/api/v1/admin/training/${path}`, body);
  expect((await put('courses/uas-basic', { ...course, name: 'UAS basic', prerequisiteIds: [] })).status).toBe(
    200,
  );
  expect(
    (await put('courses/uas-advanced', { ...course, name: 'UAS advanced', prerequisiteIds: ['uas-basic'] }))
      .status,
  ).toBe(200);
  expect((await put('sites/test-range', { name: 'Test range', nation: 'LVA' })).status).toBe(200);
  for (const s of sessions) {
    const res = await put(`sessions/${s.id}`, {
      courseId: s.courseId,
      siteId: 'test-range',
      start: day(s.start),
      end: day(s.end),
      seats: s.seats,
    });
    expect(res.status).toBe(200);
  }
}

/** Submits pledges of the test system (by staff), has their reviews accepted, and waits for their plans. */
export async function pledgesToPlanning(
  staff: HttpClient,
  reviewer: HttpClient,
  trainer: HttpClient,
  quantities: number[],
  items = (quantity: number) => [
    { systemId: 'test-uas', quantity, deliveryWindow: { from: day(300), to: day(400) } },
  ],
) {
  const ids: string[] = await Promise.all(
    quantities.map(async (quantity, i) => {
      const res = await staff.post('/api/v1/pledges', {
        donor: ['NLD', 'DNK', 'NOR', 'SWE', 'POL'][i % 5],
        items: items(quantity),
        trainingOffered: true,
      });
      expect(res.status).toBe(202);
      return res.body.id as string;
    }),
  );
  const reviews = await eventually(
    async () => {
      const res = await reviewer.get('/api/v1/tasks?kind=compatibility_review&limit=200');
      const mine = res.body.items.filter((t: { pledgeId: string }) => ids.includes(t.pledgeId));
      return mine.length === ids.length ? mine : undefined;
    },
    { timeoutMs: 60_000 },
  );
  const accepted = await Promise.all(
    reviews.map((t: { id: string }) =>
      reviewer.post(`/api/v1/tasks/${t.id}/complete`, { decision: 'accept' }),
    ),
  );
  expect(accepted.map((r) => r.status)).toEqual(ids.map(() => 200));
  const tasks: Array<{ id: string; pledgeId: string }> = await eventually(
    async () => {
      const res = await trainer.get('/api/v1/tasks?kind=training_plan_confirmation&limit=200');
      const mine = res.body.items.filter((t: { pledgeId: string }) => ids.includes(t.pledgeId));
      return mine.length === ids.length ? mine : undefined;
    },
    { timeoutMs: 60_000 },
  );
  return { ids, tasks };
}

/** A reserved seat: it always names its cohort and pledge. */
type SeatRow = SeatRecord & SeatHolder;

/**
 * The seat ledger against the sessions and the pledges' plans: no session holds more reserved seats than it
 * has, no seat number is outside a session, each reserved cohort holds exactly its trainees in its own session,
 * and no seat belongs to anything else (nothing leaked).
 */
export async function checkSeatLedger(stack: Stack) {
  const seats = (await stack.db
    .collection('seat_reservations')
    .find({ kind: 'reserved' })
    .toArray()) as unknown as SeatRow[];
  const sessions = await stack.db.collection('training_sessions').find({}).toArray();
  const size = new Map(sessions.map((s) => [String(s._id), s.seats as number]));
  const perSession = new Map<string, number>();
  const seatNos = new Set<string>();
  for (const seat of seats) {
    perSession.set(seat.sessionId, (perSession.get(seat.sessionId) ?? 0) + 1);
    const seatKey = `${seat.sessionId}#${seat.seatNo}`;
    expect(seatNos.has(seatKey), `seat ${seatKey} held twice`).toBe(false);
    seatNos.add(seatKey);
    expect(seat.seatNo).toBeGreaterThanOrEqual(1);
    expect(seat.seatNo).toBeLessThanOrEqual(size.get(seat.sessionId) ?? 0);
  }
  for (const [sessionId, reserved] of perSession)
    expect(reserved).toBeLessThanOrEqual(size.get(sessionId) ?? 0);

  const pledges = await stack.db
    .collection('pledges')
    .find({}, { projection: { trainingPlan: 1, status: 1 } })
    .toArray();
  const expected = new Map<string, TestCohort>();
  for (const p of pledges) {
    for (const c of (p.trainingPlan?.cohorts ?? []) as TestCohort[]) {
      if (['reserved', 'started', 'completed'].includes(c.state)) expected.set(c.id, c);
    }
  }
  const held = new Map<string, SeatRow[]>();
  for (const seat of seats) held.set(seat.cohortId, [...(held.get(seat.cohortId) ?? []), seat]);
  for (const [cohortId, rows] of held) {
    const cohort = expected.get(cohortId);
    expect(
      cohort,
      `seats held by ${cohortId}, which is not a reserved cohort of any plan (leaked)`,
    ).toBeDefined();
    expect(rows.every((r) => r.sessionId === cohort!.sessionId)).toBe(true);
    // A cohort's seats are its slots 1..trainees, each once.
    const slots = rows.map((r) => r._id).sort();
    const expectedSlots = Array.from({ length: rows.length }, (_, i) =>
      reservedSeatId(cohortId, i + 1),
    ).sort();
    expect(slots).toEqual(expectedSlots);
  }
  const owner = new Map<string, { pledgeId: string; status: string }>();
  for (const p of pledges)
    for (const c of (p.trainingPlan?.cohorts ?? []) as TestCohort[])
      owner.set(c.id, { pledgeId: String(p._id), status: p.status as string });
  const short = [...expected.values()]
    .filter((c) => (held.get(c.id)?.length ?? 0) !== c.trainees)
    .map(
      (c) =>
        `${c.id} (${c.state}, pledge ${owner.get(c.id)?.status}): holds ${held.get(c.id)?.length ?? 0} of ${c.trainees}`,
    );
  expect(short, 'cohorts that do not hold exactly their trainees').toEqual([]);
  return { seats: seats.length, perSession, sessions: size, pledges };
}
