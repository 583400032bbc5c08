import { z } from 'zod';
import { Course, InventoryEntry, Need, Session, Site, System } from '../../domain/schemas/reference';
import type { ApiDeps } from '../deps';
import { route } from '../http/route';

export const SessionView = Session.extend({
  seatsReserved: z.number().int(),
  seatsLeft: z.number().int(),
}).meta({
  id: 'SessionView',
});

const listOf = <T extends z.ZodType>(id: string, item: T) => z.object({ items: z.array(item) }).meta({ id });

/** Read routes for reference data (any role), answered from memory. */
export function referenceRoutes({ reference: ref, views }: ApiDeps) {
  return [
    route({
      method: 'get',
      path: '/catalog/systems',
      operationId: 'listSystems',
      summary: 'The systems catalogue',
      tag: 'reference',
      access: 'reference:read',
      query: z.object({
        category: z.string().max(40).optional().describe('Only systems of this category'),
        q: z.string().max(100).optional().describe('Words found in the name, family, id or category'),
      }),
      responses: { 200: { description: 'Systems', schema: listOf('SystemList', System) } },
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
      operationId: 'listInventory',
      summary: "Ukraine's operated families per category",
      tag: 'reference',
      access: 'reference:read',
      responses: { 200: { description: 'Inventory', schema: listOf('InventoryList', InventoryEntry) } },
      handler: async () => {
        const items = (await ref.inventory()).map(({ family, category, count, origin, calibers }) => ({
          family,
          category,
          count,
          origin,
          calibers,
        }));
        return { status: 200, body: { items } };
      },
    }),
    route({
      method: 'get',
      path: '/needs',
      operationId: 'listNeeds',
      summary: "Ukraine's capability needs, most urgent first",
      tag: 'reference',
      access: 'reference:read',
      responses: { 200: { description: 'Needs', schema: listOf('NeedList', Need) } },
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
      operationId: 'listCourses',
      summary: 'Training courses',
      tag: 'training',
      access: 'reference:read',
      responses: { 200: { description: 'Courses', schema: listOf('CourseList', Course) } },
      handler: async () => {
        return { status: 200, body: { items: await ref.courses() } };
      },
    }),
    route({
      method: 'get',
      path: '/training/sites',
      operationId: 'listSites',
      summary: 'Training sites in allied countries',
      tag: 'training',
      access: 'reference:read',
      responses: { 200: { description: 'Sites', schema: listOf('SiteList', Site) } },
      handler: async () => {
        return { status: 200, body: { items: await ref.sites() } };
      },
    }),
    route({
      method: 'get',
      path: '/training/sessions',
      operationId: 'listSessions',
      summary: 'Course sessions with seats left, earliest first',
      tag: 'training',
      access: 'reference:read',
      query: z.object({ courseId: z.string().max(64).optional().describe('Only sessions of this course') }),
      responses: { 200: { description: 'Sessions', schema: listOf('SessionList', SessionView) } },
      handler: async ({ query }) => {
        await views.sync();
        const sessions = (await ref.sessions()).filter(
          (s) => !query.courseId || s.courseId === query.courseId,
        );
        const items = [...sessions]
          .sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : a.id < b.id ? -1 : 1))
          .map((s) => {
            const seatsReserved = views.seatsReserved(s.id);
            const { id, courseId, siteId, start, end, seats } = s;
            return {
              id,
              courseId,
              siteId,
              start,
              end,
              seats,
              seatsReserved,
              seatsLeft: Math.max(0, seats - seatsReserved),
            };
          });
        return { status: 200, body: { items } };
      },
    }),
  ];
}
