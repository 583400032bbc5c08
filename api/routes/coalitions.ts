import { z } from 'zod';
import { contributionsTo } from '../../domain/coalitions';
import { isPending } from '../../domain/pledge-lifecycle';
import { can, type Principal } from '../../domain/permissions';
import { Coalition } from '../../domain/schemas/reference';
import { PledgeStatus } from '../../domain/schemas/pledge';
import { COALITION_BOUND_ROLE } from '../../domain/tasks';
import type { ApiDeps } from '../deps';
import { notFound } from '../http/errors';
import { route } from '../http/route';

const OPEN_PLEDGES_SHOWN = 200;

const CoalitionPage = Coalition.safeExtend({
  openPledges: z
    .array(
      z.object({
        id: z.string(),
        title: z.string(),
        donor: z.string(),
        status: PledgeStatus,
        valueEur: z.number().nullable(),
        createdAt: z.string(),
      }),
    )
    .describe(`Pledges still being decided, newest first (at most ${OPEN_PLEDGES_SHOWN})`),
  openPledgeCount: z.number().int(),
  nations: z
    .array(
      z.object({
        nation: z.string(),
        role: z.enum(['lead', 'member', 'donor']),
        pledged: z.number().int().describe('Pledges pending or approved'),
        pledgedEur: z.number(),
        approved: z.number().int(),
        approvedEur: z.number(),
      }),
    )
    .describe('Leads and members first, then every other donor with a pledge in the coalition'),
}).meta({ id: 'CoalitionPage' });

/** A reviewer sees the pages of its own coalitions; staff and the command see every one. */
const mayOpen = (principal: Principal, id: string) =>
  principal.roles.some((r) => r !== COALITION_BOUND_ROLE && can({ roles: [r] }, 'coalition:read')) ||
  (principal.coalitions ?? []).includes(id);

/** The capability coalitions (reference data), and each one's page: its open pledges and what each nation brings. */
export function coalitionRoutes({ views, reference }: ApiDeps) {
  return [
    route({
      method: 'get',
      path: '/coalitions',
      operationId: 'listCoalitions',
      summary: 'The capability coalitions, with their leads and publicly reported members',
      tag: 'reference',
      access: 'reference:read',
      responses: {
        200: {
          description: 'Every coalition',
          schema: z.object({ items: z.array(Coalition) }).meta({ id: 'CoalitionList' }),
        },
      },
      handler: async () => ({ status: 200, body: { items: await reference.coalitions() } }),
    }),
    route({
      method: 'get',
      path: '/coalitions/:id',
      operationId: 'getCoalition',
      summary: "A coalition's page: its open pledges and its nations' pledged and approved value",
      description: 'A reviewer opens only the coalitions it reviews for (another is a 404).',
      tag: 'reference',
      access: 'coalition:read',
      params: z.object({ id: z.string().max(40) }),
      responses: { 200: { description: 'The coalition', schema: CoalitionPage } },
      errors: { 404: 'No such coalition, or one you do not review for' },
      handler: async ({ principal, params }) => {
        const coalition = (await reference.coalitions()).find((c) => c.id === params.id);
        if (!coalition || !mayOpen(principal, coalition.id)) throw notFound(`coalition ${params.id}`);
        await views.sync();
        const open = [...views.pledges.from()].filter(
          (p) => p.coalitions.includes(coalition.id) && isPending(p.status),
        );
        return {
          status: 200,
          body: {
            ...coalition,
            openPledges: open.slice(0, OPEN_PLEDGES_SHOWN).map((p) => ({
              id: p.id,
              title: p.title,
              donor: p.donor,
              status: p.status,
              valueEur: p.valueEur ?? null,
              createdAt: p.createdAt,
            })),
            openPledgeCount: open.length,
            nations: contributionsTo(coalition, views.pledges.values()),
          },
        };
      },
    }),
  ];
}
