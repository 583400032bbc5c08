import type { Course, Session, Site } from '../domain/schemas/reference';
import type { Store } from './index';
import { toSession } from './reference-reader';
import { changeSessionSeats, openSession, removeSession, reservedSeatsBySession } from './seat-ledger';

/** Courses, sites and sessions as their administration reads and writes them; seats go through the seat ledger. */
export function trainingReferenceRepository(store: Store) {
  return {
    /** Each stored course's prerequisite ids, by course id. */
    async coursePrerequisites(): Promise<Map<string, string[]>> {
      const courses = await store.Course.find({}, { prerequisiteIds: 1 }).lean();
      return new Map(courses.map((c) => [c._id, c.prerequisiteIds ?? []]));
    },
    async putCourse({ id, ...fields }: Course): Promise<void> {
      await store.Course.replaceOne({ _id: id }, { _id: id, ...fields }, { upsert: true });
    },
    async putSite({ id, ...fields }: Site): Promise<void> {
      await store.Site.replaceOne({ _id: id }, { _id: id, ...fields }, { upsert: true });
    },
    courseExists: async (id: string): Promise<boolean> => !!(await store.Course.exists({ _id: id })),
    siteExists: async (id: string): Promise<boolean> => !!(await store.Site.exists({ _id: id })),
    async session(id: string): Promise<Session | null> {
      const doc = await store.Session.findById(id).lean();
      return doc ? toSession(doc) : null;
    },
    insertSession: (session: Session) => openSession(store, session),
    resizeSession: (id: string, from: number, to: number) => changeSessionSeats(store, id, from, to),
    async moveSession({ id, courseId, siteId, start, end }: Session): Promise<void> {
      await store.Session.updateOne({ _id: id }, { $set: { courseId, siteId, start, end } });
    },
    removeSession: (id: string, seats: number) => removeSession(store, id, seats),
    reservedSeats: async (sessionId: string): Promise<number> =>
      (await reservedSeatsBySession(store, { sessionId })).get(sessionId) ?? 0,
  };
}
