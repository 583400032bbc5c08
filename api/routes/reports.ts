import { z } from 'zod';
import { canSeeDonor } from '../../domain/permissions';
import {
  measurePhases,
  phaseTargetReport,
  type CompletedSpan,
  type OverTarget,
} from '../../domain/phase-targets';
import { IsoDate } from '../../domain/schemas/common';
import { PhaseTargetReportView, PledgePhaseTimes } from '../../domain/schemas/phase-targets';
import { currentPhaseTargets } from '../../store/policies';
import type { ApiDeps } from '../deps';
import { csvAttachment, CsvText } from '../http/csv';
import { ApiError, notFound } from '../http/errors';
import { route } from '../http/route';

const DAY_MS = 24 * 3600 * 1000;
/** A report reaches back at most this far: the figures are computed per request from every pledge's transitions. */
const MAX_PERIOD_DAYS = 3 * 366;
const DEFAULT_PERIOD_DAYS = 90;

const PeriodQuery = z.object({
  from: IsoDate.optional().describe(
    `first day counted (UTC); default ${DEFAULT_PERIOD_DAYS} days before \`to\``,
  ),
  to: IsoDate.optional().describe('last day counted (UTC), included; default today'),
});

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The period asked for, defaulted and checked: `to` not before `from`, and at most MAX_PERIOD_DAYS long. */
function periodOf(query: z.infer<typeof PeriodQuery>, now: Date): { from: string; to: string } {
  const to = query.to ?? isoDay(now.getTime());
  const from = query.from ?? isoDay(Date.parse(`${to}T00:00:00Z`) - (DEFAULT_PERIOD_DAYS - 1) * DAY_MS);
  if (to < from) {
    throw new ApiError(400, 'VALIDATION_FAILED', '`to` is before `from`', [
      { path: 'to', message: `must not be before from (${from})` },
    ]);
  }
  if ((Date.parse(to) - Date.parse(from)) / DAY_MS + 1 > MAX_PERIOD_DAYS) {
    throw new ApiError(400, 'VALIDATION_FAILED', `a period is at most ${MAX_PERIOD_DAYS} days`, [
      { path: 'from', message: `must be at most ${MAX_PERIOD_DAYS} days before to` },
    ]);
  }
  return { from, to };
}

const ExportColumns = [
  'pledgeId',
  'title',
  'donor',
  'phase',
  'state',
  'start',
  'end',
  'days',
  'targetDays',
  'dueBy',
  'met',
] as const;

const exportRow = (s: CompletedSpan | OverTarget) =>
  'state' in s
    ? { ...s, met: s.met ? 'yes' : 'no' }
    : { ...s, state: 'open', start: s.since, end: '', targetDays: '', met: 'no' };

/** Phase time targets: the figures over a period, a pledge's own times, and the CSV behind the figures. */
export function reportRoutes({ store, views }: ApiDeps) {
  const policy = () => currentPhaseTargets(store.Policy);
  const report = async (query: z.infer<typeof PeriodQuery>) => {
    await views.sync();
    const now = new Date();
    return phaseTargetReport(views.pledges.values(), await policy(), { ...periodOf(query, now), now });
  };

  return [
    route({
      method: 'get',
      path: '/reports/phase-targets',
      operationId: 'getPhaseTargets',
      summary:
        'Per phase: the target, the share of pledges that met it, the median and p90 days; and who is over',
      description:
        'Stretches of a phase completed in the period (by the day they ended) count toward its figures; a pledge ' +
        'reviewed twice counts twice. The over-target list is as of now. Computed from the status transitions.',
      tag: 'reports',
      access: 'report:read',
      query: PeriodQuery,
      responses: { 200: { description: 'The figures', schema: PhaseTargetReportView } },
      handler: async ({ query }) => {
        const { completedSpans: _spans, ...figures } = await report(query);
        return { status: 200, body: figures };
      },
    }),
    route({
      method: 'get',
      path: '/reports/phase-targets.csv',
      operationId: 'exportPhaseTargets',
      summary:
        'The stretches behind the figures as CSV: those completed in the period, then those over target now',
      description: `Columns: ${ExportColumns.join(', ')}.`,
      tag: 'reports',
      access: 'report:read',
      query: PeriodQuery,
      responses: {
        200: {
          description: 'CSV attachment',
          schema: CsvText,
          contentType: 'text/csv',
          headers: {
            'Content-Disposition': '`attachment; filename="phase-targets-<from>-<to>.csv"`',
            'Cache-Control': '`no-store`',
          },
        },
      },
      handler: async ({ query }) => {
        const { from, to, completedSpans, overTarget } = await report(query);
        return csvAttachment(
          [...completedSpans, ...overTarget].map(exportRow),
          ExportColumns,
          `phase-targets-${from}-${to}.csv`,
        );
      },
    }),
    route({
      method: 'get',
      path: '/pledges/:id/phase-times',
      operationId: 'getPledgePhaseTimes',
      summary: 'A pledge’s time in every phase against its target',
      tag: 'pledges',
      access: 'pledge:read',
      params: z.object({ id: z.string().min(1).max(64) }),
      responses: { 200: { description: 'Its phases, oldest first', schema: PledgePhaseTimes } },
      errors: { 404: 'No such pledge, or one the caller may not see' },
      handler: async ({ principal, params }) => {
        await views.sync();
        const entry = views.pledges.get(params.id);
        if (!entry || !canSeeDonor(principal, entry.donor)) throw notFound(`pledge ${params.id}`);
        const current = await policy();
        return {
          status: 200,
          body: {
            pledgeId: entry.id,
            policyVersion: current.version,
            phases: measurePhases(entry, current, new Date()),
          },
        };
      },
    }),
  ];
}
