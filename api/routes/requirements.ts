import { z } from 'zod';
import { byUrgency, coalitionsServing, matchPledge } from '../../domain/requirements/matching';
import { coverageOf } from '../../domain/requirements/coverage';
import { canSeeDonor, type Principal } from '../../domain/permissions';
import { PageQuery } from '../../domain/schemas/common';
import { CoalitionId } from '../../domain/schemas/reference';
import type { Coverage } from '../../domain/schemas/requirement';
import {
  Requirement,
  RequirementInput,
  RequirementMatch,
  RequirementMatchInput,
  RequirementPatch,
  RequirementStatus,
} from '../../domain/schemas/requirement';
import { projectionReader } from '../../store/projections';
import { referenceChangeLog } from '../../store/reference-changes';
import {
  cachedRequirementReader,
  requirementRepository,
  type StoredRequirement,
} from '../../store/requirements';
import {
  createRequirement,
  overrideRequirementMatches,
  updateRequirement,
  type RequirementPorts,
} from '../../app/requirements';
import type { ApiDeps } from '../deps';
import { ApiError, notFound } from '../http/errors';
import { route } from '../http/route';

const IdParams = z.object({ id: z.string().min(1).max(64) });

const RequirementListQuery = PageQuery.extend({
  status: RequirementStatus.optional(),
  priority: z.coerce.number().int().min(1).max(5).optional().describe('Only requirements of this priority'),
  coalition: CoalitionId.optional().describe(
    "Only requirements that this coalition's systems serve (the pledges that would meet them are its to review)",
  ),
});

const RequirementPage = z
  .object({ items: z.array(Requirement), nextCursor: z.string().nullable() })
  .meta({ id: 'RequirementPage' });
const RequirementMatches = z
  .object({ pledgeId: z.string(), items: z.array(RequirementMatch) })
  .meta({ id: 'RequirementMatches' });

// The list's order (urgency) has no timestamp to resume from: the cursor names the last requirement returned.
const encodeCursor = (id: string) => Buffer.from(JSON.stringify({ after: id })).toString('base64url');
function decodeCursor(raw: string): string {
  try {
    const { after } = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as { after: unknown };
    if (typeof after === 'string' && after) return after;
  } catch {
    // answered below
  }
  throw new ApiError(400, 'VALIDATION_FAILED', 'invalid cursor', [
    { path: 'query.cursor', message: 'use the nextCursor of a previous page' },
  ]);
}

/**
 * Ukraine's requirements and the matching of pledges to them. Coverage is derived from the in-memory pledge views
 * with the requirements and staff's overrides (held in memory until any process changes them), once per change,
 * and shared by every request until the next.
 */
export function requirementRoutes({ store, views, reference, projections, redis, config }: ApiDeps) {
  const held = cachedRequirementReader(store, projectionReader(redis, config.QUEUE_PREFIX).referenceVersion);
  let derived: { at: string; from: unknown; coverage: Map<string, Coverage> } | undefined;

  /** The requirements with their coverage as of every write made before the call. */
  async function current() {
    await views.sync();
    const state = await held();
    const at = views.changeCount;
    if (derived?.at !== at || derived.from !== state) {
      const catalog = new Map((await reference.systems()).map((s) => [s.id, s]));
      const coverage = coverageOf(state.requirements, views.pledges.values(), catalog, state.overrides);
      derived = { at, from: state, coverage };
    }
    const coverage = derived.coverage;
    const withCoverage = (r: StoredRequirement): Requirement => ({
      ...r,
      coverage: coverage.get(r.id) ?? { required: r.quantity, pledged: 0, approved: 0, ready: 0 },
    });
    return { state, withCoverage };
  }

  const ports: RequirementPorts = {
    requirements: requirementRepository(store),
    systems: () => reference.systems(),
    changes: referenceChangeLog(store, projections),
  };

  async function visiblePledge(principal: Principal, id: string) {
    await views.sync();
    const entry = views.pledges.get(id);
    if (!entry || !canSeeDonor(principal, entry.donor)) throw notFound(`pledge ${id}`);
    return entry;
  }

  async function matchesOf(pledgeId: string, items: Array<{ systemId: string; quantity: number }>) {
    const { state } = await current();
    const catalog = new Map((await reference.systems()).map((s) => [s.id, s]));
    return matchPledge(items, catalog, state.requirements, state.overrides.get(pledgeId));
  }

  return [
    route({
      method: 'get',
      path: '/requirements',
      operationId: 'listRequirements',
      summary: "Ukraine's requirements, most urgent first, each with its coverage",
      description:
        'Most urgent first: by priority, then the date needed, then the narrower capability. Coverage counts the ' +
        'pledges matched to each requirement: `pledged` those under review or further on, `approved` those approved ' +
        'by command, `ready` those whose equipment and crews are ready.',
      tag: 'requirements',
      access: 'requirement:read',
      query: RequirementListQuery,
      responses: { 200: { description: 'A page of requirements', schema: RequirementPage } },
      handler: async ({ query }) => {
        const { state, withCoverage } = await current();
        const systems = query.coalition ? await reference.systems() : [];
        const listed = state.requirements
          .filter(
            (r) =>
              (!query.status || r.status === query.status) &&
              (!query.priority || r.priority === query.priority) &&
              (!query.coalition || coalitionsServing(r.capability, systems).has(query.coalition)),
          )
          .sort(byUrgency);
        let start = 0;
        if (query.cursor) {
          const after = decodeCursor(query.cursor);
          const last = state.requirements.find((r) => r.id === after);
          start = last ? listed.filter((r) => byUrgency(r, last) <= 0).length : 0;
        }
        const page = listed.slice(start, start + query.limit);
        const more = start + page.length < listed.length;
        return {
          status: 200,
          body: {
            items: page.map(withCoverage),
            nextCursor: more ? encodeCursor(page[page.length - 1].id) : null,
          },
        };
      },
    }),
    route({
      method: 'post',
      path: '/requirements',
      operationId: 'createRequirement',
      summary: 'State one of Ukraine’s requirements; open pledges are matched to it at once',
      tag: 'requirements',
      access: 'requirement:write',
      body: RequirementInput,
      idempotent: true,
      responses: { 201: { description: 'The requirement, with its coverage', schema: Requirement } },
      handler: async ({ principal, body }) => {
        const created = await createRequirement(ports, principal, body);
        const { withCoverage } = await current();
        return { status: 201, body: withCoverage(created) };
      },
    }),
    route({
      method: 'get',
      path: '/requirements/:id',
      operationId: 'getRequirement',
      summary: 'One of Ukraine’s requirements with its coverage',
      tag: 'requirements',
      access: 'requirement:read',
      params: IdParams,
      responses: { 200: { description: 'The requirement', schema: Requirement } },
      errors: { 404: 'No such requirement' },
      handler: async ({ params }) => {
        const { state, withCoverage } = await current();
        const found = state.requirements.find((r) => r.id === params.id);
        if (!found) throw notFound(`requirement ${params.id}`);
        return { status: 200, body: withCoverage(found) };
      },
    }),
    route({
      method: 'patch',
      path: '/requirements/:id',
      operationId: 'updateRequirement',
      summary: 'Amend, reprioritise, close or reopen a requirement; only the fields given change',
      tag: 'requirements',
      access: 'requirement:write',
      params: IdParams,
      body: RequirementPatch,
      responses: { 200: { description: 'The requirement as changed', schema: Requirement } },
      errors: { 404: 'No such requirement' },
      handler: async ({ principal, params, body }) => {
        const after = await updateRequirement(ports, principal, params.id, body);
        const { withCoverage } = await current();
        return { status: 200, body: withCoverage(after) };
      },
    }),
    route({
      method: 'get',
      path: '/pledges/:id/requirement-matches',
      operationId: 'getRequirementMatches',
      summary: 'Which of Ukraine’s requirements each system of a pledge serves, as matched now',
      description:
        'Each pledged system (its items summed) serves the requirement staff chose for it, or else the most ' +
        'urgent open requirement it serves; `requirementId` is null when it serves none.',
      tag: 'requirements',
      access: 'pledge:read',
      params: IdParams,
      responses: { 200: { description: 'The matches', schema: RequirementMatches } },
      errors: { 404: 'No such pledge (also another nation’s, to a donor liaison)' },
      handler: async ({ principal, params }) => {
        const pledge = await visiblePledge(principal, params.id);
        return {
          status: 200,
          body: { pledgeId: pledge.id, items: await matchesOf(pledge.id, pledge.items) },
        };
      },
    }),
    route({
      method: 'put',
      path: '/pledges/:id/requirement-matches',
      operationId: 'overrideRequirementMatches',
      summary: 'Staff choose which requirement each system of a pledge serves, replacing the automatic match',
      description:
        'Replaces the overrides of the pledge as a whole: a system left out goes back to its automatic match. The ' +
        'coverage of every requirement follows at once; the review’s NEED_MATCH finding follows at its next round.',
      tag: 'requirements',
      access: 'requirement:match',
      params: IdParams,
      body: RequirementMatchInput,
      responses: { 200: { description: 'The matches as they are now', schema: RequirementMatches } },
      errors: { 404: 'No such pledge' },
      handler: async ({ principal, params, body }) => {
        const pledge = await visiblePledge(principal, params.id);
        await overrideRequirementMatches(ports, principal, pledge, body);
        return {
          status: 200,
          body: { pledgeId: pledge.id, items: await matchesOf(pledge.id, pledge.items) },
        };
      },
    }),
  ];
}
