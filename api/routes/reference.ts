import { z } from 'zod';
import { Course, InventoryEntry, Need, Session, Site, System } from '../../domain/schemas/reference';
import { referenceReader } from '../../store/reference-reader';
import { reservedSeatsBySession } from '../../store/seat-ledger';
import type { ApiDeps } from '../deps';
import { route } from '../http/route';

const withId = ({ _id, createdAt: _c, updatedAt: _u, ...rest }: Record<string, unknown>): Record<string, unknown> => ({
  id: _id,
  ...rest,
});

const SessionView = Session.extend({ seatsReserved: z.number(), seatsLeft: z.number() });

/** Read routes for reference data (any role). */
export function referenceRoutes({ store }: ApiDeps) {
  const ref = referenceReader(store);
  return [
    route({
      method: 'get',
      path: '/catalog/systems',
      summary: 'The systems catalogue',
      tag: 'reference',
      access: 'reference:read',
      query: z.object({ category: z.string().max(40).optional(), q: z.string().max(100).optional() }),
      responses: { 200: { description: 'Systems', schema: z.object({ items: z.array(System) }) } },
      handler: async ({ query }) => {
        const q = query.q?.toLowerCase();
        const items = (await ref.systems())
          .filter((s) => !query.category || s.category === query.category)
          .filter((s) => !q || `${s.name} ${s.family} ${s.id} ${s.category}`.toLowerCase().includes(q));
        return { status: 200, body: { items } };
      },
    }),
    route({
      method: 'get',
      path: '/inventory',
      summary: "Ukraine's operated families per category",
      tag: 'reference',
      access: 'reference:read',
      responses: { 200: { description: 'Inventory', schema: z.object({ items: z.array(InventoryEntry) }) } },
      handler: async () => {
        return { status: 200, body: { items: await ref.inventory() } };
      },
    }),
    route({
      method: 'get',
      path: '/needs',
      summary: "Ukraine's capability needs, most urgent first",
      tag: 'reference',
      access: 'reference:read',
      responses: { 200: { description: 'Needs', schema: z.object({ items: z.array(Need) }) } },
      handler: async () => {
        const docs = await store.Need.find({}).sort({ priority: 1, _id: 1 }).lean();
        return { status: 200, body: { items: docs.map((d) => withId(d as Record<string, unknown>)) } };
      },
    }),
    route({
      method: 'get',
      path: '/training/courses',
      summary: 'Training courses',
      tag: 'training',
      access: 'reference:read',
      responses: { 200: { description: 'Courses', schema: z.object({ items: z.array(Course) }) } },
      handler: async () => {
        return { status: 200, body: { items: await ref.courses() } };
      },
    }),
    route({
      method: 'get',
      path: '/training/sites',
      summary: 'Training sites in allied countries',
      tag: 'training',
      access: 'reference:read',
      responses: { 200: { description: 'Sites', schema: z.object({ items: z.array(Site) }) } },
      handler: async () => {
        const docs = await store.Site.find({}).sort({ _id: 1 }).lean();
        return { status: 200, body: { items: docs.map((d) => withId(d as Record<string, unknown>)) } };
      },
    }),
    route({
      method: 'get',
      path: '/training/sessions',
      summary: 'Course sessions with seats left',
      tag: 'training',
      access: 'reference:read',
      query: z.object({ courseId: z.string().max(64).optional() }),
      responses: { 200: { description: 'Sessions', schema: z.object({ items: z.array(SessionView) }) } },
      handler: async ({ query }) => {
        const docs = await store.Session.find(query.courseId ? { courseId: query.courseId } : {})
          .sort({ start: 1, _id: 1 })
          .lean();
        const reserved = await reservedSeatsBySession(store, query.courseId ? { sessionId: { $in: docs.map((d) => d._id) } } : {});
        const items = docs.map((d) => {
          const s = withId(d);
          const seatsReserved = reserved.get(String(d._id)) ?? 0;
          return { ...s, seatsReserved, seatsLeft: Math.max(0, (s.seats as number) - seatsReserved) };
        });
        return { status: 200, body: { items } };
      },
    }),
  ];
}
