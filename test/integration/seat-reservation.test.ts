import { randomUUID } from 'node:crypto';
import type mongoose from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTrainingActivities } from '../../activities/training-activities';
import { loadConfig } from '../../infra/config';
import { wireProjector } from '../../store/projector-wiring';
import { createLogger } from '../../infra/logger';
import { connectMongo } from '../../infra/mongo';
import { connectRedis } from '../../infra/redis';
import { notificationPublisher } from '../../jobs/notification-publisher';
import { createQueues, type Queues } from '../../jobs/queues';
import { createStore, ensureIndexes, type Store } from '../../store';
import { changeSessionSeats, reservedSeatId } from '../../store/seat-ledger';
import type { SeatRecord } from '../../store/seat-reservations';

// Real FerretDB (or MongoDB): the guarantee under test is the database's unique index, nothing else.
const config = loadConfig(
  {
    ...process.env,
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    MONGODB_URI: `mongodb://127.0.0.1:27017/nsatu_test_seats_${randomUUID().slice(0, 8)}`,
    QUEUE_PREFIX: `test-seats-${randomUUID().slice(0, 8)}`,
  },
  { auth: false },
);

describe('the seat-reservation activity against the real database', () => {
  let connection: mongoose.Connection;
  let store: Store;
  let queues: Queues;
  let redis: ReturnType<typeof connectRedis>;
  let training: ReturnType<typeof createTrainingActivities>;

  const session = async (id: string, seats: number) => {
    await store.Session.create({
      _id: id,
      courseId: 'c',
      siteId: 's',
      start: '2030-01-01',
      end: '2030-02-01',
      seats,
    });
  };
  const seatDocs = (sessionId: string) => store.Seat.find({ sessionId, kind: 'reserved' }).lean();
  const byCohort = (docs: Array<Pick<SeatRecord, 'cohortId'>>) => {
    const counts = new Map<string | null, number>();
    for (const d of docs) counts.set(d.cohortId, (counts.get(d.cohortId) ?? 0) + 1);
    return counts;
  };

  beforeAll(async () => {
    connection = await connectMongo(config.MONGODB_URI);
    store = createStore(connection);
    await ensureIndexes(store);
    redis = connectRedis(config.REDIS_URL, 'producer');
    queues = createQueues(redis, config.QUEUE_PREFIX);
    const logger = createLogger('test', 'silent');
    const { projector, projections, reference } = wireProjector({
      store,
      redis,
      publish: notificationPublisher(queues),
      prefix: config.QUEUE_PREFIX,
      logger,
    });
    training = createTrainingActivities({ config, logger, store, projector, projections, reference });
  });
  afterAll(async () => {
    await connection?.close();
    await queues?.close();
    redis?.disconnect();
  });

  it('when 40 cohorts race for 12 seats of one session, then never more seats are taken than exist and each cohort has all or none', async () => {
    await session('race', 12);
    const wants = Array.from({ length: 40 }, (_, i) => 1 + (i % 4));
    const outcomes = await Promise.all(
      wants.map((trainees, i) =>
        training.reserveCohortSeats({
          pledgeId: `P${i}`,
          cohortId: `race-C${i}`,
          sessionId: 'race',
          trainees,
        }),
      ),
    );
    const docs = await seatDocs('race');
    expect(docs.length).toBeLessThanOrEqual(12);
    expect(new Set(docs.map((d) => d.seatNo)).size).toBe(docs.length);
    const held = byCohort(docs);
    outcomes.forEach((o, i) => expect(held.get(`race-C${i}`) ?? 0).toBe(o.ok ? wants[i] : 0));
    const won = outcomes.filter((o) => o.ok).length;
    expect(won).toBeGreaterThan(0);
    outcomes.forEach((o) => {
      if (!o.ok) expect(o.reason).toMatch(/seats left/);
    });
    console.log(`seat race: ${won}/40 cohorts reserved, ${docs.length}/12 seats taken`);
  });

  it('when the same cohort is reserved five times at once (a retried activity), then it holds exactly its seats', async () => {
    await session('same', 10);
    const outcomes = await Promise.all(
      Array.from({ length: 5 }, () =>
        training.reserveCohortSeats({ pledgeId: 'P', cohortId: 'same-C1', sessionId: 'same', trainees: 6 }),
      ),
    );
    expect(outcomes.every((o) => o.ok)).toBe(true);
    expect((await seatDocs('same')).length).toBe(6);
    const again = await training.reserveCohortSeats({
      pledgeId: 'P',
      cohortId: 'same-C1',
      sessionId: 'same',
      trainees: 6,
    });
    expect(again).toEqual({ ok: true, seats: 6 });
    expect((await seatDocs('same')).length).toBe(6);
  });

  it('when a cohort is released while an attempt to reserve it is still running, then no seat stays behind', async () => {
    await session('late', 10);
    const request = { pledgeId: 'P', cohortId: 'late-C1', sessionId: 'late', trainees: 4 };
    await Promise.all([
      training.releaseCohortSeats({ cohortId: 'late-C1', sessionId: 'late' }),
      training.reserveCohortSeats(request),
    ]);
    // Whichever ran first, a released cohort ends with no seats, and its release is remembered.
    expect((await seatDocs('late')).length).toBe(0);
    expect((await training.reserveCohortSeats(request)).ok).toBe(false);
    expect((await seatDocs('late')).length).toBe(0);
  });

  it('when seats were taken outside the cursor and others were given back, then reservations take exactly the free seats', async () => {
    await session('gaps', 10);
    // Seats 1-3 held by a writer that never moved the cursor (as seats stored before the cursor existed are).
    await store.Seat.insertMany(
      [1, 2, 3].map((seatNo) => ({
        _id: reservedSeatId('gaps-other', seatNo),
        sessionId: 'gaps',
        seatNo,
        kind: 'reserved',
        pledgeId: 'OTHER',
        cohortId: 'gaps-other',
        at: new Date(),
      })),
    );
    const reserve = (cohort: string, trainees: number) =>
      training.reserveCohortSeats({ pledgeId: `P-${cohort}`, cohortId: cohort, sessionId: 'gaps', trainees });
    expect(await reserve('gaps-A', 4)).toEqual({ ok: true, seats: 4 });
    expect(await reserve('gaps-B', 3)).toEqual({ ok: true, seats: 3 });
    // The session is full: the next one fails and takes nothing.
    expect((await reserve('gaps-C', 1)).ok).toBe(false);
    // Seats given back below the cursor are found again.
    await training.releaseCohortSeats({ cohortId: 'gaps-A', sessionId: 'gaps' });
    expect(await reserve('gaps-D', 4)).toEqual({ ok: true, seats: 4 });

    const docs = await seatDocs('gaps');
    expect(docs).toHaveLength(10);
    expect(new Set(docs.map((d) => d.seatNo))).toEqual(new Set(Array.from({ length: 10 }, (_, i) => i + 1)));
    expect(byCohort(docs)).toEqual(
      new Map([
        ['gaps-other', 3],
        ['gaps-B', 3],
        ['gaps-D', 4],
      ]),
    );
    expect(
      docs
        .filter((d) => d.cohortId === 'gaps-D')
        .map((d) => d._id)
        .sort(),
    ).toEqual([1, 2, 3, 4].map((slot) => reservedSeatId('gaps-D', slot)));
  });

  it('when a cohort already holds some of its seats (an attempt cut short), then a re-run takes only the rest', async () => {
    await session('partial', 10);
    await store.Seat.create({
      _id: reservedSeatId('partial-C1', 2),
      sessionId: 'partial',
      seatNo: 7,
      kind: 'reserved',
      pledgeId: 'P',
      cohortId: 'partial-C1',
      at: new Date(),
    });
    const outcome = await training.reserveCohortSeats({
      pledgeId: 'P',
      cohortId: 'partial-C1',
      sessionId: 'partial',
      trainees: 3,
    });
    expect(outcome).toEqual({ ok: true, seats: 3 });
    const docs = await seatDocs('partial');
    expect(docs).toHaveLength(3);
    expect(docs.find((d) => d._id === reservedSeatId('partial-C1', 2))?.seatNo).toBe(7);
    expect(new Set(docs.map((d) => d.seatNo)).size).toBe(3);
  });

  it('when a session shrinks while cohorts race for it, then reservations never exceed the new size', async () => {
    await session('shrink', 20);
    const reservations = Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        training.reserveCohortSeats({
          pledgeId: `P${i}`,
          cohortId: `shrink-C${i}`,
          sessionId: 'shrink',
          trainees: 2,
        }),
      ),
    );
    const change = await changeSessionSeats(store, 'shrink', 20, 8);
    await reservations;
    const docs = await seatDocs('shrink');
    const seats = (await store.Session.findById('shrink').lean())!.seats;
    expect(docs.length).toBeLessThanOrEqual(seats);
    expect(seats).toBe(change.ok ? 8 : 20);
  });
});
