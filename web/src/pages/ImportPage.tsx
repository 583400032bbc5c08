import { useEffect, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { api, ApiError } from '../api/client';
import type { ImportJob } from '../api/types';
import { useAuth } from '../auth/auth';
import { ExportButton } from '../components/ExportButton';
import { ErrorBox, PageTitle, Section, Unavailable } from '../components/common';
import { newIdempotencyKey } from '../lib/format';

const TERMINAL = ['completed', 'failed', 'done', 'finished', 'cancelled'];
const POLL_MS = 500;

/** Percent done: from processed/total when the job reports them, else from `progress` (0–1 or 0–100). */
function percentOf(job: ImportJob): number {
  if (job.total) return Math.round(((job.processed ?? 0) / job.total) * 100);
  if (typeof job.progress === 'number') return Math.round(job.progress <= 1 ? job.progress * 100 : job.progress);
  return TERMINAL.includes(job.state) ? 100 : 0;
}

/** Bulk import of pledges from CSV (a background job with live progress and per-row results), and CSV export. */
export function ImportPage() {
  const { hasRole } = useAuth();
  const [csv, setCsv] = useState('');
  const [fileName, setFileName] = useState<string>();
  const [jobId, setJobId] = useState<string>();
  const [job, setJob] = useState<ImportJob>();
  const [error, setError] = useState<unknown>();
  const [missing, setMissing] = useState(false);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!jobId) return;
    let live = true;
    let timer: ReturnType<typeof setTimeout>;
    const poll = async () => {
      try {
        const j = await api.get<ImportJob>(`/imports/${encodeURIComponent(jobId)}`);
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
    setMissing(false);
    setJob(undefined);
    setJobId(undefined);
    setBusy(true);
    try {
      const res = await api.post<{ jobId: string }>('/imports/pledges', undefined, {
        raw: { body: csv, contentType: 'text/csv' },
        idempotencyKey: newIdempotencyKey(),
      });
      setJobId(res.jobId);
    } catch (err) {
      if (err instanceof ApiError && err.isMissing) setMissing(true);
      else setError(err);
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
            One pledge item per row. The columns are described in the <a href="/api/docs">API documentation</a>. Good rows are created; rows with errors are reported and
            nothing is created for them.
          </p>
          <div className="field">
            <label htmlFor="csv-file">CSV file</label>
            <input id="csv-file" type="file" accept=".csv,text/csv" onChange={(e) => void chooseFile(e.target.files?.[0])} />
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
          <button type="submit" className="btn btn-primary" disabled={busy || !csv.trim() || (!!jobId && !done)} data-testid="start-import">
            {busy ? 'Uploading…' : 'Import'}
          </button>
        </form>
        {missing && <Unavailable feature="Bulk import">The route POST /api/v1/imports/pledges is being built; try again after the next deployment.</Unavailable>}
        {error !== undefined && <ErrorBox error={error} />}
      </Section>
      {jobId && (
        <Section id="progress" title="Progress">
          <div data-testid="import-job" data-state={job?.state ?? 'queued'}>
            <label htmlFor="import-progress">
              {job ? `${job.state}: ${job.processed ?? 0} of ${job.total ?? '?'} rows` : 'Queued'}
            </label>
            <progress id="import-progress" max={100} value={percent} data-testid="import-progress">
              {percent}%
            </progress>
            <p role="status" aria-live="polite">
              {percent}% · {created} created · {failed} failed
            </p>
          </div>
          {rows.length > 0 && (
            <div className="table-wrap">
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
                    <tr key={r.row} data-testid="import-row" data-status={r.status} className={r.status === 'failed' ? 'row-failed' : undefined}>
                      <td>{r.row}</td>
                      <td>
                        <span className={`badge ${r.status === 'created' ? 'tone-good' : 'tone-bad'}`}>{r.status === 'created' ? 'Created' : 'Failed'}</span>
                      </td>
                      <td>
                        {r.pledgeId && <Link to={`/pledges/${encodeURIComponent(r.pledgeId)}`}>{r.pledgeId}</Link>}
                        {r.errors && (
                          <ul className="row-errors">
                            {r.errors.map((e, i) => (
                              <li key={i}>{typeof e === 'string' ? e : `${e.path ? `${e.path}: ` : ''}${e.message}`}</li>
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
