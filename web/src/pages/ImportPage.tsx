import { useEffect, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { PledgeCsvColumns } from '@domain/schemas/pledge-csv';
import { DELIVERY_HORIZON_YEARS } from '@domain/schemas/pledge';
import { engine, ok, saveFile } from '../api/client';
import type { ImportJob } from '../api/types';
import { useAuth } from '../auth/auth';
import { ExportButton } from '../components/ExportButton';
import { ErrorBox, PageTitle, Section } from '../components/common';
import { newIdempotencyKey } from '../lib/format';

const TERMINAL = ['completed', 'failed', 'done', 'finished', 'cancelled'];
const POLL_MS = 500;

/** "12 of 40 rows checked, 2 errors": progress in words, whatever the job's state. */
function progressText(job: ImportJob | undefined): string {
  if (!job) return 'Waiting to start…';
  if (job.state === 'failed') return `The import stopped after ${job.processed} of ${job.total} rows.`;
  const errors = job.failed ? `, ${job.failed} ${job.failed === 1 ? 'error' : 'errors'}` : ', no errors';
  if (job.state === 'waiting' || (job.state !== 'completed' && job.processed === 0))
    return `Waiting to start: ${job.total} rows to check`;
  return `${job.processed} of ${job.total} rows checked${errors}${job.state === 'completed' ? '. Done.' : '…'}`;
}

/** Percent done: from processed/total when the job reports them, else from `progress` (0–1 or 0–100). */
function percentOf(job: ImportJob): number {
  if (job.total) return Math.round(((job.processed ?? 0) / job.total) * 100);
  if (typeof job.progress === 'number')
    return Math.round(job.progress <= 1 ? job.progress * 100 : job.progress);
  return TERMINAL.includes(job.state) ? 100 : 0;
}

const HEADER = PledgeCsvColumns.join(',');

/** Example rows a few months ahead, so the example imports as it is. */
function exampleCsv(): string {
  const at = (months: number) => {
    const d = new Date();
    d.setUTCMonth(d.getUTCMonth() + months);
    return d.toISOString().slice(0, 10);
  };
  return [
    HEADER,
    `POL,leopard-2a4,10,${at(6)},${at(12)},true,true,3,120000000,first tranche`,
    `NLD,pzh-2000,4,${at(4)},${at(9)},false,true,2,40000000,`,
  ].join('\n');
}

const columnHelp: Array<[string, string, string]> = [
  ['donor', 'yes', 'Donor nation, three capital letters: FRA'],
  ['systemId', 'yes', 'A system id from the systems list'],
  ['quantity', 'yes', 'Whole number, at least 1'],
  [
    'deliveryFrom, deliveryTo',
    'yes',
    `Dates as YYYY-MM-DD, not in the past, ending within ${DELIVERY_HORIZON_YEARS} years`,
  ],
  ['trainingOffered, spareParts', 'no', 'true or false (yes/no, 1/0); empty is false'],
  ['maintenanceYears', 'no', 'Whole number 0–30; empty is 0'],
  ['valueEur', 'no', 'Whole euros'],
  ['notes', 'no', 'Free text'],
];

/** Bulk import of pledges from CSV (a background job with live progress and per-row results), and CSV export. */
export function ImportPage() {
  const { hasRole } = useAuth();
  const [csv, setCsv] = useState('');
  const [fileName, setFileName] = useState<string>();
  const [jobId, setJobId] = useState<string>();
  const [job, setJob] = useState<ImportJob>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!jobId) return;
    let live = true;
    let timer: ReturnType<typeof setTimeout>;
    const poll = async () => {
      try {
        const j = await ok(engine.GET('/api/v1/imports/{jobId}', { params: { path: { jobId } } }));
        if (!live) return;
        setJob(j);
        if (!TERMINAL.includes(j.state)) timer = setTimeout(() => void poll(), POLL_MS);
      } catch (err) {
        if (live) setError(err);
      }
    };
    void poll();
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [jobId]);

  if (!hasRole('staff_officer', 'admin')) {
    return (
      <>
        <PageTitle>Bulk import</PageTitle>
        <p>Bulk import is for NSATU staff. You can still export the pledges you can see.</p>
        <ExportButton />
      </>
    );
  }

  const chooseFile = async (file: File | undefined) => {
    if (!file) return;
    setFileName(file.name);
    setCsv(await file.text());
  };

  const upload = async (e: FormEvent) => {
    e.preventDefault();
    setError(undefined);
    setJob(undefined);
    setJobId(undefined);
    setBusy(true);
    try {
      const res = await ok(
        engine.POST('/api/v1/imports/pledges', {
          params: { header: { 'Idempotency-Key': newIdempotencyKey() } },
          body: csv,
          // The file goes as it is: the engine reads the CSV text itself.
          bodySerializer: (text: string) => text,
          headers: { 'Content-Type': 'text/csv' },
        }),
      );
      setJobId(res.jobId);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const rows = job?.rows ?? [];
  const created = rows.filter((r) => r.status === 'created').length;
  const failed = rows.filter((r) => r.status === 'failed').length;
  const percent = job ? percentOf(job) : 0;
  const done = job ? TERMINAL.includes(job.state) : false;

  return (
    <>
      <PageTitle actions={<ExportButton />}>Bulk import</PageTitle>
      <Section id="upload" title="Import pledges from CSV">
        <form onSubmit={(e) => void upload(e)} data-testid="import-form">
          <p className="muted">
            One pledge of one item per row, under a header row. Good rows are created; rows with errors are
            reported with their column, and nothing is created for them. Systems are named by their id: see{' '}
            <Link to="/catalogue">the systems and their ids</Link>.
          </p>
          <p className="form-actions">
            <button
              type="button"
              className="btn btn-small"
              data-testid="download-template"
              onClick={() =>
                saveFile(new Blob([`${HEADER}\n`], { type: 'text/csv' }), 'pledges-template.csv')
              }
            >
              Download the template
            </button>
            <button
              type="button"
              className="btn btn-small"
              data-testid="download-example"
              onClick={() => saveFile(new Blob([exampleCsv()], { type: 'text/csv' }), 'pledges-example.csv')}
            >
              Download an example
            </button>
            <button type="button" className="btn btn-small btn-ghost" onClick={() => setCsv(exampleCsv())}>
              Paste the example below
            </button>
          </p>
          <details>
            <summary>The columns</summary>
            <div className="table-wrap" role="region" aria-label="CSV columns" tabIndex={0}>
              <table className="table" data-testid="csv-columns">
                <thead>
                  <tr>
                    <th scope="col">Column</th>
                    <th scope="col">Required</th>
                    <th scope="col">What it holds</th>
                  </tr>
                </thead>
                <tbody>
                  {columnHelp.map(([c, req, what]) => (
                    <tr key={c}>
                      <td className="mono">{c}</td>
                      <td>{req}</td>
                      <td>{what}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </details>
          <div className="field">
            <label htmlFor="csv-file">CSV file</label>
            <input
              id="csv-file"
              type="file"
              accept=".csv,text/csv"
              onChange={(e) => void chooseFile(e.target.files?.[0])}
            />
          </div>
          <div className="field">
            <label htmlFor="csv-text">…or paste the CSV</label>
            <textarea
              id="csv-text"
              rows={8}
              className="mono"
              value={csv}
              onChange={(e) => {
                setCsv(e.target.value);
                setFileName(undefined);
              }}
            />
            {fileName && <small className="hint">From {fileName}</small>}
          </div>
          <button
            type="submit"
            className="btn btn-primary"
            disabled={busy || !csv.trim() || (!!jobId && !done)}
            data-testid="start-import"
          >
            {busy ? 'Uploading…' : 'Import'}
          </button>
        </form>
        {error !== undefined && <ErrorBox error={error} />}
      </Section>
      {jobId && (
        <Section id="progress" title="Progress">
          <div data-testid="import-job" data-state={job?.state ?? 'queued'}>
            <label htmlFor="import-progress" data-testid="import-progress-text">
              {progressText(job)}
            </label>
            <progress id="import-progress" max={100} value={percent} data-testid="import-progress">
              {percent}%
            </progress>
            <p role="status" aria-live="polite">
              {created} created, {failed} with errors
            </p>
          </div>
          {rows.length > 0 && (
            <div className="table-wrap" role="region" aria-label="Table" tabIndex={0}>
              <table className="table" data-testid="import-rows">
                <thead>
                  <tr>
                    <th scope="col">Row</th>
                    <th scope="col">Result</th>
                    <th scope="col">Details</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((r) => (
                    <tr
                      key={r.row}
                      data-testid="import-row"
                      data-status={r.status}
                      className={r.status === 'failed' ? 'row-failed' : undefined}
                    >
                      <td>{r.row}</td>
                      <td>
                        <span className={`badge ${r.status === 'created' ? 'tone-good' : 'tone-bad'}`}>
                          {r.status === 'created' ? 'Created' : 'Failed'}
                        </span>
                      </td>
                      <td>
                        {r.pledgeId && (
                          <Link to={`/pledges/${encodeURIComponent(r.pledgeId)}`}>{r.pledgeId}</Link>
                        )}
                        {r.errors && (
                          <ul className="row-errors">
                            {r.errors.map((e, i) => (
                              <li key={i}>
                                {typeof e === 'string' ? e : `${e.path ? `${e.path}: ` : ''}${e.message}`}
                              </li>
                            ))}
                          </ul>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {done && (
            <p data-testid="import-done">
              Finished: {created} created, {failed} failed.
            </p>
          )}
        </Section>
      )}
    </>
  );
}
