import { z } from 'zod';
import { Course, InventoryEntry, Need, Session, Site, System } from '../../domain/schemas/reference';
import type { ApiDeps } from '../deps';
import { route } from '../http/route';

const SessionView = Session.extend({ seatsReserved: z.number(), seatsLeft: z.number() });

/** Read routes for reference data (any role), answered from memory. */
export function referenceRoutes({ reference: ref, views }: ApiDeps) {
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
        const needs = [...(await ref.needs())].sort(
          (a, b) => a.priority - b.priority || (a.id < b.id ? -1 : 1),
        );
        return { status: 200, body: { items: needs } };
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
        return { status: 200, body: { items: await ref.sites() } };
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
        await views.sync();
        const sessions = (await ref.sessions()).filter(
          (s) => !query.courseId || s.courseId === query.courseId,
        );
        const items = [...sessions]
          .sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : a.id < b.id ? -1 : 1))
          .map((s) => {
            const seatsReserved = views.seatsReserved(s.id);
            return { ...s, seatsReserved, seatsLeft: Math.max(0, s.seats - seatsReserved) };
          });
        return { status: 200, body: { items } };
      },
    }),
  ];
}
