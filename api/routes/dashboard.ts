import { Dashboard, dashboardOf } from '../../domain/dashboard';
import { donorScope } from '../../domain/permissions';
import type { ApiDeps } from '../deps';
import { route } from '../http/route';

/** The dashboard's figures, computed on the server from the pledge views (a liaison's from its nation's). */
export function dashboardRoutes({ views, reference }: ApiDeps) {
  // Per reader scope, the figures and the change count they were computed at: recomputed only after a change.
  let cache = new Map<string, { at: string; value: Dashboard }>();
  views.onNotice(() => {
    cache = new Map();
  });
  return [
    route({
      method: 'get',
      path: '/dashboard',
      operationId: 'getDashboard',
      summary: 'Pledges by status and coalition, coverage of open needs, families per category',
      description: 'A donor liaison’s figures count only its own nation’s pledges.',
      tag: 'pledges',
      access: 'pledge:read',
      responses: { 200: { description: 'The figures', schema: Dashboard.meta({ id: 'Dashboard' }) } },
      handler: async ({ principal }) => {
        await views.sync();
        const scope = donorScope(principal) ?? '*';
        const at = views.changeCount;
        const hit = cache.get(scope);
        if (hit?.at === at) return { status: 200, body: hit.value };
        const [needs, inventory, systems] = await Promise.all([
          reference.needs(),
          reference.inventory(),
          reference.systems(),
        ]);
        const visible = [...views.pledges.values()].filter((p) => scope === '*' || p.donor === scope);
        const value = dashboardOf(visible, { needs, inventory, systems });
        cache.set(scope, { at, value });
        return { status: 200, body: value };
      },
    }),
  ];
}
