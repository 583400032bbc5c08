import { createHash } from 'node:crypto';
import { ulid } from 'ulid';
import { z } from 'zod';
import type { Principal } from '../../domain/permissions';
import {
  MAX_IMPORT_ROWS,
  PLEDGE_CSV_HELP,
  PledgeExportColumns,
  pledgeExportRows,
} from '../../domain/schemas/pledge-csv';
import { parsePledgeCsv, type ImportJobData } from '../../jobs/pledge-import';
import { appendAudit } from '../../store/audit-log';
import { importRepository, type ImportJobRecord } from '../../store/imports';
import type { ApiDeps } from '../deps';
import { ErrorDetail, notFound, unavailable } from '../http/errors';
import { csvAttachment, CsvText } from '../http/csv';
import { route } from '../http/route';
import { pledgeListMatcher, PledgeListQuery } from './pledges';

const MAX_CSV_BYTES = '2mb';
/** Pledges in one export; beyond it the export is cut and says so in `X-Export-Truncated`. */
const MAX_EXPORT_PLEDGES = 10_000;

const JobParams = z.object({ jobId: z.string().min(1).max(64) });

const ImportAccepted = z
  .object({ jobId: z.string(), total: z.number().int().describe('Rows in the file') })
  .meta({ id: 'ImportAccepted' });

const ImportRowResult = z
  .object({
    row: z.number().int().describe('1 = the first row under the header'),
    line: z.number().int().nullable().describe('the line of the file the row ends on'),
    status: z.enum(['created', 'failed']),
    pledgeId: z.string().optional(),
    errors: z.array(ErrorDetail).optional(),
  })
  .meta({ id: 'ImportRowResult', description: '`pledgeId` when created, `errors` when failed' });

const ImportStatus = z
  .object({
    jobId: z.string(),
    state: z
      .string()
      .describe('waiting | active | delayed (retrying) | completed | failed; completed and failed are final'),
    progress: z.number().min(0).max(100),
    total: z.number().int(),
    processed: z.number().int(),
    created: z.number().int(),
    failed: z.number().int(),
    createdBy: z.string(),
    createdAt: z.string(),
    startedAt: z.string().nullable(),
    finishedAt: z.string().nullable(),
    rows: z.array(ImportRowResult),
  })
  .meta({ id: 'Import' });

const ExportQuery = PledgeListQuery.omit({ limit: true, cursor: true });

/** The job id of an upload: derived from its Idempotency-Key, so a retried upload is the same job. */
const importJobIdFor = (principal: string, key: string | undefined) =>
  key
    ? `IM${createHash('sha256').update(`import\n${principal}\n${key}`).digest('hex').slice(0, 24).toUpperCase()}`
    : `IM${ulid()}`;

/** Bulk import of pledges from CSV (a BullMQ job) and CSV export of the pledge list. */
export function importRoutes(deps: ApiDeps) {
  const { store, queues } = deps;
  const imports = importRepository(store);

  const mayRead = (principal: Principal, doc: Pick<ImportJobRecord, 'owner'>) =>
    doc.owner.username === principal.username || principal.roles.includes('admin');

  return [
    route({
      method: 'post',
      path: '/imports/pledges',
      operationId: 'importPledges',
      summary: 'Import pledges from a CSV file; runs as a background job',
      description: PLEDGE_CSV_HELP,
      tag: 'imports',
      access: 'pledge:import',
      rawBody: { type: 'text/csv', limit: MAX_CSV_BYTES },
      body: z.string().meta({ id: 'PledgeCsv', description: `CSV, at most ${MAX_IMPORT_ROWS} rows` }),
      idempotent: true,
      responses: {
        202: {
          description: 'Queued; follow it with GET /api/v1/imports/{jobId}',
          schema: ImportAccepted,
          headers: { Location: 'Where to follow the import' },
        },
      },
      errors: { 413: `More than ${MAX_IMPORT_ROWS} rows, or more than ${MAX_CSV_BYTES}` },
      handler: async ({ principal, body, req }) => {
        const total = parsePledgeCsv(body).rows.length;
        const jobId = importJobIdFor(principal.username, req.get('idempotency-key'));
        const opened = await imports.open(jobId, {
          kind: 'pledges',
          owner: { username: principal.username, roles: principal.roles, nation: principal.nation ?? null },
          csv: body,
          total,
        });
        try {
          await queues.imports.add('pledges', { importId: jobId } satisfies ImportJobData, { jobId });
        } catch (err) {
          if (opened) await imports.dropQueued(jobId);
          deps.logger.error({ err, jobId }, 'could not queue the import');
          throw unavailable('the job queue is unavailable; nothing was imported, please retry');
        }
        await appendAudit(store, {
          eventId: `import:${jobId}:queued`,
          actor: principal.username,
          action: 'pledges.import.queued',
          detail: { jobId, rows: total, bytes: Buffer.byteLength(body) },
        });
        return { status: 202, body: { jobId, total }, headers: { Location: `/api/v1/imports/${jobId}` } };
      },
    }),
    route({
      method: 'get',
      path: '/imports/:jobId',
      operationId: 'getImport',
      summary: 'An import: its state, progress and the result of each row so far',
      description: 'Readable by the user who started the import, and by admins; 404 for anyone else.',
      tag: 'imports',
      access: 'pledge:import',
      params: JobParams,
      responses: { 200: { description: 'The import', schema: ImportStatus } },
      errors: { 404: 'No such import of yours' },
      handler: async ({ principal, params }) => {
        const doc = await imports.summary(params.jobId);
        if (!doc || !mayRead(principal, doc)) throw notFound(`import ${params.jobId}`);
        const [job, rows] = await Promise.all([
          queues.imports.getJob(params.jobId),
          imports.rows(params.jobId),
        ]);
        // Our record is final once it says so; until then the queue knows best (waiting, active, delayed…).
        const final = doc.state === 'completed' || doc.state === 'failed';
        const queueState = job ? await job.getState() : 'unknown';
        const state = final ? doc.state : queueState !== 'unknown' ? queueState : doc.state;
        const computed = doc.total ? Math.floor((doc.processed * 100) / doc.total) : 0;
        const progress =
          state === 'completed' ? 100 : typeof job?.progress === 'number' ? job.progress : computed;
        return {
          status: 200,
          body: {
            jobId: doc._id,
            state,
            progress,
            total: doc.total,
            processed: doc.processed,
            created: doc.created,
            failed: doc.failed,
            createdBy: doc.owner.username,
            createdAt: new Date(doc.createdAt).toISOString(),
            startedAt: doc.startedAt ?? null,
            finishedAt: doc.finishedAt ?? null,
            rows: rows.map((r) => ({
              row: r.row,
              line: r.line ?? null,
              status: r.status,
              ...(r.pledgeId ? { pledgeId: r.pledgeId } : {}),
              ...(r.status === 'failed' ? { errors: r.details ?? [] } : {}),
            })),
          },
        };
      },
    }),
    // Mounted before /pledges/:id (see routes/index.ts), which would otherwise take "export.csv" for an id.
    route({
      method: 'get',
      path: '/pledges/export.csv',
      operationId: 'exportPledges',
      summary: 'The pledge list as CSV, one row per pledge item, with the list’s filters',
      description: `Columns: ${PledgeExportColumns.join(', ')}. A donor liaison gets only its nation’s pledges. At most ${MAX_EXPORT_PLEDGES} pledges, newest first; \`X-Export-Truncated: true\` when there were more.`,
      tag: 'pledges',
      access: 'pledge:read',
      query: ExportQuery,
      responses: {
        200: {
          description: 'CSV attachment',
          schema: CsvText,
          contentType: 'text/csv',
          headers: {
            'Content-Disposition': '`attachment; filename="pledges-<date>.csv"`',
            'Cache-Control': '`no-store`: the export is never kept by any cache',
            'X-Export-Truncated': `\`true\` when more than ${MAX_EXPORT_PLEDGES} pledges matched and only the newest are in the file`,
          },
        },
      },
      handler: async ({ principal, query }) => {
        await deps.views.sync();
        const matches = pledgeListMatcher(principal, query);
        const docs = [];
        for (const entry of deps.views.pledges.from()) {
          if (!matches(entry)) continue;
          docs.push(entry);
          if (docs.length > MAX_EXPORT_PLEDGES) break;
        }
        const truncated = docs.length > MAX_EXPORT_PLEDGES;
        return csvAttachment(
          docs.slice(0, MAX_EXPORT_PLEDGES).flatMap(pledgeExportRows),
          PledgeExportColumns,
          `pledges-${new Date().toISOString().slice(0, 10)}.csv`,
          truncated ? { 'X-Export-Truncated': 'true' } : {},
        );
      },
    }),
  ];
}
