import { Schema, type Connection } from 'mongoose';

/** A seat document as stored. */
export interface SeatRecord {
  _id: string;
  sessionId: string;
  seatNo: number;
  kind: 'reserved' | 'blocked';
  pledgeId: string | null;
  cohortId: string | null;
  at: Date;
}

/** A remembered release (`cohort:<id>` or `pledge:<id>`). */
export interface SeatReleaseRecord {
  _id: string;
  at: Date;
}

/**
 * One document per taken seat of a session (seatNo in 1..seats). The unique index on `(sessionId, seatNo)` is the
 * only thing that makes a seat taken, so two holders of one seat are impossible on FerretDB (no transactions;
 * conditional updates are not guaranteed atomic) as on MongoDB. A reserved seat's `_id` is the cohort's slot
 * (`seat:<cohortId>#<1..trainees>`), so a cohort can never hold more seats than it has trainees and its seats are
 * read by `_id`, the one filter FerretDB's SQLite backend does not answer by decoding the whole collection. A
 * `blocked` seat closes a seat number above a session's reduced size, so that a reservation that read the old
 * size cannot take it.
 */
const seatSchema = new Schema<SeatRecord>(
  {
    _id: String,
    sessionId: { type: String, required: true },
    seatNo: { type: Number, required: true },
    kind: { type: String, enum: ['reserved', 'blocked'], required: true },
    pledgeId: { type: String, default: null, index: true },
    cohortId: { type: String, default: null, index: true },
    at: { type: Date, required: true },
  },
  { strict: true, versionKey: false },
);
seatSchema.index({ sessionId: 1, seatNo: 1 }, { unique: true });

/** Where the next reservation of a session starts looking for free seats (a hint: the seat index decides). */
export interface SeatCursorRecord {
  _id: string;
  next: number;
}

const seatCursorSchema = new Schema<SeatCursorRecord>(
  { _id: String, next: { type: Number, required: true } },
  { strict: true, versionKey: false },
);

/**
 * Releases are remembered (`cohort:<id>`, `pledge:<id>`): a reservation attempt that is still running when its
 * cohort or pledge is released (an activity attempt outliving its timeout) sees the release and undoes itself.
 */
const seatReleaseSchema = new Schema<SeatReleaseRecord>(
  { _id: String, at: Date },
  { strict: true, versionKey: false },
);

export const seatModels = (c: Connection) => ({
  Seat: c.model<SeatRecord>('Seat', seatSchema, 'seat_reservations'),
  SeatRelease: c.model<SeatReleaseRecord>('SeatRelease', seatReleaseSchema, 'seat_releases'),
  SeatCursor: c.model<SeatCursorRecord>('SeatCursor', seatCursorSchema, 'seat_cursors'),
});
