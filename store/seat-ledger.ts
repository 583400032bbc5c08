import type { Session } from '../domain/schemas/reference';
import type { Store } from './index';
import { insertIfAbsent, isDuplicateKey } from './duplicate-key';

/** The seats one cohort needs in one session. */
export interface CohortSeatRequest {
  pledgeId: string;
  cohortId: string;
  sessionId: string;
  trainees: number;
}

export type SeatOutcome = { ok: true; seats: number } | { ok: false; reason: string; free: number };

export interface ReserveOptions {
  /** Times a reservation that lost a race for seats gives its seats back and tries again. */
  retries?: number;
  /** Upper bound of the random pause before such a retry, grown with each retry. */
  backoffMs?: number;
  /**
   * When this attempt must stop writing (epoch ms): an attempt that outlived its activity timeout must not take or
   * give back seats while its retry reserves the same cohort.
   */
  deadline?: number;
}

/** An attempt past its deadline: its retry (already running, or about to) does the work. */
export class ReservationDeadlinePassed extends Error {
  constructor(cohortId: string) {
    super(`the reservation attempt of cohort ${cohortId} ran past its deadline; its retry takes over`);
    this.name = 'ReservationDeadlinePassed';
    Object.setPrototypeOf(this, ReservationDeadlinePassed.prototype);
  }
}

/** A reserved seat's `_id`: the cohort's n-th seat (1..trainees), whichever seat number it holds. */
export const reservedSeatId = (cohortId: string, slot: number) => `seat:${cohortId}#${slot}`;

/** A blocked seat's `_id`: one per seat number, so that two shrinks of one session block it once. */
const blockedSeatId = (sessionId: string, seatNo: number) => `block:${sessionId}#${seatNo}`;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function wasReleased(store: Store, req: CohortSeatRequest): Promise<boolean> {
  // Two reads by `_id`: FerretDB answers `_id: {$in: …}` by decoding the whole collection.
  const found = await Promise.all(
    [`cohort:${req.cohortId}`, `pledge:${req.pledgeId}`].map((id) => store.SeatRelease.exists({ _id: id })),
  );
  return found.some((f) => f !== null);
}

async function remember(store: Store, id: string): Promise<void> {
  try {
    await store.SeatRelease.updateOne({ _id: id }, { $setOnInsert: { at: new Date() } }, { upsert: true });
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
  }
}

/** The slots (1..trainees) of the cohort that hold a seat: one read by `_id` each. */
async function heldSlots(store: Store, req: CohortSeatRequest): Promise<Set<number>> {
  const slots = Array.from({ length: req.trainees }, (_, i) => i + 1);
  const held = await Promise.all(
    slots.map((slot) => store.Seat.exists({ _id: reservedSeatId(req.cohortId, slot) })),
  );
  return new Set(slots.filter((_, i) => held[i] !== null));
}

/**
 * Moves the session's cursor past `count` seat numbers and returns where they start, or null when the session has
 * no cursor yet. Two reservations that read one cursor value (FerretDB's `$inc` is not atomic) both try the same
 * seats; the seat index lets one have each, and the other looks at the ledger itself.
 */
async function claimSeatNumbers(store: Store, sessionId: string, count: number): Promise<number | null> {
  try {
    const before = await store.SeatCursor.findOneAndUpdate(
      { _id: sessionId },
      { $inc: { next: count } },
      { upsert: true, returnDocument: 'before' },
    ).lean();
    return before?.next ?? null;
  } catch (err) {
    // Two first reservations of a session both created its cursor: this one reads the ledger instead.
    if (isDuplicateKey(err)) return null;
    throw err;
  }
}

/** Moves the session's cursor past `seatNo` (never back). */
async function advanceCursor(store: Store, sessionId: string, seatNo: number): Promise<void> {
  try {
    await store.SeatCursor.updateOne({ _id: sessionId }, { $max: { next: seatNo + 1 } }, { upsert: true });
  } catch (err) {
    // Another reservation created the cursor meanwhile; it is a hint, and the next reservation moves it on.
    if (!isDuplicateKey(err)) throw err;
  }
}

/** Free seat numbers of the session and the highest taken, from one read of its seats (the whole collection). */
async function freeSeatsOf(store: Store, sessionId: string, seats: number) {
  const taken = await store.Seat.find({ sessionId }, { seatNo: 1 }).lean();
  const used = new Set(taken.map((s) => s.seatNo));
  const free: number[] = [];
  for (let n = 1; n <= seats; n++) if (!used.has(n)) free.push(n);
  const highest = taken.reduce((max, s) => Math.max(max, s.seatNo), 0);
  return { free, highest };
}

/**
 * Takes exactly `trainees` seats of the session for the cohort, or none. Idempotent: a re-run finds the seats
 * the cohort already holds (by their slot `_id`s) and takes only what is missing. Seats are taken by inserting
 * seat documents; a seat number someone else inserted first is refused by the seat index and simply tried again
 * elsewhere. New seat numbers come from the session's cursor, so the common case reads no other cohort's seats;
 * when the cursor runs past the session's size or a seat it offered was taken, the session's seats are read to
 * find the gaps. When seats run out while this cohort holds some (a concurrent reservation got the others), it
 * gives its seats back, waits a random while and tries again, so that two cohorts that each got half of what they
 * need do not both fail; with nothing held and too few seats free it fails at once. Never more seat documents than
 * seats exist, whatever runs concurrently.
 */
export async function reserveCohortSeats(
  store: Store,
  req: CohortSeatRequest,
  { retries = 6, backoffMs = 60, deadline }: ReserveOptions = {},
): Promise<SeatOutcome> {
  const inTime = () => {
    if (deadline !== undefined && Date.now() > deadline) throw new ReservationDeadlinePassed(req.cohortId);
  };
  const giveBack = () => {
    inTime();
    return store.Seat.deleteMany({ cohortId: req.cohortId, kind: 'reserved' });
  };
  let retry = 0;
  // Whether the next pass reads the session's seats instead of trusting the cursor.
  let readLedger = false;
  // Every pass either converges (exactly the seats wanted) or someone else took a seat; both are finite.
  for (let pass = 0; pass < 10_000; pass++) {
    const session = await store.Session.findById(req.sessionId, { seats: 1 }).lean();
    if (!session) {
      await giveBack();
      return { ok: false, reason: `session ${req.sessionId} no longer exists`, free: 0 };
    }
    const mine = await heldSlots(store, req);
    if (mine.size === req.trainees) {
      // Checked after the seats are in: a release that happened meanwhile wins, and nothing leaks.
      if (await wasReleased(store, req)) {
        await giveBack();
        return { ok: false, reason: `cohort ${req.cohortId} was released`, free: 0 };
      }
      return { ok: true, seats: mine.size };
    }
    const slots: number[] = [];
    for (let slot = 1; slot <= req.trainees; slot++) if (!mine.has(slot)) slots.push(slot);
    const need = slots.length;

    let seatNos: number[] | null = null;
    if (!readLedger) {
      const from = await claimSeatNumbers(store, req.sessionId, need);
      if (from !== null && from + need - 1 <= session.seats)
        seatNos = Array.from({ length: need }, (_, i) => from + i);
    }
    if (!seatNos) {
      const { free, highest } = await freeSeatsOf(store, req.sessionId, session.seats);
      if (free.length < need) {
        // The cohort's own seats were read before the ledger: an overlapping attempt may have taken them since.
        if ((await heldSlots(store, req)).size !== mine.size) continue;
        if (mine.size === 0 || retry >= retries) {
          if (mine.size) await giveBack();
          return {
            ok: false,
            reason: `session ${req.sessionId} has ${free.length + mine.size} seats left, the cohort needs ${req.trainees}`,
            free: free.length + mine.size,
          };
        }
        await giveBack();
        retry++;
        await sleep(Math.random() * backoffMs * retry);
        continue;
      }
      seatNos = free.slice(0, need);
      // Past every seat taken, including these: the next reservation need not read the ledger.
      await advanceCursor(store, req.sessionId, Math.max(highest, ...seatNos));
    }
    const chosen = seatNos;
    const at = new Date();
    inTime();
    try {
      await store.Seat.insertMany(
        slots.map((slot, i) => ({
          _id: reservedSeatId(req.cohortId, slot),
          sessionId: req.sessionId,
          seatNo: chosen[i],
          kind: 'reserved',
          pledgeId: req.pledgeId,
          cohortId: req.cohortId,
          at,
        })),
        { ordered: false },
      );
      readLedger = false;
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      readLedger = true;
    }
  }
  throw new Error(`reservation of cohort ${req.cohortId} did not settle`);
}

/** Gives back a cohort's seats, and remembers it so that no late attempt takes them again. */
export async function releaseCohortSeats(store: Store, cohortId: string): Promise<number> {
  await remember(store, `cohort:${cohortId}`);
  return (await store.Seat.deleteMany({ cohortId, kind: 'reserved' })).deletedCount;
}

/** Gives back every seat of a pledge except those of the cohorts kept, and closes the pledge to reservations. */
export async function releasePledgeSeats(
  store: Store,
  pledgeId: string,
  keepCohortIds: string[] = [],
): Promise<number> {
  await remember(store, `pledge:${pledgeId}`);
  const res = await store.Seat.deleteMany({ pledgeId, kind: 'reserved', cohortId: { $nin: keepCohortIds } });
  return res.deletedCount;
}

/** Reserved seats per session (blocked seat numbers are not seats). */
export async function reservedSeatsBySession(
  store: Store,
  match: Record<string, unknown> = {},
): Promise<Map<string, number>> {
  const rows = await store.Seat.aggregate<{ _id: string; n: number }>([
    { $match: { ...match, kind: 'reserved' } },
    { $group: { _id: '$sessionId', n: { $sum: 1 } } },
  ]);
  return new Map(rows.map((r) => [r._id, r.n]));
}

/** Who holds a reserved seat: reserved seats always name their cohort and its pledge. */
export interface SeatHolder {
  cohortId: string;
  pledgeId: string;
}

/** The cohort and pledge of each reserved seat of a session. */
export async function seatHoldersOf(store: Store, sessionId: string): Promise<SeatHolder[]> {
  return store.Seat.find({ sessionId, kind: 'reserved' }, { cohortId: 1, pledgeId: 1 }).lean<SeatHolder[]>();
}

export type SeatChange = { ok: true } | { ok: false; heldSeatNos: number[] };

/**
 * Changes a session's number of seats. Shrinking first blocks the seat numbers above the new size (each block
 * is an insert under the unique `_id`, so it fails on a held seat and then nothing changes); growing unblocks.
 */
export async function changeSessionSeats(
  store: Store,
  sessionId: string,
  from: number,
  to: number,
): Promise<SeatChange> {
  if (to < from) {
    const token = `block:${sessionId}:${Date.now()}:${Math.random().toString(36).slice(2)}`;
    const at = new Date();
    const blocks = [];
    for (let n = to + 1; n <= from; n++) {
      blocks.push({
        _id: blockedSeatId(sessionId, n),
        sessionId,
        seatNo: n,
        kind: 'blocked',
        pledgeId: null,
        cohortId: token,
        at,
      });
    }
    try {
      await store.Seat.insertMany(blocks, { ordered: false });
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      const held = await store.Seat.find({ sessionId, kind: 'reserved', seatNo: { $gt: to } }, { seatNo: 1 })
        .sort({ seatNo: 1 })
        .lean();
      if (held.length) {
        await store.Seat.deleteMany({ cohortId: token });
        return { ok: false, heldSeatNos: held.map((s) => s.seatNo) };
      }
    }
    await store.Session.updateOne({ _id: sessionId }, { $set: { seats: to } });
  } else if (to > from) {
    await store.Session.updateOne({ _id: sessionId }, { $set: { seats: to } });
    await store.Seat.deleteMany({ sessionId, kind: 'blocked', seatNo: { $lte: to } });
  }
  return { ok: true };
}

/**
 * Opens a new session with all its seats free: a session of that id removed before left its seat numbers blocked.
 * False when a session of that id exists already.
 */
export async function openSession(store: Store, session: Session): Promise<boolean> {
  const { id, ...fields } = session;
  if (!(await insertIfAbsent(store.Session, { _id: id, ...fields }))) return false;
  await store.Seat.deleteMany({ sessionId: id, kind: 'blocked', seatNo: { $lte: session.seats } });
  await store.SeatCursor.deleteOne({ _id: id });
  return true;
}

/** Closes a session for good: every seat is blocked (fails if any is held), then the session is removed. */
export async function removeSession(store: Store, sessionId: string, seats: number): Promise<SeatChange> {
  const change = await changeSessionSeats(store, sessionId, seats, 0);
  if (!change.ok) return change;
  await store.Session.deleteOne({ _id: sessionId });
  return { ok: true };
}
