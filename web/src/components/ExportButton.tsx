import { useState } from 'react';
import { ApiError, download, messageOf, type Query } from '../api/client';

/** Downloads the pledge list as CSV (GET /api/v1/pledges/export.csv) with the list's filters. */
export function ExportButton({ query }: { query?: Query }) {
  const [message, setMessage] = useState<string>();
  const [busy, setBusy] = useState(false);
  const run = async () => {
    setBusy(true);
    setMessage(undefined);
    try {
      await download('/pledges/export.csv', `pledges-${new Date().toISOString().slice(0, 10)}.csv`, query);
    } catch (err) {
      setMessage(err instanceof ApiError && err.isMissing ? 'CSV export is not available on this server yet.' : messageOf(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <span className="export">
      <button type="button" className="btn btn-ghost" onClick={() => void run()} disabled={busy} data-testid="export-csv">
        {busy ? 'Exporting…' : 'Export CSV'}
      </button>
      {message && (
        <span className="field-error" role="alert">
          {message}
        </span>
      )}
    </span>
  );
}
