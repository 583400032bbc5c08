import { UnrecoverableError, type Job } from 'bullmq';
import { CsvError, parse } from 'csv-parse/sync';
import { DomainFailure } from '../domain/failures';
import type { Principal } from '../domain/permissions';
import {
  checkCsvHeader,
  csvColumnOf,
  MAX_IMPORT_ROWS,
  pledgeInputFromCsv,
  type CsvProblem,
  type PledgeCsvColumn,
} from '../domain/schemas/pledge-csv';
import { submitPledge } from '../app/submit-pledge';
import type { Config } from '../infra/config';
import type { Logger } from '../infra/logger';
import { submissionPorts } from '../app/pledge-workflows';
import { connectTemporal, type Temporal } from '../infra/temporal';
import { appendAudit } from '../store/audit-log';
import type { Store } from '../store';
import type { Projector } from '../store/projector';
import { referenceReader } from '../store/reference-reader';

/** A CSV that cannot be imported at all (its header, its quoting): `problems` name each fault. */
const badCsv = (message: string, problems: CsvProblem[]) => new DomainFailure('invalid', message, problems);

export interface CsvRow {
  /** 1 = the first row under the header. */
  row: number;
  /** The line of the file the row ends on. */
  line: number;
  cells: Partial<Record<PledgeCsvColumn, string>>;
  /** Faults of the row's shape (too many cells), found before its content is read. */
  problems: CsvProblem[];
}

/**
 * Parses an import CSV: a header naming known columns, then at most MAX_IMPORT_ROWS rows. Blank rows are
 * skipped. A semicolon-separated file (a spreadsheet in a European locale) is recognised by its header. Refuses a
 * file that cannot be imported at all as `invalid` (or `too_large`), naming each fault.
 */
export function parsePledgeCsv(text: string): { columns: PledgeCsvColumn[]; rows: CsvRow[] } {
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const delimiter = !firstLine.includes(',') && firstLine.includes(';') ? ';' : ',';
  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    records = parse(text, {
      bom: true,
      delimiter,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
    }) as unknown as typeof records;
  } catch (err) {
    if (err instanceof CsvError)
      throw badCsv(`malformed CSV: ${err.message}`, [{ path: 'body', message: err.message }]);
    throw err;
  }
  const [head, ...body] = records;
  if (!head)
    throw badCsv('the CSV is empty', [
      { path: 'body', message: 'the CSV is empty; send a header row and one row per pledge' },
    ]);
  const { columns, problems } = checkCsvHeader(head.record);
  if (problems.length) {
    throw badCsv(`bad CSV header: ${problems.map((p) => p.message).join('; ')}`, problems);
  }
  const data = body.filter((r) => r.record.some((cell) => cell.trim() !== ''));
  if (!data.length) {
    throw badCsv('the CSV has no rows', [{ path: 'body', message: 'the CSV has a header but no rows' }]);
  }
  if (data.length > MAX_IMPORT_ROWS) {
    throw new DomainFailure(
      'too_large',
      `the CSV has ${data.length} rows; at most ${MAX_IMPORT_ROWS} are imported at once`,
      [{ path: 'body', message: `at most ${MAX_IMPORT_ROWS} rows; split the file` }],
    );
  }
  const rows = data.map(({ record, info }, i): CsvRow => {
    const extra = record.slice(columns.length).filter((c) => c.trim() !== '');
    return {
      row: i + 1,
      line: info.lines,
      cells: Object.fromEntries(columns.map((c, j) => [c, record[j] ?? ''])),
      problems: extra.length
        ? [
            {
              path: 'row',
              message: `has ${record.length} cells but the header has ${columns.length} columns`,
            },
          ]
        : [],
    };
  });
  return { columns, rows };
}

export interface ImportJobData {
  importId: string;
}

export interface ImportRowResult {
  row: number;
  line: number;
  status: 'created' | 'failed';
  pledgeId: string | null;
  errors: CsvProblem[];
}

export interface ImportDeps {
  config: Config;
  logger: Logger;
  store: Store;
  projector: Projector;
  /** Given in tests; otherwise the processor connects on its first job. */
  temporal?: Temporal;
}

/** Rows submitted at once; each row is one pledge (a read-model write and a workflow start). */
const ROWS_AT_ONCE = 5;

/** The idempotency key of a row: a retried or re-run job yields the same pledge and creates nothing twice. */
export const importRowKey = (jobId: string, row: number) => `import:${jobId}:${row}`;

/**
 * Imports the rows of one CSV: each row is checked and submitted exactly as POST /pledges would
 * (same schema, same business rules, same workflow start), as the user who started the import.
 * Per-row results go to `import_rows`, totals to `imports`, progress (0–100) to the job.
 */
export function createImportProcessor(deps: ImportDeps) {
  const { store, logger } = deps;
  const reference = referenceReader(store);
  let temporal: Promise<Temporal> | undefined = deps.temporal ? Promise.resolve(deps.temporal) : undefined;
  const ownsTemporal = !deps.temporal;
  const temporalClient = () => {
    temporal ??= connectTemporal(deps.config).catch((err: unknown) => {
      temporal = undefined;
      throw err;
    });
    return temporal;
  };

  async function importRow(jobId: string, principal: Principal, r: CsvRow): Promise<ImportRowResult> {
    const failed = (errors: CsvProblem[]): ImportRowResult => ({
      row: r.row,
      line: r.line,
      status: 'failed',
      pledgeId: null,
      errors,
    });
    if (r.problems.length) return failed(r.problems);
    const read = pledgeInputFromCsv(r.cells);
    if (!read.ok) return failed(read.problems);
    try {
      const ports = submissionPorts({ ...deps, reference, temporal: await temporalClient() });
      const pledge = await submitPledge(ports, principal, read.input, importRowKey(jobId, r.row));
      return { row: r.row, line: r.line, status: 'created', pledgeId: pledge.id, errors: [] };
    } catch (err) {
      // A refusal fails the row; the engine being unavailable (or any other fault) fails the attempt, which BullMQ
      // retries.
      if (err instanceof DomainFailure && err.kind !== 'unavailable') {
        return failed(
          err.details.length
            ? err.details.map((d) => ({ path: csvColumnOf(d.path), message: d.message }))
            : [{ path: 'row', message: err.message }],
        );
      }
      throw err;
    }
  }

  async function run(job: Job<ImportJobData>) {
    const jobId = job.data?.importId;
    const doc = jobId ? await store.ImportJob.findById(jobId).lean() : null;
    if (!jobId || !doc) throw new UnrecoverableError(`import ${jobId} not found`);
    let rows: CsvRow[];
    try {
      rows = parsePledgeCsv(doc.csv).rows;
    } catch (err) {
      // Checked when it was uploaded; only a changed rule can bring us here.
      await store.ImportJob.updateOne(
        { _id: jobId },
        { $set: { state: 'failed', finishedAt: new Date().toISOString() } },
      );
      throw new UnrecoverableError(err instanceof Error ? err.message : String(err));
    }
    const principal: Principal = { ...doc.owner, nation: doc.owner.nation ?? null };
    await store.ImportJob.updateOne(
      { _id: jobId },
      { $set: { state: 'active', total: rows.length, startedAt: doc.startedAt ?? new Date().toISOString() } },
    );

    let processed = 0;
    const pledgeIds: string[] = [];
    let failed = 0;
    for (let i = 0; i < rows.length; i += ROWS_AT_ONCE) {
      const results = await Promise.all(
        rows.slice(i, i + ROWS_AT_ONCE).map((r) => importRow(jobId, principal, r)),
      );
      await store.ImportRow.bulkWrite(
        results.map((r) => {
          const { errors, ...rest } = r;
          const _id = `${jobId}:${r.row}`;
          return {
            replaceOne: {
              filter: { _id },
              replacement: { _id, jobId, ...rest, details: errors },
              upsert: true,
            },
          };
        }),
      );
      for (const r of results) {
        if (r.pledgeId) pledgeIds.push(r.pledgeId);
        else failed++;
      }
      processed += results.length;
      await store.ImportJob.updateOne(
        { _id: jobId },
        { $set: { processed, created: pledgeIds.length, failed } },
      );
      await job.updateProgress(Math.floor((processed * 100) / rows.length));
    }

    const outcome = { total: rows.length, created: pledgeIds.length, failed };
    await store.ImportJob.updateOne(
      { _id: jobId },
      { $set: { state: 'completed', finishedAt: new Date().toISOString() } },
    );
    await appendAudit(store, {
      eventId: `import:${jobId}:completed`,
      actor: principal.username,
      action: 'pledges.import.completed',
      detail: { jobId, ...outcome, pledgeIds },
    });
    logger.info({ jobId, ...outcome }, 'pledge import finished');
    return outcome;
  }

  const processor = async (job: Job<ImportJobData>) => {
    try {
      return await run(job);
    } catch (err) {
      const lastAttempt =
        err instanceof UnrecoverableError || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      if (lastAttempt && job.data?.importId) {
        await store.ImportJob.updateOne(
          { _id: job.data.importId, state: { $ne: 'completed' } },
          { $set: { state: 'failed', finishedAt: new Date().toISOString() } },
        );
      }
      throw err;
    }
  };
  return Object.assign(processor, {
    async close() {
      if (ownsTemporal && temporal) await (await temporal.catch(() => undefined))?.close();
    },
  });
}
